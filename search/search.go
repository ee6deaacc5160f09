// Package search is Carepool's search port: the documents the marketplace and
// pooling make findable (offers and open pools), the query people type and
// filter, the result they see, and the Index interface that the two adapters
// implement: search/meili (a Meilisearch server, when MEILI_URL is set) and
// search/bleve (embedded, the default).
//
// Both adapters answer a Query the same way: every query word must match
// (with Meilisearch's typo tolerance, prefix matching of the last word and the
// synonyms in synonyms.txt), filters narrow the set, facets count it, and hits
// are ordered by the explicit sort or by the ranking rules typo, proximity,
// attribute and exactness. The shared behaviour suite in search/searchtest
// holds them to that.
package search

import (
	"context"
	"errors"
)

// Index is a searchable collection of documents. Implementations are safe for
// concurrent use.
type Index interface {
	// Upsert adds documents or replaces those with the same ID. It returns a
	// *ValidationError when a document is invalid (nothing is written then),
	// ErrClosed after Close, and otherwise a wrapped adapter error.
	Upsert(ctx context.Context, docs ...Document) error

	// Delete removes documents by ID; unknown IDs are ignored. It returns
	// ErrClosed after Close, and otherwise a wrapped adapter error.
	Delete(ctx context.Context, ids ...string) error

	// Search runs a query. It returns a *ValidationError for an invalid query
	// (listing every field at fault), ErrClosed after Close, and otherwise a
	// wrapped adapter error.
	Search(ctx context.Context, q Query) (Result, error)

	// Hashes lists every indexed document's ID with its content hash
	// (Document.Hash), so that a reindex can upsert only what changed and
	// delete what the store no longer has (see Sync). It returns ErrClosed
	// after Close, and otherwise a wrapped adapter error.
	Hashes(ctx context.Context) (map[string]string, error)

	// Status describes the index. It returns ErrClosed after Close, and
	// otherwise a wrapped adapter error.
	Status(ctx context.Context) (Status, error)

	// Reset removes every document, leaving an empty index with the current
	// schema, ready to be filled from the store. It returns ErrClosed after
	// Close, and otherwise a wrapped adapter error.
	Reset(ctx context.Context) error

	// Close releases the index. Calls after the first return nil.
	Close() error
}

// Status describes an index.
type Status struct {
	// Schema is the version of the index schema (mapping or settings,
	// synonyms, stop words, document shape) the index is built with; after
	// opening it is always the current one.
	Schema string
	// Documents is how many documents the index holds.
	Documents int
	// Created is true when opening found no index, or one built with another
	// schema, and created an empty one: it must be filled from the store
	// (carepool reindex) before search results are complete.
	Created bool
}

// Errors returned by every Index.
var (
	// ErrClosed is returned by an Index used after Close.
	ErrClosed = errors.New("search: index is closed")
)
