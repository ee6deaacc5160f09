// Command carepool runs the Carepool marketplace and pooling platform.
//
//	carepool serve            start the web site and API (the default)
//	carepool seed             load the demo data into an empty store
//	carepool backup FILE      write a consistent copy of the embedded store to FILE
//	carepool reindex          rebuild the search index from the store
//	carepool import-oruk FEED import an Open Referral UK feed as unclaimed drafts
//	carepool verify           check every money invariant of the pooling ledger
//	carepool reconcile        compare the ledger with invoice payments and with Stripe
//
// Configuration comes from the environment only; see Config.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "carepool:", err)
		os.Exit(1)
	}
}

const usage = `usage: carepool <command>

commands:
  serve         start the web site and API (loads demo data into an empty store)
  seed          load the demo data into an empty store and exit
  backup FILE   write a consistent copy of the embedded store to FILE (server stopped)
  reindex       rebuild the search index from the store (server stopped, unless on MongoDB and Meilisearch)
  import-oruk FILE-OR-URL   import an Open Referral UK feed as unclaimed drafts (server stopped)
  verify        check every money invariant of the pooling ledger; exits non-zero on any violation (server stopped, unless on MongoDB)
  reconcile [-since YYYY-MM-DD]   compare the ledger with invoice payments and with Stripe's charges, refunds and transfers; exits non-zero on any difference
`

// run is main without the process: tests call it with their own arguments and environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	cfg, err := ConfigFromEnv(getenv)
	if err != nil {
		return err
	}
	logger := newLogger(stderr, cfg.LogLevel)
	switch cmd {
	case "serve":
		return serve(ctx, cfg, logger, stdout)
	case "seed":
		return seedCommand(ctx, cfg, logger, stdout)
	case "backup":
		if len(args) != 1 {
			return errors.New("backup needs one argument: the file to write")
		}
		return backupCommand(ctx, cfg, logger, args[0], stdout)
	case "reindex":
		return reindexCommand(ctx, cfg, logger, stdout, stderr)
	case "import-oruk":
		return importORUKCommand(ctx, cfg, logger, args, stdout)
	case "verify":
		return verifyCommand(ctx, cfg, logger, stdout)
	case "reconcile":
		return reconcileCommand(ctx, cfg, logger, args, stdout)
	case "help", "-h", "--help":
		_, err := io.WriteString(stdout, usage)
		return err
	default:
		return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
	}
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}
