package openreferral

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// Prefix is where the Open Referral UK API is mounted.
const Prefix = "/openreferral/v3"

// What the API's root says of it. The ORUK validator reads version to choose the rules;
// the profile is the ORUK 3.0 profile this API implements.
const (
	Version    = "HSDS-UK-3.0"
	ProfileURL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
)

// Source is what the API publishes: the marketplace's open directory.
type Source interface {
	// Published returns what the caller may see of the directory (see
	// marketplace.OpenDirectory.Published).
	Published(ctx context.Context) (marketplace.Published, error)
}

var _ Source = (*marketplace.OpenDirectory)(nil)

// Config is what the handler needs.
type Config struct {
	Directory Source
	Claims    *account.Claims
	// BaseURL is the public URL of the site, for the links the API gives (its OpenAPI
	// document), such as https://carepool.example.
	BaseURL string
}

// Handler serves the read-only Open Referral UK API under Prefix and the claim routes
// under /api/v1.
type Handler struct {
	dir     Source
	claims  *account.Claims
	base    string
	openAPI []byte // this API's own OpenAPI document, for ORUK tools
}

// NewHandler returns the handler.
func NewHandler(cfg Config) *Handler {
	base := strings.TrimRight(cfg.BaseURL, "/")
	return &Handler{dir: cfg.Directory, claims: cfg.Claims, base: base, openAPI: standaloneOpenAPI(base)}
}

// Register mounts the Open Referral UK routes at Prefix and the claim routes at /api/v1.
func (h *Handler) Register(e *echo.Echo) {
	g := e.Group(Prefix)
	for _, r := range []struct {
		path string
		h    echo.HandlerFunc
	}{
		{"", h.root}, {"/", h.root}, {"/openapi.json", h.document},
		{"/services", h.services}, {"/services/:id", h.service},
		{"/service_at_locations", h.servicesAtLocations}, {"/service_at_locations/:id", h.serviceAtLocation},
		{"/organizations", h.organizations}, {"/organizations/:id", h.organization},
		{"/taxonomies", h.taxonomies}, {"/taxonomies/:id", h.taxonomy},
		{"/taxonomy_terms", h.taxonomyTerms}, {"/taxonomy_terms/:id", h.taxonomyTerm},
	} {
		g.GET(r.path, r.h, openData)
	}
	h.registerClaims(e.Group("/api/v1"))
}

// openData sets the headers of every ORUK response: any web page may read the feed
// (ORUK requires Access-Control-Allow-Origin: *), and a shared cache may keep what the
// public sees for a minute, but never what an administrator sees.
func openData(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set(echo.HeaderAccessControlAllowOrigin, "*")
		h.Add(echo.HeaderVary, "Authorization, Cookie")
		if account.ActorFrom(c.Request().Context()).Anonymous() {
			h.Set("Cache-Control", "public, max-age=60")
		} else {
			h.Set("Cache-Control", "private, no-store")
		}
		return next(c)
	}
}

func (h *Handler) root(c echo.Context) error {
	return c.JSON(http.StatusOK, APIInfo{Version: Version, Profile: ProfileURL, OpenAPIURL: h.base + Prefix + "/openapi.json"})
}

func (h *Handler) document(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, h.openAPI)
}

// published reads the directory as the caller may see it.
func (h *Handler) published(c echo.Context) (marketplace.Published, error) {
	return h.dir.Published(c.Request().Context())
}

func (h *Handler) services(c echo.Context) error {
	q, err := parseQuery(c.QueryParams(), serviceParams)
	if err != nil {
		return err
	}
	pub, err := h.published(c)
	if err != nil {
		return err
	}
	var kept []marketplace.Listing
	for _, l := range pub.Listings {
		if q.keep(l) {
			kept = append(kept, l)
		}
	}
	page, from, to := q.pageOf(len(kept))
	switch {
	case q.minimal:
		contents := make([]MinimalService, 0, to-from)
		for _, l := range kept[from:to] {
			contents = append(contents, MinimalService{ID: l.Offer.ID, ModifiedDate: l.Modified().Format(timeFormat)})
		}
		page.Contents = contents
	default:
		contents := make([]Service, 0, to-from)
		for _, l := range kept[from:to] {
			if q.full {
				contents = append(contents, fullService(l))
			} else {
				contents = append(contents, serviceOneToOne(l))
			}
		}
		page.Contents = contents
	}
	return c.JSON(http.StatusOK, page)
}

func (h *Handler) service(c echo.Context) error {
	l, err := h.listing(c, "service", func(l marketplace.Listing) string { return l.Offer.ID })
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, fullService(l))
}

// listing finds the listing whose id (as idOf gives it) is the :id parameter.
func (h *Handler) listing(c echo.Context, what string, idOf func(marketplace.Listing) string) (marketplace.Listing, error) {
	id := strings.ToLower(c.Param("id"))
	if !isUUID(id) {
		return marketplace.Listing{}, apperr.NotFoundf(what)
	}
	pub, err := h.published(c)
	if err != nil {
		return marketplace.Listing{}, err
	}
	for _, l := range pub.Listings {
		if idOf(l) == id {
			return l, nil
		}
	}
	return marketplace.Listing{}, apperr.NotFoundf(what)
}

