package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// authzRoles are the columns of the authorization matrix, in order: who calls.
//
//	anon    nobody logged in
//	alice   a budget holder (delegates to bob and to broker@)
//	bob     a representative (trusted other of alice)
//	prov    owner of the right provider (provider@, a Leeds community group)
//	member  a plain member (not owner) of the right provider
//	other   owner of another provider (other-provider@)
//	ulo     member of a user-led organisation
//	comm    commissioner of Leeds City Council
//	admin   platform administrator (and, from the seed, owner of every council)
var authzRoles = []string{"anon", "alice", "bob", "prov", "member", "other", "ulo", "comm", "admin"}

// authzEmails maps the seeded roles to their demo accounts; member is made by the fixture.
var authzEmails = map[string]string{
	"alice": "alice", "bob": "bob", "prov": "provider", "other": "other-provider",
	"ulo": "ulo", "comm": "commissioner", "admin": "admin",
}

// authzRole is one caller of the matrix, authenticated with a bearer API token.
type authzRole struct {
	key     string
	email   string
	name    string
	userID  string
	token   string // bearer token
	tokenID string
	session string // the session the token was created from, for setups that need one
}

// authzFixture is one seeded Main with a caller per role and the target objects of the
// matrix. vars names the targets for the path templates ({provOrg}, {draft}, ...).
type authzFixture struct {
	t      testing.TB
	m      *Main
	base   string
	roles  map[string]*authzRole
	vars   map[string]string
	sample marketplace.OfferInput // a valid offer of the right provider, to create more
	emails []string               // every personal email a response must not show to others
	n      int
}

func newAuthzFixture(t testing.TB) *authzFixture {
	t.Helper()
	m, srv := mustOpen(t)
	return newAuthzFixtureOn(t, m, srv)
}

// newAuthzFixtureOn builds the fixture on a Main opened by the caller (with card
// payments, say).
func newAuthzFixtureOn(t testing.TB, m *Main, srv *httptest.Server) *authzFixture {
	t.Helper()
	mustSeed(t, m)
	f := &authzFixture{t: t, m: m, base: srv.URL, roles: map[string]*authzRole{"anon": {key: "anon"}}, vars: map[string]string{}}
	for key, local := range authzEmails {
		f.roles[key] = f.login(t, key, local+"@"+demoDomain, DemoPassword)
	}

	// The organisations, found from their members' memberships (which also checks that
	// each demo account still holds the role it stands for).
	f.vars["provOrg"] = f.orgOf(t, "prov", account.KindCommunityGroup)
	f.vars["council"] = f.orgOf(t, "comm", account.KindCouncil)
	f.orgOf(t, "other", account.KindSmallProvider)
	f.orgOf(t, "ulo", account.KindUserLedOrganisation)

	// A plain member of the right provider, added by its owner through the API.
	email := "matrix-member@example.org"
	resp, body := f.client("anon").do(http.MethodPost, "/api/v1/accounts",
		map[string]string{"email": email, "password": "a long enough password", "name": "Mo Member"})
	authzMustStatus(t, resp, body, http.StatusCreated)
	f.roles["member"] = f.login(t, "member", email, "a long enough password")
	f.addMember(t, "prov", f.vars["provOrg"], email)

	// The right provider's offers: a published one from the seed and a draft of our own.
	ctx := f.as(t, "prov")
	page, err := m.Market.Offers(ctx, marketplace.OfferFilter{ProviderID: f.vars["provOrg"]})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("published offers of the right provider: %v, %v", page, err)
	}
	f.vars["pub"] = page.Items[0].ID
	f.sample = authzOfferInput(page.Items[0])
	f.sample.Title = "Matrix copy of " + f.sample.Title
	f.vars["draft"] = f.newOffer(t, f.vars["provOrg"], false)

	// A suspended provider of which prov owns and member belongs, with a draft and a
	// published offer, so that "hidden while suspended" can be checked.
	resp, body = f.client("prov").do(http.MethodPost, "/api/v1/organisations",
		map[string]any{"name": "Matrix Suspended Group", "kinds": []string{"community_group"}})
	authzMustStatus(t, resp, body, http.StatusCreated)
	sus := decode[struct{ ID string }](t, body).ID
	f.vars["susOrg"] = sus
	profile, err := m.Market.Provider(ctx, f.vars["provOrg"])
	if err != nil {
		t.Fatal(err)
	}
	resp, body = f.client("prov").do(http.MethodPut, "/api/v1/providers/"+sus, authzProviderInput(profile), "If-Match", `"v0"`)
	authzMustStatus(t, resp, body, http.StatusOK)
	f.addMember(t, "prov", sus, email)
	f.vars["susPub"] = f.newOffer(t, sus, true)
	f.vars["susDraft"] = f.newOffer(t, sus, false)

	// The suspension doubles as a check that a snapshot of the store sees a change.
	admin := f.as(t, "admin")
	before := f.snapshot(t, authzStoreState{})
	if _, err := m.Accounts.SuspendOrganisation(admin, sus, account.Suspension{Reason: "matrix fixture"}); err != nil {
		t.Fatal(err)
	}
	if after := f.snapshot(t, before); len(authzFingerprintDiff(before.fp, after.fp)) == 0 {
		t.Fatal("the store's fingerprint did not change when an organisation was suspended")
	}

	for _, r := range f.roles {
		if r.email != "" {
			f.emails = append(f.emails, r.email)
		}
	}
	for _, local := range []string{"pa", "isf", "broker"} {
		f.emails = append(f.emails, local+"@"+demoDomain)
	}
	return f
}

