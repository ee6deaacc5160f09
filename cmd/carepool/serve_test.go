package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/marketplace/account"
)

func TestServeFinishesInFlightRequestsOnShutdown(t *testing.T) {
	t.Parallel()
	cfg, err := ConfigFromEnv(func(k string) string {
		return map[string]string{"DATA_DIR": t.TempDir(), "ADDR": "127.0.0.1:0", "METRICS_ADDR": "127.0.0.1:0"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	m.Echo.GET("/test/slow", func(c echo.Context) error {
		close(started)
		time.Sleep(300 * time.Millisecond)
		return c.String(http.StatusOK, "finished")
	})
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- m.Serve(ctx, func(a string) { addr <- a }) }()

	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + <-addr + "/test/slow")
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	<-started
	cancel() // as SIGTERM does
	if body := <-got; body != "finished" {
		t.Errorf("in-flight request got %q, want it to finish", body)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve returned %v, want nil after a graceful shutdown", err)
	}
	if err := m.Close(context.Background()); err != nil {
		t.Errorf("Close: %v", err)
	}
	// The store is closed and its lock released: the data directory opens again.
	again, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatalf("reopen after shutdown: %v", err)
	}
	again.Close(context.Background())
}

func TestSecondProcessOnTheSameDataDirectoryFailsClearly(t *testing.T) {
	t.Parallel()
	m, _ := mustOpen(t)
	_, err := openStore(context.Background(), m.Config)
	if err == nil || !strings.Contains(err.Error(), m.Config.DataDir) {
		t.Fatalf("second open = %v, want a clear error naming the data directory", err)
	}
}

// TestDockerfileBuildStageCommandsSucceed runs the build stage's commands (there is no
// Docker engine on our machines): the same go build, with the same flags, must succeed.
func TestDockerfileBuildStageCommandsSucceed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	df, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	build := regexp.MustCompile(`RUN (CGO_ENABLED=0 go build [^\\\n]*)`).FindSubmatch(df)
	if build == nil {
		t.Fatal("no go build command in the Dockerfile's build stage")
	}
	out := filepath.Join(t.TempDir(), "carepool")
	// Run the line through a shell, as RUN does, with the output moved to a temp dir.
	cmd := exec.Command("sh", "-c", strings.Replace(string(build[1]), "/out/carepool", out, 1))
	cmd.Dir = "../.."
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, b)
	}
	if b, err := exec.Command(out, "help").CombinedOutput(); err != nil || !strings.Contains(string(b), "usage: carepool") {
		t.Errorf("built binary: %v\n%s", err, b)
	}
	for _, want := range []string{"USER nonroot", "VOLUME [\"/data\"]", "DATA_DIR=/data"} {
		if !strings.Contains(string(df), want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
}
