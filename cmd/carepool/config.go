package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"github.com/carepool/carepool/payments/stripe"
)

// Config is everything Carepool reads from its environment. There is no other
// configuration and no global state: Main receives a Config.
type Config struct {
	Addr        string // ADDR: where the site listens (default 127.0.0.1:8080)
	BaseURL     string // BASE_URL: the public URL, for links (default http://ADDR)
	MetricsAddr string // METRICS_ADDR: where /metrics listens, never with the public site
	DataDir     string // DATA_DIR: the embedded store and index (default ./data)
	MongoURI    string // MONGO_URI: a MongoDB replica set instead of the embedded store
	MeiliURL    string // MEILI_URL: a Meilisearch server instead of the embedded index
	MeiliAPIKey string // MEILI_API_KEY
	LogLevel    string // LOG_LEVEL: debug, info (default), warn, error
	SMTPURL     string // SMTP_URL: smtp://user:pass@host:port; unset → .eml files in DATA_DIR/mail
	MailFrom    string // MAIL_FROM: the From of every email (default no-reply at BASE_URL's host)

	// Card payments (Stripe). Without StripeSecretKey card payments are switched off and
	// every card route says so. The keys are secrets: String never shows them.
	StripeSecretKey        string // STRIPE_SECRET_KEY
	StripeWebhookSecret    string // STRIPE_WEBHOOK_SECRET: the webhook endpoint's signing secret
	StripeAPIBase          string // STRIPE_API_BASE: another Stripe API, such as stripe-mock (default Stripe's)
	StripePublishableKey   string // STRIPE_PUBLISHABLE_KEY: for Stripe Elements in the browser (not secret)
	PlatformFeeBasisPoints int64  // PLATFORM_FEE_BASIS_POINTS: the platform's fee on card money in 1/100 % (default 0)

	// SecureCookie is derived from BASE_URL: session cookies are Secure unless the site is
	// plain http (development on a loopback address); a site behind TLS sets an https BASE_URL.
	SecureCookie bool
}

// ConfigFromEnv reads the configuration, applying safe defaults.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Addr:        orDefault(getenv("ADDR"), "127.0.0.1:8080"),
		MetricsAddr: orDefault(getenv("METRICS_ADDR"), "127.0.0.1:9091"),
		DataDir:     orDefault(getenv("DATA_DIR"), "./data"),
		MongoURI:    getenv("MONGO_URI"),
		MeiliURL:    getenv("MEILI_URL"),
		MeiliAPIKey: getenv("MEILI_API_KEY"),
		LogLevel:    orDefault(getenv("LOG_LEVEL"), "info"),
		SMTPURL:     getenv("SMTP_URL"),
	}
	c.BaseURL = strings.TrimRight(orDefault(getenv("BASE_URL"), "http://"+c.Addr), "/")
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Config{}, fmt.Errorf("BASE_URL %q must be an absolute http(s) URL", c.BaseURL)
	}
	c.SecureCookie = u.Scheme == "https"
	c.MailFrom = orDefault(getenv("MAIL_FROM"), defaultMailFrom(c.BaseURL))
	if err := checkMailConfig(c); err != nil {
		return Config{}, err
	}
	if err := readStripeConfig(&c, getenv); err != nil {
		return Config{}, err
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return Config{}, fmt.Errorf("LOG_LEVEL %q must be debug, info, warn or error", c.LogLevel)
	}
	return c, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// String describes the configuration for the start-up log line, without secrets.
func (c Config) String() string {
	store := "embedded store in " + c.DataDir
	if c.MongoURI != "" {
		store = "MongoDB" // the URI may hold a password
	}
	return fmt.Sprintf("addr=%s base_url=%s metrics=%s store=%q mail=%q cards=%q", c.Addr, c.BaseURL, c.MetricsAddr, store, c.mailDescription(), c.cardsDescription())
}

// LogValue makes slog show a Config as String does, so no handler (JSON included) ever
// writes its secrets.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// readStripeConfig reads the card payment settings: both Stripe secrets or neither, and
// a platform fee between 0 and 100%.
func readStripeConfig(c *Config, getenv func(string) string) error {
	c.StripeSecretKey, c.StripeWebhookSecret, c.StripeAPIBase = getenv("STRIPE_SECRET_KEY"), getenv("STRIPE_WEBHOOK_SECRET"), getenv("STRIPE_API_BASE")
	c.StripePublishableKey = getenv("STRIPE_PUBLISHABLE_KEY")
	if fee := getenv("PLATFORM_FEE_BASIS_POINTS"); fee != "" {
		bp, err := strconv.ParseInt(fee, 10, 64)
		if err != nil || bp < 0 || bp > 10_000 {
			return fmt.Errorf("PLATFORM_FEE_BASIS_POINTS %q must be a whole number from 0 to 10000 (hundredths of a percent)", fee)
		}
		c.PlatformFeeBasisPoints = bp
	}
	if c.StripeSecretKey == "" {
		if c.StripeWebhookSecret != "" {
			return fmt.Errorf("STRIPE_WEBHOOK_SECRET is set without STRIPE_SECRET_KEY: set both to take card payments, or neither")
		}
		return nil
	}
	return c.stripeConfig().Validate()
}

// stripeConfig is the Stripe adapter's configuration.
func (c Config) stripeConfig() stripe.Config {
	return stripe.Config{SecretKey: c.StripeSecretKey, WebhookSecret: c.StripeWebhookSecret, APIBase: c.StripeAPIBase}
}

// cardsDescription says whether card payments are on, for the start-up log line.
func (c Config) cardsDescription() string {
	switch {
	case c.StripeSecretKey == "":
		return "off (no STRIPE_SECRET_KEY)"
	case c.StripeAPIBase != "":
		return "stripe at " + c.StripeAPIBase
	case strings.HasPrefix(c.StripeSecretKey, "sk_live_") || strings.HasPrefix(c.StripeSecretKey, "rk_live_"):
		return "stripe (live)"
	}
	return "stripe (test mode)"
}
