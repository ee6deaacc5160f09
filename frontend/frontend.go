// Package frontend is Carepool's website: server-rendered HTML pages for people, served
// by the same binary as the JSON API and calling the same services (never the API over
// HTTP).
//
// Pages are html/template files embedded with go:embed, parsed once at start-up from a
// declared list (see templates.go), each executed with a typed page struct that embeds
// Base. Styles are GOV.UK Frontend's, compiled by `make assets` into static/ and served
// under content-hashed URLs. Pages carry a strict Content-Security-Policy and run no
// script at all; every form works without JavaScript and follows post/redirect/get, and
// every form that changes something carries a CSRF token (see csrf.go).
package frontend

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/search"
)

// Accounts is what the pages need of the account service. Errors are apperr errors.
type Accounts interface {
	SignUp(ctx context.Context, in account.SignUp) (account.StartedSession, error)
	LogIn(ctx context.Context, in account.Credentials, ip string) (account.StartedSession, error)
	LogOut(ctx context.Context, secret string) error
	Me(ctx context.Context) (account.User, error)
	CreateOrganisation(ctx context.Context, in account.NewOrganisation) (account.Organisation, error)
	DelegationsGranted(ctx context.Context) ([]account.DelegationView, error)
	DelegationsToMe(ctx context.Context) ([]account.DelegationView, error)
}

// Market is what the pages need of the marketplace service. Errors are apperr errors.
type Market interface {
	Offers(ctx context.Context, f marketplace.OfferFilter) (marketplace.Page[marketplace.Offer], error)
	Offer(ctx context.Context, id string) (marketplace.Offer, error)
	Provider(ctx context.Context, id string) (marketplace.Provider, error)
	CreateOffer(ctx context.Context, providerID string, in marketplace.OfferInput) (marketplace.Offer, error)
	ReplaceOffer(ctx context.Context, id string, version int64, in marketplace.OfferInput) (marketplace.Offer, error)
	SetOfferStatus(ctx context.Context, id string, to marketplace.Status, version int64) (marketplace.Offer, error)
}

// Searcher runs a search. It returns a *search.ValidationError for a query it cannot run.
type Searcher interface {
	Search(ctx context.Context, q search.Query) (search.Result, error)
}

// Config is what a Handler is built from.
type Config struct {
	Accounts Accounts
	Market   Market
	// Search is the search index. When nil the search page falls back to the
	// marketplace's list filters (one category, one budget type, one area).
	Search Searcher
	// Pools is the pooling service. When nil there are no pool pages.
	Pools  Pools
	Logger *slog.Logger
	// BaseURL is the public URL of the site; its origin is the one trusted to post forms.
	BaseURL string
	// SecureCookie marks cookies Secure: set it whenever the site is served over https.
	SecureCookie bool
	// CookieName is the session cookie's name (default account.DefaultCookieName): the
	// pages set it at log-in exactly as the API does, so one session serves both.
	CookieName string
	// Notify is the inbox, email settings and pool messages; when nil there are no such pages.
	Notify Notifications
	// Calendar manages personal calendar feeds; when nil the account page has no feed.
	Calendar CalendarFeeds
	// Privacy exports and deletes a person's data; when nil there is no "your data" page.
	Privacy PersonalData
	// Cards is card payments (payments.Cards); when nil (no Stripe keys) nobody is
	// offered to pay by card and there is no card page.
	Cards CardPayments
	// ProviderPayments is providers' card payments set-up (payments.Service); when nil
	// there is no card payments page on the provider's dashboard.
	ProviderPayments ProviderPayments
}

// Handler serves the pages.
type Handler struct {
	accounts   Accounts
	market     Market
	search     Searcher
	pools      Pools
	logger     *slog.Logger
	origin     string
	secure     bool
	cookieName string
	tmpl       *templates
	notify     Notifications
	assets     *assets
	calendar   CalendarFeeds
	privacy    PersonalData
	// cards and providerPayments are card payments (see cards.go).
	cards            CardPayments
	providerPayments ProviderPayments
}

