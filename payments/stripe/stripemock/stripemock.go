// Package stripemock runs a real stripe-mock process for tests, behind a small recording
// proxy. stripe-mock checks each request against Stripe's OpenAPI description and
// answers with canned objects (reflecting some parameters, such as amount); it keeps no
// state and cannot decline a card or fail. The proxy records every request that reaches
// it (so a test can show a refused request never left) and can answer in its place for
// what stripe-mock cannot do: a decline, an outage, a changed amount.
package stripemock

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Version is the stripe-mock release the tests are written against (make stripe-deps).
const Version = "v0.203.0"

// SecretKey is a test key stripe-mock accepts.
const SecretKey = "sk_test_carepoolStripeMock"

// Server is a running stripe-mock behind the recording proxy.
type Server struct {
	URL     string // the proxy: use it as STRIPE_API_BASE
	MockURL string // stripe-mock itself, bypassing the proxy
	proxy   *proxy
}

// Start starts stripe-mock on a free local port, waits until it answers, and stops it
// when the test ends. Without the binary the test is skipped, except when the CI
// environment variable is set, where it fails: `make stripe-deps` installs it.
func Start(tb testing.TB) *Server {
	tb.Helper()
	bin := binary()
	if bin == "" {
		if os.Getenv("CI") != "" {
			tb.Fatal("stripe-mock is missing; run make stripe-deps (go install github.com/stripe/stripe-mock@" + Version + ")")
		}
		tb.Skip("stripe-mock is not installed (go install github.com/stripe/stripe-mock@" + Version + ", or make stripe-deps)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	// Both listeners on loopback with ports the system picks; stripe-mock prints them.
	cmd := exec.CommandContext(ctx, bin, "-http-addr", "127.0.0.1:", "-https-addr", "127.0.0.1:")
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		tb.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		cancel()
		tb.Fatalf("start stripe-mock: %v", err)
	}
	tb.Cleanup(func() { cancel(); _ = cmd.Wait() })
	addr := waitForAddress(tb, out)
	mock := "http://" + addr
	waitUntilAnswering(tb, mock)
	target, _ := url.Parse(mock)
	p := &proxy{upstream: httputil.NewSingleHostReverseProxy(target)}
	srv := httptest.NewServer(p)
	tb.Cleanup(srv.Close)
	return &Server{URL: srv.URL, MockURL: mock, proxy: p}
}

// binary finds stripe-mock on PATH or where `go install` puts it.
func binary() string {
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p
	}
	var dirs []string
	if gopath := os.Getenv("GOPATH"); gopath != "" {
		dirs = append(dirs, filepath.Join(gopath, "bin"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "stripe-mock")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// waitForAddress reads stripe-mock's output until it says where HTTP listens, then
// keeps draining the output so the process never blocks on a full pipe.
func waitForAddress(tb testing.TB, out io.Reader) string {
	tb.Helper()
	const prefix = "Listening for HTTP at address: "
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if line := sc.Text(); strings.HasPrefix(line, prefix) {
				select {
				case found <- strings.TrimSpace(strings.TrimPrefix(line, prefix)):
				default:
				}
			}
		}
		close(found)
	}()
	select {
	case addr, ok := <-found:
		if !ok {
			tb.Fatal("stripe-mock exited before it listened")
		}
		return addr
	case <-time.After(20 * time.Second):
		tb.Fatal("stripe-mock did not say where it listens within 20 s")
	}
	return ""
}

func waitUntilAnswering(tb testing.TB, base string) {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		req, _ := http.NewRequest(http.MethodGet, base+"/v1/balance", nil)
		req.Header.Set("Authorization", "Bearer "+SecretKey)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("stripe-mock did not answer within 20 s: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
