package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/url"
	"path/filepath"
	"time"

	"github.com/carepool/carepool/infra/mail"
	"github.com/carepool/carepool/infra/store"
)

// Mail worker settings: a message is tried mailMaxAttempts times, waiting
// mailBackoff(attempt) between tries, then given up and shown to administrators.
const (
	mailMaxAttempts = 8
	mailBatch       = 10
	mailInterval    = 5 * time.Second
	mailSendTimeout = 30 * time.Second
)

// mailBackoff doubles from 30 seconds to at most an hour: 30s, 1m, 2m, 4m, ... so eight
// attempts span about an hour and a half of SMTP trouble.
func mailBackoff(attempt int) time.Duration { return doubling(attempt, time.Hour) }

// doubling is a retry's wait after attempt earlier tries: 30 seconds, doubled each time,
// at most most.
func doubling(attempt int, most time.Duration) time.Duration {
	return min(30*time.Second<<min(attempt, 7), most)
}

// mailWorker sends the emails queued in the outbox. Every server copy runs one; the
// outbox lease (longer than a whole batch can take) makes sure one copy sends each.
type mailWorker struct {
	queue   *store.MailQueue
	sender  mail.Sender
	from    string
	baseURL string
	logger  *slog.Logger
	now     func() time.Time
}

// newMailWorker chooses the sender: SMTP when SMTP_URL is set, otherwise .eml files in
// DATA_DIR/mail.
func newMailWorker(cfg Config, db *store.DB, logger *slog.Logger, owner string) (*mailWorker, error) {
	sender, err := mail.NewSender(cfg.SMTPURL, filepath.Join(cfg.DataDir, "mail"), logger)
	if err != nil {
		return nil, err
	}
	if s, ok := sender.(*mail.SMTPSender); ok {
		s.Timeout = mailSendTimeout
	}
	return &mailWorker{queue: db.NewMailQueue(owner), sender: sender, from: cfg.MailFrom, baseURL: cfg.BaseURL,
		logger: logger, now: time.Now}, nil
}

// mailReport counts what one run did.
type mailReport struct{ Sent, Retried, Failed int }

// drain sends batches of due emails until a batch comes back short, so a pool of 200
// people confirming leaves the outbox in one run rather than ten emails every interval.
func (w *mailWorker) drain(ctx context.Context) (mailReport, error) {
	var total mailReport
	for {
		rep, err := w.run(ctx)
		total.Sent, total.Retried, total.Failed = total.Sent+rep.Sent, total.Retried+rep.Retried, total.Failed+rep.Failed
		if err != nil || ctx.Err() != nil || rep.Sent+rep.Retried+rep.Failed < mailBatch {
			return total, err
		}
	}
}

// run sends one batch of due emails.
func (w *mailWorker) run(ctx context.Context) (mailReport, error) {
	var rep mailReport
	jobs, err := w.queue.Claim(ctx, mailBatch, mailBatch*mailSendTimeout+time.Minute)
	if err != nil {
		return rep, err
	}
	var errs []error
	for _, j := range jobs {
		if ctx.Err() != nil {
			break // the leases run out and another copy (or this one, restarted) takes over
		}
		msg, err := w.message(j.Mail)
		if err == nil {
			err = w.sender.Send(ctx, msg)
		}
		switch {
		case err == nil:
			rep.Sent++
			errs = append(errs, w.queue.Sent(ctx, j, w.now()))
		case j.Task.Attempts+1 >= mailMaxAttempts:
			rep.Failed++
			w.logger.Error("gave up sending an email", "key", j.Mail.Key, "kind", j.Mail.Kind, "attempts", j.Task.Attempts+1, "error", err)
			errs = append(errs, w.queue.Fail(ctx, j, err, w.now()))
		default:
			rep.Retried++
			w.logger.Warn("sending an email failed; will retry", "key", j.Mail.Key, "attempt", j.Task.Attempts+1, "error", err)
			errs = append(errs, w.queue.Retry(ctx, j, err, mailBackoff(j.Task.Attempts)))
		}
	}
	return rep, errors.Join(errs...)
}

// message renders a queued email; the link is BASE_URL followed by the stored path.
func (w *mailWorker) message(m store.Mail) (mail.Message, error) {
	link := ""
	if m.Path != "" {
		link = w.baseURL + m.Path
	}
	var subject, text, html, unsubscribe string
	var err error
	if n := m.Notice; n != nil { // a notification brings its own wording (notify)
		subject, text, html, err = mail.RenderNotice(mail.Notice{Name: m.Name, Subject: n.Subject, Happened: n.Happened,
			Means: n.Means, Todo: n.Todo, LinkText: n.LinkText, Link: link, Unsubscribable: n.Unsubscribe != ""})
		if n.Unsubscribe != "" {
			unsubscribe = w.baseURL + n.Unsubscribe
		}
	} else {
		subject, text, html, err = mail.Render(m.Kind, mail.Data{Name: m.Name, Other: m.Other, Role: m.Role, Link: link})
	}
	if err != nil {
		return mail.Message{}, err
	}
	to := (&netmail.Address{Name: m.Name, Address: m.To}).String()
	return mail.Message{Key: m.Key, From: w.from, To: []string{to}, Subject: subject, Text: text, HTML: html, Date: w.now(),
		Unsubscribe: unsubscribe}, nil
}

// defaultMailFrom is no-reply at BASE_URL's host (or localhost for an IP address).
func defaultMailFrom(baseURL string) string {
	host := "localhost"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" && net.ParseIP(u.Hostname()) == nil {
		host = u.Hostname()
	}
	return "Carepool <no-reply@" + host + ">"
}

// checkMailConfig validates MAIL_FROM and SMTP_URL without echoing a password.
func checkMailConfig(c Config) error {
	if _, err := netmail.ParseAddress(c.MailFrom); err != nil {
		return fmt.Errorf("MAIL_FROM %q is not an email address", c.MailFrom)
	}
	if c.SMTPURL != "" {
		if _, err := mail.NewSMTPSender(c.SMTPURL); err != nil {
			return err
		}
	}
	return nil
}

// mailDescription says where email goes, for the start-up log line.
func (c Config) mailDescription() string {
	if c.SMTPURL == "" {
		return ".eml files in " + filepath.Join(c.DataDir, "mail")
	}
	s, err := mail.NewSMTPSender(c.SMTPURL)
	if err != nil {
		return "invalid SMTP_URL"
	}
	return "smtp " + s.Addr()
}
