package frontend

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carepool/carepool/marketplace"
)

// The offer form, in three shapes: offerRaw is what was typed (strings, kept exactly so
// a form with errors comes back as the person left it); marketplace.OfferInput is what
// the service takes; OfferForm is what the template shows.

// offerRaw is the offer form as typed.
type offerRaw struct {
	Kind, Title, Description       string
	Categories                     []string
	Mode                           string
	Line1, Line2, Town, Postcode   string
	Areas                          string
	Weekly                         []weeklyRaw
	Dated                          []datedRaw
	Notes                          string
	Unit, Amount, Min, Max, Floor  string
	BudgetForms, Access, Languages []string
}

type weeklyRaw struct{ Day, Start, End string }

type datedRaw struct{ Day, Month, Year, Start, End string }

// blankWeekly and blankDated are how many empty rows the form offers for new times:
// without JavaScript there is no "add another", so there are always spare rows.
const (
	blankWeekly = 2
	blankDated  = 1
	maxRows     = 60
)

func rawFromValues(v url.Values) offerRaw {
	r := offerRaw{
		Kind: v.Get("kind"), Title: v.Get("title"), Description: v.Get("description"), Categories: v["categories"],
		Mode: v.Get("where-mode"), Line1: v.Get("where-address-line1"), Line2: v.Get("where-address-line2"),
		Town: v.Get("where-address-town"), Postcode: v.Get("where-address-postcode"), Areas: v.Get("where-areas-served"),
		Notes: v.Get("when-notes"), Unit: v.Get("price-unit"), Amount: v.Get("price-amount"),
		Min: v.Get("price-group-min-people"), Max: v.Get("price-group-max-people"), Floor: v.Get("price-group-floor"),
		BudgetForms: v["budget-forms"], Access: v["accessibility"], Languages: v["languages"],
	}
	for i := 0; i < maxRows; i++ {
		p := fmt.Sprintf("when-weekly-%d-", i)
		if !v.Has(p + "day") {
			break
		}
		r.Weekly = append(r.Weekly, weeklyRaw{Day: v.Get(p + "day"), Start: v.Get(p + "start"), End: v.Get(p + "end")})
	}
	for i := 0; i < maxRows; i++ {
		p := fmt.Sprintf("when-dated-%d-", i)
		if !v.Has(p + "date") {
			break
		}
		r.Dated = append(r.Dated, datedRaw{Day: v.Get(p + "date"), Month: v.Get(p + "date-month"), Year: v.Get(p + "date-year"),
			Start: v.Get(p + "start"), End: v.Get(p + "end")})
	}
	return r
}

func rawFromOffer(o marketplace.Offer) offerRaw {
	in := o.Input()
	r := offerRaw{Kind: string(in.Kind), Title: in.Title, Description: in.Description, Categories: in.Categories,
		Mode: string(in.Where.Mode), Areas: strings.Join(in.Where.AreasServed, ", "), Notes: in.When.Notes,
		Unit: string(in.Price.Unit), Access: in.Accessibility, Languages: in.Languages}
	if a := in.Where.Address; a != nil {
		r.Line1, r.Line2, r.Town, r.Postcode = a.Line1, a.Line2, a.Town, a.Postcode
	}
	for _, w := range in.When.Weekly {
		r.Weekly = append(r.Weekly, weeklyRaw(w))
	}
	for _, d := range in.When.Dated {
		dr := datedRaw{Start: d.Start, End: d.End}
		if t, err := time.Parse(time.DateOnly, d.Date); err == nil {
			dr.Day, dr.Month, dr.Year = strconv.Itoa(t.Day()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Year())
		}
		r.Dated = append(r.Dated, dr)
	}
	if in.Price.AmountPence > 0 {
		r.Amount = poundsInput(in.Price.AmountPence)
	}
	if g := in.Price.Group; g != nil {
		r.Min, r.Max, r.Floor = strconv.Itoa(g.MinPeople), strconv.Itoa(g.MaxPeople), poundsInput(g.FloorPence)
	}
	for _, f := range in.BudgetForms {
		r.BudgetForms = append(r.BudgetForms, string(f))
	}
	return r
}

