package openreferral

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Reading a feed: a JSON file, or an ORUK API (its base address, or its /services
// address), read page by page with full=true. Everything is read before anything is
// written, so a feed that fails half-way changes nothing.

// Limits of reading a feed.
const (
	maxFileBytes = 256 << 20
	maxPageBytes = 64 << 20
	maxPages     = 10_000
	pageSize     = 100
)

// ReadOptions tunes ReadFeed.
type ReadOptions struct {
	// Client fetches pages (default: one with a 60-second timeout).
	Client *http.Client
	// Pages, if set, is called after each page of an API is read, with the number read and
	// the number the API says there are (0 when it does not say).
	Pages func(read, total int)
}

// ReadFeed reads the feed at location, a file name or an http(s) address, and returns it
// with the name of its source: the API's base address, or "file:" and the file's absolute
// path. Imports are keyed by the source, so name one source the same way every time.
func ReadFeed(ctx context.Context, location string, opts ReadOptions) (Feed, string, error) {
	u, err := url.Parse(location)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return readFile(location)
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 60 * time.Second}
	}
	return readAPI(ctx, u, opts)
}

func readFile(name string) (Feed, string, error) {
	f, err := os.Open(name)
	if err != nil {
		return Feed{}, "", fmt.Errorf("read feed: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return Feed{}, "", fmt.Errorf("read feed %s: %w", name, err)
	}
	if len(data) > maxFileBytes {
		return Feed{}, "", fmt.Errorf("read feed %s: larger than %d MiB", name, maxFileBytes>>20)
	}
	feed, err := DecodeFeed(data)
	if err != nil {
		return Feed{}, "", fmt.Errorf("read feed %s: %w", name, err)
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		abs = name
	}
	return feed, "file:" + abs, nil
}

// readAPI pages through base/services?full=true and fetches, one by one, the services a
// page gives without their related objects (an API that ignores full).
func readAPI(ctx context.Context, u *url.URL, opts ReadOptions) (Feed, string, error) {
	base := *u
	base.RawQuery, base.Fragment = "", ""
	base.Path = strings.TrimSuffix(strings.TrimSuffix(base.Path, "/"), "/services")
	source := base.String()
	var feed Feed
	for page := 1; ; page++ {
		if page > maxPages {
			return Feed{}, "", fmt.Errorf("read %s: more than %d pages", source, maxPages)
		}
		q := url.Values{"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(pageSize)}, "full": {"true"}}
		got, err := getFeed(ctx, opts.Client, source+"/services?"+q.Encode())
		if err != nil {
			return Feed{}, "", err
		}
		for _, r := range got.Records {
			r.Index = len(feed.Records)
			feed.Records = append(feed.Records, r)
		}
		total := 0
		if got.Page != nil {
			total = got.Page.TotalPages
		}
		if opts.Pages != nil {
			opts.Pages(page, total)
		}
		if got.Page == nil || got.Page.LastPage || len(got.Records) == 0 || (total > 0 && page >= total) {
			break
		}
		if len(feed.Records) > MaxFeedRecords {
			return Feed{}, "", fmt.Errorf("read %s: more than %d services", source, MaxFeedRecords)
		}
	}
	for i, r := range feed.Records {
		if r.Service == nil || r.Service.ID == "" || !shallow(r.Service) {
			continue
		}
		one, err := getFeed(ctx, opts.Client, source+"/services/"+url.PathEscape(r.Service.ID))
		if err != nil {
			return Feed{}, "", err
		}
		if len(one.Records) == 1 && one.Records[0].Service != nil {
			one.Records[0].Index = r.Index
			feed.Records[i] = one.Records[0]
		}
	}
	return feed, source, nil
}

// shallow reports whether a service came without any of its related objects.
func shallow(s *Service) bool {
	return s.Organization == nil || len(s.ServiceAtLocations)+len(s.ServiceAreas)+len(s.CostOptions)+len(s.Attributes) == 0
}

func getFeed(ctx context.Context, client *http.Client, address string) (Feed, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, address, nil)
	if err != nil {
		return Feed{}, fmt.Errorf("read %s: %w", address, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Carepool import-oruk")
	resp, err := client.Do(req)
	if err != nil {
		return Feed{}, fmt.Errorf("read %s: %w", address, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Feed{}, fmt.Errorf("read %s: the API answered %s", address, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxPageBytes+1))
	if err != nil {
		return Feed{}, fmt.Errorf("read %s: %w", address, err)
	}
	if len(data) > maxPageBytes {
		return Feed{}, fmt.Errorf("read %s: %w", address, errors.New("the answer is larger than 64 MiB"))
	}
	feed, err := DecodeFeed(data)
	if err != nil {
		return Feed{}, fmt.Errorf("read %s: %w", address, err)
	}
	return feed, nil
}
