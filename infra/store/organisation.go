package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/marketplace/account"
)

func init() {
	registerIndexes(collMemberships,
		unique("memberships_org_user", bson.D{{Key: "org_id", Value: 1}, {Key: "user_id", Value: 1}}),
		plain("memberships_user", bson.D{{Key: "user_id", Value: 1}}),
	)
}

// organisationDoc is an organisation as stored. OwnerCount is kept in the same
// transactions that add and remove owners, and only decremented by a conditional update
// (owner_count > 1): two owners removing each other at once on MongoDB would otherwise
// both see the other still there and leave none (write skew), but both transactions
// write this one field, so one of them fails.
type organisationDoc struct {
	ID         string           `bson:"_id"`
	Name       string           `bson:"name"`
	Kinds      []string         `bson:"kinds"`
	Status     string           `bson:"status"`
	LastChange *statusChangeDoc `bson:"last_change,omitempty"`
	CreatedBy  string           `bson:"created_by"`
	CreatedAt  time.Time        `bson:"created_at"`
	UpdatedAt  time.Time        `bson:"updated_at"`
	Version    int64            `bson:"version"`
	OwnerCount int              `bson:"owner_count"`
}

type statusChangeDoc struct {
	Status string    `bson:"status"`
	Reason string    `bson:"reason"`
	By     string    `bson:"by"`
	At     time.Time `bson:"at"`
}

func kindStrings(kinds []account.OrgKind) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

func (d organisationDoc) organisation() account.Organisation {
	o := account.Organisation{ID: d.ID, Name: d.Name, Status: account.OrgStatus(d.Status), CreatedBy: d.CreatedBy,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version}
	for _, k := range d.Kinds {
		o.Kinds = append(o.Kinds, account.OrgKind(k))
	}
	if c := d.LastChange; c != nil {
		o.LastChange = &account.StatusChange{Status: account.OrgStatus(c.Status), Reason: c.Reason, By: c.By, At: c.At.UTC()}
	}
	return o
}

func statusChange(c *account.StatusChange) *statusChangeDoc {
	if c == nil {
		return nil
	}
	return &statusChangeDoc{Status: string(c.Status), Reason: c.Reason, By: c.By, At: c.At.UTC()}
}

// CreateOrganisation implements account.OrganisationStore.
func (s *Accounts) CreateOrganisation(ctx context.Context, o account.Organisation, owner account.Member) error {
	doc := organisationDoc{ID: o.ID, Name: o.Name, Kinds: kindStrings(o.Kinds), Status: string(o.Status),
		LastChange: statusChange(o.LastChange), CreatedBy: o.CreatedBy, CreatedAt: o.CreatedAt.UTC(),
		UpdatedAt: o.UpdatedAt.UTC(), Version: o.Version, OwnerCount: 1}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		if _, err := s.db.Collection(collOrganisations).InsertOne(ctx, doc); err != nil {
			return fmt.Errorf("insert organisation: %w", err)
		}
		if _, err := s.db.Collection(collMemberships).InsertOne(ctx, memberDocOf(owner)); err != nil {
			return fmt.Errorf("insert owner: %w", err)
		}
		return nil
	})
}

// OrganisationByID implements account.OrganisationStore.
func (s *Accounts) OrganisationByID(ctx context.Context, id string) (account.Organisation, error) {
	var d organisationDoc
	if err := s.findOne(ctx, collOrganisations, bson.M{"_id": id}, &d, account.ErrOrganisationNotFound); err != nil {
		return account.Organisation{}, err
	}
	return d.organisation(), nil
}

// UpdateOrganisation implements account.OrganisationStore: the version in the filter
// makes it a compare-and-swap, so a concurrent change is never overwritten.
func (s *Accounts) UpdateOrganisation(ctx context.Context, o account.Organisation) (account.Organisation, error) {
	set := bson.M{"name": o.Name, "kinds": kindStrings(o.Kinds), "status": string(o.Status), "updated_at": o.UpdatedAt.UTC()}
	update := bson.M{"$set": set, "$inc": bson.M{"version": 1}}
	if o.LastChange != nil {
		set["last_change"] = statusChange(o.LastChange)
	} else {
		update["$unset"] = bson.M{"last_change": ""}
	}
	var d organisationDoc
	// The name and status show in the provider's search documents (a suspended provider's
	// offers leave the index): the search task commits with the change.
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		err := s.db.Collection(collOrganisations).FindOneAndUpdate(ctx, bson.M{"_id": o.ID, "version": o.Version}, update,
			options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
		if err != nil {
			return err
		}
		if err := s.db.enqueue(ctx, SearchTopic, "provider:"+o.ID); err != nil {
			return err
		}
		return s.db.enqueuePoolsOf(ctx, "provider_id", o.ID)
	})
	if errors.Is(err, mongo.ErrNoDocuments) {
		if _, err := s.OrganisationByID(ctx, o.ID); err != nil {
			return account.Organisation{}, err
		}
		return account.Organisation{}, account.ErrVersionMismatch
	}
	if err != nil {
		return account.Organisation{}, fmt.Errorf("update organisation: %w", err)
	}
	return d.organisation(), nil
}

// MembershipsOf implements account.OrganisationStore with two finds (memberships, then
// their organisations): lungo has no joins, and both are small per user.
func (s *Accounts) MembershipsOf(ctx context.Context, userID string) ([]account.Membership, error) {
	var mdocs []memberDoc
	if err := s.findAll(ctx, collMemberships, bson.M{"user_id": userID}, bson.D{{Key: "added_at", Value: 1}}, &mdocs); err != nil {
		return nil, err
	}
	if len(mdocs) == 0 {
		return nil, nil
	}
	ids := make([]string, len(mdocs))
	for i, m := range mdocs {
		ids[i] = m.OrgID
	}
	var odocs []organisationDoc
	if err := s.findAll(ctx, collOrganisations, bson.M{"_id": bson.M{"$in": ids}}, nil, &odocs); err != nil {
		return nil, err
	}
	var out []account.Membership
	for _, m := range mdocs {
		i := slices.IndexFunc(odocs, func(o organisationDoc) bool { return o.ID == m.OrgID })
		if i < 0 {
			continue // an organisation removed by hand: nothing to act for
		}
		o := odocs[i].organisation()
		out = append(out, account.Membership{OrgID: o.ID, OrgName: o.Name, OrgKinds: o.Kinds,
			OrgSuspended: o.Suspended(), Role: account.Role(m.Role)})
	}
	return out, nil
}
