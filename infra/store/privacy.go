package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/privacy"
)

// Privacy implements privacy.Store: what the account store keeps about a person beyond
// the services' views, and the erasure of a person across every collection that names
// them (privacy/README.md lists them all, and what is kept).
type Privacy struct {
	db *DB
}

var _ privacy.Store = (*Privacy)(nil)

// NewPrivacy returns the privacy store on db.
func NewPrivacy(db *DB) *Privacy { return &Privacy{db: db} }

// Records implements privacy.Store.
func (p *Privacy) Records(ctx context.Context, userID string) (privacy.Records, error) {
	byCreation := options.Find().SetSort(bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}})
	rec := privacy.Records{Sessions: []privacy.SessionRecord{}, Claims: []privacy.ClaimRecord{}, Emails: []privacy.EmailRecord{}}
	sessions, err := findAll[sessionDoc](ctx, p.db, collSessions, bson.M{"user_id": userID}, byCreation)
	if err != nil {
		return rec, err
	}
	for _, s := range sessions {
		rec.Sessions = append(rec.Sessions, privacy.SessionRecord{CreatedAt: s.CreatedAt.UTC(),
			LastSeenAt: s.LastSeenAt.UTC(), ExpiresAt: s.ExpiresAt.UTC()})
	}
	claims, err := findAll[claimDoc](ctx, p.db, collClaims, bson.M{"user_id": userID}, byCreation)
	if err != nil {
		return rec, err
	}
	for _, c := range claims {
		rec.Claims = append(rec.Claims, privacy.ClaimRecord{OrganisationID: c.OrgID, Message: c.Message, Status: c.Status,
			CreatedAt: c.CreatedAt.UTC(), DecidedAt: optionalUTC(c.DecidedAt), Reason: c.Reason})
	}
	mails, err := findAll[Mail](ctx, p.db, collMail, bson.M{"user_id": userID}, byCreation)
	if err != nil {
		return rec, err
	}
	for _, m := range mails {
		e := privacy.EmailRecord{Kind: m.Kind, Status: m.Status, CreatedAt: m.CreatedAt.UTC()}
		if !m.SentAt.IsZero() {
			e.SentAt = optionalUTC(&m.SentAt)
		}
		rec.Emails = append(rec.Emails, e)
	}
	return rec, nil
}

// SoleOwnerships implements privacy.Store.
func (p *Privacy) SoleOwnerships(ctx context.Context, userID string) ([]privacy.OrganisationRef, error) {
	owned, err := findAll[memberDoc](ctx, p.db, collMemberships, bson.M{"user_id": userID, "role": string(account.RoleOwner)}, nil)
	if err != nil || len(owned) == 0 {
		return nil, err
	}
	ids := make([]string, len(owned))
	for i, m := range owned {
		ids[i] = m.OrgID
	}
	orgs, err := findAll[organisationDoc](ctx, p.db, collOrganisations,
		bson.M{"_id": bson.M{"$in": ids}, "owner_count": bson.M{"$lte": 1}}, options.Find().SetSort(bson.D{{Key: "name", Value: 1}}))
	if err != nil {
		return nil, err
	}
	out := make([]privacy.OrganisationRef, len(orgs))
	for i, o := range orgs {
		out[i] = privacy.OrganisationRef{ID: o.ID, Name: o.Name}
	}
	return out, nil
}

// Erase implements privacy.Store. Everything happens in one transaction, which the
// checks are part of. On the embedded store transactions run one at a time, so nothing
// slips in between check and erasure. On MongoDB an owner leaving at the same moment
// conflicts on the organisation's owner count (both write it); a pledge made at the same
// moment writes nothing the erasure writes, so under snapshot isolation it could commit
// alongside: it would then name the erased account by id, which keeps the ledger whole.
func (p *Privacy) Erase(ctx context.Context, e privacy.Erasure, within func(ctx context.Context) error) error {
	return p.db.Tx(ctx, func(ctx context.Context) error {
		if err := p.checkNoMoneyInFlight(ctx, e.UserID); err != nil {
			return err
		}
		steps := []func(context.Context, privacy.Erasure) error{
			p.eraseUser, p.eraseCredentials, p.leaveOrganisations, p.revokeDelegations,
			p.eraseWritings, p.eraseMail,
		}
		for _, step := range steps {
			if err := step(ctx, e); err != nil {
				return err
			}
		}
		return within(ctx)
	})
}

// checkNoMoneyInFlight refuses while the person holds a place in a pool or has money
// set aside: the store's own record, whatever the service saw a moment ago.
func (p *Privacy) checkNoMoneyInFlight(ctx context.Context, userID string) error {
	n, err := p.db.Collection(pledgesCollection).CountDocuments(ctx, bson.M{"holder_id": userID, "$or": bson.A{
		bson.M{"active": true}, bson.M{"reserved_pence": bson.M{"$gt": 0}}, bson.M{"held_pence": bson.M{"$gt": 0}}}})
	if err != nil {
		return fmt.Errorf("count pledges in flight: %w", err)
	}
	if n > 0 {
		return privacy.ErrMoneyInFlight
	}
	return nil
}

// eraseUser replaces the account's identifying fields and keeps its id, which the
// ledger and pledges refer to.
func (p *Privacy) eraseUser(ctx context.Context, e privacy.Erasure) error {
	res, err := p.db.Collection(collUsers).UpdateOne(ctx, bson.M{"_id": e.UserID}, bson.M{
		"$set": bson.M{"email": e.Email, "name": e.Name, "password_hash": e.PasswordHash, "admin": false,
			"updated_at": e.At.UTC(), "erased_at": e.At.UTC()},
		"$unset": bson.M{"email_verified_at": ""},
	})
	if err != nil {
		return fmt.Errorf("erase user: %w", err)
	}
	if res.MatchedCount == 0 {
		return account.ErrUserNotFound
	}
	return nil
}

