package store

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/calendar"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
	"github.com/carepool/carepool/privacy"
)

// erasureWorld is a person, Dora, with something in every collection that can name
// her, and Olly, who shares an organisation and delegations with her.
type erasureWorld struct {
	db          *DB
	p           *Privacy
	dora, olly  account.User
	doraErasure privacy.Erasure
}

func newErasureWorld(t *testing.T, ollyOwnsToo bool) *erasureWorld {
	t.Helper()
	a, db := openAccountsForTest(t)
	ctx := context.Background()
	w := &erasureWorld{db: db, p: NewPrivacy(db),
		dora: account.User{ID: "u-dora", Email: "dora.deleteme@example.org", Name: "Dora Deleteme", PasswordHash: "$argon2id$dora",
			CreatedAt: accountsT0, UpdatedAt: accountsT0},
		olly: mustCreateUserForTest(t, a, "u-olly", "olly@example.org")}
	w.doraErasure = privacy.Erasure{UserID: w.dora.ID, Email: "erased-u-dora@erased.invalid", Name: privacy.ErasedName,
		PasswordHash: "$argon2id$random", OldName: w.dora.Name, At: accountsT0.Add(24 * time.Hour)}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(a.CreateUser(ctx, w.dora))
	must(a.CreateSession(ctx, account.Session{ID: "s1", TokenHash: "session-hash", UserID: w.dora.ID, CreatedAt: accountsT0, LastSeenAt: accountsT0, ExpiresAt: accountsT0.Add(time.Hour)}))
	must(a.CreateToken(ctx, account.APIToken{ID: "t1", UserID: w.dora.ID, Name: "my script", TokenHash: "token-hash", Hint: "abcd", CreatedAt: accountsT0}))
	must(a.CreateEmailToken(ctx, account.EmailToken{ID: "e1", Purpose: account.PurposeVerifyEmail, UserID: w.dora.ID, Email: w.dora.Email,
		Hash: "email-hash", CreatedAt: accountsT0, ExpiresAt: accountsT0.Add(time.Hour)},
		account.Notice{Key: "verify-e1", Kind: account.NoticeVerifyEmail, UserID: w.dora.ID, To: w.dora.Email, Name: w.dora.Name, Path: "/account/verify-email?token=x"}))
	must(a.QueueNotices(ctx, account.Notice{Key: "granted-d1-representative", Kind: "delegation-granted", UserID: w.olly.ID,
		To: w.olly.Email, Name: w.olly.Name, Other: w.dora.Name, Role: "representative"}))
	// A sent email keeps its record, and an SMTP error on its task may quote the address.
	must(a.QueueNotices(ctx, account.Notice{Key: "changed-1", Kind: "password-changed", UserID: w.dora.ID, To: w.dora.Email, Name: w.dora.Name}))
	_, err := db.Collection(collMail).UpdateOne(ctx, bson.M{"_id": "changed-1"}, bson.M{"$set": bson.M{"status": MailSent, "sent_at": accountsT0}})
	must(err)
	_, err = db.Collection(outboxCollection).UpdateMany(ctx, bson.M{"ref": "changed-1"}, bson.M{"$set": bson.M{"last_error": "550 " + w.dora.Email + " unknown"}})
	must(err)

	must(a.CreateOrganisation(ctx, account.Organisation{ID: "o1", Name: "Headingley Painters", Kinds: []account.OrgKind{account.KindCommunityGroup},
		Status: account.StatusActive, CreatedBy: w.dora.ID, CreatedAt: accountsT0, UpdatedAt: accountsT0, Version: 1},
		account.Member{ID: "m1", OrgID: "o1", UserID: w.dora.ID, Role: account.RoleOwner, AddedBy: w.dora.ID, AddedAt: accountsT0}))
	if ollyOwnsToo {
		must(a.AddMember(ctx, account.Member{ID: "m2", OrgID: "o1", UserID: w.olly.ID, Role: account.RoleOwner, AddedBy: w.dora.ID, AddedAt: accountsT0}))
	}
	must(a.CreateDelegation(ctx, account.Delegation{ID: "d1", HolderID: w.dora.ID, RepresentativeID: w.olly.ID, Kind: account.DelegationTrustedOther, CreatedAt: accountsT0}))
	must(a.CreateDelegation(ctx, account.Delegation{ID: "d2", HolderID: w.olly.ID, RepresentativeID: w.dora.ID, Kind: account.DelegationTrustedOther, CreatedAt: accountsT0}))

	ps := NewPooling(db)
	must(ps.CreateBudget(ctx, pooling.Budget{ID: "b1", HolderID: w.dora.ID, Form: marketplace.DirectPayment, Label: "Dora Deleteme's direct payment",
		CreatedBy: w.dora.ID, CreatedAt: accountsT0}))
	must(ps.CreatePool(ctx, pooling.Pool{ID: "p-own", Title: "Painting", Description: "Dora Deleteme and her friends",
		Organiser: pooling.Organiser{UserID: w.dora.ID}, Status: pooling.StatusFailed, Version: 3, CreatedAt: accountsT0, UpdatedAt: accountsT0}))
	must(ps.CreatePool(ctx, pooling.Pool{ID: "p-org", Title: "Group painting", Description: "Run by the painters",
		Organiser: pooling.Organiser{UserID: w.dora.ID, OrgID: "o1"}, Status: pooling.StatusFailed, Version: 3, CreatedAt: accountsT0, UpdatedAt: accountsT0}))
	must(NewCalendars(db).SaveFeed(ctx, calendar.Feed{UserID: w.dora.ID, TokenHash: "feed-hash", CreatedAt: accountsT0}))
	return w
}

