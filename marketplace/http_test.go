package marketplace_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/web"
	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// server is the marketplace API over a world, as cmd/carepool mounts it: under /api/v1,
// with the one error handler. A bearer token is a session secret of the test's people.
type server struct {
	*world
	e *echo.Echo
}

func newServer(t *testing.T) *server {
	t.Helper()
	w := newWorld(t)
	e := echo.New()
	e.HTTPErrorHandler = web.NewErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	mk.NewHandler(w.svc).Register(e.Group("/api/v1", bearerActor(w.accounts)))
	return &server{world: w, e: e}
}

func bearerActor(accounts *account.Service) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			secret, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
			if !ok {
				return next(c)
			}
			a, err := accounts.ActorForSession(c.Request().Context(), secret)
			if err != nil {
				return apperr.ErrUnauthenticated
			}
			c.SetRequest(c.Request().WithContext(account.WithActor(c.Request().Context(), a)))
			return next(c)
		}
	}
}

// request is one API call. Body is sent as is when it is a string, as JSON otherwise.
type request struct {
	method, path string
	who          *person
	body         any
	header       map[string]string
}

func (s *server) do(t *testing.T, r request) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(r.method, r.path, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.who != nil {
		req.Header.Set("Authorization", "Bearer "+r.who.secret)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	s.e.ServeHTTP(rec, req)
	return rec
}

// problemSummary is what a test checks of a problem: its type, status and fields.
type problemSummary struct {
	Type   string
	Status int
	Fields []string
}

// mustProblem checks that rec is a problem+json response and summarises it.
func mustProblem(t *testing.T, rec *httptest.ResponseRecorder) problemSummary {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != web.ProblemContentType {
		t.Fatalf("Content-Type = %q, want %s; body %s", ct, web.ProblemContentType, rec.Body)
	}
	var p web.Problem
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("decode problem: %v", err)
	}
	if p.Status != rec.Code || p.Title == "" || p.Detail == "" || p.Instance == "" {
		t.Errorf("problem %+v: want status %d, a title, a detail and the instance", p, rec.Code)
	}
	s := problemSummary{Type: p.Type, Status: p.Status}
	for _, f := range p.Errors {
		if f.Message == "" {
			t.Errorf("problem field %q has no detail", f.Field)
		}
		s.Fields = append(s.Fields, f.Field)
	}
	return s
}

func decodeBody[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q, want application/json; body %s", ct, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %T: %v; body %s", v, err, rec.Body)
	}
	return v
}

