package search

import "slices"

// Prepare validates q, fills in its defaults and applies query understanding
// (unless q.Literal): the query returned has Text set to the words still to
// be searched, Filter extended with what was understood, and Near resolved to
// a point. Adapters call it before anything else. It returns a
// *ValidationError naming every field at fault.
func Prepare(q Query) (Query, []Applied, error) {
	q.Facets = slices.Clone(q.Facets)
	f := &q.Filter
	for _, s := range []*[]string{&f.Types, &f.Kinds, &f.Categories, &f.BudgetForms, &f.Languages, &f.Accessibility, &f.Days, &f.TimesOfDay} {
		*s = dedupe(slices.Clone(*s))
	}
	if f.Near != nil {
		n := *f.Near
		f.Near = &n
	}
	if f.MaxPricePence != nil {
		p := *f.MaxPricePence
		f.MaxPricePence = &p
	}
	var applied []Applied
	if !q.Literal && q.Text != "" {
		u := understand(q.Text)
		q.Text = u.rest
		applied = u.applied
		if u.near != nil {
			if f.Near == nil {
				f.Near = u.near
			} else {
				applied = slices.DeleteFunc(applied, func(a Applied) bool { return a.Param == "near" })
			}
		}
		f.Days = dedupe(append(f.Days, u.days...))
		f.TimesOfDay = dedupe(append(f.TimesOfDay, u.times...))
		f.Languages = dedupe(append(f.Languages, u.langs...))
	}
	if err := q.validate(); err != nil {
		return Query{}, nil, err
	}
	return q, applied, nil
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if !slices.Contains(s[:i], v) {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
