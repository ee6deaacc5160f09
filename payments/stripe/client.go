// Package stripe is the Stripe adapter of the payments ports: a payments.Gateway and a
// payments.Verifier on github.com/stripe/stripe-go/v76 (API version 2023-10-16). Its
// tests run against a real stripe-mock process (payments/stripe/stripemock).
package stripe

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/carepool/carepool/payments"
)

// DefaultAPIBase is Stripe's API.
const DefaultAPIBase = "https://api.stripe.com"

// Config configures the adapter. The keys are secrets: nothing here logs them, and
// Config has no String method that would show them.
type Config struct {
	SecretKey     string // STRIPE_SECRET_KEY: sk_live_..., sk_test_... or a restricted rk_... key
	WebhookSecret string // STRIPE_WEBHOOK_SECRET: the endpoint's signing secret, whsec_...
	APIBase       string // STRIPE_API_BASE: default DefaultAPIBase; stripe-mock's URL in tests
	// HTTPClient sends the requests (default: a client with a 30 s timeout).
	HTTPClient *http.Client
	// MaxNetworkRetries is how often stripe-go retries a request that failed on the
	// network or with a 409/429/5xx (default 2). Retries are safe: every request that
	// creates something carries an idempotency key, which stripe-go resends.
	MaxNetworkRetries *int64
	// Now is the clock used when Stripe's answer carries no Date header (default time.Now).
	Now func() time.Time
}

// Validate reports a configuration that cannot work, naming the variable at fault but
// never its value.
func (c Config) Validate() error {
	if c.SecretKey == "" {
		return fmt.Errorf("STRIPE_SECRET_KEY is empty")
	}
	if !strings.HasPrefix(c.SecretKey, "sk_") && !strings.HasPrefix(c.SecretKey, "rk_") {
		return fmt.Errorf("STRIPE_SECRET_KEY must be a Stripe secret key (sk_...) or restricted key (rk_...), not a publishable key")
	}
	if c.WebhookSecret == "" {
		return fmt.Errorf("STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY: without it no payment could ever be confirmed")
	}
	if c.APIBase != "" {
		u, err := url.Parse(c.APIBase)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("STRIPE_API_BASE %q must be an absolute http(s) URL", c.APIBase)
		}
	}
	return nil
}

// Client is the Stripe adapter: a payments.Gateway and a payments.Verifier.
type Client struct {
	api *client.API
	cfg Config
}

var (
	_ payments.Gateway  = (*Client)(nil)
	_ payments.Verifier = (*Client)(nil)
)

// New returns a Client for cfg, which must be valid (Config.Validate).
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.APIBase == "" {
		cfg.APIBase = DefaultAPIBase
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	base := strings.TrimRight(cfg.APIBase, "/")
	backends := stripego.NewBackendsWithConfig(&stripego.BackendConfig{
		URL:               &base,
		HTTPClient:        cfg.HTTPClient,
		MaxNetworkRetries: cfg.MaxNetworkRetries,
		// stripe-go logs failed requests itself; our error handler logs what matters,
		// once, with the request id.
		LeveledLogger: &stripego.LeveledLogger{Level: stripego.LevelNull},
	})
	return &Client{api: client.New(cfg.SecretKey, backends), cfg: cfg}, nil
}

// answeredAt is Stripe's time for a response: its Date header, else our clock.
func (c *Client) answeredAt(r *stripego.APIResponse) time.Time {
	if r != nil {
		if t, err := http.ParseTime(r.Header.Get("Date")); err == nil {
			return t.UTC()
		}
	}
	return c.cfg.Now().UTC()
}