func TestHTTPCreateOffer(t *testing.T) {
	t.Parallel()
	valid := mk.SampleOfferInput(mk.KindCommunityActivity)
	invalid := mk.SampleOfferInput(mk.KindCommunityActivity)
	invalid.Price.Group.MinPeople, invalid.Languages = 1, nil
	wrongType := strings.Replace(mustJSON(t, valid), `"amount_pence":48000`, `"amount_pence":"480.00"`, 1)
	unknownField := strings.Replace(mustJSON(t, valid), `{"kind"`, `{"colour":"blue","kind"`, 1)
	unknownNested := strings.Replace(mustJSON(t, valid), `"group":{`, `"group":{"discount":5,`, 1)
	huge := `{"kind":"service","description":"` + strings.Repeat("a", web.MaxBodyBytes) + `"}`
	tests := []struct {
		name        string
		who         func(w *world) *person
		provider    func(w *world) string
		body        any
		contentType string
		want        problemSummary // zero: 201
	}{
		{"owner", alice, artID, valid, "", problemSummary{}},
		{"charset in the content type", alice, artID, valid, "application/json; charset=utf-8", problemSummary{}},
		{"anonymous", nobody, artID, valid, "", problemSummary{"/problems/unauthenticated", 401, nil}},
		{"another provider", bob, artID, valid, "", problemSummary{"/problems/forbidden", 403, nil}},
		{"not a provider", func(w *world) *person { return w.carol }, func(w *world) string { return w.ulo.ID }, valid, "", problemSummary{"/problems/provider-not-found", 404, nil}},
		{"unknown provider", alice, func(*world) string { return uuid.NewString() }, valid, "", problemSummary{"/problems/provider-not-found", 404, nil}},
		{"invalid values", alice, artID, invalid, "", problemSummary{"/problems/validation", 422, []string{"languages", "price.group.min_people"}}},
		{"unknown field", alice, artID, unknownField, "", problemSummary{"/problems/bad-request", 400, []string{"colour"}}},
		{"unknown nested field", alice, artID, unknownNested, "", problemSummary{"/problems/bad-request", 400, []string{"discount"}}},
		{"wrong type", alice, artID, wrongType, "", problemSummary{"/problems/bad-request", 400, []string{"price.amount_pence"}}},
		{"not an object", alice, artID, `["service"]`, "", problemSummary{"/problems/bad-request", 400, nil}},
		{"malformed JSON", alice, artID, `{"kind": "service",}`, "", problemSummary{"/problems/bad-request", 400, nil}},
		{"cut short", alice, artID, `{"kind": "serv`, "", problemSummary{"/problems/bad-request", 400, nil}},
		{"empty body", alice, artID, ``, "", problemSummary{"/problems/bad-request", 400, nil}},
		{"two values", alice, artID, mustJSON(t, valid) + `{}`, "", problemSummary{"/problems/bad-request", 400, nil}},
		{"over a mebibyte", alice, artID, huge, "", problemSummary{"/problems/too-large", 413, nil}},
		{"not JSON", alice, artID, "kind=service", "application/x-www-form-urlencoded", problemSummary{"/problems/unsupported-media-type", 415, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			before := s.snapshot(t)
			r := request{method: http.MethodPost, path: "/api/v1/providers/" + tt.provider(s.world) + "/offers", who: tt.who(s.world), body: tt.body}
			if tt.contentType != "" {
				r.header = map[string]string{"Content-Type": tt.contentType}
			}
			rec := s.do(t, r)
			if tt.want.Status != 0 {
				if diff := cmp.Diff(tt.want, mustProblem(t, rec)); diff != "" {
					t.Errorf("problem (-want +got):\n%s", diff)
				}
				s.assertUnchanged(t, before)
				return
			}
			if rec.Code != http.StatusCreated {
				t.Fatalf("status %d, want 201; body %s", rec.Code, rec.Body)
			}
			o := decodeBody[mk.Offer](t, rec)
			if got, want := rec.Header().Get("Location"), "/api/v1/offers/"+o.ID; got != want {
				t.Errorf("Location = %q, want %q", got, want)
			}
			if got := rec.Header().Get("ETag"); got != `"v1"` {
				t.Errorf("ETag = %q, want \"v1\"", got)
			}
			if o.Status != mk.StatusDraft || o.ProviderID != s.art.ID || o.Price.Group.FloorPence != 4800 {
				t.Errorf("created offer %+v", o)
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func alice(w *world) *person { return w.alice }
func bob(w *world) *person   { return w.bob }
func nobody(*world) *person  { return nil }

func TestHTTPGetOffer(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	draft := s.createOffer(t, s.alice, s.art, titled(mk.KindService, "Draft"), mk.StatusDraft)
	published := s.createOffer(t, s.alice, s.art, titled(mk.KindService, "Published"), mk.StatusPublished)
	tests := []struct {
		name     string
		who      *person
		id       string
		want     int
		wantETag string
	}{
		{"published, anonymous", nil, published.ID, 200, `"v2"`},
		{"draft, owner", s.alice, draft.ID, 200, `"v1"`},
		{"draft, administrator", s.admin, draft.ID, 200, `"v1"`},
		{"draft, anonymous", nil, draft.ID, 404, ""},
		{"draft, another provider", s.bob, draft.ID, 404, ""},
		{"unknown", nil, uuid.NewString(), 404, ""},
		{"malformed id", nil, "offer-1", 404, ""},
	}
	for _, tt := range tests {
		rec := s.do(t, request{method: http.MethodGet, path: "/api/v1/offers/" + tt.id, who: tt.who})
		if rec.Code != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, rec.Code, tt.want)
			continue
		}
		if tt.want == 404 {
			if p := mustProblem(t, rec); p.Type != "/problems/offer-not-found" {
				t.Errorf("%s: problem type %q", tt.name, p.Type)
			}
			continue
		}
		if got := rec.Header().Get("ETag"); got != tt.wantETag {
			t.Errorf("%s: ETag %q, want %q", tt.name, got, tt.wantETag)
		}
		if o := decodeBody[mk.Offer](t, rec); o.ID != tt.id {
			t.Errorf("%s: got offer %s", tt.name, o.ID)
		}
	}
}

func TestHTTPReplaceOfferNeedsACurrentIfMatch(t *testing.T) {
	t.Parallel()
	changed := titled(mk.KindService, "A new title")
	tests := []struct {
		name    string
		ifMatch string // "" sends none
		body    any
		want    problemSummary // zero: 200
	}{
		{"current", `"v2"`, changed, problemSummary{}},
		{"current, with spaces", ` "v2" `, changed, problemSummary{}},
		{"missing", "", changed, problemSummary{"/problems/if-match-required", 428, nil}},
		{"missing, with a bad body too", "", `{"colour":1}`, problemSummary{"/problems/if-match-required", 428, nil}},
		{"without quotes", `v2`, changed, problemSummary{"/problems/bad-request", 400, []string{"If-Match"}}},
		{"without the closing quote", `"v2`, changed, problemSummary{"/problems/bad-request", 400, []string{"If-Match"}}},
		{"with a sign", `"v+2"`, changed, problemSummary{"/problems/bad-request", 400, []string{"If-Match"}}},
		{"negative", `"v-2"`, changed, problemSummary{"/problems/bad-request", 400, []string{"If-Match"}}},
		{"any", `*`, changed, problemSummary{"/problems/bad-request", 400, []string{"If-Match"}}},
		{"a number only", `"2"`, changed, problemSummary{"/problems/bad-request", 400, []string{"If-Match"}}},
		{"stale", `"v1"`, changed, problemSummary{"/problems/version-mismatch", 412, nil}},
		{"from the future", `"v3"`, changed, problemSummary{"/problems/version-mismatch", 412, nil}},
		{"current, invalid body", `"v2"`, `{"title":"x"}`, problemSummary{"/problems/validation", 422,
			[]string{"kind", "title", "description", "categories", "languages", "budget_forms", "where.mode", "price.unit"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			o := s.createOffer(t, s.alice, s.art, mk.SampleOfferInput(mk.KindService), mk.StatusPublished)
			before := s.snapshot(t)
			r := request{method: http.MethodPut, path: "/api/v1/offers/" + o.ID, who: s.alice, body: tt.body}
			if tt.ifMatch != "" {
				r.header = map[string]string{"If-Match": tt.ifMatch}
			}
			rec := s.do(t, r)
			if tt.want.Status != 0 {
				if diff := cmp.Diff(tt.want, mustProblem(t, rec)); diff != "" {
					t.Errorf("problem (-want +got):\n%s", diff)
				}
				s.assertUnchanged(t, before)
				return
			}
			if rec.Code != http.StatusOK || rec.Header().Get("ETag") != `"v3"` {
				t.Fatalf("status %d, ETag %q; want 200 and \"v3\"; body %s", rec.Code, rec.Header().Get("ETag"), rec.Body)
			}
			if got := decodeBody[mk.Offer](t, rec); got.Title != "A new title" || got.Version != 3 {
				t.Errorf("replaced offer: title %q version %d", got.Title, got.Version)
			}
		})
	}
}

func TestHTTPOfferStatusChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		action   string
		from     mk.Status
		ifMatch  string
		want     int
		wantType string
	}{
		{"publish a draft", "publish", mk.StatusDraft, "", 200, ""},
		{"publish at the current version", "publish", mk.StatusDraft, `"v1"`, 200, ""},
		{"publish at a stale version", "publish", mk.StatusPaused, `"v1"`, 412, "/problems/version-mismatch"},
		{"publish with a malformed If-Match", "publish", mk.StatusDraft, `v1`, 400, "/problems/bad-request"},
		{"publish at v0, which no offer has", "publish", mk.StatusDraft, `"v0"`, 412, "/problems/version-mismatch"},
		{"pause a draft", "pause", mk.StatusDraft, "", 409, "/problems/offer-status"},
		{"pause", "pause", mk.StatusPublished, "", 200, ""},
		{"archive", "archive", mk.StatusPaused, "", 200, ""},
		{"publish an archived offer", "publish", mk.StatusArchived, "", 409, "/problems/offer-status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			o := s.createOffer(t, s.alice, s.art, mk.SampleOfferInput(mk.KindService), tt.from)
			before := s.snapshot(t)
			r := request{method: http.MethodPost, path: "/api/v1/offers/" + o.ID + "/" + tt.action, who: s.alice}
			if tt.ifMatch != "" {
				r.header = map[string]string{"If-Match": tt.ifMatch}
			}
			rec := s.do(t, r)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tt.want, rec.Body)
			}
			if tt.want != 200 {
				if p := mustProblem(t, rec); p.Type != tt.wantType {
					t.Errorf("problem type %q, want %q", p.Type, tt.wantType)
				}
				s.assertUnchanged(t, before)
				return
			}
			got := decodeBody[mk.Offer](t, rec)
			if etag := rec.Header().Get("ETag"); etag != `"v`+itoa(got.Version)+`"` || got.Version != o.Version+1 {
				t.Errorf("ETag %q, version %d; want version %d", etag, got.Version, o.Version+1)
			}
		})
	}
}

