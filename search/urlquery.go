package search

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// URL parameters of GET /api/v1/search. List parameters may be repeated or
// comma-separated (day=saturday,sunday).
var urlParams = []string{
	"q", "literal", "type", "kind", "category", "budget_form", "max_price", "language",
	"access", "day", "time", "verified", "near", "lat", "lng", "within", "sort", "page",
	"per_page", "facets",
}

// ParseURLQuery reads the URL parameters of GET /api/v1/search into a Query:
//
//	q            text, e.g. "swimming near LS6 on saturdays"
//	literal      true: do not turn outward codes, days or languages in q into filters
//	type         offer, pool
//	kind         service, personal_assistant, community_activity
//	category     category slugs
//	budget_form  direct_payment, indirect_payment, trust_fund, brokered_fund, isf, council_managed
//	max_price    most a person pays, in pounds ("25" or "25.50")
//	language     ISO 639-1 codes (pa, ur), or 639-3 where there is none (bfi)
//	access       accessibility features, all required (wheelchair_accessible)
//	day, time    monday..sunday; morning, afternoon, evening
//	verified     true: verified providers only
//	near         an outward code (LS6) or full postcode; or lat and lng
//	within       radius in miles (default 10)
//	sort         relevance (default), distance, price, newest
//	page         from 1; per_page up to 100 (default 20)
//	facets       type, kind, category, budget_form, language, accessibility, day
//
// It returns a *ValidationError naming every parameter at fault, including
// those that Prepare would reject (unknown values, unknown outward code,
// radius out of range, page size over 100).
func ParseURLQuery(values url.Values) (Query, error) {
	var q Query
	var v ValidationError
	for name := range values {
		if !slices.Contains(urlParams, name) {
			v.Add(name, "unknown parameter")
		}
	}
	single := func(name string) string {
		vals := values[name]
		if len(vals) > 1 {
			v.Add(name, "must be given once")
		}
		if len(vals) == 0 {
			return ""
		}
		return strings.TrimSpace(vals[0])
	}
	list := func(name string) []string {
		var out []string
		for _, val := range values[name] {
			for _, part := range strings.Split(val, ",") {
				if part = strings.ToLower(strings.TrimSpace(part)); part != "" {
					out = append(out, part)
				}
			}
		}
		return out
	}
	boolean := func(name string) bool {
		switch s := strings.ToLower(single(name)); s {
		case "", "false", "0":
			return false
		case "true", "1":
			return true
		}
		v.Add(name, "must be true or false")
		return false
	}
	integer := func(name string) int {
		s := single(name)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			v.Add(name, "must be a whole number")
		}
		return n
	}
	number := func(name string) (float64, bool) {
		s := single(name)
		if s == "" {
			return 0, false
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			v.Add(name, "must be a number")
			return 0, false
		}
		return f, true
	}

	q.Text = single("q")
	q.Literal = boolean("literal")
	f := &q.Filter
	f.Types, f.Kinds, f.Categories = list("type"), list("kind"), list("category")
	f.BudgetForms, f.Languages, f.Accessibility = list("budget_form"), list("language"), list("access")
	f.Days, f.TimesOfDay = list("day"), list("time")
	f.VerifiedOnly = boolean("verified")
	if s := single("max_price"); s != "" {
		if p, err := parsePounds(s); err != nil {
			v.Add("max_price", err.Error())
		} else {
			f.MaxPricePence = &p
		}
	}
	near := single("near")
	lat, hasLat := number("lat")
	lng, hasLng := number("lng")
	miles, hasMiles := number("within")
	switch {
	case near != "" && (hasLat || hasLng):
		v.Add("near", "give either near or lat and lng, not both")
	case near != "":
		code := strings.ToUpper(near)
		if i := strings.IndexByte(code, ' '); i > 0 {
			code = code[:i] // a full postcode: keep its outward code
		}
		f.Near = &Near{Outcode: code, Miles: miles}
	case hasLat != hasLng:
		v.Add("lat", "lat and lng must be given together")
	case hasLat:
		f.Near = &Near{Lat: lat, Lng: lng, Miles: miles}
	case hasMiles:
		v.Add("within", "needs near (an outward code) or lat and lng")
	}
	if hasMiles && miles <= 0 {
		v.Add("within", "must be more than 0 miles")
	}
	q.Sort = Sort(strings.ToLower(single("sort")))
	q.Page = integer("page")
	q.PageSize = integer("per_page")
	if values.Has("page") && q.Page < 1 {
		v.Add("page", "must be 1 or more")
	}
	if values.Has("per_page") && q.PageSize < 1 {
		v.Add("per_page", fmt.Sprintf("must be between 1 and %d", MaxPageSize))
	}
	for _, s := range list("facets") {
		q.Facets = append(q.Facets, Facet(s))
	}
	if _, _, err := Prepare(q); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			for _, fe := range ve.Fields {
				if !slices.Contains(v.Fields, fe) && !hasField(v.Fields, fe.Field) {
					v.Fields = append(v.Fields, fe)
				}
			}
		}
	}
	if err := v.Err(); err != nil {
		return Query{}, err
	}
	return q, nil
}

func hasField(fs []FieldError, name string) bool {
	return slices.ContainsFunc(fs, func(f FieldError) bool { return f.Field == name })
}

// parsePounds reads "25", "25.5", "25.50" or "£25.50" as pence.
func parsePounds(s string) (int64, error) {
	s = strings.TrimPrefix(s, "£")
	whole, frac, dotted := strings.Cut(s, ".")
	bad := errors.New("must be an amount in pounds, like 25 or 25.50")
	if whole == "" || len(whole) > 7 || strings.Trim(whole, "0123456789") != "" {
		return 0, bad
	}
	if dotted && (len(frac) == 0 || len(frac) > 2 || strings.Trim(frac, "0123456789") != "") {
		return 0, bad
	}
	for len(frac) < 2 {
		frac += "0"
	}
	p, _ := strconv.ParseInt(whole, 10, 64)
	c, _ := strconv.ParseInt(frac, 10, 64)
	return p*100 + c, nil
}
