package boltstore

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/256dpi/lungo"
	"go.mongodb.org/mongo-driver/bson"
)

var crashCycles = flag.Int("crash.cycles", envInt("BOLTSTORE_CRASH_CYCLES", 20),
	"kill-and-recover cycles of TestCrashLosesNoAcknowledgedWrite (env BOLTSTORE_CRASH_CYCLES)")

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

func TestMain(m *testing.M) {
	if mode := os.Getenv(envChild); mode != "" {
		os.Exit(runChild(mode))
	}
	code := m.Run()
	if testing.Verbose() && verifiedStores.Load() > 0 {
		fmt.Printf("identity diff verified against full re-encoding: %d commits, %d document checks\n",
			verifiedStores.Load(), verifiedDocs.Load())
	}
	os.Exit(code)
}

// startChild re-executes the test binary as a child in the given mode and returns its
// stdout lines on a channel (closed at EOF) once the child has printed READY.
func startChild(t *testing.T, mode, path string, cycle int) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envChild+"="+mode, envPath+"="+path, envCycle+"="+strconv.Itoa(cycle))
	stdout, err := cmd.StdoutPipe()
	mustNoErr(t, err, "stdout pipe")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	mustNoErr(t, cmd.Start(), "start child")
	lines := make(chan string, 1<<16)
	ready := make(chan struct{})
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "READY" {
				close(ready)
				continue
			}
			lines <- sc.Text()
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("child not ready within 30s; stderr: %s", stderr.String())
	}
	return cmd, lines
}

// killChild SIGKILLs the child and returns everything it acknowledged.
func killChild(t *testing.T, cmd *exec.Cmd, lines <-chan string) []string {
	t.Helper()
	_ = cmd.Process.Signal(syscall.SIGKILL)
	var acked []string
	for l := range lines {
		acked = append(acked, l)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v before it was killed", err)
	}
	return acked
}

func TestOpenFailsWhenAnotherProcessHoldsTheFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "carepool.db")
	cmd, lines := startChild(t, "hold", path, 0)
	defer killChild(t, cmd, lines)
	_, err := Open(path, Options{LockTimeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "is in use by another carepool process") {
		t.Errorf("Open while another process holds the file = %v, want ErrLocked", err)
	}
}

// TestCrashLosesNoAcknowledgedWrite SIGKILLs a writing child at random moments and checks
// after each restart that every acknowledged write is on disk, no transaction is partly
// there, and bbolt's consistency check passes. All cycles share one growing file.
func TestCrashLosesNoAcknowledgedWrite(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "carepool.db")
	totalAcked := 0
	for cycle := range *crashCycles {
		cmd, lines := startChild(t, "crash", path, cycle)
		time.Sleep(time.Duration(20+rand.IntN(300)) * time.Millisecond)
		acked := killChild(t, cmd, lines)
		totalAcked += len(acked)
		checkAfterCrash(t, path, cycle, acked)
		if t.Failed() {
			t.Fatalf("cycle %d failed", cycle)
		}
	}
	t.Logf("%d cycles, %d acknowledged writes checked", *crashCycles, totalAcked)
}

func checkAfterCrash(t *testing.T, path string, cycle int, acked []string) {
	t.Helper()
	s, err := Open(path, Options{})
	mustNoErr(t, err, "reopen")
	defer s.Close()
	if err := s.Check(); err != nil {
		t.Errorf("cycle %d: bbolt check: %v", cycle, err)
	}
	client, engine, err := lungo.Open(context.Background(), childOptions(s))
	mustNoErr(t, err, "lungo open")
	defer engine.Close()
	db := client.Database("crash")

	singles := map[string]int{}
	readAll(t, db.Collection("singles"), func(id string, v int) { singles[id] = v })
	t1, t2 := map[string]bool{}, map[string]bool{}
	readAll(t, db.Collection("t1"), func(id string, _ int) { t1[id] = true })
	readAll(t, db.Collection("t2"), func(id string, _ int) { t2[id] = true })

	// A deleter's insert acknowledged last may have been followed by a delete that
	// committed but was killed before its acknowledgement: such a document may be gone.
	deleted := map[string]bool{}
	lastDeleterInsert := map[string]string{} // worker prefix -> id
	for _, l := range acked {
		f := strings.Fields(l)
		if len(f) == 2 && f[0] == "D" {
			deleted[f[1]] = true
		}
		if len(f) == 2 && f[0] == "S" && strings.HasPrefix(f[1], "d-") {
			lastDeleterInsert[f[1][:strings.LastIndexByte(f[1], '-')]] = f[1]
		}
	}
	mayBeDeleted := map[string]bool{}
	for _, id := range lastDeleterInsert {
		mayBeDeleted[id] = true
	}
	for _, l := range acked {
		f := strings.Fields(l)
		switch {
		case len(f) == 2 && f[0] == "S" && !deleted[f[1]] && !mayBeDeleted[f[1]]:
			if _, ok := singles[f[1]]; !ok {
				t.Errorf("cycle %d: acknowledged insert %s lost", cycle, f[1])
			}
		case len(f) == 2 && f[0] == "D":
			if _, ok := singles[f[1]]; ok {
				t.Errorf("cycle %d: acknowledged delete %s undone", cycle, f[1])
			}
		case len(f) == 3 && f[0] == "U":
			want, _ := strconv.Atoi(f[2])
			if got, ok := singles[f[1]]; !ok || got < want {
				t.Errorf("cycle %d: acknowledged update %s=%d lost (have %d, present %v)", cycle, f[1], want, got, ok)
			}
		case len(f) == 2 && f[0] == "T":
			if !t1[f[1]] || !t2[f[1]] {
				t.Errorf("cycle %d: acknowledged transaction %s lost", cycle, f[1])
			}
		}
	}
	for id := range t1 {
		if !t2[id] {
			t.Errorf("cycle %d: transaction %s half there (t1 without t2)", cycle, id)
		}
	}
	for id := range t2 {
		if !t1[id] {
			t.Errorf("cycle %d: transaction %s half there (t2 without t1)", cycle, id)
		}
	}
	var counter struct{ N int }
	if err := db.Collection("counters").FindOne(context.Background(), bson.M{"_id": "c"}).Decode(&counter); err != nil && len(t1) > 0 {
		t.Errorf("cycle %d: counter: %v", cycle, err)
	}
	if counter.N != len(t1) {
		t.Errorf("cycle %d: counter = %d but %d transactions present", cycle, counter.N, len(t1))
	}
}

func readAll(t *testing.T, c lungo.ICollection, fn func(id string, v int)) {
	t.Helper()
	cur, err := c.Find(context.Background(), bson.M{})
	mustNoErr(t, err, "find")
	var docs []struct {
		ID string `bson:"_id"`
		V  int    `bson:"v"`
	}
	mustNoErr(t, cur.All(context.Background(), &docs), "decode")
	for _, d := range docs {
		fn(d.ID, d.V)
	}
}
