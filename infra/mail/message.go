// Package mail renders Carepool's emails and hands them to an SMTP server, or, when no
// server is configured, writes each one as an .eml file for a developer to open.
//
// It is an adapter: the domain records what should be said (a kind of message, who to,
// a few facts and one link) in the store's outbox, and cmd/carepool's mail worker renders
// it here and sends it.
package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// Message is one rendered email.
type Message struct {
	// Key is unique per message and stable across retries. It names the .eml file and is
	// the Message-ID's local part, so a message sent twice could be recognised as one.
	Key     string
	From    string // MAIL_FROM, e.g. "Carepool <no-reply@example.org>"
	To      []string
	Subject string
	Text    string // the plain text part
	HTML    string // the HTML part
	Date    time.Time
	// Unsubscribe, when set, is the absolute URL of a one-click unsubscribe (RFC 8058):
	// the message then carries List-Unsubscribe and List-Unsubscribe-Post. Security
	// messages leave it empty.
	Unsubscribe string
}

// Validate checks what a message needs before it is sent.
func (m Message) Validate() error {
	if m.Key == "" || strings.ContainsAny(m.Key, "/\\ <>@\r\n") {
		return fmt.Errorf("message key %q is empty or not safe for a file name", m.Key)
	}
	if _, err := mail.ParseAddress(m.From); err != nil {
		return fmt.Errorf("from address %q: %w", m.From, err)
	}
	if len(m.To) == 0 {
		return fmt.Errorf("message %s has no recipient", m.Key)
	}
	for _, to := range m.To {
		if _, err := mail.ParseAddress(to); err != nil {
			return fmt.Errorf("recipient address: %w", err)
		}
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return fmt.Errorf("subject of %s has a line break", m.Key)
	}
	if u := m.Unsubscribe; u != "" && (!strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") || strings.ContainsAny(u, "\r\n <>,")) {
		return fmt.Errorf("unsubscribe link of %s is not a plain http(s) URL", m.Key)
	}
	return nil
}

// Bytes encodes the message as RFC 5322 with a multipart/alternative body (text first,
// then HTML, so clients show the richest part they can).
func (m Message) Bytes() ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	from, _ := mail.ParseAddress(m.From)
	var b bytes.Buffer
	boundary := randomBoundary()
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", from.String())
	tos := make([]string, len(m.To))
	for i, to := range m.To {
		a, _ := mail.ParseAddress(to)
		tos[i] = a.String()
	}
	header("To", strings.Join(tos, ", "))
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", "<"+m.Key+"@"+domainOf(from.Address)+">")
	header("MIME-Version", "1.0")
	header("Auto-Submitted", "auto-generated")
	if m.Unsubscribe != "" {
		header("List-Unsubscribe", "<"+m.Unsubscribe+">")
		header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	header("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		fmt.Fprintf(&b, "--%s\r\n", boundary)
		fmt.Fprintf(&b, "Content-Type: %s; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", part.typ)
		w := quotedprintable.NewWriter(&b)
		if _, err := w.Write([]byte(strings.ReplaceAll(part.body, "\n", "\r\n"))); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes(), nil
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return "carepool.invalid"
}

func randomBoundary() string {
	var buf [12]byte
	_, _ = rand.Read(buf[:])
	return "carepool-" + hex.EncodeToString(buf[:])
}