func (h *Handler) servicesAtLocations(c echo.Context) error {
	q, err := parseQuery(c.QueryParams(), salParams)
	if err != nil {
		return err
	}
	pub, err := h.published(c)
	if err != nil {
		return err
	}
	type hit struct {
		l marketplace.Listing
		d float64
	}
	var kept []hit
	for _, l := range pub.Listings {
		if !q.keep(l) {
			continue
		}
		var d float64
		if q.postcode != "" {
			var covered bool
			if d, covered = q.distance(l.Offer); !covered {
				continue
			}
		}
		kept = append(kept, hit{l, d})
	}
	if q.postcode != "" { // nearest first
		slices.SortStableFunc(kept, func(a, b hit) int { return cmp.Compare(a.d, b.d) })
	}
	page, from, to := q.pageOf(len(kept))
	contents := make([]ServiceAtLocation, 0, to-from)
	for _, k := range kept[from:to] {
		if q.full {
			contents = append(contents, serviceAtLocation(k.l, true))
			continue
		}
		sal := serviceAtLocation(k.l, false)
		s := serviceOneToOne(k.l)
		sal.Location, sal.Service = oneToOneLocation(*sal.Location), &s
		contents = append(contents, sal)
	}
	page.Contents = contents
	return c.JSON(http.StatusOK, page)
}

func (h *Handler) serviceAtLocation(c echo.Context) error {
	l, err := h.listing(c, "service at location", func(l marketplace.Listing) string { return salID(l.Offer.ID) })
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, serviceAtLocation(l, true))
}

func (h *Handler) organizations(c echo.Context) error {
	q, err := parseQuery(c.QueryParams(), orgParams)
	if err != nil {
		return err
	}
	pub, err := h.published(c)
	if err != nil {
		return err
	}
	var kept []*marketplace.DirectoryProvider
	for _, p := range pub.Providers {
		if matches(q.words, p.Name, p.Description) {
			kept = append(kept, p)
		}
	}
	page, from, to := q.pageOf(len(kept))
	contents := make([]*Organization, 0, to-from)
	for _, p := range kept[from:to] {
		if q.full || q.fullService {
			contents = append(contents, withServices(p, pub.Listings, q.fullService))
		} else {
			contents = append(contents, organization(p, false))
		}
	}
	page.Contents = contents
	return c.JSON(http.StatusOK, page)
}

func (h *Handler) organization(c echo.Context) error {
	q, err := parseQuery(c.QueryParams(), []string{"full_service"})
	if err != nil {
		return err
	}
	id := strings.ToLower(c.Param("id"))
	pub, err := h.published(c)
	if err != nil {
		return err
	}
	for _, p := range pub.Providers {
		if p.ID == id {
			return c.JSON(http.StatusOK, withServices(p, pub.Listings, q.fullService))
		}
	}
	return apperr.NotFoundf("organization")
}

// withServices is the full organization with its services: their own fields only, or
// fully nested when full is set.
func withServices(p *marketplace.DirectoryProvider, listings []marketplace.Listing, full bool) *Organization {
	org := organization(p, true)
	for _, l := range listings {
		if l.Provider.ID != p.ID {
			continue
		}
		var s Service
		if full {
			s = fullService(l)
		} else {
			s = serviceOneToOne(l)
		}
		s.Organization = nil // it is the object itself
		org.Services = append(org.Services, s)
	}
	return org
}

func (h *Handler) taxonomies(c echo.Context) error {
	q, err := parseQuery(c.QueryParams(), taxonomyParams)
	if err != nil {
		return err
	}
	var kept []Taxonomy
	for _, x := range taxonomies {
		if matches(q.words, x.Name, x.Description) {
			kept = append(kept, x.HSDS(false))
		}
	}
	page, from, to := q.pageOf(len(kept))
	page.Contents = append([]Taxonomy{}, kept[from:to]...)
	return c.JSON(http.StatusOK, page)
}

func (h *Handler) taxonomy(c echo.Context) error {
	id := strings.ToLower(c.Param("id"))
	for _, x := range taxonomies {
		if taxonomyID(x.Slug) == id {
			return c.JSON(http.StatusOK, x.HSDS(true))
		}
	}
	return apperr.NotFoundf("taxonomy")
}

func (h *Handler) taxonomyTerms(c echo.Context) error {
	q, err := parseQuery(c.QueryParams(), termParams)
	if err != nil {
		return err
	}
	kept := []TaxonomyTerm{}
	for _, x := range taxonomies {
		for _, t := range x.Terms {
			tt := term(x.Slug, t)
			// Carepool's terms have no parents: every one is at the top, none is a child.
			if (q.taxonomyID == "" || tt.TaxonomyID == q.taxonomyID) && q.parentID == "" && matches(q.words, tt.Name, tt.Description, tt.Code) {
				kept = append(kept, tt)
			}
		}
	}
	page, from, to := q.pageOf(len(kept))
	page.Contents = kept[from:to]
	return c.JSON(http.StatusOK, page)
}

func (h *Handler) taxonomyTerm(c echo.Context) error {
	if t, ok := termsByID[strings.ToLower(c.Param("id"))]; ok {
		return c.JSON(http.StatusOK, t)
	}
	return apperr.NotFoundf("taxonomy term")
}
