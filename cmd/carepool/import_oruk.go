package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/marketplace/openreferral"
)

// mountOpenReferral mounts the read-only Open Referral UK API at /openreferral/v3 and the
// claim routes of imported organisations at /api/v1.
func (m *Main) mountOpenReferral(e *echo.Echo) {
	openreferral.NewHandler(openreferral.Config{
		Directory: marketplace.NewOpenDirectory(store.NewMarketplace(m.DB)),
		Claims:    account.NewClaims(store.NewAccounts(m.DB), nil),
		BaseURL:   m.Config.BaseURL,
	}).Register(e)
}

const importORUKUsage = `usage: carepool import-oruk [-source NAME] FILE-OR-URL

Imports an Open Referral UK / HSDS 3.0 feed as unclaimed draft listings: a JSON file of
services (an array, or one page of an API), or an API's address (such as
https://example.org/openreferral/v3), read page by page. Each organization becomes a
provider organisation with no owner and each service a draft offer; administrators see
them until a person from the provider claims the organisation and an administrator
approves the claim. Running it again updates what the last run made.

On the embedded store, stop the server first (the store allows one process).
`

// importORUKCommand runs `carepool import-oruk`. It prints a report of every record; it
// fails (after importing every valid record) when some records were not valid.
func importORUKCommand(ctx context.Context, cfg Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("import-oruk", flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() { fmt.Fprint(stdout, importORUKUsage); fs.PrintDefaults() }
	source := fs.String("source", "", "name the feed's source (default: its address, or file: and its absolute path); imports of one source update each other")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("import-oruk needs one argument: the feed's file or address")
	}
	m, err := Open(ctx, cfg, logger, Options{})
	if err != nil {
		return err
	}
	defer m.Close(context.WithoutCancel(ctx))

	bar := newProgress(stdout)
	feed, src, err := openreferral.ReadFeed(ctx, fs.Arg(0), openreferral.ReadOptions{Pages: bar.pages})
	bar.finish()
	if err != nil {
		return err
	}
	if *source != "" {
		src = *source
	}
	im := openreferral.Importer{Store: store.NewMarketplace(m.DB), Progress: bar.records}
	started := time.Now()
	rep, err := im.Import(ctx, src, feed)
	bar.finish()
	if err != nil {
		return err
	}
	if err := rep.Write(stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Done in %s.\n", time.Since(started).Round(time.Millisecond))
	if n := rep.Rejected(); n > 0 {
		return fmt.Errorf("%d of %d services were not valid and were not imported (see above); the valid ones were", n, len(rep.Records))
	}
	return nil
}

// progress draws a progress bar when stdout is a terminal, and nothing otherwise (so
// logs and pipes get the report alone).
type progress struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func newProgress(stdout io.Writer) *progress {
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &progress{w: stdout}
	}
	return &progress{}
}

func (p *progress) start(total int, what string) {
	if p.w == nil || p.bar != nil {
		return
	}
	p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(p.w), progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(), progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(50*time.Millisecond),
		progressbar.OptionSetWidth(30))
}

func (p *progress) pages(read, total int) {
	if total <= 0 {
		total = -1 // unknown: a spinner
	}
	p.start(total, "Reading pages")
	if p.bar != nil {
		_ = p.bar.Set(read)
	}
}

func (p *progress) records(done, total int) {
	p.start(total, "Importing services")
	if p.bar != nil {
		_ = p.bar.Set(done)
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
