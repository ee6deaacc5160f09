package meili

import (
	"strconv"
	"strings"

	"github.com/carepool/carepool/search"
)

// metresPerMile converts a radius for _geoRadius, which takes metres.
const metresPerMile = 1609.344

// Quote returns s as a double-quoted value of Meilisearch's filter grammar:
// inside quotes a backslash escapes the next character, so every backslash
// and double quote is escaped. Whatever s holds, the result is one value and
// can never end the quotes early or add an operator.
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		if r == '"' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// FilterExpression builds the Meilisearch filter for f: values within a field
// are alternatives (attribute IN [...]), accessibility features are all
// required, fields are joined with AND, and a radius around an outward code
// also admits offers that serve that code. It returns "" when f filters
// nothing. f must have been through search.Prepare (Near resolved).
func FilterExpression(f search.Filter) string {
	var parts []string
	in := func(attr string, values []string) {
		switch len(values) {
		case 0:
		case 1:
			parts = append(parts, attr+" = "+Quote(values[0]))
		default:
			q := make([]string, len(values))
			for i, v := range values {
				q[i] = Quote(v)
			}
			parts = append(parts, attr+" IN ["+strings.Join(q, ", ")+"]")
		}
	}
	in("type", f.Types)
	in("kind", f.Kinds)
	in("categories", f.Categories)
	in("budgetForms", f.BudgetForms)
	in("languages", f.Languages)
	in("days", f.Days)
	in("timesOfDay", f.TimesOfDay)
	for _, a := range f.Accessibility {
		in("accessibility", []string{a})
	}
	if f.VerifiedOnly {
		parts = append(parts, "verified = true")
	}
	if p := f.MaxPricePence; p != nil {
		parts = append(parts, "pricePence <= "+strconv.FormatInt(*p, 10))
	}
	if n := f.Near; n != nil {
		geo := "_geoRadius(" + num(n.Lat) + ", " + num(n.Lng) + ", " + num(n.Miles*metresPerMile) + ")"
		if n.Outcode != "" {
			geo = "(" + geo + " OR outcodes = " + Quote(n.Outcode) + ")"
		}
		parts = append(parts, geo)
	}
	return strings.Join(parts, " AND ")
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
