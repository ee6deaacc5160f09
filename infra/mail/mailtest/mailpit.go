// Package mailtest runs a real SMTP server, mailpit, for tests and reads what arrived
// through its HTTP API.
package mailtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"testing"
	"time"
)

// Mailpit is a running mailpit server.
type Mailpit struct {
	SMTPURL string // smtp://127.0.0.1:port, for the code under test
	APIURL  string // http://127.0.0.1:port
}

// Start starts mailpit on free local ports and stops it when the test ends. Without a
// mailpit binary the test is skipped, except in CI (CI=true), where it fails: `make
// test-deps` installs it.
func Start(tb testing.TB) *Mailpit {
	tb.Helper()
	bin, err := exec.LookPath("mailpit")
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatal("mailpit is missing; run make test-deps")
		}
		tb.Skip("mailpit is not installed (go install github.com/axllent/mailpit@v1.27.11, or make test-deps)")
	}
	smtpPort, httpPort := freePort(tb), freePort(tb)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin,
		"--smtp", "127.0.0.1:"+strconv.Itoa(smtpPort),
		"--listen", "127.0.0.1:"+strconv.Itoa(httpPort),
		"--database", tb.TempDir()+"/mailpit.db",
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--smtp-disable-rdns", "--quiet")
	if testing.Verbose() {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		cancel()
		tb.Fatalf("start mailpit: %v", err)
	}
	tb.Cleanup(func() { cancel(); _ = cmd.Wait() })
	m := &Mailpit{
		SMTPURL: "smtp://127.0.0.1:" + strconv.Itoa(smtpPort),
		APIURL:  "http://127.0.0.1:" + strconv.Itoa(httpPort),
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(m.APIURL + "/api/v1/messages")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				if c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(smtpPort)); err == nil {
					c.Close()
					return m
				}
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("mailpit did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Address is a mailbox as mailpit reports it.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Message is one message that arrived.
type Message struct {
	ID        string              `json:"ID"`
	MessageID string              `json:"MessageID"`
	From      Address             `json:"From"`
	To        []Address           `json:"To"`
	Subject   string              `json:"Subject"`
	Text      string              `json:"Text"`
	HTML      string              `json:"HTML"`
	Headers   map[string][]string `json:"-"`
}

// Recipients returns the message's To addresses, sorted.
func (m Message) Recipients() []string {
	var out []string
	for _, a := range m.To {
		out = append(out, a.Address)
	}
	sort.Strings(out)
	return out
}

// Messages returns every message that arrived, oldest first, with bodies and headers.
func (m *Mailpit) Messages(tb testing.TB) []Message {
	tb.Helper()
	var list struct {
		Messages []Message `json:"messages"`
	}
	m.get(tb, "/api/v1/messages?limit=1000", &list)
	out := make([]Message, 0, len(list.Messages))
	for i := len(list.Messages) - 1; i >= 0; i-- { // mailpit lists newest first
		var full Message
		m.get(tb, "/api/v1/message/"+list.Messages[i].ID, &full)
		m.get(tb, "/api/v1/message/"+list.Messages[i].ID+"/headers", &full.Headers)
		out = append(out, full)
	}
	return out
}

// WaitFor polls until at least n messages arrived (or fails after 10 s) and returns them.
func (m *Mailpit) WaitFor(tb testing.TB, n int) []Message {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := m.Messages(tb)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			tb.Fatalf("waited for %d messages, %d arrived", n, len(got))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (m *Mailpit) get(tb testing.TB, path string, into any) {
	tb.Helper()
	resp, err := http.Get(m.APIURL + path)
	if err != nil {
		tb.Fatalf("mailpit API: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("mailpit API %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		tb.Fatalf("mailpit API %s: %v", path, fmt.Errorf("decode: %w", err))
	}
}
