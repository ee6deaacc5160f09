package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/marketplace/account"
)

func init() {
	registerIndexes(collDelegations,
		// At most one active delegation per holder and representative. "active" is a
		// stored flag rather than "revoked_at is missing" because MongoDB's partial
		// indexes cannot filter on a field's absence.
		mongo.IndexModel{
			Keys: bson.D{{Key: "holder_id", Value: 1}, {Key: "representative_id", Value: 1}},
			Options: options.Index().SetName("delegations_active_pair").SetUnique(true).
				SetPartialFilterExpression(bson.M{"active": true}),
		},
		plain("delegations_representative", bson.D{{Key: "representative_id", Value: 1}}),
	)
}

type delegationDoc struct {
	ID               string     `bson:"_id"`
	HolderID         string     `bson:"holder_id"`
	RepresentativeID string     `bson:"representative_id"`
	Kind             string     `bson:"kind"`
	BrokerageID      string     `bson:"brokerage_id,omitempty"`
	Active           bool       `bson:"active"`
	CreatedAt        time.Time  `bson:"created_at"`
	RevokedAt        *time.Time `bson:"revoked_at,omitempty"`
	RevokedBy        string     `bson:"revoked_by,omitempty"`
}

func (d delegationDoc) delegation() account.Delegation {
	return account.Delegation{ID: d.ID, HolderID: d.HolderID, RepresentativeID: d.RepresentativeID,
		Kind: account.DelegationKind(d.Kind), BrokerageID: d.BrokerageID, CreatedAt: d.CreatedAt.UTC(),
		RevokedAt: optionalUTC(d.RevokedAt), RevokedBy: d.RevokedBy}
}

// CreateDelegation implements account.DelegationStore.
func (s *Accounts) CreateDelegation(ctx context.Context, d account.Delegation) error {
	doc := delegationDoc{ID: d.ID, HolderID: d.HolderID, RepresentativeID: d.RepresentativeID, Kind: string(d.Kind),
		BrokerageID: d.BrokerageID, Active: d.Active(), CreatedAt: d.CreatedAt.UTC(),
		RevokedAt: optionalUTC(d.RevokedAt), RevokedBy: d.RevokedBy}
	if _, err := s.db.Collection(collDelegations).InsertOne(ctx, doc); err != nil {
		if IsDuplicateKey(err) {
			return account.ErrDelegationExists
		}
		return fmt.Errorf("insert delegation: %w", err)
	}
	return nil
}

// DelegationByID implements account.DelegationStore.
func (s *Accounts) DelegationByID(ctx context.Context, id string) (account.Delegation, error) {
	return s.findDelegation(ctx, bson.M{"_id": id})
}

// ActiveDelegation implements account.DelegationStore.
func (s *Accounts) ActiveDelegation(ctx context.Context, holderID, representativeID string) (account.Delegation, error) {
	return s.findDelegation(ctx, bson.M{"holder_id": holderID, "representative_id": representativeID, "active": true})
}

func (s *Accounts) findDelegation(ctx context.Context, filter bson.M) (account.Delegation, error) {
	var d delegationDoc
	if err := s.findOne(ctx, collDelegations, filter, &d, account.ErrDelegationNotFound); err != nil {
		return account.Delegation{}, err
	}
	return d.delegation(), nil
}

// DelegationsByHolder implements account.DelegationStore.
func (s *Accounts) DelegationsByHolder(ctx context.Context, holderID string) ([]account.Delegation, error) {
	return s.findDelegations(ctx, bson.M{"holder_id": holderID})
}

// DelegationsByRepresentative implements account.DelegationStore.
func (s *Accounts) DelegationsByRepresentative(ctx context.Context, representativeID string) ([]account.Delegation, error) {
	return s.findDelegations(ctx, bson.M{"representative_id": representativeID})
}

func (s *Accounts) findDelegations(ctx context.Context, filter bson.M) ([]account.Delegation, error) {
	var docs []delegationDoc
	sort := bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: 1}}
	if err := s.findAll(ctx, collDelegations, filter, sort, &docs); err != nil {
		return nil, err
	}
	out := make([]account.Delegation, len(docs))
	for i, d := range docs {
		out[i] = d.delegation()
	}
	return out, nil
}

// RevokeDelegation implements account.DelegationStore. The active flag in the filter
// makes revocation happen once: the first revoker's time and name are kept.
func (s *Accounts) RevokeDelegation(ctx context.Context, id, by string, at time.Time) (account.Delegation, error) {
	var d delegationDoc
	err := s.db.Collection(collDelegations).FindOneAndUpdate(ctx, bson.M{"_id": id, "active": true},
		bson.M{"$set": bson.M{"active": false, "revoked_at": at.UTC(), "revoked_by": by}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return s.DelegationByID(ctx, id)
	}
	if err != nil {
		return account.Delegation{}, fmt.Errorf("revoke delegation: %w", err)
	}
	return d.delegation(), nil
}