func itoa(n int64) string { return strings.TrimSpace(mustJSONString(n)) }

func mustJSONString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestHTTPListOffers(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for range 3 {
		s.createOffer(t, s.alice, s.art, mk.SampleOfferInput(mk.KindCommunityActivity), mk.StatusPublished)
	}
	s.createOffer(t, s.alice, s.art, titled(mk.KindCommunityActivity, "Draft"), mk.StatusDraft)
	tests := []struct {
		name      string
		path      string
		who       *person
		wantItems int
		wantNext  bool
		want      problemSummary // zero: 200
	}{
		{"all", "/api/v1/offers", nil, 3, false, problemSummary{}},
		{"a page", "/api/v1/offers?limit=2", nil, 2, true, problemSummary{}},
		{"filters", "/api/v1/offers?kind=community_activity&category=arts-and-crafts&outcode=LS6&budget_form=direct_payment&provider_id=" + s.art.ID, nil, 3, false, problemSummary{}},
		{"nothing matches", "/api/v1/offers?kind=personal_assistant", nil, 0, false, problemSummary{}},
		{"drafts, for a member", "/api/v1/offers?status=draft&provider_id=" + s.art.ID, s.amir, 1, false, problemSummary{}},
		{"a provider's offers", "/api/v1/providers/" + s.art.ID + "/offers?limit=1", nil, 1, true, problemSummary{}},
		{"a provider's drafts", "/api/v1/providers/" + s.art.ID + "/offers?status=draft", s.alice, 1, false, problemSummary{}},
		{"offers of an organisation that is not a provider", "/api/v1/providers/" + s.ulo.ID + "/offers", nil, 0, false, problemSummary{"/problems/provider-not-found", 404, nil}},
		{"a misspelt parameter", "/api/v1/offers?catgory=swimming", nil, 0, false, problemSummary{"/problems/validation", 422, []string{"catgory"}}},
		{"a parameter twice", "/api/v1/offers?kind=service&kind=personal_assistant", nil, 0, false, problemSummary{"/problems/validation", 422, []string{"kind"}}},
		{"a limit that is not a number", "/api/v1/offers?limit=ten", nil, 0, false, problemSummary{"/problems/validation", 422, []string{"limit"}}},
		{"a limit of zero", "/api/v1/offers?limit=0", nil, 0, false, problemSummary{"/problems/validation", 422, []string{"limit"}}},
		{"a limit too large", "/api/v1/offers?limit=101", nil, 0, false, problemSummary{"/problems/validation", 422, []string{"limit"}}},
		{"an unknown kind", "/api/v1/offers?kind=care_home", nil, 0, false, problemSummary{"/problems/validation", 422, []string{"kind"}}},
		{"drafts, anonymously", "/api/v1/offers?status=draft&provider_id=" + s.art.ID, nil, 0, false, problemSummary{"/problems/validation", 422, []string{"status"}}},
	}
	for _, tt := range tests {
		rec := s.do(t, request{method: http.MethodGet, path: tt.path, who: tt.who})
		if tt.want.Status != 0 {
			if diff := cmp.Diff(tt.want, mustProblem(t, rec)); diff != "" {
				t.Errorf("%s: problem (-want +got):\n%s", tt.name, diff)
			}
			continue
		}
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d; body %s", tt.name, rec.Code, rec.Body)
			continue
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
			t.Fatal(err)
		}
		if string(raw["items"]) == "null" {
			t.Errorf("%s: items is null, want a list", tt.name)
		}
		page := decodeBody[mk.Page[mk.Offer]](t, rec)
		if len(page.Items) != tt.wantItems || (page.NextCursor != "") != tt.wantNext {
			t.Errorf("%s: %d items, next cursor %q; want %d items, a next cursor: %v", tt.name, len(page.Items), page.NextCursor, tt.wantItems, tt.wantNext)
		}
		if _, ok := raw["next_cursor"]; ok != tt.wantNext {
			t.Errorf("%s: next_cursor present: %v, want %v", tt.name, ok, tt.wantNext)
		}
	}
}