// New builds the pages: it parses every template and hashes every asset, and fails if
// any is missing or broken, so a broken page stops the server at start-up rather than
// in front of a person.
func New(cfg Config) (*Handler, error) {
	if cfg.Accounts == nil || cfg.Market == nil {
		return nil, errors.New("frontend: Accounts and Market are required")
	}
	h := &Handler{accounts: cfg.Accounts, market: cfg.Market, search: cfg.Search, pools: cfg.Pools, logger: cfg.Logger,
		secure: cfg.SecureCookie, cookieName: cfg.CookieName, calendar: cfg.Calendar, privacy: cfg.Privacy}
	h.notify = cfg.Notify
	h.cards, h.providerPayments = cfg.Cards, cfg.ProviderPayments
	if h.logger == nil {
		h.logger = slog.New(slog.DiscardHandler)
	}
	if h.cookieName == "" {
		h.cookieName = account.DefaultCookieName
	}
	h.origin = web.Origin(cfg.BaseURL)
	var err error
	if h.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if h.tmpl, err = parseTemplates(h.assets); err != nil {
		return nil, err
	}
	return h, nil
}

// routeNamePrefix marks the routes the frontend registers, so that checks that apply to
// the API only (every route documented in OpenAPI, the API authorization matrix) can
// tell them apart: see IsPageRoute.
const routeNamePrefix = "frontend:"

// IsPageRoute reports whether r is one of the frontend's routes (an HTML page, a form
// target or a static asset) rather than an API route.
func IsPageRoute(r *echo.Route) bool { return strings.HasPrefix(r.Name, routeNamePrefix) }

// Register mounts the pages at the root of e. Every page route gets the page
// middleware (security headers, the CSRF cookie and token check); nothing is added to
// the API's routes.
func (h *Handler) Register(e *echo.Echo) {
	page := func(method, path, name string, fn echo.HandlerFunc) {
		e.Add(method, path, fn, h.pageHeaders, h.csrf).Name = routeNamePrefix + name
	}
	get := func(path, name string, fn echo.HandlerFunc) { page(http.MethodGet, path, name, fn) }
	post := func(path, name string, fn echo.HandlerFunc) { page(http.MethodPost, path, name, fn) }

	get("/", "home", h.home)
	get("/search", "search", h.searchPage)
	get("/offers/:id", "offer", h.offerPage)
	get("/providers/:id", "provider", h.providerPage)
	get("/budget-guide", "budget-guide", h.budgetGuide)
	get("/glossary", "glossary", h.glossaryPage)

	get("/signup", "signup", h.signUpForm)
	post("/signup", "signup", h.signUp)
	get("/login", "login", h.logInForm)
	post("/login", "login", h.logIn)
	post("/logout", "logout", h.logOut)
	get("/account", "account", h.accountPage)
	h.registerAccountEmail(get, post)
	h.registerEmailChange(get, post)
	h.registerPasswordChange(get, post)
	h.registerDelegations(get, post)

	get("/dashboard", "dashboard", h.dashboard)
	get("/dashboard/organisations/new", "organisation-new", h.newOrganisationForm)
	post("/dashboard/organisations", "organisation-create", h.createOrganisation)
	get("/dashboard/providers/:id/offers/new", "offer-new", h.newOfferForm)
	post("/dashboard/providers/:id/offers", "offer-create", h.createOffer)
	get("/dashboard/offers/:id/edit", "offer-edit", h.editOfferForm)
	post("/dashboard/offers/:id", "offer-update", h.updateOffer)
	post("/dashboard/offers/:id/status", "offer-status", h.setOfferStatus)
	h.registerPools(get, post)
	h.registerNotify(e, get, post)
	h.registerInvoices(get, post)
	h.registerAccountData(get, post)
	h.registerCards(get, post)

	e.GET("/static/:hash/:name", h.assets.serve).Name = routeNamePrefix + "static"
}

// actor is the caller of a request, as Authenticate found them.
func actor(c echo.Context) *account.Actor { return account.ActorFrom(c.Request().Context()) }
