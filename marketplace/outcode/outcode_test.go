package outcode

import (
	"math"
	"testing"
)

func TestEmbeddedDataHasEveryRowWithUniqueCodes(t *testing.T) {
	t.Parallel()
	places := All()
	if got, want := len(places), 2848; got != want {
		t.Fatalf("len(All()) = %d, want %d", got, want)
	}
	seen := map[string]bool{}
	for _, p := range places {
		if seen[p.Code] {
			t.Errorf("duplicate code %q", p.Code)
		}
		seen[p.Code] = true
		if p.Lat < 49 || p.Lat > 61 || p.Lng < -9 || p.Lng > 2 {
			t.Errorf("%s lies outside the UK: %v,%v", p.Code, p.Lat, p.Lng)
		}
	}
}

func TestNormalizeAcceptsOutwardCodesAndFullPostcodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"LS6", "LS6", true},
		{" ls6 ", "LS6", true},
		{"ls6 2ab", "LS6", true},
		{"BS1", "BS1", true},
		{"NR2", "NR2", true},
		{"ZZ99", "ZZ99", false},
		{"", "", false},
		{"LS6; DROP", "LS6;", false},
	}
	for _, tt := range tests {
		got, ok := Normalize(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Normalize(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestWithinReturnsNearbyCodesNearestFirst(t *testing.T) {
	t.Parallel()
	ls6, ok := Lookup("ls6")
	if !ok {
		t.Fatal("LS6 unknown")
	}
	near := Within(ls6.Lat, ls6.Lng, 3)
	if len(near) < 3 || near[0].Code != "LS6" {
		t.Fatalf("Within(LS6, 3 miles) = %v, want LS6 first and its neighbours", near)
	}
	for _, p := range near {
		if d := DistanceMiles(ls6.Lat, ls6.Lng, p.Lat, p.Lng); d > 3 {
			t.Errorf("%s is %.1f miles away, beyond the radius", p.Code, d)
		}
		if p.Code == "BS1" {
			t.Errorf("Bristol is not within 3 miles of Leeds")
		}
	}
}

func TestDistanceMilesLeedsToBristol(t *testing.T) {
	t.Parallel()
	ls1, _ := Lookup("LS1")
	bs1, _ := Lookup("BS1")
	// Leeds to Bristol is roughly 170 miles as the crow flies.
	if d := DistanceMiles(ls1.Lat, ls1.Lng, bs1.Lat, bs1.Lng); math.Abs(d-170) > 15 {
		t.Errorf("LS1 to BS1 = %.1f miles, want about 170", d)
	}
}