// input turns the form into the service's input. Values that cannot be read (a price
// that is not an amount, a date that is not a date) are reported in errs, and rows
// maps the input's weekly and dated entries back to the form's rows for messages.
func (r offerRaw) input() (in marketplace.OfferInput, rows offerRows, errs FormErrors) {
	// Radios left unchosen are said plainly, rather than as "must be one of ...".
	for _, r := range []struct{ value, id, msg string }{
		{r.Kind, "kind", "Choose what kind of offer this is"},
		{r.Mode, "where-mode", "Choose where the offer happens"},
		{r.Unit, "price-unit", "Choose how the offer is priced"},
	} {
		if r.value == "" {
			errs = errs.add(r.id, r.msg)
		}
	}
	in = marketplace.OfferInput{Kind: marketplace.Kind(r.Kind), Title: r.Title, Description: r.Description,
		Categories: r.Categories, Accessibility: r.Access, Languages: r.Languages}
	for _, f := range r.BudgetForms {
		in.BudgetForms = append(in.BudgetForms, marketplace.BudgetForm(f))
	}
	in.Where.Mode = marketplace.WhereMode(r.Mode)
	if in.Where.Mode == marketplace.AtAddress {
		in.Where.Address = &marketplace.Address{Line1: r.Line1, Line2: r.Line2, Town: r.Town, Postcode: r.Postcode}
	}
	if in.Where.Mode != marketplace.Online {
		in.Where.AreasServed = strings.FieldsFunc(r.Areas, func(c rune) bool { return c == ',' || c == ' ' || c == ';' })
	}
	in.When.Notes = strings.TrimSpace(r.Notes)
	for i, w := range r.Weekly {
		if w == (weeklyRaw{}) {
			continue // a spare row left empty
		}
		rows.weekly = append(rows.weekly, i)
		in.When.Weekly = append(in.When.Weekly, marketplace.WeeklySlot{Day: w.Day, Start: strings.TrimSpace(w.Start), End: strings.TrimSpace(w.End)})
	}
	for i, d := range r.Dated {
		if d == (datedRaw{}) {
			continue
		}
		rows.dated = append(rows.dated, i)
		date, ok := dateFrom(d.Day, d.Month, d.Year)
		if !ok {
			errs = errs.add(fmt.Sprintf("when-dated-%d-date", i), fmt.Sprintf("Enter a real date for date %d, such as 5 12 2026", i+1))
		}
		in.When.Dated = append(in.When.Dated, marketplace.DatedSession{Date: date, Start: strings.TrimSpace(d.Start), End: strings.TrimSpace(d.End)})
	}
	in.Price.Unit = marketplace.PriceUnit(r.Unit)
	switch amount, ok := parsePounds(r.Amount); {
	case strings.TrimSpace(r.Amount) == "":
		errs = errs.add("price-amount", "Enter the price")
	case !ok:
		errs = errs.add("price-amount", "Enter the price in pounds, such as 12.50")
	default:
		in.Price.AmountPence = amount
	}
	if in.Price.Unit == marketplace.GroupSession {
		g := &marketplace.GroupPricing{}
		var ok bool
		if g.MinPeople, ok = atoi(r.Min); !ok {
			errs = errs.add("price-group-min-people", "Enter the fewest people as a number, such as 4")
		}
		if g.MaxPeople, ok = atoi(r.Max); !ok {
			errs = errs.add("price-group-max-people", "Enter the most people as a number, such as 10")
		}
		if strings.TrimSpace(r.Floor) != "" {
			if g.FloorPence, ok = parsePounds(r.Floor); !ok {
				errs = errs.add("price-group-floor", "Enter the least anyone pays in pounds, such as 30, or leave it empty")
			}
		}
		in.Price.Group = g
	}
	return in, rows, errs
}

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

