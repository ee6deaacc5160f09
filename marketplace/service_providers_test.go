package marketplace_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"

	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

func profileInput() mk.ProviderInput {
	return mk.ProviderInput{
		Description: "A small community group running art and music sessions in north Leeds.",
		AreasServed: []string{"LS6", "LS7"},
		Contact:     mk.Contact{Email: "hello@example.org", Phone: "0113 496 0000"},
		Languages:   []string{"en", "bfi"},
	}
}

func (e *testEnv) writeProfile(t *testing.T, who *person, org account.Organisation, in mk.ProviderInput) mk.Provider {
	t.Helper()
	ctx := who.ctx(t)
	p, err := e.svc.Provider(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p, err = e.svc.UpdateProvider(ctx, org.ID, p.Version, in); err != nil {
		t.Fatalf("write the profile of %s: %v", org.Name, err)
	}
	return p
}

func TestProviderBeforeItsFirstWriteIsAnEmptyProfile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	got, err := w.svc.Provider(anon, w.care.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := mk.Provider{ID: w.care.ID, Name: "Bob's Care", Kinds: []string{"small_provider", "isf_provider"}, Active: true,
		AreasServed: []string{}, Languages: []string{}, VATStatus: "not_registered"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Provider() (-want +got):\n%s", diff)
	}
}

func TestProviderIsHiddenWhenItIsNotAnActiveProvider(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.writeProfile(t, w.alice, w.art, profileInput())
	w.suspend(t, w.admin, w.art)
	tests := []struct {
		name string
		who  *person
		id   string
		want string
	}{
		{"suspended, anonymous", nil, w.art.ID, "not found"},
		{"suspended, another provider", w.bob, w.art.ID, "not found"},
		{"suspended, its member", w.amir, w.art.ID, "ok"},
		{"suspended, administrator", w.admin, w.art.ID, "ok"},
		{"not a provider", w.carol, w.ulo.ID, "not found"},
		{"unknown", nil, uuid.NewString(), "not found"},
		{"malformed id", nil, "bobs-care", "not found"},
	}
	for _, tt := range tests {
		ctx := anon
		if tt.who != nil {
			ctx = tt.who.ctx(t)
		}
		p, err := w.svc.Provider(ctx, tt.id)
		if kindOf(err) != tt.want {
			t.Errorf("%s: error %v, want %s", tt.name, err, tt.want)
		}
		if err == nil && p.Active {
			t.Errorf("%s: a suspended provider shows as active", tt.name)
		}
	}
}

func TestUpdateProvider(t *testing.T) {
	t.Parallel()
	invalid := profileInput()
	invalid.Contact = mk.Contact{}
	tests := []struct {
		name    string
		who     func(w *world) *person
		written bool // whether the profile was written once before
		version int64
		in      mk.ProviderInput
		want    string
	}{
		{"first write at v0", func(w *world) *person { return w.alice }, false, 0, profileInput(), "ok"},
		{"member, current version", func(w *world) *person { return w.amir }, true, 1, profileInput(), "ok"},
		{"a second first write", func(w *world) *person { return w.alice }, true, 0, profileInput(), "precondition failed"},
		{"first write at a version that does not exist", func(w *world) *person { return w.alice }, false, 1, profileInput(), "precondition failed"},
		{"stale version", func(w *world) *person { return w.alice }, true, 2, profileInput(), "precondition failed"},
		{"invalid", func(w *world) *person { return w.alice }, true, 1, invalid, "invalid"},
		{"another provider", func(w *world) *person { return w.bob }, true, 1, profileInput(), "forbidden"},
		{"administrator", func(w *world) *person { return w.admin }, true, 1, profileInput(), "forbidden"},
		{"anonymous", func(*world) *person { return nil }, true, 1, profileInput(), "unauthenticated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			if tt.written {
				first := profileInput()
				first.Description = "The first description of the art group, written by its owner."
				w.writeProfile(t, w.alice, w.art, first)
			}
			ctx := anon
			if p := tt.who(w); p != nil {
				ctx = p.ctx(t)
			}
			before := w.snapshot(t)
			got, err := w.svc.UpdateProvider(ctx, w.art.ID, tt.version, tt.in)
			if kindOf(err) != tt.want {
				t.Fatalf("UpdateProvider error = %v, want %s", err, tt.want)
			}
			if err != nil {
				w.assertUnchanged(t, before)
				return
			}
			want := mk.Provider{ID: w.art.ID, Name: "Headingley Art Group", Kinds: []string{"community_group"}, Active: true,
				Description: tt.in.Description, AreasServed: tt.in.AreasServed, Contact: tt.in.Contact, Languages: tt.in.Languages,
				VATStatus: "not_registered", Version: tt.version + 1, UpdatedAt: got.UpdatedAt}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("UpdateProvider (-want +got):\n%s", diff)
			}
			read, err := w.svc.Provider(anon, w.art.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, read); diff != "" {
				t.Errorf("a later read (-returned +read):\n%s", diff)
			}
			if after := w.snapshot(t); after.Tasks != before.Tasks+1 {
				t.Errorf("search tasks = %d, want %d", after.Tasks, before.Tasks+1)
			}
		})
	}
}