// dump is every document of every collection, as extended JSON, for before/after diffs
// and for searching the whole store.
func dump(t testing.TB, db *DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	counts, err := db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for name := range counts {
		docs, err := findAll[bson.Raw](ctx, db, name, bson.M{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			out[name] = append(out[name], d.String())
		}
		slices.Sort(out[name])
	}
	return out
}

// eraseFeed is the calendar's part of the erasure, as the privacy service passes it.
func (w *erasureWorld) eraseFeed(ctx context.Context) error {
	return NewCalendars(w.db).DeleteFeed(ctx, w.dora.ID)
}

func TestEraseLeavesNoTraceOfTheNameOrEmailAndKeepsTheRecords(t *testing.T) {
	t.Parallel()
	w := newErasureWorld(t, true)
	ctx := context.Background()
	if err := w.p.Erase(ctx, w.doraErasure, w.eraseFeed); err != nil {
		t.Fatal(err)
	}
	for coll, docs := range dump(t, w.db) {
		for _, d := range docs {
			low := strings.ToLower(d)
			for _, secret := range []string{"dora.deleteme@example.org", "dora deleteme", "$argon2id$dora"} {
				if strings.Contains(low, secret) {
					t.Errorf("%s still holds %q: %s", coll, secret, d)
				}
			}
		}
	}
	a := NewAccounts(w.db)
	u, err := a.UserByID(ctx, w.dora.ID)
	if err != nil || u.Email != w.doraErasure.Email || u.Name != privacy.ErasedName || u.PasswordHash != "$argon2id$random" || u.EmailVerifiedAt != nil {
		t.Errorf("the account after erasure: %+v, %v", u, err)
	}
	if _, err := a.UserByEmail(ctx, w.dora.Email); !errors.Is(err, account.ErrUserNotFound) {
		t.Errorf("the old address still finds the account: %v", err)
	}
	for coll, filter := range map[string]bson.M{
		collSessions: {"user_id": w.dora.ID}, collAPITokens: {"user_id": w.dora.ID}, collEmailTokens: {"user_id": w.dora.ID},
		collMemberships: {"user_id": w.dora.ID}, collCalendarFeeds: {"_id": w.dora.ID}, collDelegations: {"active": true},
		collMail: {"user_id": w.dora.ID, "status": MailPending},
	} {
		if n, _ := w.db.Collection(coll).CountDocuments(ctx, filter); n != 0 {
			t.Errorf("%s: %d documents match %v, want none", coll, n, filter)
		}
	}
	// Kept, by id: the delegations (revoked, for safeguarding), the sent email's record,
	// the budget, the pools; the organisation has one owner fewer.
	if n, _ := w.db.Collection(collDelegations).CountDocuments(ctx, bson.M{"revoked_by": w.dora.ID}); n != 2 {
		t.Errorf("%d delegations revoked, want both", n)
	}
	if n, _ := w.db.Collection(collMail).CountDocuments(ctx, bson.M{"_id": "changed-1", "status": MailSent}); n != 1 {
		t.Errorf("the record of the sent email is gone")
	}
	if o, err := findOne[organisationDoc](ctx, w.db, collOrganisations, bson.M{"_id": "o1"}, nil); err != nil || o.OwnerCount != 1 {
		t.Errorf("organisation after erasure: %+v, %v", o, err)
	}
	if b, err := NewPooling(w.db).Budget(ctx, "b1"); err != nil || b.Label != "" || b.HolderID != w.dora.ID {
		t.Errorf("budget after erasure: %+v, %v", b, err)
	}
	ps := NewPooling(w.db)
	own, _ := ps.Pool(ctx, "p-own")
	org, _ := ps.Pool(ctx, "p-org")
	if own.Description != "" || own.Version != 4 || org.Description != "Run by the painters" {
		t.Errorf("pools after erasure: own %q v%d, organisation's %q", own.Description, own.Version, org.Description)
	}
	// The address can open a new account.
	if err := a.CreateUser(ctx, account.User{ID: "u-new", Email: w.dora.Email, Name: "Dora Again", PasswordHash: "x", CreatedAt: accountsT0, UpdatedAt: accountsT0}); err != nil {
		t.Errorf("sign up again with the address: %v", err)
	}
}

func TestEraseIsRefusedAsAWholeWhenSomethingIsInTheWay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		ollyOwnsToo bool
		arrange     func(t *testing.T, w *erasureWorld)
		within      func(w *erasureWorld) func(context.Context) error
		want        error
	}{
		{name: "a pledge holds a place", ollyOwnsToo: true, want: privacy.ErrMoneyInFlight,
			arrange: func(t *testing.T, w *erasureWorld) {
				if _, err := w.db.Collection(pledgesCollection).InsertOne(context.Background(), bson.M{"_id": "pl1", "holder_id": w.dora.ID, "active": true}); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "money is still held for a finished pledge", ollyOwnsToo: true, want: privacy.ErrMoneyInFlight,
			arrange: func(t *testing.T, w *erasureWorld) {
				if _, err := w.db.Collection(pledgesCollection).InsertOne(context.Background(), bson.M{"_id": "pl1", "holder_id": w.dora.ID, "active": false, "held_pence": 100}); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "the only owner of an organisation", ollyOwnsToo: false, want: privacy.ErrSoleOwner},
		{name: "a feature's erasure fails", ollyOwnsToo: true, want: errBoom,
			within: func(w *erasureWorld) func(context.Context) error {
				return func(ctx context.Context) error {
					if err := w.eraseFeed(ctx); err != nil {
						return err
					}
					return errBoom
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newErasureWorld(t, tt.ollyOwnsToo)
			if tt.arrange != nil {
				tt.arrange(t, w)
			}
			within := w.eraseFeed
			if tt.within != nil {
				within = tt.within(w)
			}
			before := dump(t, w.db)
			if err := w.p.Erase(context.Background(), w.doraErasure, within); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if diff := cmp.Diff(before, dump(t, w.db)); diff != "" {
				t.Errorf("a refused erasure changed the store (-before +after):\n%s", diff)
			}
		})
	}
}

var errBoom = errors.New("boom")

func TestRecordsAndSoleOwnerships(t *testing.T) {
	t.Parallel()
	w := newErasureWorld(t, false)
	ctx := context.Background()
	rec, err := w.p.Records(ctx, w.dora.ID)
	if err != nil {
		t.Fatal(err)
	}
	kinds := func() []string {
		var out []string
		for _, e := range rec.Emails {
			out = append(out, e.Kind+"/"+e.Status)
		}
		slices.Sort(out)
		return out
	}()
	if diff := cmp.Diff([]string{"password-changed/sent", "verify-email/pending"}, kinds); diff != "" || len(rec.Sessions) != 1 || len(rec.Claims) != 0 {
		t.Errorf("records: %d sessions, %d claims, emails (-want +got):\n%s", len(rec.Sessions), len(rec.Claims), diff)
	}
	if b, _ := bsonMarshal(rec); bytes.Contains(b, []byte("session-hash")) {
		t.Error("the records hold the session's hash")
	}
	owned, err := w.p.SoleOwnerships(ctx, w.dora.ID)
	if diff := cmp.Diff([]privacy.OrganisationRef{{ID: "o1", Name: "Headingley Painters"}}, owned); err != nil || diff != "" {
		t.Errorf("sole ownerships: %v (-want +got):\n%s", err, diff)
	}
	if owned, err := w.p.SoleOwnerships(ctx, w.olly.ID); err != nil || len(owned) != 0 {
		t.Errorf("olly owns nothing: %v %v", owned, err)
	}
}

func bsonMarshal(v any) ([]byte, error) { return bson.Marshal(bson.M{"v": v}) }
