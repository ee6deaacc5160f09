package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

func init() {
	// Every public list asks for the suspended organisations; on MongoDB this keeps that
	// question off a collection scan.
	registerIndexes(collOrganisations, plain("organisations_status", bson.D{{Key: "status", Value: 1}}))
}

// Directory answers the marketplace's questions about organisations. It reads the
// organisations collection through the account store's own document type, so the two
// features cannot disagree about how an organisation is stored.
type Directory struct {
	db       *DB
	accounts *Accounts
}

var _ marketplace.Directory = (*Directory)(nil)

// NewDirectory returns the organisation directory on db.
func NewDirectory(db *DB) *Directory { return &Directory{db: db, accounts: NewAccounts(db)} }

// Organisation returns an organisation, or account.ErrOrganisationNotFound (a NotFound
// apperr) when there is none.
func (d *Directory) Organisation(ctx context.Context, id string) (account.Organisation, error) {
	return d.accounts.OrganisationByID(ctx, id)
}

// SuspendedOrganisationIDs returns the ids of every suspended organisation, in id order.
// Suspensions are rare administrative acts, so the list stays short.
func (d *Directory) SuspendedOrganisationIDs(ctx context.Context) ([]string, error) {
	cur, err := d.db.Collection(collOrganisations).Find(ctx,
		bson.M{"status": string(account.StatusSuspended)},
		options.Find().SetProjection(bson.M{"_id": 1}).SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find suspended organisations: %w", err)
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read suspended organisations: %w", err)
	}
	ids := make([]string, len(docs))
	for i, doc := range docs {
		ids[i] = doc.ID
	}
	return ids, nil
}
