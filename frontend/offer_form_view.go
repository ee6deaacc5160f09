package frontend

import (
	"slices"

	"github.com/carepool/carepool/marketplace"
)

// OfferForm is the offer form as the template shows it.
type OfferForm struct {
	Kinds                        []Option
	Title, Description           string
	Categories                   []Option
	Modes                        []Option
	Line1, Line2, Town, Postcode string
	Areas                        string
	Weekly                       []WeeklyRow
	Dated                        []DatedRow
	Notes                        string
	Units                        []Option
	Amount, Min, Max, Floor      string
	BudgetForms                  []Option
	Accessibility                []Option
	Languages                    []Option
}

// WeeklyRow is one regular weekly time on the form.
type WeeklyRow struct {
	N          int // from 0, for ids
	Days       []Option
	Start, End string
}

// DatedRow is one dated session on the form.
type DatedRow struct {
	N                int
	Day, Month, Year string
	Start, End       string
}

func (r offerRaw) form() OfferForm {
	f := OfferForm{
		Kinds: termOptions(marketplace.Kinds, []string{r.Kind}, true), Title: r.Title, Description: r.Description,
		Categories: termOptions(marketplace.Categories, r.Categories, false),
		Modes: checked([]Option{
			{Value: string(marketplace.AtAddress), Label: "At a place, such as a community centre", Hint: "People come to you."},
			{Value: string(marketplace.InArea), Label: "Where people live", Hint: "You go to people in the areas you serve."},
			{Value: string(marketplace.Online), Label: "Online"},
		}, r.Mode),
		Line1: r.Line1, Line2: r.Line2, Town: r.Town, Postcode: r.Postcode, Areas: r.Areas, Notes: r.Notes,
		Units: checked([]Option{
			{Value: string(marketplace.GroupSession), Label: "A price for the whole group, shared by the people in it", Hint: "The more people join, the less each pays."},
			{Value: string(marketplace.PerPerson), Label: "A price for each person"},
			{Value: string(marketplace.PerSession), Label: "A price for each session"},
			{Value: string(marketplace.PerHour), Label: "A price for each hour"},
		}, r.Unit),
		Amount: r.Amount, Min: r.Min, Max: r.Max, Floor: r.Floor,
		BudgetForms:   termOptions(marketplace.BudgetForms, r.BudgetForms, true),
		Accessibility: termOptions(marketplace.AccessibilityFeatures, r.Access, true),
		Languages:     termOptions(marketplace.Languages, r.Languages, false),
	}
	// Spare rows left empty come back as spare rows, not as extra ones.
	weekly, dated := r.Weekly, r.Dated
	for len(weekly) > 0 && weekly[len(weekly)-1] == (weeklyRaw{}) {
		weekly = weekly[:len(weekly)-1]
	}
	for len(dated) > 0 && dated[len(dated)-1] == (datedRaw{}) {
		dated = dated[:len(dated)-1]
	}
	for i, w := range append(slices.Clone(weekly), make([]weeklyRaw, blankWeekly)...) {
		days := []Option{{Value: "", Label: "Choose a day"}}
		for _, d := range marketplace.Days {
			days = append(days, Option{Value: d, Label: dayName(d), Checked: d == w.Day})
		}
		f.Weekly = append(f.Weekly, WeeklyRow{N: i, Days: days, Start: w.Start, End: w.End})
	}
	for i, d := range append(slices.Clone(dated), make([]datedRaw, blankDated)...) {
		f.Dated = append(f.Dated, DatedRow{N: i, Day: d.Day, Month: d.Month, Year: d.Year, Start: d.Start, End: d.End})
	}
	return f
}

func termOptions(terms []marketplace.Term, chosen []string, withHelp bool) []Option {
	out := make([]Option, len(terms))
	for i, t := range terms {
		out[i] = Option{Value: t.Slug, Label: t.Label, Checked: slices.Contains(chosen, t.Slug)}
		if withHelp {
			out[i].Hint = t.Help
		}
	}
	return out
}

func checked(opts []Option, value string) []Option {
	for i := range opts {
		opts[i].Checked = opts[i].Value == value
	}
	return opts
}
