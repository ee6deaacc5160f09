package frontend

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's Chromium, or the one CHROMIUM names.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// tab is one browser tab on the real server.
type tab struct {
	t      *testing.T
	ctx    context.Context
	base   string
	axe    string
	mu     sync.Mutex
	errors []string // console errors, CSP violations among them
}

// newTab starts Chromium with a fresh profile and opens a tab, or skips (fails in CI)
// when Chromium or axe-core is missing.
func newTab(t *testing.T) *tab {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	var missing []string
	exe := chromiumPath()
	if exe == "" {
		missing = append(missing, "Chromium (/usr/bin/chromium)")
	}
	axe, err := os.ReadFile(filepath.Join("node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		missing = append(missing, "axe-core (frontend/node_modules/axe-core)")
	}
	if len(missing) > 0 {
		msg := "browser tests need " + strings.Join(missing, " and ") + ": run `make test-deps` (Debian's chromium package and npm's axe-core)"
		if inCI() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	srv := sharedServer(t)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(desktopWidth, desktopHeight),
	)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	tb := &tab{t: t, ctx: ctx, base: srv.URL, axe: string(axe)}
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start Chromium: %v", err)
	}
	entries := chromedp.Events(ctx, log.EntryAdded)
	go func() {
		for ev, err := range entries {
			if err != nil {
				return
			}
			e := ev.Entry
			// A page answered with an error status (a form sent back with its errors, a
			// 404) is logged as a failed load; only failed assets count here.
			if e == nil || e.Source == log.EntrySourceNetwork && !strings.Contains(e.URL, "/static/") {
				continue
			}
			if e.Level == log.EntryLevelError || e.Source == log.EntrySourceSecurity {
				tb.mu.Lock()
				tb.errors = append(tb.errors, fmt.Sprintf("%s: %s (%s)", e.Source, e.Text, e.URL))
				tb.mu.Unlock()
			}
		}
	}()
	t.Cleanup(tb.noConsoleErrors)
	return tb
}

func (tb *tab) noConsoleErrors() {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, e := range tb.errors {
		tb.t.Errorf("browser console error: %s", e)
	}
}

// do runs actions, failing the test on error.
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// open navigates to a path on the server.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do("open "+path, chromedp.Navigate(tb.base+path), chromedp.WaitReady(chromedp.CSS("footer")))
}

// submit clicks a button that submits a form, and waits for the next page.
func (tb *tab) submit(sel string) {
	tb.t.Helper()
	tb.follow("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// follow runs an action that leads to another page (a click, or a script that clicks)
// and waits for that page.
func (tb *tab) follow(what string, action chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	before := tb.location()
	tb.do(what, action)
	// A form posted to the same address (an error) reloads it: wait for the new document.
	if !waitFor(tb.ctx, 20*time.Second, func() bool {
		ready, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && !document.documentElement.dataset.seen`))
		return err == nil && ready
	}) {
		tb.t.Fatalf("no page after %s on %s", what, before)
	}
	tb.mark()
}

// mark tags the current document, so submit can tell when it has been replaced.
func (tb *tab) mark() {
	tb.t.Helper()
	tb.do("mark page", chromedp.Evaluate[chromedp.Void](`document.documentElement.dataset.seen = "1"`))
}

func (tb *tab) location() string {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatal(err)
	}
	return loc
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (tb *tab) mustSee(sel string, wants ...string) {
	tb.t.Helper()
	got := tb.text(sel)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			tb.t.Errorf("%s on %s says %q, which does not contain %q", sel, tb.location(), got, w)
		}
	}
}

type axeResult struct {
	Violations []axeViolation `json:"violations"`
	Passes     int            `json:"passes"`
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// check runs the accessibility checks on the current page: axe-core at WCAG 2.2 A/AA
// with no violation allowed, and no sideways scrolling at 320 px. With a name, it also
// saves desktop and mobile screenshots.
func (tb *tab) check(name string) {
	tb.t.Helper()
	tb.do("inject axe", chromedp.Evaluate[chromedp.Void](tb.axe))
	tags := `["` + strings.Join(axeTags, `","`) + `"]`
	res, err := chromedp.Run(tb.ctx, chromedp.Evaluate[axeResult](`axe.run(document, {runOnly: {type: "tag", values: `+tags+`}, resultTypes: ["violations"]})
		.then(r => ({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
			nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + (n.failureSummary || ""))}))}))`, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("axe on %s: %v", tb.location(), err)
	}
	if res.Passes == 0 {
		tb.t.Errorf("axe on %s checked nothing", tb.location())
	}
	for _, v := range res.Violations {
		tb.t.Errorf("axe (%s) on %s: %s [%s]\n  %s", name, tb.location(), v.Help, v.ID, strings.Join(v.Nodes, "\n  "))
	}
	if name != "" {
		tb.screenshot(name+"-desktop", desktopWidth, 1800)
	}
	tb.do("narrow", chromedp.EmulateViewport(mobileWidth, mobileHeight))
	overflow, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
	if err != nil {
		tb.t.Fatal(err)
	}
	if overflow > 0 {
		wide, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 5).map(e => e.tagName + "." + e.className)`))
		tb.t.Errorf("%s on %s scrolls sideways by %dpx at %dpx wide: %v", name, tb.location(), overflow, mobileWidth, wide)
	}
	if name != "" {
		tb.screenshot(name+"-mobile", mobileWidth, 2400)
	}
	tb.do("widen", chromedp.EmulateViewport(desktopWidth, desktopHeight))
}

// screenshot saves the top of the page (at most maxHeight CSS pixels of it, so that the
// committed pictures stay small) at the current width.
func (tb *tab) screenshot(name string, width, maxHeight int64) {
	tb.t.Helper()
	h, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int64](`document.documentElement.scrollHeight`))
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.do("size for "+name, chromedp.EmulateViewport(width, min(h, maxHeight)))
	img, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := screenshotsDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), img, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// screenshotsDir is where the tests save screenshots: the committed testdata/screenshots
// (shown in the README) only with UPDATE_SCREENSHOTS=1, so that an ordinary test run
// leaves the working tree alone; otherwise a folder under the system's temp directory.
func screenshotsDir() string {
	if os.Getenv("UPDATE_SCREENSHOTS") == "1" {
		return screenshotDir
	}
	return filepath.Join(os.TempDir(), "carepool-screenshots")
}

// logIn logs in through the log-in page.
func (tb *tab) logIn(email, password string) {
	tb.t.Helper()
	tb.open("/login")
	tb.mark()
	tb.do("log in as "+email, chromedp.SendKeys(chromedp.ID("email"), email), chromedp.SendKeys(chromedp.ID("password"), password))
	tb.submit("main form button[type=submit]")
}
