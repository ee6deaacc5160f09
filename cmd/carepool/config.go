package main

import (
	"fmt"
	"net/url"
	"strings"
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
	return fmt.Sprintf("addr=%s base_url=%s metrics=%s store=%q mail=%q", c.Addr, c.BaseURL, c.MetricsAddr, store, c.mailDescription())
}
