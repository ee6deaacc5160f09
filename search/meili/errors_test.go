package meili_test

import (
	"errors"

	meilisearch "github.com/meilisearch/meilisearch-go"
)

func asMeiliError(err error, target **meilisearch.Error) bool { return errors.As(err, target) }
