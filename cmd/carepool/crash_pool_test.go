package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/carepool/carepool/marketplace/account"
)

// crashChildEnv makes the test binary a Carepool server (see crashChild).
const crashChildEnv = "CAREPOOL_CRASH_CHILD"

// TestCrashPoolPledges streams pledges, each with an Idempotency-Key, at a server in
// another process, SIGKILLs it mid-stream, restarts it on the same data directory and
// checks that every acknowledged pledge is there, that retrying every unacknowledged one
// with its key applies it at most once, and that `carepool verify` finds the ledger and
// the pledges consistent. POOL_CRASH_CYCLES sets the number of cycles (default 3).
func TestCrashPoolPledges(t *testing.T) {
	if os.Getenv(crashChildEnv) != "" {
		crashChild(t)
		return
	}
	if testing.Short() {
		t.Skip("starts server processes")
	}
	cycles := 3
	if n, err := strconv.Atoi(os.Getenv("POOL_CRASH_CYCLES")); err == nil && n > 0 {
		cycles = n
	}
	dir := t.TempDir()
	type pledgeReq struct {
		key, pool string
		acked     string // the pledge id, once the server answered 201
	}
	var all []*pledgeReq
	var budget string
	for cycle := range cycles {
		base, child := startCrashChild(t, dir)
		alice := mustLogin(t, base, "alice@"+demoDomain, DemoPassword)
		ulo := mustLogin(t, base, "ulo@"+demoDomain, DemoPassword)
		ac, uc := client{tb: t, base: base, token: alice.token}, client{tb: t, base: base, token: ulo.token}

		// Everything acknowledged before any crash is there; retrying what was not
		// acknowledged, with the same key and body, applies it exactly once.
		for _, p := range all {
			if p.acked != "" {
				resp, body := ac.do(http.MethodGet, "/api/v1/pledges/"+p.acked, nil)
				if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"status":"pledged"`) {
					t.Errorf("cycle %d: acknowledged pledge %s (key %s) = %d %s", cycle, p.acked, p.key, resp.StatusCode, body)
				}
				continue
			}
			resp, body := ac.do(http.MethodPost, "/api/v1/pools/"+p.pool+"/pledges",
				map[string]any{"budget_id": budget, "limit_pence": 8_000}, "Idempotency-Key", p.key)
			if resp.StatusCode != http.StatusCreated {
				t.Errorf("cycle %d: retrying unacknowledged pledge %s = %d %s", cycle, p.key, resp.StatusCode, body)
			}
			p.acked = decode[struct{ ID string }](t, body).ID
		}

		if budget == "" {
			resp, body := ac.do(http.MethodGet, "/api/v1/people/me/budgets", nil)
			authzMustStatus(t, resp, body, http.StatusOK)
			for _, b := range decode[struct {
				Items []struct{ Budget struct{ ID, Form string } }
			}](t, body).Items {
				if b.Budget.Form == "direct_payment" {
					budget = b.Budget.ID
				}
			}
		}
		resp, body := uc.do(http.MethodGet, "/api/v1/me/pools", nil)
		authzMustStatus(t, resp, body, http.StatusOK)
		seedPool := decode[struct {
			Items []struct {
				OfferID        string `json:"offer_id"`
				OrganiserOrgID string `json:"organiser_org_id"`
			}
		}](t, body).Items[0]
		// Fresh pools for this cycle: alice pledges once to each.
		day := time.Now().UTC().Truncate(24 * time.Hour)
		var pools []string
		for i := range 40 {
			resp, body := uc.do(http.MethodPost, "/api/v1/pools", map[string]any{"offer_id": seedPool.OfferID, "organiser_org_id": seedPool.OrganiserOrgID,
				"title": fmt.Sprintf("Crash pool %d.%d", cycle, i), "deadline": day.AddDate(0, 0, 7),
				"schedule": map[string]any{"first_session": day.AddDate(0, 0, 14), "sessions": 4, "every_days": 7, "notice_days": 7}})
			authzMustStatus(t, resp, body, http.StatusCreated)
			id := decode[struct{ ID string }](t, body).ID
			resp, body = uc.do(http.MethodPost, "/api/v1/pools/"+id+"/open", nil)
			authzMustStatus(t, resp, body, http.StatusOK)
			pools = append(pools, id)
		}

		// Stream pledges from four workers, and kill the server while they run.
		var mu sync.Mutex
		var wg sync.WaitGroup
		next := 0
		ackedNow := make(chan struct{}, len(pools))
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					mu.Lock()
					if next == len(pools) {
						mu.Unlock()
						return
					}
					p := &pledgeReq{key: fmt.Sprintf("crash-%d-%d", cycle, next), pool: pools[next]}
					next++
					all = append(all, p)
					mu.Unlock()
					id, ok := crashPledge(base, alice.token, p.pool, budget, p.key)
					if !ok {
						return // the server is gone
					}
					mu.Lock()
					p.acked = id
					mu.Unlock()
					ackedNow <- struct{}{}
				}
			}()
		}
		// Kill after a different number of acknowledgements each cycle, mid-stream.
		for range 5 + (cycle*11)%30 {
			<-ackedNow
		}
		if err := child.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = child.Wait()
		wg.Wait()
		acked := 0
		for _, p := range all {
			if p.acked != "" {
				acked++
			}
		}
		t.Logf("cycle %d: %d pledges sent so far, %d acknowledged", cycle, len(all), acked)
	}

	// A last start checks the final crash's pledges, then verify runs on the store.
	base, child := startCrashChild(t, dir)
	alice := mustLogin(t, base, "alice@"+demoDomain, DemoPassword)
	ac := client{tb: t, base: base, token: alice.token}
	for _, p := range all {
		if p.acked == "" {
			continue
		}
		resp, body := ac.do(http.MethodGet, "/api/v1/pledges/"+p.acked, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"status":"pledged"`) {
			t.Errorf("acknowledged pledge %s (key %s) after the crashes = %d %.200s", p.acked, p.key, resp.StatusCode, body)
		}
	}
	_ = child.Process.Signal(syscall.SIGTERM)
	_ = child.Wait()
	var out bytes.Buffer
	env := map[string]string{"DATA_DIR": dir, "ADDR": "127.0.0.1:0", "METRICS_ADDR": "127.0.0.1:0", "LOG_LEVEL": "error"}
	if err := run(context.Background(), []string{"verify"}, func(k string) string { return env[k] }, &out, io.Discard); err != nil {
		t.Errorf("verify after the crashes: %v\n%s", err, out.String())
	}
	t.Logf("verify: %s", strings.TrimSpace(out.String()))
}

// crashPledge sends one pledge; ok is false when the server did not answer.
func crashPledge(base, token, pool, budget, key string) (id string, ok bool) {
	b, _ := json.Marshal(map[string]any{"budget_id": budget, "limit_pence": 8_000})
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/pools/"+pool+"/pledges", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", false
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusCreated {
		return "", err == nil && resp.StatusCode < 500
	}
	var p struct{ ID string }
	if json.Unmarshal(body, &p) != nil {
		return "", false
	}
	return p.ID, true
}

// startCrashChild starts this test binary as a server on dir and returns its URL.
func startCrashChild(t *testing.T, dir string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashPoolPledges$")
	cmd.Env = append(os.Environ(), crashChildEnv+"=1", "DATA_DIR="+dir, "ADDR=127.0.0.1:0", "METRICS_ADDR=127.0.0.1:0", "LOG_LEVEL=error")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "LISTENING "); ok {
				addr <- a
			}
		}
	}()
	select {
	case a := <-addr:
		return "http://" + a, cmd
	case <-time.After(2 * time.Minute):
		t.Fatal("the server did not start")
	}
	return "", nil
}

// crashChild is the server process: serve as `carepool serve` does (demo data in an
// empty store), printing the bound address for the parent.
func crashChild(t *testing.T) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close(context.WithoutCancel(ctx))
	if _, err := m.seedIfEmpty(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := m.Serve(ctx, func(addr string) { fmt.Printf("LISTENING %s\n", addr) }); err != nil {
		t.Fatal(err)
	}
}
