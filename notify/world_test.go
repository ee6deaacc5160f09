package notify_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/storetest"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/notify"
	"github.com/carepool/carepool/pooling"
)

// world is a notify service on a real (in-memory) store, with people, organisations,
// pools and pledges written straight to the store, and the real pooling service for
// the API's access checks.
type world struct {
	t        testing.TB
	ctx      context.Context
	db       *store.DB
	accounts *store.Accounts
	pools    *store.Pooling
	notes    *store.Notify
	svc      *notify.Service
	now      time.Time
	emails   map[string]string // user id → address
}

func newWorld(t testing.TB) *world {
	t.Helper()
	db := storetest.Open(t)
	w := &world{t: t, ctx: context.Background(), db: db, accounts: store.NewAccounts(db), pools: store.NewPooling(db),
		notes: store.NewNotify(db), now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), emails: map[string]string{}}
	access := pooling.NewService(w.pools, nil, store.NewDirectory(db), w.accounts, pooling.Config{Now: func() time.Time { return w.now }})
	svc, err := notify.NewService(notify.Deps{Store: w.notes, Pools: w.pools, Access: access, People: w.accounts},
		notify.Config{Now: func() time.Time { return w.now }, InvitationsPerDay: 5})
	if err != nil {
		t.Fatal(err)
	}
	w.svc = svc
	return w
}

// user creates an account; verified marks its address proved.
func (w *world) user(name string, verified bool) string {
	w.t.Helper()
	id := uuid.NewString()
	email := fmt.Sprintf("%s-%s@example.org", name, id[:8])
	if err := w.accounts.CreateUser(w.ctx, account.User{ID: id, Email: email, Name: name, CreatedAt: w.now, UpdatedAt: w.now}); err != nil {
		w.t.Fatal(err)
	}
	if verified {
		if err := w.accounts.MarkEmailVerified(w.ctx, id, w.now); err != nil {
			w.t.Fatal(err)
		}
	}
	w.emails[id] = email
	return id
}

// org creates an organisation of a kind with its owner and more members.
func (w *world) org(kind account.OrgKind, owner string, members map[string]account.Role) string {
	w.t.Helper()
	id := uuid.NewString()
	o := account.Organisation{ID: id, Name: "Org " + id[:4], Kinds: []account.OrgKind{kind}, Status: account.StatusActive,
		CreatedBy: owner, CreatedAt: w.now, UpdatedAt: w.now, Version: 1}
	if err := w.accounts.CreateOrganisation(w.ctx, o, account.Member{ID: uuid.NewString(), OrgID: id, UserID: owner, Role: account.RoleOwner, AddedAt: w.now}); err != nil {
		w.t.Fatal(err)
	}
	for u, role := range members {
		if err := w.accounts.AddMember(w.ctx, account.Member{ID: uuid.NewString(), OrgID: id, UserID: u, Role: role, AddedAt: w.now}); err != nil {
			w.t.Fatal(err)
		}
	}
	return id
}

// delegate records that rep acts for holder.
func (w *world) delegate(holder, rep string, kind account.DelegationKind) {
	w.t.Helper()
	if err := w.accounts.CreateDelegation(w.ctx, account.Delegation{ID: uuid.NewString(), HolderID: holder, RepresentativeID: rep,
		Kind: kind, CreatedAt: w.now}); err != nil {
		w.t.Fatal(err)
	}
}

// newPool stores a pool of a status, organised by an organisation (or a person when
// orgID is ""), provided by providerID, with two weekly sessions.
func (w *world) newPool(organiser, orgID, providerID string, status pooling.Status) pooling.Pool {
	w.t.Helper()
	first := w.now.AddDate(0, 0, 14)
	p := pooling.Pool{ID: uuid.NewString(), OfferID: uuid.NewString(), ProviderID: providerID, Title: "Friday art",
		Organiser: pooling.Organiser{OrgID: orgID, UserID: organiser}, Visibility: pooling.Public, Status: status,
		Pricing:  pooling.Pricing{GroupPence: 24_000, FloorPence: 3_000, MinPeople: 2, MaxPeople: 8},
		Schedule: pooling.Schedule{FirstSession: first, EveryDays: 7, Sessions: 2, PeriodSessions: 2},
		Sessions: []pooling.Session{{Index: 0, StartsAt: first, Status: pooling.SessionScheduled}, {Index: 1, StartsAt: first.AddDate(0, 0, 7), Status: pooling.SessionScheduled}},
		Deadline: w.now.AddDate(0, 0, 7), History: []pooling.Transition{{To: status, At: w.now}}, Version: 1, CreatedAt: w.now, UpdatedAt: w.now}
	if err := w.pools.CreatePool(w.ctx, p); err != nil {
		w.t.Fatal(err)
	}
	return p
}

