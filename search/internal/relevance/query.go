package relevance

import (
	"bufio"
	"fmt"
	"sort"
	"strings"
)

// Synonyms maps a folded word or phrase (words joined by one space) to the
// phrases that may stand for it. The relation is symmetric when built by
// ParseSynonyms.
type Synonyms map[string][]string

// ParseSynonyms reads groups of equivalent words or phrases, one group a line,
// separated by commas; blank lines and lines starting with # are ignored.
// Every member of a group becomes a synonym of every other member.
func ParseSynonyms(text string) (Synonyms, error) {
	syn := Synonyms{}
	sc := bufio.NewScanner(strings.NewReader(text))
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		var group []string
		for _, part := range strings.Split(s, ",") {
			terms := Terms(part)
			if len(terms) == 0 {
				return nil, fmt.Errorf("synonyms line %d: empty member", line)
			}
			if len(terms) > 3 {
				return nil, fmt.Errorf("synonyms line %d: %q has more than 3 words", line, part)
			}
			group = append(group, strings.Join(terms, " "))
		}
		if len(group) < 2 {
			return nil, fmt.Errorf("synonyms line %d: a group needs at least two members", line)
		}
		for _, a := range group {
			for _, b := range group {
				if a != b && !contains(syn[a], b) {
					syn[a] = append(syn[a], b)
				}
			}
		}
	}
	for k := range syn {
		sort.Strings(syn[k])
	}
	return syn, sc.Err()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Word is one query word to match.
type Word struct {
	Term     string
	Prefix   bool // the last word, still being typed
	MaxTypos int
}

// Slot is a part of the query that a document must match: one query word, or
// (as an alternative reading) a run of 2 or 3 words that is a synonym key.
type Slot struct {
	Words    []Word     // one word, or the words of a multi-word synonym key
	Synonyms [][]string // phrases (folded words) that match the slot as well
}

// Query is a parsed text query. Readings lists the alternative ways to cover
// the query words with slots; a document matches when every slot of one
// reading matches it.
type Query struct {
	Words    []Word
	Readings [][]Slot
}

// Empty reports whether the query has no words (a placeholder search).
func (q Query) Empty() bool { return len(q.Words) == 0 }

// maxReadings bounds the alternatives a query with many overlapping
// multi-word synonyms can produce.
const maxReadings = 16

// ParseQuery parses text as Meilisearch does with matchingStrategy "all": stop
// words are dropped (except a last word still being typed), the last word is a
// prefix when the text does not end with a separator, and each word or run of
// words that is a synonym key gains the synonym phrases.
func ParseQuery(text string, syn Synonyms, stop map[string]bool) Query {
	toks := Tokenize(text)
	var q Query
	for i, t := range toks {
		last := i == len(toks)-1
		prefix := last && t.End == len(text)
		if stop[t.Term] && !prefix {
			continue
		}
		q.Words = append(q.Words, Word{Term: t.Term, Prefix: prefix, MaxTypos: MaxTypos(t.Term)})
	}
	q.Readings = readings(q.Words, syn)
	return q
}

func readings(words []Word, syn Synonyms) [][]Slot {
	if len(words) == 0 {
		return [][]Slot{nil}
	}
	var out [][]Slot
	for n := 1; n <= 3 && n <= len(words); n++ {
		key := words[0].Term
		for _, w := range words[1:n] {
			key += " " + w.Term
		}
		alts := syn[key]
		if n > 1 && len(alts) == 0 {
			continue
		}
		slot := Slot{Words: words[:n]}
		for _, a := range alts {
			slot.Synonyms = append(slot.Synonyms, strings.Fields(a))
		}
		if n > 1 {
			// The key itself, as a phrase, is one more way to match.
			slot.Synonyms = append(slot.Synonyms, strings.Fields(key))
		}
		for _, rest := range readings(words[n:], syn) {
			if len(out) == maxReadings {
				return out
			}
			out = append(out, append([]Slot{slot}, rest...))
		}
	}
	return out
}
