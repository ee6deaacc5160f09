package pooling_test

import (
	"encoding/binary"
	"slices"
	"testing"

	"github.com/carepool/carepool/pooling"
)

// FuzzSplit checks Split for any total and number of parts: the parts add up exactly,
// differ by at most a penny, and come largest first. Seeds are in testdata/fuzz/FuzzSplit;
// `go test` runs them, `go test -fuzz FuzzSplit` explores.
func FuzzSplit(f *testing.F) {
	f.Add(int64(48000), uint16(8))
	f.Add(int64(100), uint16(3))
	f.Add(int64(-7), uint16(4))
	f.Fuzz(func(t *testing.T, total int64, n uint16) {
		if n == 0 {
			if pooling.Split(total, 0) != nil {
				t.Fatal("Split with no parts returned parts")
			}
			return
		}
		parts := pooling.Split(total, int(n))
		if len(parts) != int(n) {
			t.Fatalf("got %d parts, want %d", len(parts), n)
		}
		var sum int64
		for i, p := range parts {
			sum += p
			if i > 0 && p > parts[i-1] {
				t.Fatalf("parts not largest first: %v", parts[:i+1])
			}
		}
		if sum != total {
			t.Fatalf("parts add up to %d, want %d", sum, total)
		}
		if parts[0]-parts[n-1] > 1 {
			t.Fatalf("parts differ by %d", parts[0]-parts[n-1])
		}
	})
}

// FuzzCounted checks the counting rule for any prices and limits: the counted k-th limit
// covers the share at k, no larger group works, and one more pledge never lowers k.
// The input bytes are read as a group price, a floor, then limits.
func FuzzCounted(f *testing.F) {
	f.Add(encodeCounted(48000, 4800, 12000, 12000, 9000, 8000, 7000, 6000, 6000, 6000))
	f.Add(encodeCounted(1000, 0, 500))
	f.Add(encodeCounted(1001, 334, 400, 334, 334, 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 8 {
			return
		}
		group := int64(binary.LittleEndian.Uint32(data[0:4]) % 2_000_001)
		floor := int64(binary.LittleEndian.Uint32(data[4:8]) % 2_000_001)
		var limits []int64
		for rest := data[8:]; len(rest) >= 4 && len(limits) < 200; rest = rest[4:] {
			limits = append(limits, int64(binary.LittleEndian.Uint32(rest)%2_000_001))
		}
		slices.Sort(limits)
		slices.Reverse(limits)
		p := pooling.Pricing{GroupPence: group, FloorPence: floor, MinPeople: 1, MaxPeople: max(len(limits), 1)}
		k, share := pooling.Counted(p, limits)
		if k < 0 || k > len(limits) {
			t.Fatalf("k = %d of %d limits", k, len(limits))
		}
		if k > 0 && (limits[k-1] < share || share != p.Share(k)) {
			t.Fatalf("k = %d with share %d, but the k-th limit is %d and Share(k) %d", k, share, limits[k-1], p.Share(k))
		}
		for j := k + 1; j <= len(limits); j++ {
			if limits[j-1] >= p.Share(j) {
				t.Fatalf("k = %d, but %d people also work (limit %d, share %d)", k, j, limits[j-1], p.Share(j))
			}
		}
		if k > 0 {
			for _, l := range limits[:k] {
				if l < share {
					t.Fatalf("counted limit %d below the share %d", l, share)
				}
			}
		}
		// Any newcomer, with any limit, leaves at least k counted.
		for _, extra := range []int64{0, share, share + 1, group} {
			more := append(slices.Clone(limits), extra)
			slices.Sort(more)
			slices.Reverse(more)
			if k2, _ := pooling.Counted(p, more); k2 < k {
				t.Fatalf("a pledge of %d uncounted someone: %d became %d", extra, k, k2)
			}
		}
	})
}

func encodeCounted(group, floor int64, limits ...int64) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(group))
	b = binary.LittleEndian.AppendUint32(b, uint32(floor))
	for _, l := range limits {
		b = binary.LittleEndian.AppendUint32(b, uint32(l))
	}
	return b
}