func authzMustStatus(tb testing.TB, resp *http.Response, body []byte, want int) {
	tb.Helper()
	if resp.StatusCode != want {
		tb.Fatalf("%s %s = %d, want %d: %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, want, body)
	}
}

// login starts a session with the API, then creates a bearer token from it (tokens can
// only be created from a session, which must show it is same-origin).
func (f *authzFixture) login(t testing.TB, key, email, password string) *authzRole {
	t.Helper()
	cred := mustLogin(t, f.base, email, password)
	r := &authzRole{key: key, email: email, session: cred.session, token: cred.token, tokenID: cred.tokenID}
	resp, body := f.clientFor(r).do(http.MethodGet, "/api/v1/me", nil)
	authzMustStatus(t, resp, body, http.StatusOK)
	me := decode[struct{ ID, Name string }](t, body)
	r.userID, r.name = me.ID, me.Name
	return r
}

func (f *authzFixture) clientFor(r *authzRole) client {
	return client{tb: f.t, base: f.base, token: r.token}
}

func (f *authzFixture) client(key string) client { return f.clientFor(f.roles[key]) }

// as returns a context acting as the role, with its current memberships, for setups
// that go through the services rather than HTTP.
func (f *authzFixture) as(t testing.TB, key string) context.Context {
	t.Helper()
	a, err := f.m.Accounts.ActorForToken(context.Background(), f.roles[key].token)
	if err != nil {
		t.Fatal(err)
	}
	return account.WithActor(context.Background(), a)
}

// asSession is as, but through the role's session (needed to create tokens).
func (f *authzFixture) asSession(t testing.TB, key string) context.Context {
	t.Helper()
	a, err := f.m.Accounts.ActorForSession(context.Background(), f.roles[key].session)
	if err != nil {
		t.Fatal(err)
	}
	return account.WithActor(context.Background(), a)
}

func (f *authzFixture) orgOf(t testing.TB, key string, kind account.OrgKind) string {
	t.Helper()
	for _, m := range account.ActorFrom(f.as(t, key)).Memberships {
		if slices.Contains(m.OrgKinds, kind) {
			return m.OrgID
		}
	}
	t.Fatalf("%s belongs to no %s", key, kind)
	return ""
}

func (f *authzFixture) addMember(t testing.TB, key, orgID, email string) {
	t.Helper()
	resp, body := f.client(key).do(http.MethodPost, "/api/v1/organisations/"+orgID+"/members", map[string]string{"email": email, "role": "member"})
	authzMustStatus(t, resp, body, http.StatusCreated)
}

// next returns a number not used before in this fixture, for unique names and emails.
func (f *authzFixture) next() int { f.n++; return f.n }

// newUser signs up a fresh account (a target to add, remove or delegate to).
func (f *authzFixture) newUser(t testing.TB) (email, id string) {
	t.Helper()
	n := f.next()
	email = fmt.Sprintf("matrix-target-%d@example.org", n)
	s, err := f.m.Accounts.SignUp(context.Background(), account.SignUp{Email: email, Password: "a long enough password", Name: fmt.Sprintf("Target %d", n)})
	if err != nil {
		t.Fatal(err)
	}
	return email, s.User.ID
}

// newOffer creates an offer of a provider that prov belongs to, as a draft or published.
func (f *authzFixture) newOffer(t testing.TB, providerID string, publish bool) string {
	t.Helper()
	ctx := f.as(t, "prov")
	o, err := f.m.Market.CreateOffer(ctx, providerID, f.sample)
	if err == nil && publish {
		o, err = f.m.Market.SetOfferStatus(ctx, o.ID, marketplace.StatusPublished, 0)
	}
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

func (f *authzFixture) offer(t testing.TB, id string) marketplace.Offer {
	t.Helper()
	o, err := f.m.Market.Offer(f.as(t, "admin"), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func (f *authzFixture) provider(t testing.TB, id string) marketplace.Provider {
	t.Helper()
	p, err := f.m.Market.Provider(f.as(t, "admin"), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *authzFixture) organisation(t testing.TB, id string) account.Organisation {
	t.Helper()
	o, _, err := f.m.Accounts.Organisation(f.as(t, "admin"), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func authzETag(version int64) string { return fmt.Sprintf(`"v%d"`, version) }

// authzOfferInput is what a provider would send to write the offer again as it is.
func authzOfferInput(o marketplace.Offer) marketplace.OfferInput {
	return marketplace.OfferInput{Kind: o.Kind, Title: o.Title, Description: o.Description, Categories: o.Categories,
		Where: marketplace.WhereInput{Mode: o.Where.Mode, Address: o.Where.Address, AreasServed: o.Where.AreasServed},
		When:  o.When, Price: o.Price, BudgetForms: o.BudgetForms, Accessibility: o.Accessibility, Languages: o.Languages}
}

// authzProviderInput is what a provider would send to write its profile again as it is.
func authzProviderInput(p marketplace.Provider) marketplace.ProviderInput {
	return marketplace.ProviderInput{Description: p.Description, AreasServed: p.AreasServed, Contact: p.Contact,
		Languages: p.Languages, DBSCheckedOn: p.Verification.DBSCheckedOn,
		InsuranceExpires: p.Verification.InsuranceExpires, CQCNumber: p.Verification.CQCNumber}
}

// authzVolatileFields are written by requests that change nothing a person did: the last use
// of a session or token, and the outbox's leases. The fingerprint leaves them out.
var authzVolatileFields = map[string][]string{
	"sessions":   {"last_seen_at", "expires_at"},
	"api_tokens": {"last_used_at"},
	"outbox":     {"lease_owner", "lease_until", "attempts", "due_at", "last_error"},
}

// fingerprint hashes every document of every collection, by collection and _id, so that
// two fingerprints differ exactly where a document was added, removed or changed.
func (f *authzFixture) fingerprint(t testing.TB) map[string][32]byte {
	t.Helper()
	ctx := context.Background()
	counts, err := f.m.DB.Counts(ctx) // lists every collection, including ones added later
	if err != nil {
		t.Fatal(err)
	}
	fp := map[string][32]byte{}
	for name := range counts {
		hide := bson.M{}
		for _, field := range authzVolatileFields[name] {
			hide[field] = 0
		}
		opts := options.Find()
		if len(hide) > 0 {
			opts.SetProjection(hide)
		}
		cur, err := f.m.DB.Collection(name).Find(ctx, bson.M{}, opts)
		if err != nil {
			t.Fatalf("fingerprint %s: %v", name, err)
		}
		var docs []bson.Raw
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatalf("fingerprint %s: %v", name, err)
		}
		for _, raw := range docs {
			key := name + "/" + raw.Lookup("_id").String()
			fp[key] = sha256.Sum256(raw)
		}
	}
	return fp
}

// authzStoreState is what the store looked like after the last cell: the embedded store's
// last committed transaction and, when read, the fingerprint at that transaction.
type authzStoreState struct {
	txid uint64
	fp   map[string][32]byte
}

// snapshot returns the store's fingerprint, read again only if something was committed
// since the last one: a full fingerprint costs ~60 ms under -race, reading the commit
// counter nothing, and most cells of the matrix commit nothing.
func (f *authzFixture) snapshot(t testing.TB, last authzStoreState) authzStoreState {
	t.Helper()
	txid, ok := f.storeTxID()
	if ok && last.fp != nil && txid == last.txid {
		return last
	}
	return authzStoreState{txid: txid, fp: f.fingerprint(t)}
}

// storeTxID reads the id of the last committed transaction from the two meta pages of
// the embedded store's bbolt file (bbolt's documented layout: a 16-byte page header, then
// magic, version, page size, flags, root bucket, freelist, high-water page and txid).
// bbolt writes its meta page with every read-write commit and never for reads, and
// every lungo commit is one bbolt transaction. false: not a bbolt file we can read, so
// callers fingerprint every time.
func (f *authzFixture) storeTxID() (uint64, bool) {
	file, err := os.Open(filepath.Join(f.m.Config.DataDir, "carepool.db"))
	if err != nil {
		return 0, false
	}
	defer file.Close()
	const magic, txidAt = 0xED0CDAED, 64
	var best uint64
	found := false
	meta := make([]byte, 80)
	for _, off := range []int64{0, -1} {
		if off < 0 { // the second meta page is one page in
			off = int64(binary.LittleEndian.Uint32(meta[24:28]))
		}
		if _, err := file.ReadAt(meta, off); err != nil || binary.LittleEndian.Uint32(meta[16:20]) != magic {
			return 0, false
		}
		if txid := binary.LittleEndian.Uint64(meta[txidAt : txidAt+8]); !found || txid > best {
			best, found = txid, true
		}
	}
	return best, found
}

// authzFingerprintDiff names the documents that differ, at most a few.
func authzFingerprintDiff(before, after map[string][32]byte) []string {
	var diff []string
	for k, v := range before {
		if w, ok := after[k]; !ok {
			diff = append(diff, "removed "+k)
		} else if w != v {
			diff = append(diff, "changed "+k)
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			diff = append(diff, "added "+k)
		}
	}
	slices.Sort(diff)
	if len(diff) > 8 {
		diff = append(diff[:8], fmt.Sprintf("... %d more", len(diff)-8))
	}
	return diff
}

// authzContainsEmail reports whether b holds email as a whole address, not as the end of a
// longer one (provider@ inside other-provider@).
func authzContainsEmail(b []byte, email string) bool {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(email))
		if j < 0 {
			return false
		}
		if at := i + j; at == 0 || !strings.ContainsRune("abcdefghijklmnopqrstuvwxyz0123456789._%+-", rune(b[at-1])) {
			return true
		}
		i += j + 1
	}
}

func authzRolesIn(keys ...string) func(string) bool {
	return func(k string) bool { return slices.Contains(keys, k) }
}

func authzConst(v any) func(testing.TB, *authzFixture, *authzRole) any {
	return func(testing.TB, *authzFixture, *authzRole) any { return v }
}

// jsonKeys decodes a JSON object and returns its keys, sorted.
func authzJSONKeys(t testing.TB, body []byte) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func authzWantKeys(t testing.TB, who string, got []string, want ...string) {
	t.Helper()
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s sees fields %v, want %v", who, got, want)
	}
}

var (
	authzPublicOrgKeys = []string{"id", "kinds", "name"}
	authzFullOrgKeys   = []string{"id", "kinds", "name", "status", "created_at", "updated_at", "version"}
)

// checkOrganisation: the public see the name and kinds only; members and administrators all.
func authzCheckOrganisation(full func(string) bool) func(testing.TB, *authzFixture, *authzRole, []byte) {
	return func(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
		keys := slices.DeleteFunc(authzJSONKeys(t, body), func(k string) bool { return k == "last_status_change" })
		if full(r.key) {
			authzWantKeys(t, r.key, keys, authzFullOrgKeys...)
		} else {
			authzWantKeys(t, r.key, keys, authzPublicOrgKeys...)
		}
	}
}

type authzItems[T any] struct{ Items []T }

func authzCheckMembers(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
	for _, raw := range decode[authzItems[json.RawMessage]](t, body).Items {
		authzWantKeys(t, r.key+" (member list)", authzJSONKeys(t, raw), "added_at", "name", "role", "user_id")
	}
}

type authzDelegation struct {
	Holder, Representative struct{ ID string }
	Active                 bool
}

func authzCheckPublished(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
	page := decode[authzItems[marketplace.Offer]](t, body)
	if len(page.Items) == 0 {
		t.Errorf("%s sees no offers", r.key)
	}
	for _, o := range page.Items {
		if o.Status != marketplace.StatusPublished || o.ProviderID == f.vars["susOrg"] {
			t.Errorf("%s sees offer %s (%s) of provider %s in a public list", r.key, o.ID, o.Status, o.ProviderID)
		}
	}
}

func authzCheckDrafts(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
	page := decode[authzItems[marketplace.Offer]](t, body)
	if len(page.Items) == 0 {
		t.Errorf("%s sees no drafts", r.key)
	}
	for _, o := range page.Items {
		if o.Status != marketplace.StatusDraft || o.ProviderID != f.vars["provOrg"] {
			t.Errorf("draft list shows offer %s (%s) of %s", o.ID, o.Status, o.ProviderID)
		}
	}
}

func authzCheckProvider(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
	authzWantKeys(t, r.key, authzJSONKeys(t, body), "id", "name", "kinds", "active", "description", "areas_served", "contact",
		"languages", "vat_status", "verification", "version", "updated_at")
	var p struct{ Verification map[string]any }
	_ = json.Unmarshal(body, &p)
	if _, ok := p.Verification["verified_by"]; ok {
		t.Errorf("%s sees which administrator verified the provider", r.key)
	}
}
