package bleveindex

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/carepool/carepool/search"
	"github.com/carepool/carepool/search/internal/relevance"
	"github.com/carepool/carepool/search/searchtest"
)

var (
	benchDocs = flag.Int("search.docs", 100000, "synthetic offers in the benchmark index")
	benchDir  = flag.String("search.dir", "", "build the benchmark index in this directory, or reuse the one there if it holds -search.docs offers with the current schema (default: a new temporary directory)")
)

var (
	benchOnce  sync.Once
	benchIndex *Index
	benchBuild time.Duration
	benchErr   error
	benchTemp  string // the temporary directory to remove at the end
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchIndex != nil {
		benchIndex.Close()
	}
	if benchTemp != "" {
		os.RemoveAll(benchTemp)
	}
	os.Exit(code)
}

// openBenchIndex builds the benchmark index once per test binary, on disk
// in a temporary directory, as a server would hold it.
func openBenchIndex(b *testing.B) *Index {
	benchOnce.Do(func() {
		path := *benchDir
		if path == "" {
			dir, err := os.MkdirTemp("", "carepool-bench-*")
			if err != nil {
				benchErr = err
				return
			}
			benchTemp, path = dir, filepath.Join(dir, "index")
		} else if x, err := Open(path); err == nil {
			st, err := x.Status(context.Background())
			if err == nil && !st.Created && st.Documents == *benchDocs {
				benchIndex = x
				settle(x)
				return
			}
			x.Close()
			os.RemoveAll(path)
		}
		docs := searchtest.Generate(*benchDocs, 42)
		start := time.Now()
		x, err := Open(path)
		if err != nil {
			benchErr = err
			return
		}
		for batch := range slices.Chunk(docs, 1000) {
			if err := x.Upsert(context.Background(), batch...); err != nil {
				benchErr = err
				return
			}
		}
		// As search.Rebuild does after a bulk load: one segment.
		if benchErr = x.Compact(context.Background()); benchErr != nil {
			return
		}
		if benchErr = x.Close(); benchErr != nil { // waits until everything is on disk
			return
		}
		benchBuild = time.Since(start)
		docs = nil
		// Measure the index as a server holds it: reopened, merging settled.
		if benchIndex, benchErr = Open(path); benchErr == nil {
			settle(benchIndex)
		}
		runtime.GC()
		debug.FreeOSMemory()
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchIndex
}

// BenchmarkBuild reports the time to build the index of -search.docs offers.
func BenchmarkBuild(b *testing.B) {
	openBenchIndex(b)
	for b.Loop() {
	}
	if benchBuild > 0 {
		b.ReportMetric(benchBuild.Seconds(), "build-s")
	}
	b.ReportMetric(float64(rssKiB())/1024, "rss-MiB")
}

// BenchmarkMixedQueries runs 1,000 realistic queries (text with typos, two
// filters, a radius, three facets) through our layer and, with the same
// queries written as plain Bleve queries (fuzzy and prefix words, term
// filters, Bleve's geo distance query), through Bleve alone.
func BenchmarkMixedQueries(b *testing.B) {
	x := openBenchIndex(b)
	qs := searchtest.MixedQueries(1000, 7)
	ctx := context.Background()
	ours := func(q search.Query) error { _, err := x.Search(ctx, q); return err }
	raw := func(q search.Query) error {
		pq, _, err := search.Prepare(q)
		if err != nil {
			return err
		}
		_, err = x.idx.SearchInContext(ctx, rawRequest(pq, x.stop))
		return err
	}
	// Warm up caches (segment files, Bleve's and ours) once.
	for _, q := range qs[:50] {
		if err := ours(q); err != nil {
			b.Fatal(err)
		}
		if err := raw(q); err != nil {
			b.Fatal(err)
		}
	}
	var oursLat, rawLat []time.Duration
	for b.Loop() {
		// Each query through both, one after the other, so that both see
		// the same load on the machine.
		oursLat, rawLat = make([]time.Duration, len(qs)), make([]time.Duration, len(qs))
		for i, q := range qs {
			oursLat[i] = timed(b, q, ours)
			rawLat[i] = timed(b, q, raw)
		}
	}
	for _, m := range []struct {
		name string
		lat  []time.Duration
	}{{"ours", oursLat}, {"raw", rawLat}} {
		for _, p := range []float64{50, 95, 99} {
			b.ReportMetric(ms(percentile(m.lat, p)), fmt.Sprintf("%s-p%.0f-ms", m.name, p))
		}
	}
	b.ReportMetric(ms(percentile(oursLat, 50))/ms(percentile(rawLat, 50)), "ours/raw-p50")
	b.ReportMetric(ms(percentile(oursLat, 99))/ms(percentile(rawLat, 99)), "ours/raw-p99")
	b.ReportMetric(float64(rssKiB())/1024, "rss-MiB")
}

// settle waits until Bleve's background merging has stopped changing the
// number of segments, so that queries are not timed against a merge.
func settle(x *Index) {
	segments := func() string {
		m, _ := x.idx.StatsMap()["index"].(map[string]interface{})
		return fmt.Sprint(m["num_root_memorysegments"], m["num_root_filesegments"], m["TotFileMergeZapEnd"])
	}
	last, stable := segments(), 0
	for stable < 4 {
		time.Sleep(500 * time.Millisecond)
		if s := segments(); s == last {
			stable++
		} else {
			last, stable = s, 0
		}
	}
}

func timed(b *testing.B, q search.Query, run func(search.Query) error) time.Duration {
	start := time.Now()
	if err := run(q); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

func percentile(d []time.Duration, p float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p/100))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// rawRequest is the naive Bleve request for a query: each word a fuzzy query
// (and the last also a prefix query), term filters, a geo distance query and
// three facets.
func rawRequest(q search.Query, stop map[string]bool) *bleve.SearchRequest {
	var parts []query.Query
	words := relevance.Terms(q.Text)
	for i, w := range words {
		if stop[w] {
			continue
		}
		f := query.NewFuzzyQuery(w)
		f.SetField(fText)
		f.Fuzziness = relevance.MaxTypos(w)
		var wq query.Query = f
		if i == len(words)-1 {
			p := query.NewPrefixQuery(w)
			p.SetField(fText)
			wq = query.NewDisjunctionQuery([]query.Query{f, p})
		}
		parts = append(parts, wq)
	}
	parts = append(parts, rawFilters(q.Filter)...)
	if n := q.Filter.Near; n != nil {
		g := query.NewGeoDistanceQuery(n.Lng, n.Lat, strconv.FormatFloat(n.Miles, 'f', -1, 64)+"mi")
		g.SetField(fGeo)
		parts = append(parts, g)
	}
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery(parts), q.PageSize, 0, false)
	for _, f := range q.Facets {
		req.AddFacet(string(f), bleve.NewFacetRequest(facetFields[f], 100))
	}
	req.Fields = []string{fSource}
	return req
}

func rssKiB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return n
		}
	}
	return 0
}

