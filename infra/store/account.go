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

// Collections of the account feature.
const (
	collUsers         = "users"
	collSessions      = "sessions"
	collAPITokens     = "api_tokens"
	collOrganisations = "organisations"
	collMemberships   = "memberships"
	collDelegations   = "delegations"
)

func init() {
	// One account per mailbox: the unique index, not a lookup before the insert, is what
	// makes two simultaneous sign-ups with one email end in one account.
	registerIndexes(collUsers, unique("users_email", bson.D{{Key: "email", Value: 1}}))
}

// Accounts implements account.Store on the database.
type Accounts struct {
	db *DB
}

var _ account.Store = (*Accounts)(nil)

// NewAccounts returns the account store on db.
func NewAccounts(db *DB) *Accounts { return &Accounts{db: db} }

type userDoc struct {
	ID           string `bson:"_id"`
	Email        string `bson:"email"`
	Name         string `bson:"name"`
	PasswordHash string `bson:"password_hash"`
	Admin        bool   `bson:"admin"`
	// EmailVerifiedAt is set when the address was proved (see email.go).
	EmailVerifiedAt *time.Time `bson:"email_verified_at,omitempty"`
	CreatedAt       time.Time  `bson:"created_at"`
	UpdatedAt       time.Time  `bson:"updated_at"`
}

func (d userDoc) user() account.User {
	u := account.User{ID: d.ID, Email: d.Email, Name: d.Name, PasswordHash: d.PasswordHash, Admin: d.Admin,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
	if d.EmailVerifiedAt != nil {
		at := d.EmailVerifiedAt.UTC()
		u.EmailVerifiedAt = &at
	}
	return u
}

// CreateUser implements account.UserStore.
func (s *Accounts) CreateUser(ctx context.Context, u account.User) error {
	doc := userDoc{ID: u.ID, Email: u.Email, Name: u.Name, PasswordHash: u.PasswordHash, Admin: u.Admin,
		CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC()}
	if _, err := s.db.Collection(collUsers).InsertOne(ctx, doc); err != nil {
		if IsDuplicateKey(err) {
			return account.ErrEmailTaken
		}
		return fmt.Errorf("insert user: %w", err)
	}
	return nil
}

// UserByID implements account.UserStore.
func (s *Accounts) UserByID(ctx context.Context, id string) (account.User, error) {
	return s.findUser(ctx, bson.M{"_id": id})
}

// UserByEmail implements account.UserStore.
func (s *Accounts) UserByEmail(ctx context.Context, email string) (account.User, error) {
	return s.findUser(ctx, bson.M{"email": email})
}

func (s *Accounts) findUser(ctx context.Context, filter bson.M) (account.User, error) {
	var doc userDoc
	if err := s.findOne(ctx, collUsers, filter, &doc, account.ErrUserNotFound); err != nil {
		return account.User{}, err
	}
	return doc.user(), nil
}

// UsersByID implements account.UserStore.
func (s *Accounts) UsersByID(ctx context.Context, ids []string) (map[string]account.User, error) {
	users := make(map[string]account.User, len(ids))
	if len(ids) == 0 {
		return users, nil
	}
	var docs []userDoc
	if err := s.findAll(ctx, collUsers, bson.M{"_id": bson.M{"$in": ids}}, nil, &docs); err != nil {
		return nil, err
	}
	for _, d := range docs {
		users[d.ID] = d.user()
	}
	return users, nil
}

// RenameUser implements account.UserStore.
func (s *Accounts) RenameUser(ctx context.Context, id, name string, at time.Time) (account.User, error) {
	var doc userDoc
	err := s.db.Collection(collUsers).FindOneAndUpdate(ctx, bson.M{"_id": id},
		bson.M{"$set": bson.M{"name": name, "updated_at": at.UTC()}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return account.User{}, account.ErrUserNotFound
	}
	if err != nil {
		return account.User{}, fmt.Errorf("rename user: %w", err)
	}
	return doc.user(), nil
}

// SetAdmin implements account.UserStore.
func (s *Accounts) SetAdmin(ctx context.Context, id string, admin bool, at time.Time) error {
	res, err := s.db.Collection(collUsers).UpdateOne(ctx, bson.M{"_id": id},
		bson.M{"$set": bson.M{"admin": admin, "updated_at": at.UTC()}})
	if err != nil {
		return fmt.Errorf("set admin: %w", err)
	}
	if res.MatchedCount == 0 {
		return account.ErrUserNotFound
	}
	return nil
}

// findOne decodes the one document of coll matching filter into v, or returns notFound.
func (s *Accounts) findOne(ctx context.Context, coll string, filter bson.M, v any, notFound error) error {
	err := s.db.Collection(coll).FindOne(ctx, filter).Decode(v)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return notFound
	}
	if err != nil {
		return fmt.Errorf("find in %s: %w", coll, err)
	}
	return nil
}

// findAll decodes every document of coll matching filter, in sort order, into v (a
// pointer to a slice). Keep filters simple: the embedded engine scans the collection.
func (s *Accounts) findAll(ctx context.Context, coll string, filter bson.M, sort bson.D, v any) error {
	opts := options.Find()
	if sort != nil {
		opts.SetSort(sort)
	}
	cur, err := s.db.Collection(coll).Find(ctx, filter, opts)
	if err != nil {
		return fmt.Errorf("find in %s: %w", coll, err)
	}
	if err := cur.All(ctx, v); err != nil {
		return fmt.Errorf("read %s: %w", coll, err)
	}
	return nil
}