// pledge stores a pledge of holder, made by by, from a new budget of a form (held by
// holderOrg for the forms an organisation holds).
func (w *world) pledge(p pooling.Pool, holder, by string, form marketplace.BudgetForm, holderOrg string, status pooling.PledgeStatus, needs ...pooling.ApprovalKind) pooling.Pledge {
	w.t.Helper()
	b := pooling.Budget{ID: uuid.NewString(), HolderID: holder, Form: form, HolderOrgID: holderOrg, CreatedBy: by, CreatedAt: w.now}
	if err := w.pools.CreateBudget(w.ctx, b); err != nil {
		w.t.Fatal(err)
	}
	pl := pooling.Pledge{ID: uuid.NewString(), PoolID: p.ID, ProviderID: p.ProviderID, BudgetID: b.ID, Source: b.Source(), Form: form,
		HolderID: holder, PledgedBy: by, LimitPence: 8_000, Status: status, Needs: needs, Active: !status.Final(),
		From: 0, Until: len(p.Sessions), Shares: []int64{6_000, 6_000}, Approvals: []pooling.Approval{},
		History: []pooling.PledgeEvent{{At: w.now, By: by, Status: status}}, CreatedAt: w.now, UpdatedAt: w.now, Version: 1}
	if err := w.pools.CreatePledge(w.ctx, pl); err != nil {
		w.t.Fatal(err)
	}
	return pl
}

// as is a context acting as a user, with their memberships.
func (w *world) as(userID string) context.Context {
	w.t.Helper()
	ms, err := w.accounts.MembershipsOf(w.ctx, userID)
	if err != nil {
		w.t.Fatal(err)
	}
	return account.WithActor(w.ctx, &account.Actor{UserID: userID, Name: "x", Memberships: ms, Method: account.AuthToken})
}

// deliver delivers a reference as the worker does.
func (w *world) deliver(ref string) notify.Delivered {
	w.t.Helper()
	got, err := w.svc.Deliver(w.ctx, ref)
	if err != nil {
		w.t.Fatalf("deliver %s: %v", ref, err)
	}
	return got
}

// inboxes returns, per user id, the kinds in their inbox for a reference.
func (w *world) inboxes(ref string) map[string][]notify.Kind {
	w.t.Helper()
	var docs []struct {
		UserID string `bson:"user_id"`
		Kind   string `bson:"kind"`
	}
	cur, err := w.db.Collection("notifications").Find(w.ctx, bson.M{"ref": ref})
	if err != nil || cur.All(w.ctx, &docs) != nil {
		w.t.Fatal(err)
	}
	out := map[string][]notify.Kind{}
	for _, d := range docs {
		out[d.UserID] = append(out[d.UserID], notify.Kind(d.Kind))
	}
	return out
}

// mailedTo returns the sorted addresses of the queued notification emails of a kind.
func (w *world) mailedTo(kind notify.Kind) []string {
	w.t.Helper()
	var docs []store.Mail
	cur, err := w.db.Collection("mail").Find(w.ctx, bson.M{"kind": store.NotifyMailKindPrefix + string(kind)})
	if err != nil || cur.All(w.ctx, &docs) != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, d := range docs {
		out = append(out, d.To)
	}
	sort.Strings(out)
	return out
}

// addresses returns the sorted addresses of users.
func (w *world) addresses(ids ...string) []string {
	var out []string
	for _, id := range ids {
		out = append(out, w.emails[id])
	}
	sort.Strings(out)
	return out
}

// recipients returns the sorted user ids with a notification of a reference.
func (w *world) recipients(ref string) []string {
	w.t.Helper()
	var out []string
	for id := range w.inboxes(ref) {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

func sorted(ids ...string) []string {
	out := append([]string(nil), ids...)
	sort.Strings(out)
	return out
}