func TestHTTPProviderProfile(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	path := "/api/v1/providers/" + s.art.ID
	profile := profileInput()
	profile.DBSCheckedOn = "2025-03-01"

	steps := []struct {
		name     string
		method   string
		path     string
		who      *person
		ifMatch  string
		body     any
		want     int
		wantETag string
		wantType string
	}{
		{"read the empty profile", http.MethodGet, path, nil, "", nil, 200, `"v0"`, ""},
		{"write without If-Match", http.MethodPut, path, s.alice, "", profile, 428, "", "/problems/if-match-required"},
		{"write as another provider", http.MethodPut, path, s.bob, `"v0"`, profile, 403, "", "/problems/forbidden"},
		{"write with an unknown field", http.MethodPut, path, s.alice, `"v0"`, `{"name":"Renamed"}`, 400, "", "/problems/bad-request"},
		{"first write", http.MethodPut, path, s.alice, `"v0"`, profile, 200, `"v1"`, ""},
		{"another first write", http.MethodPut, path, s.amir, `"v0"`, profile, 412, "", "/problems/version-mismatch"},
		{"read it back", http.MethodGet, path, nil, "", nil, 200, `"v1"`, ""},
		{"verify as the owner", http.MethodPost, "/api/v1/admin/providers/" + s.art.ID + "/verification", s.alice, "", mk.VerificationInput{DBS: true}, 403, "", "/problems/forbidden"},
		{"verify anonymously", http.MethodPost, "/api/v1/admin/providers/" + s.art.ID + "/verification", nil, "", mk.VerificationInput{DBS: true}, 401, "", "/problems/unauthenticated"},
		{"verify a fact never stated", http.MethodPost, "/api/v1/admin/providers/" + s.art.ID + "/verification", s.admin, "", mk.VerificationInput{Insurance: true}, 422, "", "/problems/validation"},
		{"verify with a wrong type", http.MethodPost, "/api/v1/admin/providers/" + s.art.ID + "/verification", s.admin, "", `{"dbs_verified":"yes"}`, 400, "", "/problems/bad-request"},
		{"verify", http.MethodPost, "/api/v1/admin/providers/" + s.art.ID + "/verification", s.admin, "", mk.VerificationInput{DBS: true}, 200, `"v2"`, ""},
		{"an organisation that is not a provider", http.MethodGet, "/api/v1/providers/" + s.ulo.ID, nil, "", nil, 404, "", "/problems/provider-not-found"},
	}
	for _, st := range steps {
		before := s.snapshot(t)
		r := request{method: st.method, path: st.path, who: st.who, body: st.body}
		if st.ifMatch != "" {
			r.header = map[string]string{"If-Match": st.ifMatch}
		}
		rec := s.do(t, r)
		if rec.Code != st.want {
			t.Fatalf("%s: status %d, want %d; body %s", st.name, rec.Code, st.want, rec.Body)
		}
		if st.want >= 400 {
			if p := mustProblem(t, rec); p.Type != st.wantType {
				t.Errorf("%s: problem type %q, want %q", st.name, p.Type, st.wantType)
			}
			s.assertUnchanged(t, before)
			continue
		}
		if got := rec.Header().Get("ETag"); got != st.wantETag {
			t.Errorf("%s: ETag %q, want %q", st.name, got, st.wantETag)
		}
		p := decodeBody[mk.Provider](t, rec)
		if p.Name != "Headingley Art Group" || !p.Active {
			t.Errorf("%s: provider %+v", st.name, p)
		}
	}
}

