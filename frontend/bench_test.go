package frontend

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// benchSearches are search pages with a full page of 20 results on the demo data: plain
// listing, free text, text with query understanding, facets and filters, distance and
// price order, and a second page.
var benchSearches = []string{
	"/search",
	"/search?q=group",
	"/search?q=support+near+LS6",
	"/search?q=art&category=arts-and-crafts&category=social-club",
	"/search?budget_form=isf&budget_form=council_managed",
	"/search?near=BS5&within=25&sort=distance",
	"/search?access=wheelchair_accessible&sort=price",
	"/search?q=support&page=2",
}

// BenchmarkSearchPage times the search page with 20 results against the real server on
// the demo data (`carepool serve`, as `make run` starts it). Each iteration requests
// every page in benchSearches 25 times; it reports the percentiles of the time the
// client waited (loopback HTTP included) and of the server's own time for the same
// requests, from its access log. The target is a p95 under 30 ms.
func BenchmarkSearchPage(b *testing.B) {
	srv := sharedServer(b)
	client := &http.Client{}
	get := func(path string) string {
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s = %d %v", path, resp.StatusCode, err)
		}
		return string(body)
	}
	for _, p := range benchSearches {
		if n := strings.Count(get(p), `<li class="cp-card">`); n != resultsPerPage {
			b.Fatalf("%s shows %d results, want %d", p, n, resultsPerPage)
		}
	}
	logStart := fileSize(b, srv.LogPath)
	var clientTimes []time.Duration
	b.ResetTimer()
	for range b.N {
		for range 25 {
			for _, p := range benchSearches {
				start := time.Now()
				get(p)
				clientTimes = append(clientTimes, time.Since(start))
			}
		}
	}
	b.StopTimer()
	server := serverTimes(b, srv.LogPath, logStart)
	report := func(name string, ds []time.Duration) {
		slices.Sort(ds)
		pct := func(p float64) float64 {
			return float64(ds[min(len(ds)-1, int(float64(len(ds))*p))].Microseconds()) / 1000
		}
		b.ReportMetric(pct(0.50), name+"-p50-ms")
		b.ReportMetric(pct(0.95), name+"-p95-ms")
		b.ReportMetric(pct(0.99), name+"-p99-ms")
	}
	report("client", clientTimes)
	if len(server) > 0 {
		report("server", server)
	}
}

func fileSize(tb testing.TB, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	return fi.Size()
}

// serverTimes reads the durations of the search page requests that the server logged
// after offset.
func serverTimes(tb testing.TB, path string, offset int64) []time.Duration {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		tb.Fatal(err)
	}
	var out []time.Duration
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var line struct {
			Msg        string  `json:"msg"`
			Route      string  `json:"route"`
			DurationMS float64 `json:"duration_ms"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "request" && line.Route == "/search" {
			out = append(out, time.Duration(line.DurationMS*float64(time.Millisecond)))
		}
	}
	return out
}
