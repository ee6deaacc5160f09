package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/marketplace/account"
)

const collClaims = "claims"

func init() {
	// One pending claim per person and organisation: pending_key is org|user while the
	// claim is pending and the claim's own id once decided, so the unique index refuses a
	// second pending claim and nothing else.
	registerIndexes(collClaims,
		unique("claims_pending_key", bson.D{{Key: "pending_key", Value: 1}}),
		plain("claims_user", bson.D{{Key: "user_id", Value: 1}}),
		plain("claims_status", bson.D{{Key: "status", Value: 1}}),
	)
}

var _ account.ClaimStore = (*Accounts)(nil)

type claimDoc struct {
	ID         string     `bson:"_id"`
	OrgID      string     `bson:"org_id"`
	UserID     string     `bson:"user_id"`
	Message    string     `bson:"message"`
	Status     string     `bson:"status"`
	CreatedAt  time.Time  `bson:"created_at"`
	DecidedBy  string     `bson:"decided_by,omitempty"`
	DecidedAt  *time.Time `bson:"decided_at,omitempty"`
	Reason     string     `bson:"reason,omitempty"`
	PendingKey string     `bson:"pending_key"`
}

func (d claimDoc) claim() account.Claim {
	c := account.Claim{ID: d.ID, OrgID: d.OrgID, UserID: d.UserID, Message: d.Message, Status: account.ClaimStatus(d.Status),
		CreatedAt: d.CreatedAt.UTC(), DecidedBy: d.DecidedBy, Reason: d.Reason}
	if d.DecidedAt != nil {
		at := d.DecidedAt.UTC()
		c.DecidedAt = &at
	}
	return c
}

// CreateClaim implements account.ClaimStore.
func (s *Accounts) CreateClaim(ctx context.Context, c account.Claim) error {
	doc := claimDoc{ID: c.ID, OrgID: c.OrgID, UserID: c.UserID, Message: c.Message, Status: string(account.ClaimPending),
		CreatedAt: c.CreatedAt.UTC(), PendingKey: c.OrgID + "|" + c.UserID}
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		n, err := s.db.Collection(collUnclaimed).CountDocuments(ctx, bson.M{"_id": c.OrgID})
		if err != nil {
			return fmt.Errorf("find unclaimed organisation: %w", err)
		}
		if n == 0 {
			return account.ErrNotClaimable
		}
		_, err = s.db.Collection(collClaims).InsertOne(ctx, doc)
		return err
	})
	if IsDuplicateKey(err) {
		return account.ErrClaimPending
	}
	return err
}

// ClaimByID implements account.ClaimStore.
func (s *Accounts) ClaimByID(ctx context.Context, id string) (account.Claim, error) {
	var d claimDoc
	if err := s.findOne(ctx, collClaims, bson.M{"_id": id}, &d, account.ErrClaimNotFound); err != nil {
		return account.Claim{}, err
	}
	return d.claim(), nil
}

// ClaimsByStatus implements account.ClaimStore.
func (s *Accounts) ClaimsByStatus(ctx context.Context, status account.ClaimStatus) ([]account.Claim, error) {
	return s.findClaims(ctx, bson.M{"status": string(status)}, 1)
}

// ClaimsByUser implements account.ClaimStore.
func (s *Accounts) ClaimsByUser(ctx context.Context, userID string) ([]account.Claim, error) {
	return s.findClaims(ctx, bson.M{"user_id": userID}, -1)
}

func (s *Accounts) findClaims(ctx context.Context, filter bson.M, order int) ([]account.Claim, error) {
	var docs []claimDoc
	if err := s.findAll(ctx, collClaims, filter, bson.D{{Key: "created_at", Value: order}, {Key: "_id", Value: order}}, &docs); err != nil {
		return nil, err
	}
	out := make([]account.Claim, len(docs))
	for i, d := range docs {
		out[i] = d.claim()
	}
	return out, nil
}

