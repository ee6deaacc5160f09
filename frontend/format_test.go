package frontend

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/marketplace"
)

func TestFormatting(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ got, want string }{
		{pounds(48000), "£480"},
		{pounds(1250), "£12.50"},
		{pounds(5), "£0.05"},
		{pounds(123456789), "£1,234,567.89"},
		{poundsInput(1250), "12.50"},
		{poundsInput(30000), "300"},
		{clock("10:00"), "10am"},
		{clock("14:30"), "2:30pm"},
		{clock("12:00"), "midday"},
		{clock("00:00"), "midnight"},
		{longDate("2026-12-05"), "Saturday 5 December 2026"},
		{plainDate("2026-12-05"), "5 December 2026"},
		{joinWords([]string{"a", "b", "c"}, "and"), "a, b and c"},
		{daysText([]string{"monday", "tuesday", "wednesday", "thursday", "friday"}), "Monday to Friday"},
		{whenText([]string{"saturday"}, []string{"morning"}), "Saturday, in the morning"},
		{whenText(nil, nil), "By arrangement"},
		{priceSummary(marketplace.Price{Unit: marketplace.GroupSession, AmountPence: 48000,
			Group: &marketplace.GroupPricing{MinPeople: 4, MaxPeople: 10, FloorPence: 4800}}),
			"£48 to £120 per person a session, depending on how many join"},
		{priceSummary(marketplace.Price{Unit: marketplace.PerHour, AmountPence: 1850}), "£18.50 an hour"},
		{hitPrice(2000, "group_session"), "From £20 per person a session, in a group"},
		{truncateWords("one two three four", 9), "one two…"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestParsePounds(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{"12": 1200, "12.5": 1250, "£12.50": 1250, " 1,200 ": 120000, "0.05": 5} {
		if got, ok := parsePounds(in); !ok || got != want {
			t.Errorf("parsePounds(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "twelve", "12.345", "12.", "-5", "1e3"} {
		if _, ok := parsePounds(in); ok {
			t.Errorf("parsePounds(%q) accepted", in)
		}
	}
}

func TestGroupSizes(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff([]int{4, 5, 6, 7, 8}, groupSizes(4, 8)); diff != "" {
		t.Errorf("small range (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{2, 8, 15, 22, 29, 36, 43, 50}, groupSizes(2, 50)); diff != "" {
		t.Errorf("large range (-want +got):\n%s", diff)
	}
	if got := groupSizes(5, 4); got != nil {
		t.Errorf("empty range = %v", got)
	}
}

func TestDateFrom(t *testing.T) {
	t.Parallel()
	if got, ok := dateFrom("5", "12", "2026"); !ok || got != "2026-12-05" {
		t.Errorf("dateFrom = %q, %v", got, ok)
	}
	for _, d := range [][3]string{{"31", "6", "2026"}, {"x", "1", "2026"}, {"1", "13", "2026"}, {"1", "1", "26"}} {
		if _, ok := dateFrom(d[0], d[1], d[2]); ok {
			t.Errorf("dateFrom(%v) accepted", d)
		}
	}
}

func TestCleanSearchParams(t *testing.T) {
	t.Parallel()
	got := cleanSearchParams(url.Values{
		"q": {" swimming "}, "within": {"10"}, "sort": {"distance"}, "near": {""}, "page": {"1"},
		"category": {"swimming", "", "arts-and-crafts"}, "utm_source": {"x"}, "verified": {"yes"}, "max_price": {"20", "30"},
	})
	want := url.Values{"q": {"swimming"}, "category": {"swimming", "arts-and-crafts"}, "max_price": {"20"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestOfferFormRoundTrip(t *testing.T) {
	t.Parallel()
	in := sampleOffer("Friday art and lunch")
	in.When.Dated = []marketplace.DatedSession{{Date: "2026-12-05", Start: "09:00", End: "17:00"}}
	in.Normalize()
	o := marketplace.Offer{Kind: in.Kind, Title: in.Title, Description: in.Description, Categories: in.Categories,
		Where: marketplace.Where{Mode: in.Where.Mode, Address: in.Where.Address, AreasServed: in.Where.AreasServed},
		When:  in.When, Price: in.Price, BudgetForms: in.BudgetForms, Accessibility: in.Accessibility, Languages: in.Languages}
	raw := rawFromOffer(o)
	// What the form shows is what it sends back: the raw form survives a round trip.
	back, rows, errs := raw.input()
	if len(errs) > 0 {
		t.Fatalf("errors reading a saved offer back: %v", errs)
	}
	back.Normalize()
	if diff := cmp.Diff(in, back); diff != "" {
		t.Errorf("offer → form → offer (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(offerRows{weekly: []int{0}, dated: []int{0}}, rows, cmp.AllowUnexported(offerRows{})); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	f := raw.form()
	if len(f.Weekly) != 1+blankWeekly || len(f.Dated) != 1+blankDated {
		t.Errorf("form has %d weekly and %d dated rows", len(f.Weekly), len(f.Dated))
	}
}
