package meili

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	meilisearch "github.com/meilisearch/meilisearch-go"

	"github.com/carepool/carepool/search"
)

// settingsVersion changes when the settings below or the stored document
// shape change in a way settings do not capture.
const settingsVersion = 1

// rankingRules put an explicit sort right after words: a person who sorts by
// price or distance gets that order, with relevance breaking ties. With no
// sort, the order is Meilisearch's default (words, typo, proximity,
// attribute, exactness).
var rankingRules = []string{"words", "sort", "typo", "proximity", "attribute", "exactness"}

func settings() *meilisearch.Settings {
	return &meilisearch.Settings{
		RankingRules:         rankingRules,
		SearchableAttributes: search.SearchableAttributeNames,
		DisplayedAttributes:  []string{"*"},
		StopWords:            search.StopWords(),
		Synonyms:             search.Synonyms(),
		FilterableAttributes: []string{"type", "kind", "categories", "budgetForms", "languages", "accessibility",
			"days", "timesOfDay", "verified", "outcodes", "pricePence", "_geo"},
		SortableAttributes: []string{"pricePence", "createdAt", "_geo"},
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled:             true,
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 5, TwoTypos: 9},
			DisableOnWords:      []string{},
			DisableOnAttributes: []string{},
		},
		Pagination: &meilisearch.Pagination{MaxTotalHits: search.MaxResults},
		Faceting: &meilisearch.Faceting{MaxValuesPerFacet: 100,
			SortFacetValuesBy: map[string]meilisearch.SortFacetType{"*": meilisearch.SortFacetTypeCount}},
	}
}

// Schema is the schema version of indexes this adapter builds: the port's
// schema version and a hash of the settings. It is part of the index uid, so
// a change builds a new index rather than serving one with old settings.
func Schema() string {
	b, err := json.Marshal(settings())
	if err != nil {
		panic(err)
	}
	h := sha256.Sum256(append(b, byte(settingsVersion)))
	return search.SchemaVersion() + "-" + hex.EncodeToString(h[:4])
}
