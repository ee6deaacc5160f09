package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"

	"github.com/carepool/carepool/marketplace/account"
)

type memberDoc struct {
	ID      string    `bson:"_id"`
	OrgID   string    `bson:"org_id"`
	UserID  string    `bson:"user_id"`
	Role    string    `bson:"role"`
	AddedBy string    `bson:"added_by"`
	AddedAt time.Time `bson:"added_at"`
}

func memberDocOf(m account.Member) memberDoc {
	return memberDoc{ID: m.ID, OrgID: m.OrgID, UserID: m.UserID, Role: string(m.Role), AddedBy: m.AddedBy, AddedAt: m.AddedAt.UTC()}
}

func (d memberDoc) member() account.Member {
	return account.Member{ID: d.ID, OrgID: d.OrgID, UserID: d.UserID, Role: account.Role(d.Role), AddedBy: d.AddedBy, AddedAt: d.AddedAt.UTC()}
}

// AddMember implements account.OrganisationStore. The membership and the owner count
// change in one transaction; the unique (org_id, user_id) index refuses a second
// membership of the same person.
func (s *Accounts) AddMember(ctx context.Context, m account.Member) error {
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		inc := 0
		if m.Role == account.RoleOwner {
			inc = 1
		}
		res, err := s.db.Collection(collOrganisations).UpdateOne(ctx, bson.M{"_id": m.OrgID}, bson.M{"$inc": bson.M{"owner_count": inc}})
		if err != nil {
			return fmt.Errorf("count owner: %w", err)
		}
		if res.MatchedCount == 0 {
			return account.ErrOrganisationNotFound
		}
		if _, err := s.db.Collection(collMemberships).InsertOne(ctx, memberDocOf(m)); err != nil {
			return err
		}
		return nil
	})
	if IsDuplicateKey(err) {
		return account.ErrAlreadyMember
	}
	if err != nil && !errors.Is(err, account.ErrOrganisationNotFound) {
		return fmt.Errorf("add member: %w", err)
	}
	return err
}

// Members implements account.OrganisationStore.
func (s *Accounts) Members(ctx context.Context, orgID string) ([]account.Member, error) {
	var docs []memberDoc
	sort := bson.D{{Key: "added_at", Value: 1}, {Key: "_id", Value: 1}}
	if err := s.findAll(ctx, collMemberships, bson.M{"org_id": orgID}, sort, &docs); err != nil {
		return nil, err
	}
	out := make([]account.Member, len(docs))
	for i, d := range docs {
		out[i] = d.member()
	}
	return out, nil
}

// RemoveMember implements account.OrganisationStore. Removing an owner decrements the
// owner count only while it is above one, in the same transaction as the delete, so the
// last owner stays whatever runs concurrently.
func (s *Accounts) RemoveMember(ctx context.Context, orgID, userID string) (account.Member, error) {
	var removed account.Member
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var d memberDoc
		err := s.db.Collection(collMemberships).FindOneAndDelete(ctx, bson.M{"org_id": orgID, "user_id": userID}).Decode(&d)
		if errors.Is(err, mongo.ErrNoDocuments) {
			return account.ErrMemberNotFound
		}
		if err != nil {
			return fmt.Errorf("delete membership: %w", err)
		}
		if d.Role == string(account.RoleOwner) {
			res, err := s.db.Collection(collOrganisations).UpdateOne(ctx,
				bson.M{"_id": orgID, "owner_count": bson.M{"$gt": 1}}, bson.M{"$inc": bson.M{"owner_count": -1}})
			if err != nil {
				return fmt.Errorf("count owners: %w", err)
			}
			if res.MatchedCount == 0 {
				return account.ErrLastOwner // aborts the transaction: the membership stays
			}
		}
		removed = d.member()
		return nil
	})
	return removed, err
}
