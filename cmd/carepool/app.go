package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/carepool/carepool/calendar"
	"github.com/carepool/carepool/frontend"
	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/boltstore"
	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/marketplace/openreferral"
	"github.com/carepool/carepool/notify"
	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/payments/stripe"
	"github.com/carepool/carepool/pooling"
	"github.com/carepool/carepool/privacy"
	"github.com/carepool/carepool/search"
)

// Main is the composition root: the one place that chooses concrete adapters and wires
// them into the services and the HTTP server. End-to-end tests build the same Main on a
// temporary data directory.
type Main struct {
	Config   Config
	Logger   *slog.Logger
	DB       *store.DB
	Accounts *account.Service
	Market   *marketplace.Service
	Pools    *pooling.Service
	Search   search.Index // Meilisearch when MEILI_URL is set, else Bleve in DATA_DIR/search
	Echo     *echo.Echo
	Registry *prometheus.Registry
	mail     *mailWorker // sends the emails queued in the outbox
	// Notify is the inbox, notification preferences, invitations and pool messages; its
	// worker turns "notify" outbox tasks into notifications (jobs.go).
	Notify *notify.Service
	// Calendar builds the pool and personal iCalendar feeds; Privacy exports and
	// erases a person's data.
	Calendar *calendar.Service
	Privacy  *privacy.Service
	// Payments onboards providers to Stripe Connect and applies Stripe's webhook events;
	// without STRIPE_SECRET_KEY card payments are off and its card routes say so.
	Payments *payments.Service
	// Cards moves card pledges' money (nil without STRIPE_SECRET_KEY); its worker runs
	// in jobs.go.
	Cards *payments.Cards

	openAPI []byte
}

// Options lets tests tune what production leaves at its defaults.
type Options struct {
	Password account.PasswordParams // cheap hashing in tests
	// Gateway replaces Stripe (with STRIPE_SECRET_KEY set, webhooks still verified by the
	// Stripe adapter): tests of what stripe-mock cannot do, such as a declined card, use
	// the payments test double here (ARCHITECTURE.md, "Payments").
	Gateway payments.Gateway
}

// Open opens the store and builds the application, without listening yet.
func Open(ctx context.Context, cfg Config, logger *slog.Logger, opts Options) (*Main, error) {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	m := &Main{Config: cfg, Logger: logger, DB: db, Registry: prometheus.NewRegistry()}
	m.Accounts, err = account.NewService(store.NewAccounts(db), account.Config{Password: opts.Password})
	if err != nil {
		_ = db.Close(ctx)
		return nil, err
	}
	if m.mail, err = newMailWorker(cfg, db, logger, instanceName()); err != nil {
		_ = db.Close(ctx)
		return nil, err
	}
	m.Market = marketplace.NewService(store.NewMarketplace(db), store.NewDirectory(db), nil, nil)
	if m.Payments, err = openPayments(cfg, db, opts.Gateway); err != nil {
		_ = db.Close(ctx)
		return nil, err
	}
	m.Pools = pooling.NewService(store.NewPooling(db), m.Market, store.NewDirectory(db), m.Accounts, m.poolingConfig())
	if m.Payments.Configured() {
		m.Cards = payments.NewCards(m.Payments, m.Pools, store.NewCards(db),
			payments.CardConfig{PublishableKey: cfg.StripePublishableKey})
	}
	if m.Notify, err = notify.NewService(notify.Deps{Store: store.NewNotify(db), Pools: store.NewPooling(db), Access: m.Pools,
		People: store.NewAccounts(db), Invoices: store.NewNotifyInvoices(db)}, notify.Config{Logger: logger}); err != nil {
		_ = db.Close(ctx)
		return nil, err
	}
	m.Calendar, err = calendar.NewService(m.Pools, store.NewMarketplace(db), store.NewAccounts(db), store.NewCalendars(db),
		calendar.Config{BaseURL: cfg.BaseURL})
	if err == nil {
		// Every feature with personal data of its own is a privacy.Holder listed here.
		m.Privacy, err = privacy.NewService(m.Accounts, m.Pools, store.NewPrivacy(db), privacy.Config{Password: opts.Password}, m.Calendar, m.Notify)
	}
	if err != nil {
		_ = db.Close(ctx)
		return nil, err
	}
	if m.Search, err = openSearch(ctx, cfg); err != nil {
		_ = db.Close(ctx)
		return nil, err
	}
	if err := m.buildHTTP(); err != nil {
		_ = m.Search.Close()
		_ = db.Close(ctx)
		return nil, err
	}
	return m, nil
}

