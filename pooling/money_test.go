package pooling_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/pooling"
)

func TestSplitDividesByLargestRemainder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		total int64
		n     int
		want  []int64
	}{
		{"exact", 48000, 8, []int64{6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}},
		{"remainder goes to the first parts", 100, 3, []int64{34, 33, 33}},
		{"fewer pence than parts", 2, 3, []int64{1, 1, 0}},
		{"nothing to split", 0, 2, []int64{0, 0}},
		{"one part", 999, 1, []int64{999}},
		{"negative totals round down", -5, 3, []int64{-1, -2, -2}},
		{"no parts", 10, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, pooling.Split(tt.total, tt.n)); diff != "" {
				t.Errorf("Split(%d, %d) (-want +got):\n%s", tt.total, tt.n, diff)
			}
		})
	}
}

func TestShareIsTheLargestPartButNeverBelowTheFloor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		group, floor int64
		k            int
		want         int64
	}{
		{"four people share £480", 48000, 4800, 4, 12000},
		{"eight people share £480", 48000, 4800, 8, 6000},
		{"ten people pay the floor", 48000, 4800, 10, 4800},
		{"an uneven split rounds up", 1000, 0, 3, 334},
		{"a high floor wins", 1000, 400, 3, 400},
		{"nobody", 1000, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := pooling.Share(tt.group, tt.floor, tt.k); got != tt.want {
				t.Errorf("Share(%d, %d, %d) = %d, want %d", tt.group, tt.floor, tt.k, got, tt.want)
			}
		})
	}
}

func TestPartsAddUpToTheSessionTotalWithTheShareOnTop(t *testing.T) {
	t.Parallel()
	for _, p := range []pooling.Pricing{
		{GroupPence: 48000, FloorPence: 4800, MinPeople: 4, MaxPeople: 10},
		{GroupPence: 1001, FloorPence: 334, MinPeople: 1, MaxPeople: 5},
		{GroupPence: 7, FloorPence: 0, MinPeople: 1, MaxPeople: 9},
	} {
		for k := 1; k <= p.MaxPeople; k++ {
			parts := p.Parts(k)
			var sum int64
			for _, x := range parts {
				sum += x
				if x < p.FloorPence {
					t.Errorf("%+v at %d: part %d below the floor", p, k, x)
				}
			}
			if sum != p.Total(k) || parts[0] != p.Share(k) || parts[0]-parts[k-1] > 1 {
				t.Errorf("%+v at %d: parts %v, total %d, share %d", p, k, parts, p.Total(k), p.Share(k))
			}
		}
	}
}

func TestCountedTakesTheLargestGroupWithinItsLimits(t *testing.T) {
	t.Parallel()
	art := pooling.Pricing{GroupPence: 48000, FloorPence: 4800, MinPeople: 4, MaxPeople: 10}
	tests := []struct {
		name      string
		limits    []int64 // highest first
		wantK     int
		wantShare int64
	}{
		{"nobody yet", nil, 0, 0},
		{"one person cannot afford the whole group", []int64{20000}, 0, 0},
		{"three generous people count", []int64{20000, 16000, 16000}, 3, 16000},
		{"eight at £60", []int64{12000, 12000, 9000, 8000, 7000, 6000, 6000, 6000}, 8, 6000},
		{"a low limit waits for the price to fall", []int64{12000, 12000, 12000, 12000, 5000}, 4, 12000},
		{"the tenth person brings everyone to the floor", []int64{9000, 9000, 9000, 9000, 9000, 9000, 9000, 9000, 9000, 4800}, 10, 4800},
		{"a bigger group need not count a smaller one first", []int64{6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, 8, 6000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k, share := pooling.Counted(art, tt.limits)
			if k != tt.wantK || share != tt.wantShare {
				t.Errorf("Counted(%v) = %d, %d; want %d, %d", tt.limits, k, share, tt.wantK, tt.wantShare)
			}
		})
	}
}

// A new pledge never uncounts anyone (DOMAIN.md): whatever its limit, the counted number
// does not fall.
func TestCountedNeverFallsWhenAPledgeArrives(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		p := pooling.Pricing{GroupPence: r.Int64N(100_000) + 1, MinPeople: 1, MaxPeople: r.IntN(12) + 1}
		p.FloorPence = r.Int64N(p.GroupPence/int64(p.MaxPeople) + 1)
		var limits []int64
		prev := 0
		for range p.MaxPeople {
			limits = append(limits, r.Int64N(p.GroupPence+1))
			sorted := slices.Clone(limits)
			slices.Sort(sorted)
			slices.Reverse(sorted)
			k, _ := pooling.Counted(p, sorted)
			if k < prev {
				t.Fatalf("%+v: counted fell from %d to %d with limits %v", p, prev, k, sorted)
			}
			prev = k
		}
	}
}

func TestPoundsWritesMoneyForPeople(t *testing.T) {
	t.Parallel()
	for pence, want := range map[int64]string{0: "£0.00", 5: "£0.05", 12345: "£123.45", -50: "-£0.50"} {
		if got := pooling.Pounds(pence); got != want {
			t.Errorf("Pounds(%d) = %q, want %q", pence, got, want)
		}
	}
}