func TestHTTPListProviders(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.writeProfile(t, s.alice, s.art, profileInput())
	s.writeProfile(t, s.bob, s.care, profileInput())
	tests := []struct {
		name      string
		path      string
		wantItems int
		want      problemSummary
	}{
		{"all", "/api/v1/providers", 2, problemSummary{}},
		{"a page", "/api/v1/providers?limit=1&outcode=LS6", 1, problemSummary{}},
		{"nobody there", "/api/v1/providers?outcode=BD1", 0, problemSummary{}},
		{"an unknown parameter", "/api/v1/providers?kind=service", 0, problemSummary{"/problems/validation", 422, []string{"kind"}}},
		{"an unknown outward code", "/api/v1/providers?outcode=ZZ99", 0, problemSummary{"/problems/validation", 422, []string{"outcode"}}},
		{"a bad limit", "/api/v1/providers?limit=-1", 0, problemSummary{"/problems/validation", 422, []string{"limit"}}},
	}
	for _, tt := range tests {
		rec := s.do(t, request{method: http.MethodGet, path: tt.path})
		if tt.want.Status != 0 {
			if diff := cmp.Diff(tt.want, mustProblem(t, rec)); diff != "" {
				t.Errorf("%s: problem (-want +got):\n%s", tt.name, diff)
			}
			continue
		}
		if rec.Code != 200 || strings.Contains(rec.Body.String(), `"items":null`) {
			t.Errorf("%s: status %d, body %s", tt.name, rec.Code, rec.Body)
			continue
		}
		if page := decodeBody[mk.Page[mk.Provider]](t, rec); len(page.Items) != tt.wantItems {
			t.Errorf("%s: %d items, want %d", tt.name, len(page.Items), tt.wantItems)
		}
	}
}