func TestChangingAStatedFactClearsItsVerification(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	in := profileInput()
	in.DBSCheckedOn, in.InsuranceExpires, in.CQCNumber = "2025-03-01", "2027-03-01", "1-123456789"
	p := w.writeProfile(t, w.alice, w.art, in)
	p, err := w.svc.VerifyProvider(w.admin.ctx(t), w.art.ID, mk.VerificationInput{DBS: true, Insurance: true, CQC: true})
	if err != nil {
		t.Fatal(err)
	}
	if v := p.Verification; !v.DBSVerified || !v.InsuranceVerified || !v.CQCVerified || v.VerifiedAt == nil {
		t.Fatalf("after verification: %+v", v)
	}

	steps := []struct {
		name   string
		change func(in *mk.ProviderInput)
		want   [3]bool
	}{
		{"description only", func(in *mk.ProviderInput) { in.Description += " Everyone welcome." }, [3]bool{true, true, true}},
		{"renewed insurance", func(in *mk.ProviderInput) { in.InsuranceExpires = "2028-03-01" }, [3]bool{true, false, true}},
		{"new DBS check", func(in *mk.ProviderInput) { in.DBSCheckedOn = "2026-02-01" }, [3]bool{false, false, true}},
	}
	for _, s := range steps {
		s.change(&in)
		if p, err = w.svc.UpdateProvider(w.alice.ctx(t), w.art.ID, p.Version, in); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		v := p.Verification
		if got := [3]bool{v.DBSVerified, v.InsuranceVerified, v.CQCVerified}; got != s.want {
			t.Errorf("%s: verified (DBS, insurance, CQC) = %v, want %v", s.name, got, s.want)
		}
	}
}

func TestVerifyProvider(t *testing.T) {
	t.Parallel()
	stated := profileInput()
	stated.DBSCheckedOn, stated.InsuranceExpires = "2025-03-01", "2027-03-01"
	tests := []struct {
		name   string
		who    func(w *world) *person
		id     func(w *world) string
		in     mk.VerificationInput
		want   string
		fields []string
	}{
		{"administrator, stated facts", func(w *world) *person { return w.admin }, artID, mk.VerificationInput{DBS: true, Insurance: true}, "ok", nil},
		{"administrator, withdrawing", func(w *world) *person { return w.admin }, artID, mk.VerificationInput{}, "ok", nil},
		{"a fact never stated", func(w *world) *person { return w.admin }, artID, mk.VerificationInput{DBS: true, CQC: true}, "invalid", []string{"cqc_verified"}},
		{"the provider's owner", func(w *world) *person { return w.alice }, artID, mk.VerificationInput{DBS: true}, "forbidden", nil},
		{"anonymous", func(*world) *person { return nil }, artID, mk.VerificationInput{DBS: true}, "unauthenticated", nil},
		{"unknown provider", func(w *world) *person { return w.admin }, func(*world) string { return uuid.NewString() }, mk.VerificationInput{}, "not found", nil},
		{"not a provider", func(w *world) *person { return w.admin }, func(w *world) string { return w.ulo.ID }, mk.VerificationInput{}, "not found", nil},
		{"a provider without a profile", func(w *world) *person { return w.admin }, func(w *world) string { return w.care.ID }, mk.VerificationInput{}, "conflict", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			w.writeProfile(t, w.alice, w.art, stated)
			ctx := anon
			if p := tt.who(w); p != nil {
				ctx = p.ctx(t)
			}
			before := w.snapshot(t)
			p, err := w.svc.VerifyProvider(ctx, tt.id(w), tt.in)
			if kindOf(err) != tt.want {
				t.Fatalf("VerifyProvider error = %v, want %s", err, tt.want)
			}
			if err != nil {
				if diff := cmp.Diff(tt.fields, fieldNames(err)); diff != "" {
					t.Errorf("fields at fault (-want +got):\n%s", diff)
				}
				w.assertUnchanged(t, before)
				return
			}
			v := p.Verification
			if v.DBSVerified != tt.in.DBS || v.InsuranceVerified != tt.in.Insurance || v.CQCVerified != tt.in.CQC ||
				v.VerifiedBy != w.admin.id || v.VerifiedAt == nil || p.Version != 2 {
				t.Errorf("verification = %+v at version %d; want the input, by the administrator, at version 2", v, p.Version)
			}
		})
	}
}