// openPayments builds card payments on Stripe when STRIPE_SECRET_KEY is set, and
// otherwise a service that answers every card route "not set up".
func openPayments(cfg Config, db *store.DB, override payments.Gateway) (*payments.Service, error) {
	var gateway payments.Gateway
	var verifier payments.Verifier
	if cfg.StripeSecretKey != "" {
		c, err := stripe.New(cfg.stripeConfig())
		if err != nil {
			return nil, err
		}
		gateway, verifier = c, c
		if override != nil {
			gateway = override
		}
	}
	return payments.NewService(store.NewPayments(db), store.NewDirectory(db), gateway, verifier,
		payments.Config{PlatformFeeBasisPoints: cfg.PlatformFeeBasisPoints}), nil
}

// openStore opens MongoDB when MONGO_URI is set, and otherwise the embedded store in
// DATA_DIR/carepool.db (created if missing; locked against a second process).
func openStore(ctx context.Context, cfg Config) (*store.DB, error) {
	if cfg.MongoURI != "" {
		return store.OpenMongo(ctx, cfg.MongoURI)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	persist, err := boltstore.Open(filepath.Join(cfg.DataDir, "carepool.db"), boltstore.Options{})
	if err != nil {
		return nil, err
	}
	db, err := store.OpenEmbedded(ctx, persist)
	if err != nil {
		_ = persist.Close()
		return nil, err
	}
	return db, nil
}

func (m *Main) buildHTTP() error {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	// The client's address is the connection's: X-Forwarded-For is not trusted, so nobody
	// can dodge the login rate limit by sending it. Behind a proxy, configure it here.
	e.IPExtractor = echo.ExtractIPDirect()
	// The web pages call the same services as the API; errors on pages become HTML pages.
	pages, err := frontend.New(frontend.Config{Accounts: pageAccounts{m.Accounts, store.NewAccounts(m.DB)}, Market: m.Market, Search: m.Search, Pools: m.Pools, Logger: m.Logger,
		BaseURL: m.Config.BaseURL, SecureCookie: m.Config.SecureCookie, Calendar: m.Calendar, Privacy: m.Privacy,
		Notify: m.Notify, ProviderPayments: m.Payments, Cards: m.pageCards()})
	if err != nil {
		return err
	}
	e.HTTPErrorHandler = web.NewErrorHandler(m.Logger, pages.RenderError)
	metrics := web.NewMetrics(m.Registry)
	m.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		newStoreCollector(m.DB))
	accounts := account.NewHandler(m.Accounts, account.HandlerConfig{BaseURL: m.Config.BaseURL, SecureCookie: m.Config.SecureCookie})
	e.Use(web.RequestID(), web.AccessLog(m.Logger), metrics.Middleware(), web.Recover(m.Logger), web.SecurityHeaders(),
		accounts.Authenticate)

	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", m.ready)
	api := e.Group("/api/v1")
	accounts.Register(api)
	marketplace.NewHandler(m.Market).Register(api)
	search.NewHandler(m.Search).Register(api)
	pooling.NewHandler(m.Pools, store.NewAccounts(m.DB)).Register(api)
	notify.NewHandler(m.Notify).Register(api)
	feeds := calendar.NewHandler(m.Calendar)
	feeds.Register(api)
	feeds.RegisterFeeds(e)
	privacy.NewHandler(m.Privacy, privacy.HandlerConfig{SecureCookie: m.Config.SecureCookie}).Register(api)
	payments.NewHandler(m.Payments, payments.HandlerConfig{ReturnURL: m.Config.BaseURL + "/dashboard/providers/{id}/card-payments"}).Register(api)
	payments.NewCardHandler(m.Cards).Register(api)
	m.mountOpenReferral(e)
	api.GET("/admin/backup", m.backup)
	api.GET("/openapi.json", func(c echo.Context) error { return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, m.openAPI) })
	pages.Register(e)

	doc, err := web.OpenAPI(account.OpenAPI, marketplace.OpenAPI, openreferral.OpenAPI, search.OpenAPI, pooling.OpenAPI, calendar.OpenAPI, privacy.OpenAPI, notify.OpenAPI, payments.OpenAPI, payments.CardsOpenAPI)
	if err != nil {
		return fmt.Errorf("build OpenAPI document: %w", err)
	}
	m.openAPI, m.Echo = doc, e
	return nil
}