// rawFilters are the filters but the distance as Bleve queries.
func rawFilters(f search.Filter) []query.Query {
	var out []query.Query
	anyOf := func(field string, values []string) {
		if len(values) > 0 {
			out = append(out, rawTerms(field, values))
		}
	}
	anyOf(fType, f.Types)
	anyOf(fKind, f.Kinds)
	anyOf(fCategories, f.Categories)
	anyOf(fBudgetForms, f.BudgetForms)
	anyOf(fLanguages, f.Languages)
	anyOf(fDays, f.Days)
	anyOf(fTimes, f.TimesOfDay)
	for _, a := range f.Accessibility {
		out = append(out, rawTerms(fAccessibility, []string{a}))
	}
	if f.VerifiedOnly {
		out = append(out, rawTerms(fVerified, []string{"true"}))
	}
	if p := f.MaxPricePence; p != nil {
		max, incl := float64(*p), true
		r := query.NewNumericRangeInclusiveQuery(nil, &max, nil, &incl)
		r.SetField(fPrice)
		out = append(out, r)
	}
	return out
}

func rawTerms(field string, values []string) query.Query {
	qs := make([]query.Query, len(values))
	for i, v := range values {
		t := query.NewTermQuery(v)
		t.SetField(field)
		qs[i] = t
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}
