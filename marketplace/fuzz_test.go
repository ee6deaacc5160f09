package marketplace

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace/outcode"
)

// FuzzOfferInput feeds arbitrary request bodies through the same steps as the API
// (strict decoding, Normalize, Validate) and checks what must hold for any input. The
// seed corpus is in testdata/fuzz/FuzzOfferInput; `make test` runs it without -fuzz.
func FuzzOfferInput(f *testing.F) {
	for _, k := range []Kind{KindService, KindPersonalAssistant, KindCommunityActivity} {
		b, err := json.Marshal(sampleOffer(k))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in OfferInput
		if err := web.DecodeJSON(body, &in); err != nil {
			if k := apperr.KindOf(err); k != apperr.Invalid {
				t.Fatalf("DecodeJSON error of kind %v, want Invalid: %v", k, err)
			}
			return
		}
		in.Normalize()
		err := in.Validate()
		if diff := cmp.Diff(err, in.Validate()); diff != "" {
			t.Fatalf("Validate is not deterministic (-first +second):\n%s", diff)
		}
		if err != nil {
			checkValidationError(t, err)
			return
		}
		checkValidOffer(t, in)

		// A valid input survives the trip to a client and back, and stays as it is.
		out, merr := json.Marshal(in)
		if merr != nil {
			t.Fatalf("Marshal valid input: %v", merr)
		}
		var back OfferInput
		if err := web.DecodeJSON(out, &back); err != nil {
			t.Fatalf("DecodeJSON of a valid input's JSON %s: %v", out, err)
		}
		if diff := cmp.Diff(in, back); diff != "" {
			t.Fatalf("JSON round trip changed a valid input (-before +after):\n%s", diff)
		}
		back.Normalize()
		if diff := cmp.Diff(in, back); diff != "" {
			t.Fatalf("a second Normalize changed a valid input (-once +twice):\n%s", diff)
		}
		if err := back.Validate(); err != nil {
			t.Fatalf("a valid input is invalid after a second Normalize: %v", err)
		}
	})
}

func checkValidationError(t *testing.T, err error) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid || len(e.Fields) == 0 {
		t.Fatalf("Validate() = %v, want an Invalid error listing fields", err)
	}
	for _, fe := range e.Fields {
		if fe.Field == "" || fe.Message == "" || !utf8.ValidString(fe.Message) {
			t.Fatalf("field error %+v must name the field and say what is wrong", fe)
		}
	}
}

func checkValidOffer(t *testing.T, in OfferInput) {
	t.Helper()
	limits := map[PriceUnit]int64{PerHour: maxPerHourPence, PerSession: maxPerUnitPence, PerPerson: maxPerUnitPence, GroupSession: maxGroupPence}
	p := in.Price
	if p.AmountPence <= 0 || p.AmountPence > limits[p.Unit] {
		t.Fatalf("valid price %d pence %s is not positive and within %d", p.AmountPence, p.Unit, limits[p.Unit])
	}
	if low := p.LowestPerPerson(); low <= 0 || low > p.AmountPence {
		t.Fatalf("valid price %+v: lowest per person %d", p, low)
	}
	if g := p.Group; g != nil {
		if g.MinPeople < 2 || g.MaxPeople < g.MinPeople || g.MaxPeople > maxGroupSize || g.FloorPence < 0 {
			t.Fatalf("valid group %+v breaks the group rules", *g)
		}
		if share := p.PerPersonAt(g.MinPeople); share > p.AmountPence || share < g.FloorPence {
			t.Fatalf("valid group price %+v: share at the minimum %d", p, share)
		}
	}
	for _, code := range in.Where.AreasServed {
		if pl, ok := outcode.Lookup(code); !ok || pl.Code != code {
			t.Fatalf("valid input serves %q, which is not a known outward code in canonical form", code)
		}
	}
	if a := in.Where.Address; a != nil {
		if _, ok := outcode.Normalize(a.Postcode); !ok {
			t.Fatalf("valid address has postcode %q of no known area", a.Postcode)
		}
	}
	if n := utf8.RuneCountInString(in.Title); n < 3 || n > MaxTitleLen || !utf8.ValidString(in.Title) {
		t.Fatalf("valid title %q has %d characters", in.Title, n)
	}
	if len(in.BudgetForms) == 0 || len(in.Categories) == 0 || len(in.Languages) == 0 {
		t.Fatalf("valid input lacks budget forms, categories or languages: %+v", in)
	}
}

// The seed corpus says what each seed is by its name: valid_ and edge_ seeds must pass
// validation (so the fuzzer starts from inputs that reach the deepest checks), invalid_
// seeds must not.
func TestFuzzOfferInputSeedsAreWhatTheirNamesSay(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("testdata", "fuzz", "FuzzOfferInput")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
		if len(lines) != 2 || lines[0] != "go test fuzz v1" {
			t.Fatalf("%s: not a fuzz corpus file", name)
		}
		quoted, ok := strings.CutPrefix(lines[1], "[]byte(")
		quoted, ok2 := strings.CutSuffix(quoted, ")")
		body, err := strconv.Unquote(quoted)
		if !ok || !ok2 || err != nil {
			t.Fatalf("%s: cannot read the seed: %v", name, err)
		}
		var in OfferInput
		err = web.DecodeJSON([]byte(body), &in)
		if err == nil {
			in.Normalize()
			err = in.Validate()
		}
		switch {
		case (strings.HasPrefix(name, "valid_") || strings.HasPrefix(name, "edge_")) && err != nil:
			t.Errorf("%s: %v, want a valid offer", name, err)
		case strings.HasPrefix(name, "invalid_") && err == nil:
			t.Errorf("%s is valid, want it refused", name)
		}
	}
}
