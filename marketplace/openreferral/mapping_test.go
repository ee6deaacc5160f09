package openreferral

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

var when = time.Date(2026, 10, 1, 9, 30, 0, 0, time.UTC)

// listing builds a listing of one offer (as CreateOffer would store it) by a provider.
func listing(t *testing.T, in marketplace.OfferInput) marketplace.Listing {
	t.Helper()
	in.Normalize()
	if err := in.Validate(); err != nil {
		t.Fatalf("sample offer: %v", err)
	}
	o := marketplace.ImportedOffer("0a5d1a4e-6f7e-4a43-9d55-2d9d3a1b8c01", "5b7b6a0e-2f4e-4c1b-8f0e-3c2d1e0f9a12", in, when, when)
	o.Status = marketplace.StatusPublished
	profile := marketplace.ProviderInput{Description: "A small community group in Headingley, Leeds, run by local people.",
		AreasServed: []string{"LS6", "LS16"}, Contact: marketplace.Contact{Email: "hello@group.example.org", Phone: "0113 496 0000", Website: "https://group.example.org"},
		Languages: []string{"en", "pl"}, DBSCheckedOn: "2026-02-01", InsuranceExpires: "2027-02-01", CQCNumber: "1-123456789"}
	p := marketplace.ImportedProfile(o.ProviderID, profile, when)
	p.Name, p.Kinds, p.Active = "Headingley Friends Club", []string{string(account.KindCommunityGroup)}, true
	return marketplace.Listing{Offer: o, Provider: &marketplace.DirectoryProvider{Provider: p, HasProfile: true, OrgUpdatedAt: when}}
}

func artGroup() marketplace.OfferInput {
	return marketplace.OfferInput{
		Kind: marketplace.KindCommunityActivity, Title: "Friday art and lunch in Headingley",
		Description: "A relaxed weekly art group with a shared lunch; all materials provided.",
		Categories:  []string{"arts-and-crafts", "social-club"},
		Where:       marketplace.WhereInput{Mode: marketplace.AtAddress, Address: &marketplace.Address{Line1: "12 Otley Road", Line2: "Back room", Town: "Leeds", Postcode: "LS6 3AA"}},
		When: marketplace.Schedule{
			Weekly: []marketplace.WeeklySlot{{Day: "monday", Start: "10:00", End: "14:30"}, {Day: "tuesday", Start: "10:00", End: "14:30"}, {Day: "friday", Start: "13:00", End: "15:00"}},
			Dated:  []marketplace.DatedSession{{Date: "2026-12-05", Start: "09:00", End: "17:00"}},
			Notes:  "Bring an apron."},
		Price:         marketplace.Price{Unit: marketplace.GroupSession, AmountPence: 48000, Group: &marketplace.GroupPricing{MinPeople: 4, MaxPeople: 10, FloorPence: 4500}},
		BudgetForms:   []marketplace.BudgetForm{marketplace.ISF, marketplace.DirectPayment, marketplace.CouncilManaged},
		Accessibility: []string{"wheelchair_accessible", "quiet_space"},
		Languages:     []string{"en", "bfi"},
	}
}

func TestEveryOfferMapsToHSDSAndBackUnchanged(t *testing.T) {
	t.Parallel()
	homeCare := marketplace.OfferInput{Kind: marketplace.KindService, Title: "Support at home across Headingley",
		Description: "Help at home with cooking, cleaning and shopping, from a small team.",
		Categories:  []string{"help-at-home"}, Where: marketplace.WhereInput{Mode: marketplace.InArea, AreasServed: []string{"LS6", "LS16"}},
		When:  marketplace.Schedule{Notes: "By arrangement: tell us the days and times that suit you."},
		Price: marketplace.Price{Unit: marketplace.PerHour, AmountPence: 1950}, BudgetForms: []marketplace.BudgetForm{marketplace.DirectPayment},
		Accessibility: []string{"dementia_friendly"}, Languages: []string{"en"}}
	bookClub := marketplace.OfferInput{Kind: marketplace.KindCommunityActivity, Title: "Online book club",
		Description: "We read a short book each month and meet on a video call to talk about it.",
		Categories:  []string{"learning-and-skills"}, Where: marketplace.WhereInput{Mode: marketplace.Online},
		When:  marketplace.Schedule{Weekly: []marketplace.WeeklySlot{{Day: "thursday", Start: "19:00", End: "20:00"}}},
		Price: marketplace.Price{Unit: marketplace.PerSession, AmountPence: 505}, BudgetForms: []marketplace.BudgetForm{marketplace.TrustFund},
		Languages: []string{"en", "ur"}}
	pa := marketplace.OfferInput{Kind: marketplace.KindPersonalAssistant, Title: "PA for shared support",
		Description: "I work with two or three people together, which keeps the cost down.",
		Categories:  []string{"getting-out"}, Where: marketplace.WhereInput{Mode: marketplace.InArea, AreasServed: []string{"BS5"}},
		When:  marketplace.Schedule{Weekly: []marketplace.WeeklySlot{{Day: "tuesday", Start: "10:00", End: "14:00"}, {Day: "tuesday", Start: "10:00", End: "14:00"}}},
		Price: marketplace.Price{Unit: marketplace.PerPerson, AmountPence: 100}, BudgetForms: []marketplace.BudgetForm{marketplace.BrokeredFund, marketplace.IndirectPayment},
		Languages: []string{"so"}}
	tests := []struct {
		name string
		in   marketplace.OfferInput
	}{
		{"a group activity at a venue, weekly, on a date and with notes", artGroup()},
		{"home support by the hour in the areas it serves, by arrangement", homeCare},
		{"an online activity per session", bookClub},
		{"a personal assistant per person with a repeated slot", pa},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := listing(t, tt.in)
			s := fullService(l)
			// Through JSON, as a consumer and the importer see it.
			var back Service
			if err := json.Unmarshal(mustJSON(t, s), &back); err != nil {
				t.Fatal(err)
			}
			m := unmap(&back)
			if len(m.problems) > 0 || len(m.notes) > 0 {
				t.Fatalf("problems %v, notes %v", m.problems, m.notes)
			}
			if diff := cmp.Diff(l.Offer.Input(), m.offer); diff != "" {
				t.Errorf("offer after the round trip (-want +got):\n%s", diff)
			}
			want := marketplace.ProviderInput{Description: l.Provider.Description, AreasServed: l.Provider.AreasServed, Contact: l.Provider.Contact,
				Languages: l.Provider.Languages, DBSCheckedOn: "2026-02-01", InsuranceExpires: "2027-02-01", CQCNumber: "1-123456789"}
			if diff := cmp.Diff(want, m.org.profile); diff != "" {
				t.Errorf("provider after the round trip (-want +got):\n%s", diff)
			}
			if m.org.name != l.Provider.Name || !cmp.Equal(m.org.kinds, []account.OrgKind{account.KindCommunityGroup}) || m.org.sourceID != l.Provider.ID {
				t.Errorf("organization after the round trip: %+v", m.org)
			}
			if !m.modified.Equal(when) {
				t.Errorf("modified = %s, want %s", m.modified, when)
			}
		})
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAGroupPriceBecomesACostOptionAPersonCanReadAndAPoolingAttribute(t *testing.T) {
	t.Parallel()
	s := fullService(listing(t, artGroup()))
	want := []CostOption{{ID: s.CostOptions[0].ID, ServiceID: s.ID, Amount: "480.00",
		AmountDescription: "per group session, shared by 4 to 10 people",
		Option:            "Group of 4 to 10 people: £480.00 a session for the whole group, so each person pays from £48.00 (with 10 people) to £120.00 (with 4)."}}
	if diff := cmp.Diff(want, s.CostOptions); diff != "" {
		t.Errorf("cost options (-want +got):\n%s", diff)
	}
	var pool *Attribute
	for i, a := range s.Attributes {
		if a.TaxonomyTerm.Code == termPoolable {
			pool = &s.Attributes[i]
		}
	}
	if pool == nil || pool.Value != `{"min_people":4,"max_people":10,"floor_pence":4500}` {
		t.Errorf("pooling attribute = %+v", pool)
	}
}

