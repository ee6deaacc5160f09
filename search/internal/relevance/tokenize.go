// Package relevance is Carepool's model of Meilisearch's documented text
// matching and ranking: tokenizing and folding, typo tolerance (one typo from 5
// letters, two from 9, a changed first letter counting as two, transpositions as
// one), prefix matching of the last query word, synonyms (including multi-word
// ones) and the ranking rules typo, proximity, attribute and exactness.
//
// The embedded Bleve adapter uses it to expand query words against its term
// dictionary and to re-rank candidates, and the Meilisearch fake uses it to
// answer searches, so that both behave as Meilisearch does on the behaviour
// suite's data. The suite run against a real Meilisearch (MEILI_URL) is the
// check that this model is faithful.
package relevance

import (
	"unicode"
	"unicode/utf8"
)

// Token is one word of a text, folded to lower case without diacritics.
type Token struct {
	Term       string // folded form
	Pos        int    // position within its attribute (array values are separated by PositionGap)
	Start, End int    // byte offsets of the word in the original text
}

// PositionGap separates the values of an array attribute, so that a phrase
// never spans two values and proximity across values is the maximum.
const PositionGap = 8

// Tokenize splits s into words: maximal runs of letters and digits. Everything
// else separates words, including apostrophes and hyphens, as Meilisearch's
// Latin tokenizer does.
func Tokenize(s string) []Token {
	out := make([]Token, 0, len(s)/6+1)
	start := -1
	plain := true // every rune is its own folded form: the term is a slice of s
	var buf []rune
	flush := func(end int) {
		if start >= 0 {
			term := s[start:end]
			if !plain {
				term = string(buf)
			}
			out = append(out, Token{Term: term, Pos: len(out), Start: start, End: end})
			start, buf = -1, buf[:0]
		}
	}
	for i, r := range s {
		if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			flush(i)
			continue
		}
		if start < 0 {
			start, plain = i, true
		}
		f := Fold(r)
		plain = plain && f == r
		buf = append(buf, f)
	}
	flush(len(s))
	return out
}

// Terms returns the folded words of s.
func Terms(s string) []string {
	toks := Tokenize(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Term
	}
	return out
}

// Fold lowers r and removes the diacritics of the Latin letters that appear in
// English text (café → cafe, Łódź → lodz).
func Fold(r rune) rune {
	r = unicode.ToLower(r)
	if r < 0xC0 {
		return r
	}
	if f, ok := folds[r]; ok {
		return f
	}
	return r
}

var folds = func() map[rune]rune {
	m := map[rune]rune{}
	for base, variants := range map[rune]string{
		'a': "àáâãäåāăą", 'c': "çćĉċč", 'd': "ďđ", 'e': "èéêëēĕėęě", 'g': "ĝğġģ",
		'h': "ĥħ", 'i': "ìíîïĩīĭįı", 'j': "ĵ", 'k': "ķ", 'l': "ĺļľŀł", 'n': "ñńņňŉ",
		'o': "òóôõöøōŏő", 'r': "ŕŗř", 's': "śŝşšș", 't': "ţťŧț", 'u': "ùúûüũūŭůűų",
		'w': "ŵ", 'y': "ýÿŷ", 'z': "źżž",
	} {
		for _, v := range variants {
			m[v] = base
		}
	}
	return m
}()

// Attr is one searchable attribute of a document, tokenized.
type Attr []Token

// NewAttr tokenizes the values of one attribute; positions continue across
// values with PositionGap between them.
func NewAttr(values ...string) Attr {
	var out Attr
	next := 0
	for i, v := range values {
		if i > 0 {
			next += PositionGap
		}
		for _, t := range Tokenize(v) {
			t.Pos = next + t.Pos
			out = append(out, t)
		}
		if n := len(out); n > 0 {
			next = out[n-1].Pos + 1
		}
	}
	return out
}

// Doc is a document's searchable attributes in ranking order (the first is the
// most important).
type Doc []Attr
