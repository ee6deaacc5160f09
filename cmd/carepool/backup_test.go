package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/boltstore"
	"github.com/carepool/carepool/marketplace"
)

// TestAdminBackupRestoresToTheSameData downloads a backup while the server runs, opens the
// file as a store (which is all a restore is), and reads the data back.
func TestAdminBackupRestoresToTheSameData(t *testing.T) {
	t.Parallel()
	m, srv := mustOpen(t)
	mustSeed(t, m)
	want, err := m.Market.Offers(context.Background(), marketplace.OfferFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}

	for _, who := range []string{"alice", "provider"} {
		cred := mustLogin(t, srv.URL, who+"@"+demoDomain, DemoPassword)
		if resp, _ := (client{tb: t, base: srv.URL, token: cred.token}).do(http.MethodGet, "/api/v1/admin/backup", nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s downloading a backup: %d, want 403", who, resp.StatusCode)
		}
	}
	admin := mustLogin(t, srv.URL, "admin@"+demoDomain, DemoPassword)
	resp, body := client{tb: t, base: srv.URL, token: admin.token}.do(http.MethodGet, "/api/v1/admin/backup", nil)
	if resp.StatusCode != http.StatusOK || len(body) == 0 {
		t.Fatalf("backup: %d, %d bytes", resp.StatusCode, len(body))
	}

	path := filepath.Join(t.TempDir(), "carepool.db")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	persist, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := persist.Check(); err != nil {
		t.Fatalf("restored file fails bbolt's check: %v", err)
	}
	db, err := store.OpenEmbedded(context.Background(), persist)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	restored := marketplace.NewService(store.NewMarketplace(db), store.NewDirectory(db), nil, nil)
	got, err := restored.Offers(context.Background(), marketplace.OfferFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != len(want.Items) || got.Items[0].ID != want.Items[0].ID || got.NextCursor != want.NextCursor {
		t.Errorf("restored store lists %d offers (first %s), want %d (first %s)", len(got.Items), got.Items[0].ID, len(want.Items), want.Items[0].ID)
	}
	if bytes.Equal(body[:16], make([]byte, 16)) {
		t.Error("backup starts with zeros; not a bbolt file")
	}
}
