package search

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/carepool/carepool/search/internal/relevance"
)

//go:embed synonyms.txt
var synonymsText string

//go:embed stopwords.txt
var stopWordsText string

// documentVersion changes when the meaning of a Document field or the way
// documents are turned into searchable text changes. 2: the marketplace's
// vocabularies (kind community_activity, hyphenated category slugs and their
// labels, three-letter language codes).
const documentVersion = 2

var (
	synonyms  = mustSynonyms()
	stopWords = strings.Fields(stopWordsText)
	stopSet   = func() map[string]bool {
		m := map[string]bool{}
		for _, w := range stopWords {
			m[w] = true
		}
		return m
	}()
)

func mustSynonyms() relevance.Synonyms {
	s, err := relevance.ParseSynonyms(synonymsText)
	if err != nil {
		panic(fmt.Sprintf("search: embedded synonyms.txt: %v", err)) // caught by the package tests
	}
	return s
}

// Synonyms returns the synonyms of synonyms.txt as Meilisearch's synonyms
// setting takes them: each folded word or phrase with the phrases that may
// stand for it.
func Synonyms() map[string][]string {
	m := make(map[string][]string, len(synonyms))
	for k, v := range synonyms {
		m[k] = append([]string(nil), v...)
	}
	return m
}

// StopWords returns the words a query ignores ("for", "the", "near"...).
func StopWords() []string { return append([]string(nil), stopWords...) }

// IsStopWord reports whether a folded word is a stop word.
func IsStopWord(w string) bool { return stopSet[w] }

// SchemaVersion identifies everything both adapters build their index from:
// the document shape, searchable attributes, synonyms, stop words and typo
// rules. Each adapter adds its own mapping or settings version to it; when
// the result differs from the one an index was built with, the index is
// rebuilt.
func SchemaVersion() string {
	h := sha256.New()
	fmt.Fprintf(h, "doc=%d\nattrs=%v\ntypos=%d,%d\n", documentVersion, SearchableAttributeNames,
		relevance.OneTypoLen, relevance.TwoTyposLen)
	for _, k := range sortedKeys(synonyms) {
		fmt.Fprintf(h, "syn %s=%s\n", k, strings.Join(synonyms[k], "|"))
	}
	fmt.Fprintf(h, "stop=%s\n", strings.Join(stopWords, " "))
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
