package web

import (
	"net/http/httptest"
	"testing"
)

func TestOriginChecksReadSecFetchSiteThenOrigin(t *testing.T) {
	t.Parallel()
	origin := Origin("https://Carepool.example/some/path")
	if origin != "https://carepool.example" {
		t.Fatalf("Origin = %q", origin)
	}
	if got := Origin("not a url"); got != "" {
		t.Errorf("Origin of a bad URL = %q, want empty (trust no Origin header)", got)
	}
	tests := []struct {
		name           string
		fetchSite, hdr string
		same, cross    bool
	}{
		{"our own page", "same-origin", "", true, false},
		{"typed address", "none", "", true, false},
		{"another site", "cross-site", "", false, true},
		{"a sibling subdomain", "same-site", "", false, true},
		{"old browser, our origin", "", "https://carepool.example", true, false},
		{"old browser, other origin", "", "https://evil.example", false, true},
		{"no browser headers (a script)", "", "", false, false},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("POST", "/", nil)
		if tt.fetchSite != "" {
			req.Header.Set("Sec-Fetch-Site", tt.fetchSite)
		}
		if tt.hdr != "" {
			req.Header.Set("Origin", tt.hdr)
		}
		if got := SameOrigin(req, origin); got != tt.same {
			t.Errorf("%s: SameOrigin = %v, want %v", tt.name, got, tt.same)
		}
		if got := CrossSite(req, origin); got != tt.cross {
			t.Errorf("%s: CrossSite = %v, want %v", tt.name, got, tt.cross)
		}
	}
}
