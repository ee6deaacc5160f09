package boltstore

import (
	"fmt"
	"testing"

	"github.com/256dpi/lungo/bsonkit"
	"github.com/256dpi/lungo/mongokit"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.mongodb.org/mongo-driver/bson"
)

func TestCommonPrefixFindsFirstDifferentDocument(t *testing.T) {
	t.Parallel()
	docs := make(bsonkit.List, 3000)
	for i := range docs {
		docs[i] = &bson.D{{Key: "i", Value: i}}
	}
	for _, tc := range []struct{ lenA, lenB, differAt, want int }{
		{0, 0, -1, 0},
		{10, 10, -1, 10},
		{3000, 3000, -1, 3000},
		{3000, 2999, -1, 2999},
		{3000, 3000, 0, 0},
		{3000, 3000, 511, 511},
		{3000, 3000, 512, 512},
		{3000, 3000, 2999, 2999},
	} {
		t.Run(fmt.Sprintf("%d/%d/differ@%d", tc.lenA, tc.lenB, tc.differAt), func(t *testing.T) {
			a := append(bsonkit.List(nil), docs[:tc.lenA]...)
			b := append(bsonkit.List(nil), docs[:tc.lenB]...)
			if tc.differAt >= 0 {
				b[tc.differAt] = &bson.D{}
			}
			if got := commonPrefix(a, b); got != tc.want {
				t.Errorf("commonPrefix = %d, want %d", got, tc.want)
			}
		})
	}
}

// planDocs on hand-made collection versions: which keys are reused, deleted and fresh.
func TestPlanDocsKeepsKeysInNaturalOrder(t *testing.T) {
	t.Parallel()
	doc := func(id string) bsonkit.Doc { return &bson.D{{Key: "_id", Value: id}} }
	a, b, c, d := doc("a"), doc("b"), doc("c"), doc("d")
	b2, d2, e := doc("b"), doc("d"), doc("e")
	name := map[bsonkit.Doc]string{a: "a", b: "b", c: "c", d: "d", b2: "b2", d2: "d2", e: "e"}
	base := &nsState{
		coll: &mongokit.Collection{Documents: bsonkit.NewSet(bsonkit.List{a, b, c, d})},
		seqs: map[bsonkit.Doc]uint64{a: 1, b: 2, c: 3, d: 4},
	}
	for _, tc := range []struct {
		name    string
		next    bsonkit.List
		ok      bool
		puts    []string // "doc@key", key 0 = fresh sequence
		deletes []uint64
	}{
		{"unchanged", bsonkit.List{a, b, c, d}, true, nil, nil},
		{"append", bsonkit.List{a, b, c, d, e}, true, []string{"e@0"}, nil},
		{"replace in the middle keeps the slot", bsonkit.List{a, b2, c, d}, true, []string{"b2@2"}, nil},
		{"delete in the middle", bsonkit.List{a, c, d}, true, nil, []uint64{2}},
		{"replace the last and append", bsonkit.List{a, b, c, d2, e}, true, []string{"d2@4", "e@0"}, nil},
		{"delete one, replace its neighbour", bsonkit.List{a, b2, d}, true, []string{"b2@2"}, []uint64{3}},
		{"everything replaced", bsonkit.List{e}, true, []string{"e@1"}, []uint64{2, 3, 4}},
		{"reordered survivors", bsonkit.List{b, a, c, d}, false, nil, nil},
		{"two new documents in a one-slot gap", bsonkit.List{a, b2, e, c, d}, false, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := planDocs(base, &mongokit.Collection{Documents: bsonkit.NewSet(tc.next)})
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			var puts []string
			for _, pt := range p.puts {
				puts = append(puts, fmt.Sprintf("%s@%d", name[pt.doc], pt.seq))
			}
			if diff := cmp.Diff(tc.puts, puts, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("puts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.deletes, p.deletes, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("deletes (-want +got):\n%s", diff)
			}
		})
	}
}