// eraseCredentials removes every way to act as the person: sessions, API tokens and the
// links sent by email (which also hold the address they were sent to).
func (p *Privacy) eraseCredentials(ctx context.Context, e privacy.Erasure) error {
	for _, coll := range []string{collSessions, collAPITokens, collEmailTokens} {
		if _, err := p.db.Collection(coll).DeleteMany(ctx, bson.M{"user_id": e.UserID}); err != nil {
			return fmt.Errorf("erase %s: %w", coll, err)
		}
	}
	return nil
}

// leaveOrganisations removes the person's memberships. An owner leaves only if another
// owner stays (the same conditional update as RemoveMember).
func (p *Privacy) leaveOrganisations(ctx context.Context, e privacy.Erasure) error {
	ms, err := findAll[memberDoc](ctx, p.db, collMemberships, bson.M{"user_id": e.UserID}, nil)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Role != string(account.RoleOwner) {
			continue
		}
		res, err := p.db.Collection(collOrganisations).UpdateOne(ctx,
			bson.M{"_id": m.OrgID, "owner_count": bson.M{"$gt": 1}}, bson.M{"$inc": bson.M{"owner_count": -1}})
		if err != nil {
			return fmt.Errorf("count owners: %w", err)
		}
		if res.MatchedCount == 0 {
			return privacy.ErrSoleOwner
		}
	}
	if _, err := p.db.Collection(collMemberships).DeleteMany(ctx, bson.M{"user_id": e.UserID}); err != nil {
		return fmt.Errorf("erase memberships: %w", err)
	}
	return nil
}

// revokeDelegations ends every active delegation to or from the person. The records
// stay (safeguarding: who could act for whom, and when), naming people by id only.
func (p *Privacy) revokeDelegations(ctx context.Context, e privacy.Erasure) error {
	_, err := p.db.Collection(collDelegations).UpdateMany(ctx,
		bson.M{"active": true, "$or": bson.A{bson.M{"holder_id": e.UserID}, bson.M{"representative_id": e.UserID}}},
		bson.M{"$set": bson.M{"active": false, "revoked_at": e.At.UTC(), "revoked_by": e.UserID}})
	if err != nil {
		return fmt.Errorf("revoke delegations: %w", err)
	}
	return nil
}

// eraseWritings removes free text the person wrote: claims to organisations (a message
// about who they are), labels of their budgets, and the descriptions of pools they
// proposed on their own (pools proposed for an organisation are the organisation's).
func (p *Privacy) eraseWritings(ctx context.Context, e privacy.Erasure) error {
	if _, err := p.db.Collection(collClaims).DeleteMany(ctx, bson.M{"user_id": e.UserID}); err != nil {
		return fmt.Errorf("erase claims: %w", err)
	}
	if _, err := p.db.Collection(budgetsCollection).UpdateMany(ctx, bson.M{"holder_id": e.UserID},
		bson.M{"$unset": bson.M{"label": ""}}); err != nil {
		return fmt.Errorf("erase budget labels: %w", err)
	}
	type organised struct {
		ID        string `bson:"_id"`
		Organiser struct {
			OrgID string `bson:"org_id"`
		} `bson:"organiser"`
	}
	pools, err := findAll[organised](ctx, p.db, poolsCollection, bson.M{"organiser.user_id": e.UserID},
		options.Find().SetProjection(bson.M{"organiser": 1}))
	if err != nil {
		return err
	}
	for _, pl := range pools {
		if pl.Organiser.OrgID != "" {
			continue
		}
		if _, err := p.db.Collection(poolsCollection).UpdateOne(ctx, bson.M{"_id": pl.ID}, bson.M{
			"$set": bson.M{"description": "", "updated_at": e.At.UTC()}, "$inc": bson.M{"version": 1}}); err != nil {
			return fmt.Errorf("erase pool description: %w", err)
		}
	}
	return nil
}

// eraseMail drops the emails not yet sent to the person, forgets the address and name
// on those that were (the record that an email went stays, for support), and takes
// their name out of emails to other people ("Alice can now act for you").
func (p *Privacy) eraseMail(ctx context.Context, e privacy.Erasure) error {
	mail := p.db.Collection(collMail)
	if _, err := mail.DeleteMany(ctx, bson.M{"user_id": e.UserID, "status": MailPending}); err != nil {
		return fmt.Errorf("erase pending mail: %w", err)
	}
	type key struct {
		Key string `bson:"_id"`
	}
	keys, err := findAll[key](ctx, p.db, collMail, bson.M{"user_id": e.UserID}, options.Find().SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return err
	}
	if _, err := mail.UpdateMany(ctx, bson.M{"user_id": e.UserID},
		bson.M{"$set": bson.M{"to": "", "name": "", "path": "", "last_error": ""}}); err != nil {
		return fmt.Errorf("erase sent mail: %w", err)
	}
	if e.OldName != "" {
		if _, err := mail.UpdateMany(ctx, bson.M{"other": e.OldName}, bson.M{"$set": bson.M{"other": e.Name}}); err != nil {
			return fmt.Errorf("erase name in mail: %w", err)
		}
	}
	// An SMTP error kept on a mail task may quote the address.
	refs := make([]string, len(keys))
	for i, k := range keys {
		refs[i] = k.Key
	}
	if len(refs) > 0 {
		if _, err := p.db.Collection(outboxCollection).UpdateMany(ctx, bson.M{"topic": MailTopic, "ref": bson.M{"$in": refs}},
			bson.M{"$set": bson.M{"last_error": ""}}); err != nil {
			return fmt.Errorf("erase mail errors: %w", err)
		}
	}
	return nil
}
