package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// Sender hands a message on. Send returns nil only once the message was accepted (by the
// SMTP server, or written to disk), so the caller may then record it as sent.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// NewSender returns an SMTP sender when smtpURL is set, and otherwise a FileSender that
// writes .eml files under dir.
func NewSender(smtpURL, dir string, logger *slog.Logger) (Sender, error) {
	if smtpURL == "" {
		return &FileSender{Dir: dir, Logger: logger}, nil
	}
	return NewSMTPSender(smtpURL)
}

// SMTPSender sends through an SMTP server, using STARTTLS when the server offers it.
type SMTPSender struct {
	addr     string // host:port
	host     string
	user     string
	password string
	implicit bool // smtps://: TLS from the first byte
	// Timeout bounds one whole delivery (default 30 s).
	Timeout time.Duration
	// TLSConfig overrides the TLS settings (tests); nil verifies the server as usual.
	TLSConfig *tls.Config
}

// NewSMTPSender parses smtp://user:pass@host:port (port 587 by default) or
// smtps://user:pass@host:port (port 465 by default).
func NewSMTPSender(raw string) (*SMTPSender, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("SMTP_URL is not a URL") // the URL may hold a password: not echoed
	}
	s := &SMTPSender{host: u.Hostname(), Timeout: 30 * time.Second}
	port := u.Port()
	switch u.Scheme {
	case "smtp":
		if port == "" {
			port = "587"
		}
	case "smtps":
		s.implicit = true
		if port == "" {
			port = "465"
		}
	default:
		return nil, fmt.Errorf("SMTP_URL scheme %q must be smtp or smtps", u.Scheme)
	}
	if s.host == "" {
		return nil, errors.New("SMTP_URL has no host")
	}
	s.addr = net.JoinHostPort(s.host, port)
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
	}
	return s, nil
}

// Addr is the server's host:port, for logs.
func (s *SMTPSender) Addr() string { return s.addr }

// Send implements Sender.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	body, err := m.Bytes()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	tlsConfig := s.TLSConfig
	if tlsConfig == nil {
		tlsConfig = &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return fmt.Errorf("connect to SMTP server: %w", err)
	}
	if s.implicit {
		conn = tls.Client(conn, tlsConfig)
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("greet SMTP server: %w", err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("SMTP EHLO: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok && !s.implicit {
		if err := c.StartTLS(tlsConfig); err != nil {
			return fmt.Errorf("SMTP STARTTLS: %w", err)
		}
	}
	if s.user != "" {
		// net/smtp's PlainAuth refuses to send a password over an unencrypted connection
		// except to localhost.
		if err := c.Auth(smtp.PlainAuth("", s.user, s.password, s.host)); err != nil {
			return fmt.Errorf("SMTP AUTH: %w", err)
		}
	}
	from, _ := parseAddr(m.From)
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("SMTP MAIL FROM: %w", err)
	}
	for _, to := range m.To {
		addr, _ := parseAddr(to)
		if err := c.Rcpt(addr); err != nil {
			return fmt.Errorf("SMTP RCPT TO: %w", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("SMTP DATA: %w", err)
	}
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("SMTP DATA: %w", err)
	}
	// Close sends the final dot and reads the server's answer: only a 250 here means the
	// server took responsibility for the message.
	if err := w.Close(); err != nil {
		return fmt.Errorf("SMTP server refused the message: %w", err)
	}
	_ = c.Quit()
	return nil
}

// FileSender writes each message as DIR/<key>.eml, for development without an SMTP
// server, and logs the file's path (never the content, which may hold a sign-in link).
type FileSender struct {
	Dir    string
	Logger *slog.Logger
}

// Send implements Sender. Writing a key that already has a file is not an error and does
// not overwrite it: the message was already delivered.
func (f *FileSender) Send(_ context.Context, m Message) error {
	body, err := m.Bytes()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(f.Dir, 0o750); err != nil {
		return fmt.Errorf("create mail directory: %w", err)
	}
	path := filepath.Join(f.Dir, m.Key+".eml")
	tmp, err := os.CreateTemp(f.Dir, ".tmp-*.eml")
	if err != nil {
		return fmt.Errorf("write email file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(body); err != nil {
		tmp.Close()
		return fmt.Errorf("write email file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write email file: %w", err)
	}
	// A hard link fails if the file exists, so of two copies writing the same key one wins
	// and the file is never half-written.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("write email file: %w", err)
	}
	if f.Logger != nil {
		f.Logger.Info("email written to file (no SMTP_URL)", "path", path)
	}
	return nil
}

// parseAddr returns the bare address of a checked "Name <addr>" (Validate ran first).
func parseAddr(s string) (string, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", err
	}
	return a.Address, nil
}