func artID(w *world) string { return w.art.ID }

func TestProvidersListsActiveProvidersWithAProfile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	dora := w.signUp(t, "Dora Closed")
	closed := w.organisation(t, dora, "Closed Care Ltd", account.KindSmallProvider)
	eve := w.signUp(t, "Eve Quiet")
	w.organisation(t, eve, "Quiet PA", account.KindSoleTraderPA) // never writes a profile
	manchester := profileInput()
	manchester.AreasServed = []string{"M1"}
	w.writeProfile(t, w.alice, w.art, profileInput())
	w.writeProfile(t, w.bob, w.care, manchester)
	w.writeProfile(t, dora, closed, profileInput())
	w.suspend(t, w.admin, closed)

	active := []string{w.art.ID, w.care.ID}
	slices.Sort(active)
	tests := []struct {
		name   string
		filter mk.ProviderFilter
		want   []string
	}{
		{"all", mk.ProviderFilter{}, active},
		{"serving an area", mk.ProviderFilter{Outcode: "m1"}, []string{w.care.ID}},
		{"an outward code from a full postcode", mk.ProviderFilter{Outcode: "LS6 2AB"}, []string{w.art.ID}},
		{"nobody there", mk.ProviderFilter{Outcode: "BD1"}, []string{}},
	}
	for _, tt := range tests {
		page, err := w.svc.Providers(anon, tt.filter)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := []string{}
		for _, p := range page.Items {
			got = append(got, p.ID)
			if p.Name == "" || len(p.Kinds) == 0 || !p.Active {
				t.Errorf("%s: provider %s lacks its organisation's name, kinds or status: %+v", tt.name, p.ID, p)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: Providers() (-want +got):\n%s", tt.name, diff)
		}
		if page.Items == nil {
			t.Errorf("%s: Items is nil, which would be sent as null", tt.name)
		}
	}
}

func TestProvidersPagesPastSuspendedProviders(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	admin := e.admin(t, "Ada Admin")
	var all, active []string
	for i := range 7 {
		owner := e.signUp(t, "Owner "+string(rune('A'+i)))
		org := e.organisation(t, owner, "Provider "+string(rune('A'+i)), account.KindSmallProvider)
		e.writeProfile(t, owner, org, profileInput())
		all = append(all, org.ID)
		if i%3 == 1 {
			e.suspend(t, admin, org)
		} else {
			active = append(active, org.ID)
		}
	}
	slices.Sort(active)
	for _, limit := range []int{1, 2, 3, 10} {
		var got []string
		f := mk.ProviderFilter{Limit: limit}
		for pages := 1; ; pages++ {
			page, err := e.svc.Providers(anon, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) > limit {
				t.Fatalf("limit %d: a page of %d", limit, len(page.Items))
			}
			for _, p := range page.Items {
				got = append(got, p.ID)
			}
			if page.NextCursor == "" {
				break
			}
			if pages > len(all)+1 {
				t.Fatalf("limit %d: paging does not end", limit)
			}
			f.Cursor = page.NextCursor
		}
		if diff := cmp.Diff(active, got); diff != "" {
			t.Errorf("limit %d: all pages (-want +got):\n%s", limit, diff)
		}
	}
}

func TestProvidersRefusesFiltersItCannotApply(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tests := []struct {
		name   string
		filter mk.ProviderFilter
		want   []string
	}{
		{"unknown outward code", mk.ProviderFilter{Outcode: "ZZ99"}, []string{"outcode"}},
		{"cursor we did not give", mk.ProviderFilter{Cursor: "provider-1"}, []string{"cursor"}},
		{"limit too small", mk.ProviderFilter{Limit: -5}, []string{"limit"}},
		{"limit too large", mk.ProviderFilter{Limit: mk.MaxLimit + 1}, []string{"limit"}},
	}
	for _, tt := range tests {
		_, err := w.svc.Providers(anon, tt.filter)
		if diff := cmp.Diff(tt.want, fieldNames(err), cmpopts.EquateEmpty()); diff != "" || kindOf(err) != "invalid" {
			t.Errorf("%s: error %v; fields (-want +got):\n%s", tt.name, err, diff)
		}
	}
}
