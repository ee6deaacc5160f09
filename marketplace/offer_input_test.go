package marketplace

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
)

// fieldsOf returns the fields a validation error names, nil for no error, and a marker
// for an error of another kind, so a table can compare them with cmp.
func fieldsOf(err error) []string {
	if err == nil {
		return nil
	}
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid {
		return []string{fmt.Sprintf("not a validation error: %v", err)}
	}
	fields := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		fields[i] = f.Field
	}
	return fields
}

func TestOfferInputSamplesOfEveryKindAreValid(t *testing.T) {
	t.Parallel()
	for _, k := range []Kind{KindService, KindPersonalAssistant, KindCommunityActivity} {
		t.Run(string(k), func(t *testing.T) {
			t.Parallel()
			in := sampleOffer(k)
			in.Normalize()
			if err := in.Validate(); err != nil {
				t.Fatalf("Validate() = %v, want nil", err)
			}
		})
	}
}

func TestOfferInputValidateNamesEveryFieldAtFault(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("a", n) }
	manyCodes := func(n int) []string {
		codes := make([]string, n)
		for i := range codes {
			codes[i] = fmt.Sprintf("X%d", i)
		}
		return codes
	}
	weekly := func(n int) []WeeklySlot {
		slots := make([]WeeklySlot, n)
		for i := range slots {
			slots[i] = WeeklySlot{Day: "monday", Start: "10:00", End: "11:00"}
		}
		return slots
	}
	group := func(amount int64, minP, maxP int, floor int64) Price {
		return Price{Unit: GroupSession, AmountPence: amount, Group: &GroupPricing{MinPeople: minP, MaxPeople: maxP, FloorPence: floor}}
	}
	tests := []struct {
		name   string
		kind   Kind
		change func(in *OfferInput)
		want   []string
	}{
		// kind
		{"empty kind", KindService, func(in *OfferInput) { in.Kind = "" }, []string{"kind"}},
		{"kind in the wrong case", KindService, func(in *OfferInput) { in.Kind = "Service" }, []string{"kind"}},
		{"unknown kind", KindService, func(in *OfferInput) { in.Kind = "care_home" }, []string{"kind"}},

		// title and description
		{"missing title", KindService, func(in *OfferInput) { in.Title = "" }, []string{"title"}},
		{"blank title is trimmed to nothing", KindService, func(in *OfferInput) { in.Title = "   \t " }, []string{"title"}},
		{"title of two characters", KindService, func(in *OfferInput) { in.Title = " ab " }, []string{"title"}},
		{"title of three characters", KindService, func(in *OfferInput) { in.Title = "Art" }, nil},
		{"title at the limit", KindService, func(in *OfferInput) { in.Title = long(MaxTitleLen) }, nil},
		{"title over the limit", KindService, func(in *OfferInput) { in.Title = long(MaxTitleLen + 1) }, []string{"title"}},
		{"title limit counts characters not bytes", KindService, func(in *OfferInput) { in.Title = strings.Repeat("é", MaxTitleLen) }, nil},
		{"title with a control character", KindService, func(in *OfferInput) { in.Title = "Art\x00 group" }, []string{"title"}},
		{"title with a tab is allowed", KindService, func(in *OfferInput) { in.Title = "Art\tgroup" }, nil},
		{"short description", KindService, func(in *OfferInput) { in.Description = long(19) }, []string{"description"}},
		{"description at the limit", KindService, func(in *OfferInput) { in.Description = long(MaxDescriptionLen) }, nil},
		{"description over the limit", KindService, func(in *OfferInput) { in.Description = long(MaxDescriptionLen + 1) }, []string{"description"}},
		{"description with newlines", KindService, func(in *OfferInput) { in.Description = "Line one of the text.\r\nLine two." }, nil},

		// lists of terms
		{"no categories", KindService, func(in *OfferInput) { in.Categories = nil }, []string{"categories"}},
		{"unknown category", KindService, func(in *OfferInput) { in.Categories = []string{"day-service", "knitting"} }, []string{"categories[1]"}},
		{"category in upper case is normalised", KindService, func(in *OfferInput) { in.Categories = []string{" Day-Service "} }, nil},
		{"duplicate categories are removed", KindService, func(in *OfferInput) { in.Categories = []string{"swimming", "SWIMMING"} }, nil},
		{"too many categories", KindService, func(in *OfferInput) { in.Categories = manyCodes(maxListLen + 1) }, []string{"categories"}},
		{"no accessibility features is fine", KindService, func(in *OfferInput) { in.Accessibility = nil }, nil},
		{"unknown accessibility feature", KindService, func(in *OfferInput) { in.Accessibility = []string{"lift"} }, []string{"accessibility[0]"}},
		{"no languages", KindService, func(in *OfferInput) { in.Languages = []string{} }, []string{"languages"}},
		{"language code in upper case", KindService, func(in *OfferInput) { in.Languages = []string{"EN", "BFI"} }, nil},
		{"language by name", KindService, func(in *OfferInput) { in.Languages = []string{"en", "english"} }, []string{"languages[1]"}},

		// budget forms
		{"no budget forms", KindService, func(in *OfferInput) { in.BudgetForms = nil }, []string{"budget_forms"}},
		{"unknown budget form", KindService, func(in *OfferInput) { in.BudgetForms = []BudgetForm{ISF, "cash"} }, []string{"budget_forms[1]"}},
		{"budget forms are case sensitive", KindService, func(in *OfferInput) { in.BudgetForms = []BudgetForm{"ISF"} }, []string{"budget_forms[0]"}},
		{"every budget form", KindService, func(in *OfferInput) {
			in.BudgetForms = []BudgetForm{DirectPayment, IndirectPayment, TrustFund, BrokeredFund, ISF, CouncilManaged}
		}, nil},
		{"duplicate budget forms are removed", KindService, func(in *OfferInput) { in.BudgetForms = []BudgetForm{ISF, ISF} }, nil},

		// where
		{"no mode", KindService, func(in *OfferInput) { in.Where.Mode = "" }, []string{"where.mode", "where.address"}},
		{"mode in the wrong case", KindService, func(in *OfferInput) { in.Where.Mode = "Address" }, []string{"where.mode", "where.address"}},
		{"address mode without an address", KindService, func(in *OfferInput) { in.Where.Address = nil }, []string{"where.address"}},
		{"address without a first line", KindService, func(in *OfferInput) { in.Where.Address.Line1 = " " }, []string{"where.address.line1"}},
		{"address without a town", KindService, func(in *OfferInput) { in.Where.Address.Town = "" }, []string{"where.address.town"}},
		{"second address line too long", KindService, func(in *OfferInput) { in.Where.Address.Line2 = long(201) }, []string{"where.address.line2"}},
		{"postcode in lower case", KindService, func(in *OfferInput) { in.Where.Address.Postcode = " ls6  2ab " }, nil},
		{"postcode without a space", KindService, func(in *OfferInput) { in.Where.Address.Postcode = "ls62ab" }, nil},
		{"outward code only", KindService, func(in *OfferInput) { in.Where.Address.Postcode = "LS6" }, []string{"where.address.postcode"}},
		{"not a postcode", KindService, func(in *OfferInput) { in.Where.Address.Postcode = "Leeds" }, []string{"where.address.postcode"}},
		{"postcode of an unknown area", KindService, func(in *OfferInput) { in.Where.Address.Postcode = "ZZ99 9ZZ" }, []string{"where.address.postcode"}},
		{"area mode without areas", KindPersonalAssistant, func(in *OfferInput) { in.Where.AreasServed = nil }, []string{"where.areas_served"}},
		{"area mode with an address", KindPersonalAssistant, func(in *OfferInput) {
			in.Where.Address = &Address{Line1: "1 Park Lane", Town: "Leeds", Postcode: "LS6 2AB"}
		}, []string{"where.address"}},
		{"areas in lower case", KindPersonalAssistant, func(in *OfferInput) { in.Where.AreasServed = []string{" ls6", "m1 "} }, nil},
		{"area written as a full postcode", KindPersonalAssistant, func(in *OfferInput) { in.Where.AreasServed = []string{"LS6 2AB"} }, []string{"where.areas_served[0]"}},
		{"unknown area", KindPersonalAssistant, func(in *OfferInput) { in.Where.AreasServed = []string{"LS6", "ZZ99"} }, []string{"where.areas_served[1]"}},
		{"empty area", KindPersonalAssistant, func(in *OfferInput) { in.Where.AreasServed = []string{""} }, []string{"where.areas_served[0]"}},
		{"too many areas", KindPersonalAssistant, func(in *OfferInput) { in.Where.AreasServed = manyCodes(maxListLen + 1) }, []string{"where.areas_served"}},
		{"online with no place", KindService, func(in *OfferInput) { in.Where = WhereInput{Mode: Online} }, nil},
		{"online with areas", KindService, func(in *OfferInput) { in.Where = WhereInput{Mode: Online, AreasServed: []string{"M1"}} }, nil},
		{"online with an address", KindService, func(in *OfferInput) { in.Where.Mode = Online }, []string{"where.address"}},

		// when
		{"by arrangement", KindService, func(in *OfferInput) { in.When = Schedule{} }, nil},
		{"day in title case", KindService, func(in *OfferInput) { in.When.Weekly[0].Day = "Friday" }, []string{"when.weekly[0].day"}},
		{"not a day", KindService, func(in *OfferInput) { in.When.Weekly[0].Day = "weekdays" }, []string{"when.weekly[0].day"}},
		{"start without a leading zero", KindService, func(in *OfferInput) { in.When.Weekly[0].Start = "9:30" }, []string{"when.weekly[0].start"}},
		{"start at 24:00", KindService, func(in *OfferInput) { in.When.Weekly[0].Start = "24:00" }, []string{"when.weekly[0].start"}},
		{"end with seconds", KindService, func(in *OfferInput) { in.When.Weekly[0].End = "14:00:00" }, []string{"when.weekly[0].end"}},
		{"end before start", KindService, func(in *OfferInput) { in.When.Weekly[0].End = "09:59" }, []string{"when.weekly[0].end"}},
		{"end equal to start", KindService, func(in *OfferInput) { in.When.Weekly[0].End = "10:00" }, []string{"when.weekly[0].end"}},
		{"last minute of the day", KindService, func(in *OfferInput) { in.When.Weekly[0].End = "23:59" }, nil},
		{"dated session", KindService, func(in *OfferInput) {
			in.When.Dated = []DatedSession{{Date: "2026-12-05", Start: "10:00", End: "16:00"}}
		}, nil},
		{"leap day", KindService, func(in *OfferInput) {
			in.When.Dated = []DatedSession{{Date: "2028-02-29", Start: "10:00", End: "16:00"}}
		}, nil},
		{"date that does not exist", KindService, func(in *OfferInput) {
			in.When.Dated = []DatedSession{{Date: "2026-02-30", Start: "10:00", End: "16:00"}}
		}, []string{"when.dated[0].date"}},
		{"month 13", KindService, func(in *OfferInput) {
			in.When.Dated = []DatedSession{{Date: "2026-13-01", Start: "10:00", End: "16:00"}}
		}, []string{"when.dated[0].date"}},
		{"date written the British way", KindService, func(in *OfferInput) {
			in.When.Dated = []DatedSession{{Date: "05/12/2026", Start: "10:00", End: "16:00"}}
		}, []string{"when.dated[0].date"}},
		{"dated session with bad times", KindService, func(in *OfferInput) {
			in.When.Dated = []DatedSession{{Date: "2026-12-05", Start: "noon", End: ""}}
		}, []string{"when.dated[0].start", "when.dated[0].end"}},
		{"as many times as allowed", KindService, func(in *OfferInput) { in.When.Weekly = weekly(maxSlots) }, nil},
		{"too many times", KindService, func(in *OfferInput) {
			in.When.Weekly = weekly(maxSlots)
			in.When.Dated = []DatedSession{{Date: "2026-12-05", Start: "10:00", End: "16:00"}}
		}, []string{"when"}},
		{"long notes", KindService, func(in *OfferInput) { in.When.Notes = long(501) }, []string{"when.notes"}},

		// price
		{"no unit", KindService, func(in *OfferInput) { in.Price.Unit = "" }, []string{"price.unit"}},
		{"unknown unit", KindService, func(in *OfferInput) { in.Price.Unit = "per_day" }, []string{"price.unit"}},
		{"free", KindService, func(in *OfferInput) { in.Price.AmountPence = 0 }, []string{"price.amount_pence"}},
		{"negative price", KindService, func(in *OfferInput) { in.Price.AmountPence = -1 }, []string{"price.amount_pence"}},
		{"one penny", KindService, func(in *OfferInput) { in.Price.AmountPence = 1 }, nil},
		{"hourly price at the limit", KindPersonalAssistant, func(in *OfferInput) { in.Price.AmountPence = maxPerHourPence }, nil},
		{"hourly price typed in pence twice", KindPersonalAssistant, func(in *OfferInput) { in.Price.AmountPence = maxPerHourPence + 1 }, []string{"price.amount_pence"}},
		{"session price at the limit", KindService, func(in *OfferInput) { in.Price.AmountPence = maxPerUnitPence }, nil},
		{"session price over the limit", KindService, func(in *OfferInput) { in.Price.AmountPence = maxPerUnitPence + 1 }, []string{"price.amount_pence"}},
		{"per person price over the limit", KindService, func(in *OfferInput) { in.Price = Price{Unit: PerPerson, AmountPence: maxPerUnitPence + 1} }, []string{"price.amount_pence"}},
		{"absurd price", KindService, func(in *OfferInput) { in.Price.AmountPence = 1 << 62 }, []string{"price.amount_pence"}},
		{"group details on a session price", KindService, func(in *OfferInput) {
			in.Price.Group = &GroupPricing{MinPeople: 2, MaxPeople: 4}
		}, []string{"price.group"}},
		{"group price without group details", KindCommunityActivity, func(in *OfferInput) { in.Price.Group = nil }, []string{"price.group"}},
		{"group price at the limit", KindCommunityActivity, func(in *OfferInput) { in.Price = group(maxGroupPence, 2, 20, 0) }, nil},
		{"group price over the limit", KindCommunityActivity, func(in *OfferInput) { in.Price = group(maxGroupPence+1, 2, 20, 0) }, []string{"price.amount_pence"}},
		{"group of one", KindCommunityActivity, func(in *OfferInput) { in.Price = group(48000, 1, 10, 0) }, []string{"price.group.min_people"}},
		{"group of two", KindCommunityActivity, func(in *OfferInput) { in.Price = group(48000, 2, 2, 0) }, nil},
		{"largest group", KindCommunityActivity, func(in *OfferInput) { in.Price = group(48000, 2, maxGroupSize, 0) }, nil},
		{"group too large", KindCommunityActivity, func(in *OfferInput) { in.Price = group(48000, 2, maxGroupSize+1, 0) }, []string{"price.group.max_people"}},
		{"minimum too large", KindCommunityActivity, func(in *OfferInput) {
			in.Price = group(48000, maxGroupSize+1, maxGroupSize+1, 0)
		}, []string{"price.group.min_people", "price.group.max_people"}},
		{"maximum below minimum", KindCommunityActivity, func(in *OfferInput) { in.Price = group(48000, 6, 4, 1000) }, []string{"price.group.max_people"}},
		{"negative minimum", KindCommunityActivity, func(in *OfferInput) { in.Price = group(48000, -3, 4, 1000) }, []string{"price.group.min_people"}},
		{"negative floor", KindCommunityActivity, func(in *OfferInput) { in.Price = group(48000, 4, 10, -1) }, []string{"price.group.floor_pence"}},
		{"floor equal to the share at the minimum", KindCommunityActivity, func(in *OfferInput) { in.Price = group(48000, 4, 10, 12000) }, nil},
		{"floor above the share at the minimum", KindCommunityActivity, func(in *OfferInput) { in.Price = group(48000, 4, 10, 12001) }, []string{"price.group.floor_pence"}},
		{"floor compares with the rounded-up share", KindCommunityActivity, func(in *OfferInput) { in.Price = group(1000, 3, 3, 334) }, nil},
		{"floor defaults to the share at the maximum", KindCommunityActivity, func(in *OfferInput) { in.Price = group(48000, 4, 10, 0) }, nil},
		{"group price of a penny", KindCommunityActivity, func(in *OfferInput) { in.Price = group(1, 2, 10, 0) }, nil},
		{"huge group sizes do not overflow", KindCommunityActivity, func(in *OfferInput) {
			in.Price = group(48000, 1<<62, 1<<62, 1)
		}, []string{"price.group.min_people", "price.group.max_people"}},

		// everything at once
		{"every field wrong", KindService, func(in *OfferInput) {
			*in = OfferInput{Price: Price{Unit: GroupSession, AmountPence: -5}}
		}, []string{"kind", "title", "description", "categories", "languages", "budget_forms", "where.mode", "price.amount_pence", "price.group"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := sampleOffer(tt.kind)
			tt.change(&in)
			in.Normalize()
			if diff := cmp.Diff(tt.want, fieldsOf(in.Validate())); diff != "" {
				t.Errorf("fields at fault (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOfferInputValidationMessagesAreShownToPeople(t *testing.T) {
	t.Parallel()
	in := sampleOffer(KindService)
	in.Price.AmountPence = 1_000_000
	in.BudgetForms = []BudgetForm{"cash"}
	in.Normalize()
	e, ok := apperr.As(in.Validate())
	if !ok {
		t.Fatal("Validate() did not return an apperr error")
	}
	want := []apperr.FieldError{
		{Field: "budget_forms[0]", Message: `"cash" is not a form of personal budget; use direct_payment, indirect_payment, trust_fund, brokered_fund, isf or council_managed`},
		{Field: "price.amount_pence", Message: "must be at most 500000 pence (£5000); amounts are in pence, so £12.50 is 1250"},
	}
	if diff := cmp.Diff(want, e.Fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if e.Kind != apperr.Invalid || e.Code != "validation" {
		t.Errorf("kind, code = %v, %q; want Invalid, validation", e.Kind, e.Code)
	}
}

func TestOfferInputNormalizeWritesOneCanonicalForm(t *testing.T) {
	t.Parallel()
	in := OfferInput{
		Kind:          KindCommunityActivity,
		Title:         "  Friday art  ",
		Description:   "\n A relaxed art group with lunch. \t",
		Categories:    []string{" Arts-And-Crafts", "arts-and-crafts", "SWIMMING "},
		Where:         WhereInput{Mode: AtAddress, Address: &Address{Line1: " 1 Park Lane ", Line2: " Unit 2 ", Town: " Leeds ", Postcode: "ls6   2ab"}, AreasServed: []string{"ls6", " LS6 ", "m1"}},
		Price:         Price{Unit: GroupSession, AmountPence: 48000, Group: &GroupPricing{MinPeople: 4, MaxPeople: 10}},
		BudgetForms:   []BudgetForm{ISF, DirectPayment, ISF},
		Accessibility: []string{"Hearing_Loop", "hearing_loop"},
		Languages:     []string{"EN", "en", "Cy"},
	}
	want := OfferInput{
		Kind:          KindCommunityActivity,
		Title:         "Friday art",
		Description:   "A relaxed art group with lunch.",
		Categories:    []string{"arts-and-crafts", "swimming"},
		Where:         WhereInput{Mode: AtAddress, Address: &Address{Line1: "1 Park Lane", Line2: "Unit 2", Town: "Leeds", Postcode: "LS6 2AB"}, AreasServed: []string{"LS6", "M1"}},
		When:          Schedule{Weekly: []WeeklySlot{}, Dated: []DatedSession{}},
		Price:         Price{Unit: GroupSession, AmountPence: 48000, Group: &GroupPricing{MinPeople: 4, MaxPeople: 10, FloorPence: 4800}},
		BudgetForms:   []BudgetForm{ISF, DirectPayment},
		Accessibility: []string{"hearing_loop"},
		Languages:     []string{"en", "cy"},
	}
	in.Normalize()
	if diff := cmp.Diff(want, in); diff != "" {
		t.Errorf("after Normalize (-want +got):\n%s", diff)
	}
	in.Normalize()
	if diff := cmp.Diff(want, in); diff != "" {
		t.Errorf("after a second Normalize (-want +got):\n%s", diff)
	}
}

func TestOfferInputNormalizeKeepsAnExplicitFloor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		price Price
		want  int64
	}{
		{"explicit floor", Price{Unit: GroupSession, AmountPence: 48000, Group: &GroupPricing{MinPeople: 4, MaxPeople: 10, FloorPence: 5000}}, 5000},
		{"default floor rounds down", Price{Unit: GroupSession, AmountPence: 1000, Group: &GroupPricing{MinPeople: 2, MaxPeople: 3}}, 333},
		{"no maximum leaves the floor alone", Price{Unit: GroupSession, AmountPence: 1000, Group: &GroupPricing{MinPeople: 2}}, 0},
		{"not a group price", Price{Unit: PerSession, AmountPence: 1000, Group: &GroupPricing{MinPeople: 2, MaxPeople: 4}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := OfferInput{Price: tt.price}
			in.Normalize()
			if got := in.Price.Group.FloorPence; got != tt.want {
				t.Errorf("FloorPence = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestCanonicalPostcode(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"LS6 2AB", "LS6 2AB"},
		{"ls62ab", "LS6 2AB"},
		{" sw1a   1aa ", "SW1A 1AA"},
		{"M11AE", "M1 1AE"},
		{"LS6", "LS6"},
		{"not a postcode", "NOT A POSTCODE"},
		{"éé62ab", "ÉÉ62AB"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := canonicalPostcode(tt.in); got != tt.want {
			t.Errorf("canonicalPostcode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
