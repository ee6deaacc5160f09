package bleveindex

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/carepool/carepool/search/internal/relevance"
)

// vocab is the text field's term dictionary in one segment, held in memory
// so that a query word's typo and prefix derivations are found with
// relevance.Typos, the same rule the Meilisearch model uses, rather than
// Bleve's fuzzy query (plain Levenshtein, no first-letter rule).
type vocab struct {
	terms  []string // sorted
	counts []uint64
}

func (v *vocab) Len() int           { return len(v.terms) }
func (v *vocab) Less(i, j int) bool { return v.terms[i] < v.terms[j] }
func (v *vocab) Swap(i, j int) {
	v.terms[i], v.terms[j] = v.terms[j], v.terms[i]
	v.counts[i], v.counts[j] = v.counts[j], v.counts[i]
}

// has reports whether the segment holds term.
func (v *vocab) has(term string) bool {
	i := sort.SearchStrings(v.terms, term)
	return i < len(v.terms) && v.terms[i] == term
}

// maxDerivations bounds the terms one query word expands to (a one-letter
// prefix may match thousands); the most frequent are kept.
const maxDerivations = 200

// derivation is an index term that a query word matches.
type derivation struct {
	term  string
	typos int
	count uint64
}

// capDerivations orders the derivations of a word found over every segment,
// fewest typos first, and keeps at most maxDerivations: every exact or
// prefix match before any typo, then the most frequent.
func capDerivations(byTerm map[string]derivation) []derivation {
	out := make([]derivation, 0, len(byTerm))
	for _, d := range byTerm {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].typos == 0) != (out[j].typos == 0) {
			return out[i].typos == 0
		}
		if out[i].count != out[j].count {
			return out[i].count > out[j].count
		}
		return out[i].term < out[j].term
	})
	if len(out) > maxDerivations {
		out = out[:maxDerivations]
	}
	return out
}

// expand returns the terms that w matches: itself, its typo variants within
// w.MaxTypos and, when w is a prefix, the terms that extend it.
func (v *vocab) expand(w relevance.Word) []derivation {
	var out []derivation
	check := func(i int) {
		if n, ok := relevance.Typos(w.Term, v.terms[i], w.MaxTypos, w.Prefix); ok {
			out = append(out, derivation{v.terms[i], n, v.counts[i]})
		}
	}
	r, size := utf8.DecodeRuneInString(w.Term)
	first := w.Term[:size]
	lo := sort.SearchStrings(v.terms, first)
	hi := lo
	for hi < len(v.terms) && strings.HasPrefix(v.terms[hi], first) {
		hi++
	}
	switch {
	case w.MaxTypos == 0 && w.Prefix:
		lo = sort.SearchStrings(v.terms, w.Term)
		for i := lo; i < len(v.terms) && strings.HasPrefix(v.terms[i], w.Term); i++ {
			check(i)
		}
	case w.MaxTypos == 0:
		if i := sort.SearchStrings(v.terms, w.Term); i < len(v.terms) && v.terms[i] == w.Term {
			check(i)
		}
	default:
		// Same first letter: anything within the budget. Another first
		// letter costs a typo, so needs a budget of 2.
		for i := lo; i < hi; i++ {
			check(i)
		}
		if w.MaxTypos >= 2 {
			n := utf8.RuneCountInString(w.Term)
			for i, t := range v.terms {
				if tr, _ := utf8.DecodeRuneInString(t); tr == r {
					continue
				}
				if m := utf8.RuneCountInString(t); m < n-1 || !w.Prefix && m > n+1 {
					continue
				}
				check(i)
			}
		}
	}
	return out
}
