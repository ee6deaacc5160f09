package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

func pick[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }

// offerInput fills a template for one provider: the neighbourhood in the title, a round
// price inside the template's range, the provider's languages, and a varied set of
// accepted budget forms (an ISF provider always accepts ISFs).
func (s *seeder) offerInput(tpl offerTemplate, town string, hood, next neighbourhood, kind account.OrgKind, languages []string) marketplace.OfferInput {
	title := tpl.Title
	if strings.Contains(title, "%s") {
		title = fmt.Sprintf(title, hood.Name)
	}
	step := int64(500)
	if tpl.Unit == marketplace.PerHour {
		step = 50
	}
	amount := tpl.MinPence + step*s.rng.Int64N((tpl.MaxPence-tpl.MinPence)/step+1)
	in := marketplace.OfferInput{
		Kind: tpl.Kind, Title: title, Description: tpl.Description,
		Categories: tpl.Categories, Accessibility: tpl.Accessibility, Languages: languages,
		Price:       marketplace.Price{Unit: tpl.Unit, AmountPence: amount},
		BudgetForms: s.budgetForms(kind),
	}
	if tpl.Unit == marketplace.GroupSession {
		in.Price.Group = &marketplace.GroupPricing{MinPeople: tpl.MinPeople, MaxPeople: tpl.MaxPeople}
	}
	switch tpl.Mode {
	case marketplace.AtAddress:
		in.Where = marketplace.WhereInput{Mode: marketplace.AtAddress, Address: &marketplace.Address{
			Line1: fmt.Sprintf("%d %s", 1+s.rng.IntN(180), hood.Street), Town: town,
			Postcode: fmt.Sprintf("%s %d%c%c", hood.Outcode, 1+s.rng.IntN(9), 'A'+rune(s.rng.IntN(26)), 'A'+rune(s.rng.IntN(26))),
		}}
	case marketplace.InArea:
		in.Where = marketplace.WhereInput{Mode: marketplace.InArea, AreasServed: []string{hood.Outcode, next.Outcode}}
	default:
		in.Where = marketplace.WhereInput{Mode: marketplace.Online}
	}
	for _, day := range tpl.Days {
		in.When.Weekly = append(in.When.Weekly, marketplace.WeeklySlot{Day: day, Start: tpl.Start, End: tpl.End})
	}
	if len(tpl.Days) == 0 && tpl.Start != "" { // a dated event, such as a day trip
		in.When.Dated = []marketplace.DatedSession{{Date: fmt.Sprintf("2027-%02d-%02d", 3+s.rng.IntN(6), 1+s.rng.IntN(28)), Start: tpl.Start, End: tpl.End}}
	}
	if len(in.When.Weekly)+len(in.When.Dated) == 0 {
		in.When.Notes = "By arrangement: tell us the days and times that suit you."
	}
	return in
}

func (s *seeder) budgetForms(kind account.OrgKind) []marketplace.BudgetForm {
	all := []marketplace.BudgetForm{marketplace.DirectPayment, marketplace.IndirectPayment, marketplace.TrustFund,
		marketplace.BrokeredFund, marketplace.ISF, marketplace.CouncilManaged}
	var forms []marketplace.BudgetForm
	for _, f := range all {
		if s.rng.IntN(10) < 6 {
			forms = append(forms, f)
		}
	}
	if kind == account.KindISFProvider && !slices.Contains(forms, marketplace.ISF) {
		forms = append(forms, marketplace.ISF)
	}
	if len(forms) == 0 {
		forms = []marketplace.BudgetForm{marketplace.DirectPayment}
	}
	return forms
}
