package bleveindex

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/carepool/carepool/search"
	"github.com/carepool/carepool/search/internal/relevance"
)

// mappingVersion changes whenever the mapping or the way documents are turned
// into fields changes; it is part of the schema version stored in the index.
const mappingVersion = 2

// Field names in the Bleve index.
const (
	fText          = "text"    // searchable attributes, one array element each value
	fTitle         = "title"   // the title alone, to rank title matches first
	fPhrases       = "phrases" // the multi-word synonyms the searchable attributes hold
	fType          = "type"
	fKind          = "kind"
	fCategories    = "categories"
	fBudgetForms   = "budget_forms"
	fLanguages     = "languages"
	fAccessibility = "accessibility"
	fDays          = "days"
	fTimes         = "times"
	fVerified      = "verified"
	fOutcodes      = "outcodes"
	fCells         = "cells" // geo grid cells, see geo.go
	fPrice         = "price"
	fCreated       = "created"
	fGeo           = "geo"
	fSource        = "src"  // the document as JSON, stored only
	fHash          = "hash" // content hash, stored only
)

const tokenizerName = "carepool_words"

var registerOnce sync.Once

// register adds our tokenizer to Bleve's registry: the same words as
// relevance.Tokenize, so that index terms and query words agree.
func register() {
	registerOnce.Do(func() {
		err := registry.RegisterTokenizer(tokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
			return wordTokenizer{}, nil
		})
		if err != nil && !strings.Contains(err.Error(), "already registered") {
			panic(err)
		}
	})
}

type wordTokenizer struct{}

func (wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	toks := relevance.Tokenize(string(input))
	out := make(analysis.TokenStream, len(toks))
	for i, t := range toks {
		out[i] = &analysis.Token{Start: t.Start, End: t.End, Term: []byte(t.Term), Position: i + 1, Type: analysis.AlphaNumeric}
	}
	return out
}

func newMapping() (*mapping.IndexMappingImpl, error) {
	register()
	im := bleveMapping()
	if err := im.AddCustomAnalyzer("carepool", map[string]interface{}{
		"type": custom.Name, "tokenizer": tokenizerName,
	}); err != nil {
		return nil, fmt.Errorf("add analyzer: %w", err)
	}
	dm := mapping.NewDocumentStaticMapping()
	for _, name := range []string{fText, fTitle} {
		// Phrases are terms of their own (fPhrases) and positions are never
		// needed: no term vectors.
		text := mapping.NewTextFieldMapping()
		text.Analyzer, text.Store, text.IncludeInAll, text.IncludeTermVectors, text.DocValues = "carepool", false, false, false, false
		dm.AddFieldMappingsAt(name, text)
	}
	for _, name := range []string{fType, fKind, fCategories, fBudgetForms, fLanguages, fAccessibility, fDays} {
		dm.AddFieldMappingsAt(name, keywordField(true)) // doc values for Bleve's own facets (the raw benchmark)
	}
	for _, name := range []string{fTimes, fVerified, fOutcodes, fCells, fPhrases} {
		dm.AddFieldMappingsAt(name, keywordField(false))
	}
	for _, name := range []string{fPrice, fCreated} {
		n := mapping.NewNumericFieldMapping()
		n.Store, n.IncludeInAll = false, false
		dm.AddFieldMappingsAt(name, n)
	}
	geo := mapping.NewGeoPointFieldMapping()
	geo.Store, geo.IncludeInAll = false, false
	dm.AddFieldMappingsAt(fGeo, geo)
	src := mapping.NewTextFieldMapping()
	src.Index, src.Store, src.IncludeInAll, src.IncludeTermVectors, src.DocValues = false, true, false, false, false
	dm.AddFieldMappingsAt(fSource, src)
	hash := keywordField(false)
	hash.Index, hash.Store = false, true
	dm.AddFieldMappingsAt(fHash, hash)
	im.DefaultMapping = dm
	im.DefaultAnalyzer = keyword.Name
	return im, nil
}

func bleveMapping() *mapping.IndexMappingImpl {
	im := mapping.NewIndexMapping()
	im.StoreDynamic, im.IndexDynamic, im.DocValuesDynamic = false, false, false
	return im
}

func keywordField(docValues bool) *mapping.FieldMapping {
	f := mapping.NewKeywordFieldMapping()
	f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = false, false, false, docValues
	return f
}

// fields turns a document into what Bleve indexes.
func (x *Index) fields(d search.Document, src string) map[string]interface{} {
	var text []string
	for _, attr := range search.SearchableAttributes(d) {
		for _, v := range attr {
			if v != "" {
				text = append(text, v)
			}
		}
	}
	verified := "false"
	if d.Verified {
		verified = "true"
	}
	m := map[string]interface{}{
		fText: text, fTitle: d.Title, fPhrases: x.phrasesIn(text), fType: d.Type, fKind: d.Kind, fCategories: d.Categories,
		fBudgetForms: d.BudgetForms, fLanguages: d.Languages, fAccessibility: d.Accessibility,
		fDays: d.Days, fTimes: d.TimesOfDay, fVerified: verified, fOutcodes: d.Outcodes,
		fPrice: float64(d.PricePence), fCreated: float64(d.CreatedAt.Unix()),
		fSource: src, fHash: d.Hash(),
	}
	if g := d.Geo; g != nil {
		m[fGeo] = map[string]interface{}{"lat": g.Lat, "lon": g.Lng}
		m[fCells] = cellsOf(g.Lat, g.Lng)
	}
	return m
}

// phrasesIn lists the multi-word synonyms found in the values, each as its
// folded words joined by a space: the phrase within one value, as
// relevance.Match finds it.
func (x *Index) phrasesIn(values []string) []string {
	var out []string
	for _, v := range values {
		terms := relevance.Terms(v)
		for i := range terms {
			for n := 2; n <= 3 && i+n <= len(terms); n++ {
				if p := strings.Join(terms[i:i+n], " "); x.phrases[p] && !slices.Contains(out, p) {
					out = append(out, p)
				}
			}
		}
	}
	return out
}