func TestSchedulesAreWrittenInRFC5545Terms(t *testing.T) {
	t.Parallel()
	s := fullService(listing(t, artGroup()))
	one := 1
	var got []Schedule
	for _, sc := range s.Schedules {
		sc.ID, sc.ServiceID = "", ""
		got = append(got, sc)
	}
	want := []Schedule{
		{Freq: "WEEKLY", Interval: &one, ByDay: "MO,TU", OpensAt: "10:00", ClosesAt: "14:30", Description: "Every Monday and Tuesday, 10:00 to 14:30 (UK time)"},
		{Freq: "WEEKLY", Interval: &one, ByDay: "FR", OpensAt: "13:00", ClosesAt: "15:00", Description: "Every Friday, 13:00 to 15:00 (UK time)"},
		{ValidFrom: "2026-12-05", ValidTo: "2026-12-05", DTStart: "2026-12-05", OpensAt: "09:00", ClosesAt: "17:00", Description: "On Saturday 5 December 2026, 09:00 to 17:00 (UK time)"},
		{Notes: "Bring an apron.", Description: "Bring an apron."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("schedules (-want +got):\n%s", diff)
	}
}

func TestDerivedIDsAreStableAndDistinct(t *testing.T) {
	t.Parallel()
	a, b := fullService(listing(t, artGroup())), fullService(listing(t, artGroup()))
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("the same listing maps differently (-first +second):\n%s", diff)
	}
	seen := map[string]string{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if id, ok := v["id"].(string); ok {
				if !isUUID(id) {
					t.Errorf("%s: id %q is not a UUID", path, id)
				}
				if prev, dup := seen[id]; dup && prev != path && v["taxonomy"] == nil && v["code"] == nil {
					t.Errorf("%s and %s share the id %s", prev, path, id)
				}
				seen[id] = path
			}
			for k, c := range v {
				walk(path+"."+k, c)
			}
		case []any:
			for _, c := range v {
				walk(path+"[]", c)
			}
		}
	}
	var doc any
	if err := json.Unmarshal(mustJSON(t, a), &doc); err != nil {
		t.Fatal(err)
	}
	walk("service", doc)
}

func TestAmountsAreReadExactlyInPence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		amount  string
		want    int64
		wantErr string
	}{
		{"12.50", 1250, ""}, {"12.5", 1250, ""}, {"12", 1200, ""}, {"1.25e1", 1250, ""}, {"0.01", 1, ""}, {"0", 0, ""},
		{"12.505", 0, "fraction of a penny"}, {"-1", 0, "negative"}, {"twelve", 0, "not a price"}, {"abc", 0, "not a number"}, {"1e30", 0, "not a price"}, {"1e1000000000", 0, "not a price"}, {"1e12", 0, "too large"},
	}
	for _, tt := range tests {
		got, err := penceOf(json.Number(tt.amount))
		if got != tt.want || (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("penceOf(%s) = %d, %v; want %d, %q", tt.amount, got, err, tt.want, tt.wantErr)
		}
		if tt.wantErr == "" && tt.want > 0 {
			if back, _ := penceOf(pounds(tt.want)); back != tt.want {
				t.Errorf("pounds(%d) = %s reads back as %d", tt.want, pounds(tt.want), back)
			}
		}
	}
}
