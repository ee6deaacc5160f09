package search

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/carepool/carepool/marketplace/outcode"
	"github.com/carepool/carepool/search/internal/relevance"
)

// understanding is what query understanding found in a text.
type understanding struct {
	applied []Applied
	near    *Near
	days    []string
	times   []string
	langs   []string
	rest    string // the text without the words taken
}

var (
	dayWords = func() map[string][]string {
		m := map[string][]string{
			"weekend": {"saturday", "sunday"}, "weekends": {"saturday", "sunday"},
			"weekday": Days[:5], "weekdays": Days[:5],
		}
		for _, d := range Days {
			m[d], m[d+"s"] = []string{d}, []string{d}
		}
		return m
	}()
	timeWords   = map[string]string{"mornings": "morning", "afternoons": "afternoon", "evenings": "evening"}
	nearWords   = map[string]bool{"near": true, "in": true, "around": true, "nr": true, "by": true}
	dayLead     = map[string]bool{"on": true, "every": true}
	speakWords  = map[string]bool{"speaks": true, "speak": true, "speaking": true}
	inwardCode  = regexp.MustCompile(`^[0-9][a-z]{2}$`)
	outcodeLike = regexp.MustCompile(`^[a-z]{1,2}[0-9][a-z0-9]?$`)
)

// understand takes outward codes ("near LS6", "LS6 2AB", "within 5 miles of
// LS6"), days ("on saturdays", "weekends"), times of day ("mornings") and
// languages ("who speaks Punjabi") out of text.
func understand(text string) understanding {
	toks := relevance.Tokenize(text)
	taken := make([]bool, len(toks))
	var u understanding
	var spans [][2]int // token ranges of each applied filter
	term := func(i int) string {
		if i < 0 || i >= len(toks) || taken[i] {
			return ""
		}
		return toks[i].Term
	}
	take := func(from, to int, a Applied) {
		for k := from; k <= to; k++ {
			taken[k] = true
		}
		a.Text = text[toks[from].Start:toks[to].End]
		u.applied = append(u.applied, a)
		spans = append(spans, [2]int{from, to})
	}
	for i := 0; i < len(toks); i++ {
		if taken[i] {
			continue
		}
		t := term(i)
		switch {
		case u.near == nil && outcodeLike.MatchString(t):
			p, ok := outcode.Lookup(t)
			if !ok {
				continue
			}
			from, to, miles := i, i, 0.0
			if inwardCode.MatchString(term(i + 1)) {
				to = i + 1
			}
			if nearWords[term(from-1)] {
				from--
			}
			// "within 5 miles of LS6", "5 miles from LS6"
			if j := from - 1; (term(j) == "of" || term(j) == "from") && strings.HasPrefix(term(j-1), "mile") {
				if n, err := strconv.ParseFloat(term(j-2), 64); err == nil && n > 0 && n <= MaxRadiusMiles {
					miles, from = n, j-2
					if term(from-1) == "within" {
						from--
					}
				}
			}
			if miles == 0 {
				miles = DefaultRadiusMiles
			}
			u.near = &Near{Outcode: p.Code, Miles: miles}
			take(from, to, Applied{Param: "near", Values: []string{p.Code}, Label: fmt.Sprintf("Within %s of %s", milesLabel(miles), p.Code)})
			i = to
		case dayWords[t] != nil:
			from, days := i, slices.Clone(dayWords[t])
			if dayLead[term(i-1)] {
				from--
			}
			u.days = append(u.days, days...)
			take(from, i, Applied{Param: "day", Values: days, Label: joinLabels("day", days, " or ")})
			// "saturday mornings"
			tm := timeWords[term(i+1)]
			if tm == "" && slices.Contains(TimesOfDay, term(i+1)) {
				tm = term(i + 1)
			}
			if tm != "" {
				i++
				u.times = append(u.times, tm)
				take(i, i, Applied{Param: "time", Values: []string{tm}, Label: Label("time", tm)})
			}
		case timeWords[t] != "" || slices.Contains(TimesOfDay, t) && term(i-1) == "the" && term(i-2) == "in":
			tm, from := timeWords[t], i
			if tm == "" {
				tm, from = t, i-2
			}
			u.times = append(u.times, tm)
			take(from, i, Applied{Param: "time", Values: []string{tm}, Label: Label("time", tm)})
		case speakWords[t]:
			name, to := term(i+1), i+1
			if two := name + " " + term(i+2); languageByName[two] != "" {
				name, to = two, i+2
			}
			code := languageByName[name]
			if code == "" {
				continue
			}
			from := i
			if term(i-1) == "who" {
				from--
			}
			u.langs = append(u.langs, code)
			take(from, to, Applied{Param: "language", Values: []string{code}, Label: "Speaks " + Label("language", code)})
			i = to
		}
	}
	u.rest = without(text, toks, taken)
	for k, s := range spans {
		mask := make([]bool, len(toks))
		for j := s[0]; j <= s[1]; j++ {
			mask[j] = true
		}
		u.applied[k].Without = strings.TrimSpace(without(text, toks, mask))
	}
	return u
}

// without is text with the masked tokens removed. When the last word is
// removed the result ends in a space, so that the new last word is not
// treated as a word still being typed.
func without(text string, toks []relevance.Token, mask []bool) string {
	var b strings.Builder
	at := 0
	for i, t := range toks {
		if !mask[i] {
			continue
		}
		b.WriteString(text[at:t.Start])
		b.WriteByte(' ')
		at = t.End
	}
	b.WriteString(text[at:])
	s := strings.Join(strings.Fields(b.String()), " ")
	if n := len(toks); n > 0 && mask[n-1] && s != "" {
		s += " "
	}
	return s
}

func milesLabel(m float64) string {
	s := strconv.FormatFloat(m, 'f', -1, 64)
	if m == 1 {
		return s + " mile"
	}
	return s + " miles"
}

func joinLabels(vocab string, values []string, sep string) string {
	ls := make([]string, len(values))
	for i, v := range values {
		ls[i] = Label(vocab, v)
	}
	if len(ls) == 5 && vocab == "day" && values[0] == "monday" {
		return "Weekdays"
	}
	return strings.Join(ls, sep)
}
