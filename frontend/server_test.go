package frontend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// realServer is `carepool serve` built from this checkout and run on a free local port
// with a fresh data directory, exactly as `make run` runs it: it loads the demo data,
// builds its search index and serves the pages and the API. The browser tests and the
// search page benchmark use it; one serves the whole test binary.
type realServer struct {
	URL     string
	LogPath string
	cmd     *exec.Cmd
	dir     string
	exited  chan struct{}
}

var (
	serverOnce sync.Once
	server     *realServer
	serverErr  error
)

// sharedServer starts the real server on first use.
func sharedServer(tb testing.TB) *realServer {
	tb.Helper()
	serverOnce.Do(func() { server, serverErr = startServer() })
	if serverErr != nil {
		tb.Fatalf("start carepool: %v", serverErr)
	}
	return server
}

func TestMain(m *testing.M) {
	code := m.Run()
	if server != nil {
		server.stop()
	}
	os.Exit(code)
}

func startServer() (*realServer, error) {
	dir, err := os.MkdirTemp("", "carepool-frontend-e2e-")
	if err != nil {
		return nil, err
	}
	s := &realServer{dir: dir, LogPath: filepath.Join(dir, "serve.log"), exited: make(chan struct{})}
	bin := filepath.Join(dir, "carepool")
	// The server is built without the race detector even under `go test -race`: seeding
	// hashes every demo password with the production Argon2 settings, which the race
	// detector slows many times over. The pages' handlers run under -race in-process
	// (newTestApp).
	build := exec.Command(goTool(), "build", "-o", bin, "../cmd/carepool")
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build ../cmd/carepool: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	s.URL = "http://" + addr
	logFile, err := os.Create(s.LogPath)
	if err != nil {
		return nil, err
	}
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Env = append(os.Environ(), "ADDR="+addr, "BASE_URL="+s.URL, "DATA_DIR="+filepath.Join(dir, "data"),
		"METRICS_ADDR=127.0.0.1:0", "LOG_LEVEL=info", "MONGO_URI=", "MEILI_URL=")
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = stopWithParent()
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		_ = s.cmd.Wait()
		logFile.Close()
		close(s.exited)
	}()
	if err := s.waitReady(3 * time.Minute); err != nil {
		s.stop()
		return nil, fmt.Errorf("%w\n%s", err, s.logTail())
	}
	return s, nil
}

// goTool is the go command of the toolchain running the tests.
func goTool() string {
	if root := runtime.GOROOT(); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// waitReady waits until the server answers and its search index holds the demo offers.
func (s *realServer) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		select {
		case <-s.exited:
			return errors.New("carepool serve exited")
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("carepool serve was not ready within %s", limit)
		}
		if n, err := s.indexed(); err == nil && n > 0 {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// indexed returns how many offers search finds.
func (s *realServer) indexed() (int, error) {
	resp, err := http.Get(s.URL + "/api/v1/search?per_page=1")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var r struct{ Total int }
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("search: %s", resp.Status)
	}
	err = json.NewDecoder(resp.Body).Decode(&r)
	return r.Total, err
}

func (s *realServer) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(20 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	}
	_ = os.RemoveAll(s.dir)
}

func (s *realServer) logTail() string {
	b, _ := os.ReadFile(s.LogPath)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// waitFor polls cond until it holds or the time is up.
func waitFor(ctx context.Context, limit time.Duration, cond func() bool) bool {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(250 * time.Millisecond):
		}
	}
	return true
}

// inCI reports whether the tests run in CI, where a missing browser is a failure.
func inCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v != "" && v != "false" && v != "0"
}