func TestHTTPVocabulary(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	rec := s.do(t, request{method: http.MethodGet, path: "/api/v1/vocabulary"})
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	v := decodeBody[map[string][]mk.Term](t, rec)
	want := map[string]int{"kinds": len(mk.Kinds), "budget_forms": 6, "categories": len(mk.Categories),
		"accessibility": len(mk.AccessibilityFeatures), "languages": len(mk.Languages)}
	got := map[string]int{}
	for k, terms := range v {
		got[k] = len(terms)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("vocabularies and their sizes (-want +got):\n%s", diff)
	}
}

func TestHTTPUnknownRoutesAreProblems(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	if diff := cmp.Diff(problemSummary{"/problems/not-found", 404, nil},
		mustProblem(t, s.do(t, request{method: http.MethodGet, path: "/api/v1/offer"}))); diff != "" {
		t.Errorf("GET of an unknown path (-want +got):\n%s", diff)
	}
	// Echo answers a method a path does not have with 404 inside a group that has
	// middleware, 405 elsewhere; either way it is a problem, and nothing is deleted.
	id := s.createOffer(t, s.alice, s.art, mk.SampleOfferInput(mk.KindService), mk.StatusPublished).ID
	before := s.snapshot(t)
	p := mustProblem(t, s.do(t, request{method: http.MethodDelete, path: "/api/v1/offers/" + id, who: s.alice}))
	if p.Status != 404 && p.Status != 405 {
		t.Errorf("DELETE of an offer: problem %+v, want 404 or 405", p)
	}
	s.assertUnchanged(t, before)
}

// Lists are sent as [] when empty, never null, so clients need not test for both.
func TestHTTPResponsesNeverSendNull(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	body := `{"kind":"personal_assistant","title":"PA by arrangement","description":"Support to get out and about, at times that suit you.",
		"categories":["getting-out"],"where":{"mode":"area","areas_served":["ls6"]},"when":{"notes":"By arrangement"},
		"price":{"unit":"per_hour","amount_pence":1800},"budget_forms":["isf"],"languages":["en"]}`
	created := s.do(t, request{method: http.MethodPost, path: "/api/v1/providers/" + s.art.ID + "/offers", who: s.alice, body: body})
	if created.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", created.Code, created.Body)
	}
	id := decodeBody[mk.Offer](t, created).ID
	for _, r := range []request{
		{method: http.MethodGet, path: "/api/v1/offers/" + id, who: s.alice},
		{method: http.MethodGet, path: "/api/v1/providers/" + s.care.ID},
		{method: http.MethodGet, path: "/api/v1/providers"},
		{method: http.MethodGet, path: "/api/v1/offers"},
	} {
		rec := s.do(t, r)
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "null") {
			t.Errorf("%s %s: %d %s", r.method, r.path, rec.Code, rec.Body)
		}
	}
}
