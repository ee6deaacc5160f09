package frontend

import (
	"fmt"
	"html/template"
	"slices"
	"strings"
)

// Term is one word or abbreviation from adult social care, explained in plain English.
// Every page lists the terms it uses in a "Words on this page" section, abbreviations
// are marked up with <abbr> where they appear, and the glossary page lists them all.
type Term struct {
	ID      string // the anchor on the glossary page: /glossary#dbs
	Name    string // as a heading: "DBS check"
	Abbr    string // the abbreviation, if the term has one: "DBS"
	Expands string // what the abbreviation stands for: "Disclosure and Barring Service"
	Meaning string // one or two plain sentences
}

// glossary is every term of DOMAIN.md's glossary, and the six forms of personal budget,
// in alphabetical order of Name.
var glossary = sortedTerms([]Term{
	{"pb", "Personal budget (PB)", "PB", "personal budget", "The money the council agrees to spend on your care and support each year, after an assessment of what you need."},
	{"ib", "Individual budget (IB)", "IB", "individual budget", "A budget that joined money from several sources (such as care and housing support). It was a pilot scheme and has now ended."},
	{"sds", "Self-directed support (SDS)", "SDS", "self-directed support", "You decide how your support is arranged, with as much help as you want."},
	{"ras", "Resource allocation system (RAS)", "RAS", "resource allocation system", "The council's way of turning the answers from your assessment into points, and the points into an indicative budget."},
	{"indicative-budget", "Indicative budget", "", "", "A first estimate of your personal budget, from the resource allocation system. Your actual budget is agreed later and can be lower or higher."},
	{"actual-budget", "Actual budget", "", "", "The amount of your personal budget that is finally agreed, once your support plan is done."},
	{"isf", "Individual service fund (ISF)", "ISF", "individual service fund", "A provider you choose holds your budget for you and pays for the support you decide on, so you do not have to handle the money."},
	{"ssaq", "Supported self-assessment questionnaire (SSAQ)", "SSAQ", "supported self-assessment questionnaire", "A form some councils use so you can describe your own needs, with help if you want it."},
	{"dp", "Direct payment (DP)", "DP", "direct payment", "The council pays your personal budget to you, into a bank account, and you pay for your support yourself."},
	{"indirect-payment", "Indirect payment", "", "", "A direct payment that someone you trust (a family member or friend, called a nominated or authorised person) receives and manages for you."},
	{"trusted-other", "Trusted other", "", "", "The person who manages an indirect payment for you. On Carepool they act for you only while you let them, and you can stop that at any time."},
	{"trust-fund", "Trust fund", "", "", "Your budget is held by a trust: a small group of people you know who look after it together. On Carepool two trustees agree every payment."},
	{"brokered-fund", "Brokered fund", "", "", "A support broker holds your budget and pays for support on your behalf."},
	{"council-managed", "Council-managed budget", "", "", "The council keeps your budget and pays for the support you choose. Also called a care-managed fund or a managed budget."},
	{"pa", "Personal assistant (PA)", "PA", "personal assistant", "Someone you employ or pay directly to support you, such as help at home or getting out."},
	{"broker", "Broker", "", "", "Someone who helps you plan your support and buy it with your budget. A broker is best independent of the council."},
	{"ulo", "User-led organisation (ULO)", "ULO", "user-led organisation", "An organisation run and controlled by disabled people or people who use care and support services."},
	{"shared-lives", "Shared Lives", "", "", "You live with, or regularly visit, a Shared Lives carer and their family, who support you."},
	{"circle-of-support", "Circle of support", "", "", "The people around you (family, friends, neighbours) who help you plan and make choices."},
	{"commissioner", "Commissioner", "", "", "A council officer who buys or approves spending on care and support."},
	{"safeguarding", "Safeguarding", "", "", "Protecting adults at risk from abuse, neglect and exploitation, including having their money taken."},
	{"dbs", "DBS check", "DBS", "Disclosure and Barring Service", "A criminal record check for people who work with adults at risk."},
	{"cqc", "CQC", "CQC", "Care Quality Commission", "The Care Quality Commission registers and inspects providers of personal care. Community activities and most personal assistants you employ directly do not need to be registered."},
	{"buyer-literacy", "Buyer literacy", "", "", "Knowing how to choose and buy support with a budget. Carepool tries to make this easier."},
	{"respite", "Respite or short break", "", "", "Time away from your usual care, often so that a carer can rest."},
	{"ld", "Learning disability (LD)", "LD", "learning disability", "A lifelong condition that affects how someone learns, understands and communicates."},
	{"social-prescriber", "Social prescriber", "", "", "An NHS link worker who connects people to community activities and support."},
	{"outward-code", "Outward code", "", "", "The first half of a postcode: LS6 in LS6 2AB. Carepool uses it to find what is near you without needing your full address."},
	{"purchase-order", "Purchase order", "", "", "A promise to pay, approved before a service is delivered."},
	{"credit-note", "Credit note", "", "", "A document that cancels all or part of an invoice."},
	{"remittance-reference", "Remittance reference", "", "", "The reference a payer quotes with a payment so it can be matched to an invoice."},
	{"vat", "VAT", "VAT", "value added tax", "A tax on some goods and services. Most care and support from regulated providers is exempt, so an invoice shows VAT only when the provider is VAT-registered and the service is taxable."},
	{"open-referral-uk", "Open Referral UK", "", "", "The UK standard for publishing directories of services, endorsed by the government's Data Standards Authority. Carepool publishes its offers in this format."},
	{"pool", "Pool", "", "", "A group of people who put part of their budgets together to buy something as a group, such as a weekly class, which then costs each person less."},
	{"verified", "Verified checks", "", "", "Carepool has seen proof of a provider's DBS checks, insurance and, where needed, CQC registration, and they are up to date."},
})

func sortedTerms(ts []Term) []Term {
	slices.SortFunc(ts, func(a, b Term) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return ts
}

// termByID returns a glossary term; an unknown id is a programming error.
func termByID(id string) (Term, bool) {
	i := slices.IndexFunc(glossary, func(t Term) bool { return t.ID == id })
	if i < 0 {
		return Term{}, false
	}
	return glossary[i], true
}

// terms returns the glossary terms with the given ids, in the order given; it panics on
// an unknown id, which the page tests would catch at once.
func terms(ids ...string) []Term {
	out := make([]Term, len(ids))
	for i, id := range ids {
		t, ok := termByID(id)
		if !ok {
			panic(fmt.Sprintf("frontend: no glossary term %q", id))
		}
		out[i] = t
	}
	return out
}

// abbrHTML is the template function "abbr": the abbreviation of a term, marked up so
// that its meaning is in the page ("DBS" read as "Disclosure and Barring Service").
func abbrHTML(id string) (template.HTML, error) {
	t, ok := termByID(id)
	if !ok || t.Abbr == "" {
		return "", fmt.Errorf("no abbreviation for glossary term %q", id)
	}
	return template.HTML(`<abbr title="` + template.HTMLEscapeString(t.Expands) + `">` + template.HTMLEscapeString(t.Abbr) + `</abbr>`), nil
}
