package boltstore

import (
	"bytes"
	"unsafe"

	"github.com/256dpi/lungo/bsonkit"
	"github.com/256dpi/lungo/mongokit"
	bolt "go.etcd.io/bbolt"
)

// put is one document to write under key seq (0 until a fresh sequence is taken).
type put struct {
	doc bsonkit.Doc
	seq uint64
}

// docPlan is the set of bbolt writes that turns a namespace's stored documents from the
// previous collection into the new one, and the matching update of its key map.
type docPlan struct {
	puts    []put
	deletes []uint64      // keys no longer used
	removed []bsonkit.Doc // old documents gone from the collection
}

// planDocs diffs two versions of a collection by document identity.
//
// lungo's bsonkit.Set only ever appends (Add), overwrites in place (Replace) or removes
// while keeping the order of the rest (Remove), and every change to a committed
// collection happens on a clone with new document pointers. So the documents present in
// both versions appear in the same relative order, and a merge walk over the two lists
// finds the changes: runs of unchanged documents are skipped by comparing pointer arrays
// as memory, and only changed documents cost map lookups.
//
// Between two surviving documents lie "gaps": removed old documents and new documents.
// A new document inside a gap can only be a replacement of an old document in that gap
// (inserts append at the end), so it takes the key of one of the gap's old documents in
// order, which keeps stored key order equal to lungo's natural order; remaining old keys
// are deleted. New documents in the trailing gap beyond the old keys get fresh sequence
// numbers, larger than every key used so far. Anything else (a reordering) returns
// ok=false and the caller rewrites the namespace.
func planDocs(old *nsState, coll *mongokit.Collection) (p docPlan, ok bool) {
	oldList, oldIdx := old.coll.Documents.List, old.coll.Documents.Index
	newList, newIdx := coll.Documents.List, coll.Documents.Index

	var gapOld []uint64
	var gapNew []bsonkit.Doc
	// flush settles one gap; trailing says it is the gap after the last survivor.
	flush := func(trailing bool) bool {
		k := min(len(gapOld), len(gapNew))
		for x, doc := range gapNew {
			var seq uint64
			if x < k {
				seq = gapOld[x]
			}
			p.puts = append(p.puts, put{doc: doc, seq: seq})
		}
		p.deletes = append(p.deletes, gapOld[k:]...)
		if len(gapNew) > k && !trailing {
			return false // more new documents than slots between two survivors
		}
		gapOld, gapNew = gapOld[:0], gapNew[:0]
		return true
	}

	i, j := 0, 0
	for i < len(oldList) || j < len(newList) {
		if i < len(oldList) && j < len(newList) && oldList[i] == newList[j] {
			if (len(gapOld) > 0 || len(gapNew) > 0) && !flush(false) {
				return p, false
			}
			run := commonPrefix(oldList[i:], newList[j:])
			i += run
			j += run
			continue
		}
		if i < len(oldList) {
			if _, kept := newIdx[oldList[i]]; !kept {
				seq, known := old.seqs[oldList[i]]
				if !known {
					return p, false
				}
				gapOld = append(gapOld, seq)
				p.removed = append(p.removed, oldList[i])
				i++
				continue
			}
		}
		if j < len(newList) {
			if _, existed := oldIdx[newList[j]]; !existed {
				gapNew = append(gapNew, newList[j])
				j++
				continue
			}
		}
		return p, false // two survivors out of order
	}
	return p, flush(true)
}

// apply performs the plan in the namespace's docs bucket. Fresh sequences are taken in
// list order, so they ascend like the list. The key map is not touched here: commit
// calls it once the bbolt transaction has committed.
func (p docPlan) apply(docs *bolt.Bucket, w *writeCounts) error {
	for _, seq := range p.deletes {
		if err := docs.Delete(seqKey(seq)); err != nil {
			return err
		}
		w.deletes++
	}
	for x := range p.puts {
		if p.puts[x].seq == 0 {
			seq, err := docs.NextSequence()
			if err != nil {
				return err
			}
			p.puts[x].seq = seq
		}
		if err := putDoc(docs, p.puts[x].seq, p.puts[x].doc, w); err != nil {
			return err
		}
	}
	return nil
}

// commit updates the namespace's key map after a successful bbolt commit: O(changed).
func (p docPlan) commit(seqs map[bsonkit.Doc]uint64) {
	for _, doc := range p.removed {
		delete(seqs, doc)
	}
	for _, pt := range p.puts {
		seqs[pt.doc] = pt.seq
	}
}

// commonPrefix returns how many leading documents a and b share (by pointer). Runs of
// unchanged documents are compared as raw memory, which bytes.Equal does with SIMD: at
// 100,000 documents that is tens of microseconds instead of a few hundred for an
// element-by-element loop. Reading pointer words as bytes is safe: nothing is written
// and both slices stay reachable.
func commonPrefix(a, b bsonkit.List) int {
	n := min(len(a), len(b))
	const chunk = 512 // documents per memory comparison
	i := 0
	for ; i+chunk <= n; i += chunk {
		if !bytes.Equal(ptrBytes(a[i:i+chunk]), ptrBytes(b[i:i+chunk])) {
			break
		}
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// ptrBytes views a document list's pointer words as bytes.
func ptrBytes(l bsonkit.List) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(l))), len(l)*int(unsafe.Sizeof(l[0])))
}
