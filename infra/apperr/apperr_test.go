package apperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestKindOfFindsTheKindThroughWrapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want Kind
	}{
		{"plain error is internal", errors.New("disk on fire"), Internal},
		{"not found", NotFoundf("offer"), NotFound},
		{"wrapped invalid", fmt.Errorf("create offer: %w", InvalidFields(FieldError{"title", "is required"})), Invalid},
		{"conflict", Conflictf("pool-full", "The pool is full."), Conflict},
		{"unauthenticated", ErrUnauthenticated, Unauthenticated},
	}
	for _, tt := range tests {
		if got := KindOf(tt.err); got != tt.want {
			t.Errorf("%s: KindOf = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestFieldsErrIsNilWhenNothingWasAdded(t *testing.T) {
	t.Parallel()
	var f Fields
	if err := f.Err(); err != nil {
		t.Fatalf("empty Fields.Err() = %v, want nil", err)
	}
	f.Add("title", "is required")
	f.Add("price.amount_pence", "must be at most %d", 100)
	e, ok := As(f.Err())
	if !ok || e.Kind != Invalid || len(e.Fields) != 2 || e.Fields[1].Message != "must be at most 100" {
		t.Fatalf("Fields.Err() = %#v, want Invalid with two fields", f.Err())
	}
}

func TestNotFoundCodeIsASlug(t *testing.T) {
	t.Parallel()
	if got := NotFoundf("api token").Code; got != "api-token-not-found" {
		t.Errorf("code = %q", got)
	}
}