// dateFrom reads a GOV.UK date input (day, month, year) as YYYY-MM-DD.
func dateFrom(day, month, year string) (string, bool) {
	d, ok1 := atoi(day)
	m, ok2 := atoi(month)
	y, ok3 := atoi(year)
	if !ok1 || !ok2 || !ok3 || y < 2000 || y > 2200 {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m {
		return "", false // 31 June
	}
	return t.Format(time.DateOnly), true
}

// offerRows maps the service's weekly[i] and dated[i] to the form's rows.
type offerRows struct{ weekly, dated []int }

var offerFields = fieldSpecs{
	"":                        {ID: "kind"},
	"kind":                    {ID: "kind", Label: "Kind of offer", Required: "Choose what kind of offer this is"},
	"title":                   {ID: "title", Label: "Title", Required: "Enter a title"},
	"description":             {ID: "description", Label: "Description", Required: "Enter a description"},
	"categories":              {ID: "categories", Label: "What it is about", Required: "Choose at least one thing the offer is about"},
	"where.mode":              {ID: "where-mode", Label: "Where it happens", Required: "Choose where the offer happens"},
	"where.address":           {ID: "where-address-line1", Label: "Address", Required: "Enter the address"},
	"where.address.line1":     {ID: "where-address-line1", Label: "Address line 1", Required: "Enter the first line of the address"},
	"where.address.line2":     {ID: "where-address-line2", Label: "Address line 2"},
	"where.address.town":      {ID: "where-address-town", Label: "Town or city", Required: "Enter the town or city"},
	"where.address.postcode":  {ID: "where-address-postcode", Label: "Postcode", Required: "Enter the postcode"},
	"where.areas_served":      {ID: "where-areas-served", Label: "Areas you serve"},
	"when":                    {ID: "when-weekly-0-day", Label: "Times"},
	"when.notes":              {ID: "when-notes", Label: "Notes about times"},
	"price.unit":              {ID: "price-unit", Label: "How it is priced", Required: "Choose how the offer is priced"},
	"price.amount_pence":      {ID: "price-amount", Label: "Price", Required: "Enter the price"},
	"price.group":             {ID: "price-group-min-people", Label: "Group size", Required: "Enter the fewest and most people in a group"},
	"price.group.min_people":  {ID: "price-group-min-people", Label: "Fewest people", Required: "Enter the fewest people"},
	"price.group.max_people":  {ID: "price-group-max-people", Label: "Most people", Required: "Enter the most people"},
	"price.group.floor_pence": {ID: "price-group-floor", Label: "Least anyone pays"},
	"budget_forms":            {ID: "budget-forms", Label: "Kinds of budget", Required: "Choose at least one kind of budget you accept"},
	"accessibility":           {ID: "accessibility", Label: "Accessibility"},
	"languages":               {ID: "languages", Label: "Languages", Required: "Choose at least one language"},
}

var (
	listField = regexp.MustCompile(`^(categories|accessibility|languages|budget_forms|where\.areas_served)\[\d+\]$`)
	rowField  = regexp.MustCompile(`^when\.(weekly|dated)\[(\d+)\]\.(day|date|start|end)$`)
)

// offerFieldSpec finds the form field of a service field that names a list entry or a
// time row; the row is the form's, not the service's, since empty rows are skipped.
func (rows offerRows) offerFieldSpec(field string) (fieldSpec, bool) {
	if m := listField.FindStringSubmatch(field); m != nil {
		return offerFields[m[1]], true
	}
	m := rowField.FindStringSubmatch(field)
	if m == nil {
		return fieldSpec{}, false
	}
	i, _ := strconv.Atoi(m[2])
	kind, part := m[1], m[3]
	list := rows.weekly
	if kind == "dated" {
		list = rows.dated
	}
	if i < len(list) {
		i = list[i]
	}
	id := fmt.Sprintf("when-%s-%d-%s", kind, i, part)
	what := map[string]string{"day": "Day", "date": "Date", "start": "Start time", "end": "End time"}[part]
	n := map[string]string{"weekly": "regular time", "dated": "date"}[kind]
	return fieldSpec{ID: id, Label: fmt.Sprintf("%s for %s %d", what, n, i+1)}, true
}

// offerFormErrors merges the errors found reading the form with the service's.
func offerFormErrors(parsed FormErrors, err error, rows offerRows) (FormErrors, bool) {
	if err == nil {
		return parsed, len(parsed) > 0
	}
	fe, ok := formErrors(err, offerFields, rows.offerFieldSpec)
	if !ok {
		return nil, false
	}
	out := parsed
	for _, e := range fe {
		// A price the service refuses is written in pounds here, not in pence.
		switch {
		case e.ID == "price-amount" && strings.Contains(e.Message, "more than 0"):
			e.Message = "Enter a price of more than £0"
		case e.ID == "price-amount" && strings.Contains(e.Message, "at most"):
			if m := regexp.MustCompile(`£[0-9,]+`).FindString(e.Message); m != "" {
				e.Message = "The price must be at most " + m + ". Check you entered pounds, not pence"
			}
		case e.ID == "price-group-floor":
			e.Message = "The least anyone pays must not be more than each person pays in the smallest group"
		case e.ID == "price-group-max-people":
			e.Message = strings.ReplaceAll(e.Message, "min_people", "the fewest people")
		}
		out = out.add(e.ID, e.Message)
	}
	// Show the errors in the order of the form.
	slices.SortStableFunc(out, func(a, b FieldError) int { return formOrder(a.ID) - formOrder(b.ID) })
	return out, true
}

var offerFieldOrder = []string{"kind", "title", "description", "categories", "where-mode", "where-address-line1",
	"where-address-line2", "where-address-town", "where-address-postcode", "where-areas-served", "when-", "price-unit",
	"price-amount", "price-group-min-people", "price-group-max-people", "price-group-floor", "budget-forms",
	"accessibility", "languages"}

func formOrder(id string) int {
	for i, p := range offerFieldOrder {
		if id == p || p == "when-" && strings.HasPrefix(id, p) {
			return i
		}
	}
	return len(offerFieldOrder)
}
