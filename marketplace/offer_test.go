package marketplace

import (
	"testing"
)

func TestPricePerPersonAtSplitsTheGroupPrice(t *testing.T) {
	t.Parallel()
	art := Price{Unit: GroupSession, AmountPence: 48000, Group: &GroupPricing{MinPeople: 4, MaxPeople: 10, FloorPence: 4800}}
	floored := Price{Unit: GroupSession, AmountPence: 48000, Group: &GroupPricing{MinPeople: 4, MaxPeople: 10, FloorPence: 6000}}
	tests := []struct {
		name  string
		price Price
		n     int
		want  int64
	}{
		{"one person pays everything", art, 1, 48000},
		{"at the minimum", art, 4, 12000},
		{"eight people", art, 8, 6000},
		{"at the maximum", art, 10, 4800},
		{"an inexact split rounds up to the largest part", art, 7, 6858},
		{"beyond the maximum the floor holds", art, 20, 4800},
		{"the floor stops the share falling", floored, 10, 6000},
		{"above the floor the split wins", floored, 5, 9600},
		{"no people", art, 0, 48000},
		{"negative people", art, -3, 48000},
		{"a session price is the same for everyone", Price{Unit: PerSession, AmountPence: 4500}, 6, 4500},
		{"an hourly price is the same for everyone", Price{Unit: PerHour, AmountPence: 1800}, 3, 1800},
		{"a group price without details", Price{Unit: GroupSession, AmountPence: 900}, 3, 900},
		{"a penny shared", Price{Unit: GroupSession, AmountPence: 1, Group: &GroupPricing{MinPeople: 2, MaxPeople: 10}}, 10, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.price.PerPersonAt(tt.n); got != tt.want {
				t.Errorf("PerPersonAt(%d) = %d, want %d", tt.n, got, tt.want)
			}
		})
	}
}

// The share at k people is the largest part of an exact largest-remainder split: k parts
// that differ by at most a penny cover the price, and no part is more than needed.
func TestPricePerPersonAtIsTheLargestPartOfAnExactSplit(t *testing.T) {
	t.Parallel()
	for _, amount := range []int64{1, 7, 99, 100, 48000, 48001, 1_999_999} {
		p := Price{Unit: GroupSession, AmountPence: amount, Group: &GroupPricing{MinPeople: 2, MaxPeople: 200}}
		for k := 1; k <= 200; k++ {
			share := p.PerPersonAt(k)
			if share*int64(k) < amount {
				t.Fatalf("amount %d, %d people: %d each does not cover the price", amount, k, share)
			}
			if (share-1)*int64(k) >= amount {
				t.Fatalf("amount %d, %d people: %d each is a penny more than needed", amount, k, share)
			}
			if k > 1 && share > p.PerPersonAt(k-1) {
				t.Fatalf("amount %d: the share rose from %d to %d as the group grew to %d", amount, p.PerPersonAt(k-1), share, k)
			}
		}
	}
}

func TestPriceLowestPerPerson(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		price Price
		want  int64
	}{
		{"group: the share at the maximum", Price{Unit: GroupSession, AmountPence: 48000, Group: &GroupPricing{MinPeople: 4, MaxPeople: 10}}, 4800},
		{"group: the floor when it is higher", Price{Unit: GroupSession, AmountPence: 48000, Group: &GroupPricing{MinPeople: 4, MaxPeople: 10, FloorPence: 7000}}, 7000},
		{"group: rounded up", Price{Unit: GroupSession, AmountPence: 1000, Group: &GroupPricing{MinPeople: 2, MaxPeople: 3}}, 334},
		{"group without details", Price{Unit: GroupSession, AmountPence: 1000}, 1000},
		{"per person", Price{Unit: PerPerson, AmountPence: 2500}, 2500},
		{"per hour", Price{Unit: PerHour, AmountPence: 1800}, 1800},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.price.LowestPerPerson(); got != tt.want {
				t.Errorf("LowestPerPerson() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestOfferVisibleOnlyWhenPublished(t *testing.T) {
	t.Parallel()
	for status, want := range map[Status]bool{StatusDraft: false, StatusPublished: true, StatusPaused: false, StatusArchived: false} {
		if got := (&Offer{Status: status}).Visible(); got != want {
			t.Errorf("Visible() of a %s offer = %v, want %v", status, got, want)
		}
	}
}

func TestLabel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		terms []Term
		slug  string
		want  string
	}{
		{BudgetForms, "isf", "Individual service fund (ISF)"},
		{Kinds, "personal_assistant", "Personal assistant (PA)"},
		{Categories, "knitting", "knitting"},
	}
	for _, tt := range tests {
		if got := Label(tt.terms, tt.slug); got != tt.want {
			t.Errorf("Label(%q) = %q, want %q", tt.slug, got, tt.want)
		}
	}
}

// Every vocabulary has unique slugs and a label, so that filters and facets built on them
// are unambiguous; every form of budget explains itself in plain English.
func TestVocabulariesAreWellFormed(t *testing.T) {
	t.Parallel()
	vocabularies := map[string][]Term{"kinds": Kinds, "budget_forms": BudgetForms, "categories": Categories,
		"accessibility": AccessibilityFeatures, "languages": Languages}
	for name, terms := range vocabularies {
		seen := map[string]bool{}
		for _, term := range terms {
			if term.Slug == "" || term.Label == "" || seen[term.Slug] {
				t.Errorf("%s: bad or duplicate term %+v", name, term)
			}
			seen[term.Slug] = true
		}
	}
	if len(BudgetForms) != 6 {
		t.Errorf("len(BudgetForms) = %d, want the six forms of personal budget", len(BudgetForms))
	}
	for _, f := range BudgetForms {
		if f.Help == "" {
			t.Errorf("budget form %s has no plain-English help", f.Slug)
		}
	}
}