func (m *Main) ready(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := m.DB.Ping(ctx); err != nil {
		m.Logger.Warn("store not reachable", "error", err)
		return c.JSON(http.StatusServiceUnavailable, web.Problem{Type: "/problems/not-ready", Title: "Service Unavailable", Status: 503, Detail: "The store is not reachable."})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready", "store": m.DB.Engine()})
}

// Serve listens on the site and metrics addresses until ctx ends, then shuts down
// gracefully: in-flight requests finish (up to 20 s), then the store is closed.
// ready, if not nil, is called with the site's address once it listens.
func (m *Main) Serve(ctx context.Context, ready func(addr string)) error {
	site, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	metricsLn, err := net.Listen("tcp", m.Config.MetricsAddr)
	if err != nil {
		site.Close()
		return fmt.Errorf("listen for metrics on %s: %w", m.Config.MetricsAddr, err)
	}
	siteSrv := &http.Server{Handler: m.Echo, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
	metricsSrv := &http.Server{Handler: metricsHandler(m.Registry), ReadHeaderTimeout: 10 * time.Second}
	errs := make(chan error, 2)
	go func() { errs <- siteSrv.Serve(site) }()
	go func() { errs <- metricsSrv.Serve(metricsLn) }()
	jobs := m.startJobs(ctx)
	if ready != nil {
		ready(site.Addr().String())
	}
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errs:
	}
	m.Logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer cancel()
	err = errors.Join(siteSrv.Shutdown(shutdownCtx), metricsSrv.Shutdown(shutdownCtx))
	jobs.Wait()
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	return errors.Join(serveErr, err)
}

// Close closes the search index and the store.
func (m *Main) Close(ctx context.Context) error {
	return errors.Join(m.Search.Close(), m.DB.Close(ctx))
}

// pageCards is card payments for the pages: nil (not a nil *payments.Cards) without
// Stripe keys, so the pages offer no card option.
func (m *Main) pageCards() frontend.CardPayments {
	if m.Cards == nil {
		return nil
	}
	return m.Cards
}

// instanceName names this server copy in deadline leases: host and process id, so two
// copies on one host differ too.
func instanceName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "carepool"
	}
	return fmt.Sprintf("%s-%d", host, os.Getpid())
}

// pageAccounts is the account service with the people lookups the ISF pages need (the
// store's: only pages that have checked the caller call them).
type pageAccounts struct {
	*account.Service
	people *store.Accounts
}

var _ frontend.People = pageAccounts{}

func (p pageAccounts) UserIDByEmail(ctx context.Context, email string) (string, error) {
	return p.people.UserIDByEmail(ctx, email)
}

func (p pageAccounts) UserNames(ctx context.Context, ids []string) (map[string]string, error) {
	return p.people.UserNames(ctx, ids)
}