// ApproveClaim implements account.ClaimStore. Four conditions make it safe against a
// second approval racing it: the claim must still be pending, the organisation must still
// be unclaimed (its staging document is deleted here) and still have no owner (owner_count
// goes from 0 to 1 conditionally); all writes commit together.
func (s *Accounts) ApproveClaim(ctx context.Context, id, by string, at time.Time) (account.Claim, error) {
	var approved account.Claim
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		c, err := s.decide(ctx, id, account.ClaimApproved, by, "", at)
		if err != nil {
			return err
		}
		profile, err := s.db.takeUnclaimed(ctx, c.OrgID)
		if errors.Is(err, errNotUnclaimed) {
			return account.ErrNotClaimable
		}
		if err != nil {
			return err
		}
		res, err := s.db.Collection(collOrganisations).UpdateOne(ctx, bson.M{"_id": c.OrgID, "owner_count": 0},
			bson.M{"$set": bson.M{"owner_count": 1, "updated_at": at.UTC()}, "$inc": bson.M{"version": 1}})
		if err != nil {
			return fmt.Errorf("count owner: %w", err)
		}
		if res.MatchedCount == 0 {
			return account.ErrNotClaimable
		}
		if err := s.makeOwner(ctx, c, by, at); err != nil {
			return err
		}
		if profile != nil {
			p := *profile
			p.Version, p.UpdatedAt = 1, at.UTC()
			if _, err := s.db.Collection(providersCollection).InsertOne(ctx, p); err != nil && !IsDuplicateKey(err) {
				return fmt.Errorf("publish staged profile: %w", err)
			}
			if err := s.db.enqueue(ctx, SearchTopic, "provider:"+c.OrgID); err != nil {
				return err
			}
		}
		var others []claimDoc
		if err := s.findAll(ctx, collClaims, bson.M{"org_id": c.OrgID, "status": string(account.ClaimPending)}, nil, &others); err != nil {
			return err
		}
		for _, o := range others {
			if _, err := s.decide(ctx, o.ID, account.ClaimRejected, by, "Another claim for this organisation was approved.", at); err != nil {
				return fmt.Errorf("reject claim %s: %w", o.ID, err)
			}
		}
		approved = c
		return nil
	})
	return approved, err
}

// makeOwner makes the requester the organisation's owner (an existing membership, which
// only an administrator could have added, is promoted).
func (s *Accounts) makeOwner(ctx context.Context, c account.Claim, by string, at time.Time) error {
	members := s.db.Collection(collMemberships)
	res, err := members.UpdateOne(ctx, bson.M{"org_id": c.OrgID, "user_id": c.UserID}, bson.M{"$set": bson.M{"role": string(account.RoleOwner)}})
	if err != nil {
		return fmt.Errorf("promote member: %w", err)
	}
	if res.MatchedCount > 0 {
		return nil
	}
	m := account.Member{ID: uuid.NewString(), OrgID: c.OrgID, UserID: c.UserID, Role: account.RoleOwner, AddedBy: by, AddedAt: at}
	if _, err := members.InsertOne(ctx, memberDocOf(m)); err != nil {
		return fmt.Errorf("add owner: %w", err)
	}
	return nil
}

// RejectClaim implements account.ClaimStore.
func (s *Accounts) RejectClaim(ctx context.Context, id, by, reason string, at time.Time) (account.Claim, error) {
	var rejected account.Claim
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		c, err := s.decide(ctx, id, account.ClaimRejected, by, reason, at)
		rejected = c
		return err
	})
	return rejected, err
}

// decide moves a pending claim to status, conditionally, and returns it as decided.
func (s *Accounts) decide(ctx context.Context, id string, status account.ClaimStatus, by, reason string, at time.Time) (account.Claim, error) {
	var d claimDoc
	err := s.db.Collection(collClaims).FindOneAndUpdate(ctx, bson.M{"_id": id, "status": string(account.ClaimPending)},
		bson.M{"$set": bson.M{"status": string(status), "decided_by": by, "decided_at": at.UTC(), "reason": reason, "pending_key": id}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		if _, err := s.ClaimByID(ctx, id); err != nil {
			return account.Claim{}, err
		}
		return account.Claim{}, account.ErrClaimDecided
	}
	if err != nil {
		return account.Claim{}, fmt.Errorf("decide claim: %w", err)
	}
	return d.claim(), nil
}
