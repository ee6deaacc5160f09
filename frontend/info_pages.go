package frontend

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/marketplace"
)

func (h *Handler) home(c echo.Context) error {
	return h.render(c, http.StatusOK, &HomePage{
		Base: Base{Title: "Find care, support and things to do", Terms: terms("pb", "dp", "pa", "isf", "pool")},
		Popular: []Link{
			{"/search?category=swimming", "Swimming"},
			{"/search?category=arts-and-crafts", "Arts and crafts"},
			{"/search?kind=personal_assistant", "Personal assistants"},
			{"/search?category=day-service", "Day services"},
			{"/search?category=short-breaks", "Respite and short breaks"},
			{"/search?category=help-at-home", "Help at home"},
		},
	})
}

func (h *Handler) glossaryPage(c echo.Context) error {
	return h.render(c, http.StatusOK, &GlossaryPage{Base: Base{Title: "Words explained", Section: "glossary"}, Entries: glossary})
}

// budgetForms explains the six forms of personal budget: who holds the money and how
// paying works on Carepool for each (DOMAIN.md's table, in plain English).
var budgetForms = []BudgetForm{
	{Slug: string(marketplace.DirectPayment), TermID: "dp", WhoHolds: "You do. The council pays your budget into a bank account, and you pay for your support yourself.",
		HowToPay: "You pay by card or bank transfer. When you join a group with others, your card is saved and only charged once the group goes ahead."},
	{Slug: string(marketplace.IndirectPayment), TermID: "indirect-payment", WhoHolds: "Someone you trust, such as a family member or friend, receives and manages your budget for you.",
		HowToPay: "The person you trust pays for you by card or bank transfer. You give them permission on Carepool, and you can take it back at any time."},
	{Slug: string(marketplace.TrustFund), TermID: "trust-fund", WhoHolds: "A trust: a small group of people you know, who look after your budget together.",
		HowToPay: "One trustee arranges the payment and a second trustee agrees to it, every time."},
	{Slug: string(marketplace.BrokeredFund), TermID: "brokered-fund", WhoHolds: "A support broker looks after your budget and pays for support on your behalf.",
		HowToPay: "You choose what you want; your broker commits the money and pays for it."},
	{Slug: string(marketplace.ISF), TermID: "isf", WhoHolds: "A care provider you chose holds your budget for you, in an individual service fund (ISF).",
		HowToPay: "You choose what you want; the provider pays from your ISF and settles the bill through Carepool. You can see what was spent."},
	{Slug: string(marketplace.CouncilManaged), TermID: "council-managed", WhoHolds: "The council keeps your budget. This is also called a managed budget or a care-managed fund.",
		HowToPay: "You choose what you want; the council approves the spending and pays the bill. You keep your place in a group while the council approves it."},
}

// budgetQuestion is the guide's question: who looks after the money?
var budgetQuestion = []Option{
	{Value: string(marketplace.DirectPayment), Label: "I do: the council pays the money to me"},
	{Value: string(marketplace.IndirectPayment), Label: "A family member or friend looks after it for me"},
	{Value: string(marketplace.TrustFund), Label: "A group of people I know (a trust) looks after it"},
	{Value: string(marketplace.BrokeredFund), Label: "A support broker looks after it"},
	{Value: string(marketplace.ISF), Label: "A care provider holds it for me"},
	{Value: string(marketplace.CouncilManaged), Label: "The council keeps it and pays for my support"},
	{Value: "unknown", Label: "I do not know"},
}

func (h *Handler) budgetGuide(c echo.Context) error {
	p := &BudgetGuidePage{Base: Base{Title: "What kind of budget do I have?", Section: "guide",
		Terms: terms("pb", "dp", "indirect-payment", "trust-fund", "brokered-fund", "isf", "council-managed", "broker")}}
	for _, f := range budgetForms {
		t, _ := termByID(f.TermID)
		f.Name = marketplace.Label(marketplace.BudgetForms, f.Slug)
		f.Meaning = t.Meaning
		f.Phrase = strings.ToLower(f.Name[:1]) + f.Name[1:]
		if strings.ContainsAny(f.Phrase[:1], "aeiou") {
			f.Phrase = "an " + f.Phrase
		} else {
			f.Phrase = "a " + f.Phrase
		}
		f.SearchURL = "/search?budget_form=" + f.Slug
		p.Forms = append(p.Forms, f)
	}
	holder, asked := c.QueryParams()["holder"]
	for _, o := range budgetQuestion {
		o.Checked = asked && holder[0] == o.Value
		p.Question = append(p.Question, o)
	}
	status := http.StatusOK
	switch {
	case !asked:
	case holder[0] == "unknown":
		p.Unsure = true
	default:
		i := slices.IndexFunc(p.Forms, func(f BudgetForm) bool { return f.Slug == holder[0] })
		if i < 0 {
			p.Errors = FormErrors{{ID: "holder", Message: "Choose who looks after your budget money"}}
			status = http.StatusUnprocessableEntity
			break
		}
		p.Answer = &p.Forms[i]
	}
	return h.render(c, status, p)
}
