package relevance

import "unicode/utf8"

// Typo thresholds: Meilisearch's defaults for minWordSizeForTypos.
const (
	OneTypoLen  = 5
	TwoTyposLen = 9
)

// MaxTypos is how many typos a query word of that spelling may contain.
func MaxTypos(word string) int {
	n := utf8.RuneCountInString(word)
	switch {
	case n >= TwoTyposLen:
		return 2
	case n >= OneTypoLen:
		return 1
	}
	return 0
}

// Typos reports whether term matches query word w, and with how many typos.
// With prefix set, term may also extend w (or a spelling of w within the typo
// budget), as for the last word of a query typed so far. Distances are
// Damerau–Levenshtein (a transposition is one typo) and a term that does not
// start with w's first letter costs one typo more, as in Meilisearch.
func Typos(w, term string, max int, prefix bool) (int, bool) {
	if w == term {
		return 0, true
	}
	if prefix && len(term) > len(w) && term[:len(w)] == w {
		return 0, true
	}
	if max == 0 || term == "" {
		return 0, false
	}
	if isASCII(w) && isASCII(term) {
		// The common case, without converting to runes: a byte is a letter.
		return typos([]byte(w), []byte(term), max, prefix)
	}
	return typos([]rune(w), []rune(term), max, prefix)
}

func typos[T byte | rune](q, t []T, max int, prefix bool) (int, bool) {
	penalty := 0
	if t[0] != q[0] {
		penalty = 1
	}
	budget := max - penalty
	if !prefix && abs(len(q)-len(t)) > budget {
		return 0, false
	}
	d := distance(q, t, budget, prefix)
	if d <= 0 { // d == 0 was handled above as an exact or prefix match
		return 0, false
	}
	return d + penalty, true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// distance is the optimal-string-alignment distance between q and t (or, with
// prefix, between q and the closest prefix of t), or -1 when over budget.
func distance[T byte | rune](q, t []T, budget int, prefix bool) int {
	if prefix && len(t) > len(q)+budget {
		t = t[:len(q)+budget]
	}
	n, m := len(q), len(t)
	var rows [3][32]int // no allocation for the usual word lengths
	prev2, prev, cur := rows[0][:], rows[1][:], rows[2][:]
	if m+1 > len(prev) {
		prev2, prev, cur = make([]int, m+1), make([]int, m+1), make([]int, m+1)
	}
	prev2, prev, cur = prev2[:m+1], prev[:m+1], cur[:m+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= n; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= m; j++ {
			cost := 1
			if q[i-1] == t[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && q[i-1] == t[j-2] && q[i-2] == t[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > budget {
			return -1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	d := prev[m]
	if prefix {
		for j := 0; j <= m; j++ {
			d = min(d, prev[j])
		}
	}
	if d > budget {
		return -1
	}
	return d
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
