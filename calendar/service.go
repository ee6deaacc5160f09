package calendar

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// Pools is how the feeds read pools: pooling.Service implements it and decides who may
// see which pool, exactly as for GET /api/v1/pools/{id}.
type Pools interface {
	// Pool returns a pool the caller may see, or a NotFound error.
	Pool(ctx context.Context, id string) (pooling.PoolView, error)
	// MyPledges lists the pledges the caller holds or made, newest first.
	MyPledges(ctx context.Context) ([]pooling.PledgeView, error)
	// ManagedPools lists the pools the caller organises or provides, newest first.
	ManagedPools(ctx context.Context, limit int) ([]pooling.PoolView, error)
}

var _ Pools = (*pooling.Service)(nil)

// Offers reads the offer a pool was made from, for where and how long its sessions are
// (the pool copies neither). The feeds only ask for the offers of pools the caller may
// see; store.Marketplace implements it.
type Offers interface {
	// Offer returns an offer, or a NotFound error.
	Offer(ctx context.Context, id string) (marketplace.Offer, error)
}

// Members loads a feed owner's memberships when their feed is read, so that someone who
// leaves an organisation stops seeing its pools at once. store.Accounts implements it.
type Members interface {
	MembershipsOf(ctx context.Context, userID string) ([]account.Membership, error)
}

// ErrFeedNotFound is the Store's answer for a feed that does not exist.
var ErrFeedNotFound = apperr.NotFoundf("calendar feed")

// Store keeps the personal feeds, each under the SHA-256 of its secret (never the secret
// itself), and says when pools last changed (PoolView does not). infra/store implements it.
type Store interface {
	// SaveFeed stores a person's feed, replacing the one they had: the old secret stops
	// working in the same write.
	SaveFeed(ctx context.Context, f Feed) error
	// FeedByHash returns the feed with this secret's hash: ErrFeedNotFound.
	FeedByHash(ctx context.Context, hash string) (Feed, error)
	// FeedOf returns a person's feed: ErrFeedNotFound.
	FeedOf(ctx context.Context, userID string) (Feed, error)
	// DeleteFeed removes a person's feed; removing none is not an error.
	DeleteFeed(ctx context.Context, userID string) error
	// PoolsUpdatedAt returns when each of the pools last changed, by id.
	PoolsUpdatedAt(ctx context.Context, ids []string) (map[string]time.Time, error)
}

// Feed is a person's private calendar feed.
type Feed struct {
	UserID    string
	TokenHash string // hex SHA-256 of the secret in the feed's address
	CreatedAt time.Time
}

// Config configures the service.
type Config struct {
	// BaseURL is the public URL of the site: links in the events and the feeds' own
	// addresses start with it, and its host names the events' UIDs.
	BaseURL string
	// Now is the clock (default time.Now); tests set it.
	Now func() time.Time
}

// Service builds the feeds and manages the personal feeds' secrets.
type Service struct {
	pools   Pools
	offers  Offers
	members Members
	store   Store
	base    string // BaseURL without a trailing slash
	host    string // BaseURL's host name, for UIDs
	now     func() time.Time
}

// NewService returns the calendar service.
func NewService(pools Pools, offers Offers, members Members, store Store, cfg Config) (*Service, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("calendar: BASE_URL %q is not an http(s) URL", cfg.BaseURL)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	base := u.Scheme + "://" + u.Host + strings.TrimRight(u.Path, "/")
	return &Service{pools: pools, offers: offers, members: members, store: store, base: base, host: u.Hostname(), now: cfg.Now}, nil
}

// uid is a session's UID: the same for ever, whatever changes about the session.
func (s *Service) uid(poolID string, index int) string {
	return fmt.Sprintf("pool-%s-session-%d@%s", poolID, index, s.host)
}

func (s *Service) poolURL(id string) string { return s.base + "/pools/" + url.PathEscape(id) }

// Rendered is a feed ready to send: its bytes, when it last changed, and a strong ETag
// over its bytes.
type Rendered struct {
	Body         []byte
	LastModified time.Time
	ETag         string
}

func render(c Calendar, lastModified time.Time) Rendered {
	body := c.Write()
	sum := sha256.Sum256(body)
	return Rendered{Body: body, LastModified: lastModified.UTC().Truncate(time.Second),
		ETag: `"` + hex.EncodeToString(sum[:16]) + `"`}
}

// PoolFeed returns the feed of one pool's sessions, for whoever may see the pool (the
// same rule as GET /api/v1/pools/{id}): NotFound otherwise. It names nobody.
func (s *Service) PoolFeed(ctx context.Context, poolID string) (Rendered, error) {
	p, err := s.pools.Pool(ctx, poolID)
	if err != nil {
		return Rendered{}, err
	}
	infos, err := s.infos(ctx, []pooling.PoolView{p})
	if err != nil {
		return Rendered{}, err
	}
	cal := Calendar{Name: "Carepool: " + p.Title, Events: s.events(infos[0], nil)}
	return render(cal, infos[0].modified), nil
}

// infos reads what the events of each pool need besides the pool: the offer (best
// effort: a missing offer only leaves out the place and length) and the last change.
func (s *Service) infos(ctx context.Context, pools []pooling.PoolView) ([]poolInfo, error) {
	ids := make([]string, len(pools))
	for i, p := range pools {
		ids[i] = p.ID
	}
	updated, err := s.store.PoolsUpdatedAt(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("when pools changed: %w", err)
	}
	offers := map[string]*marketplace.Offer{}
	out := make([]poolInfo, len(pools))
	for i, p := range pools {
		o, seen := offers[p.OfferID]
		if !seen {
			got, err := s.offers.Offer(ctx, p.OfferID)
			switch {
			case err == nil:
				o = &got
			case !apperr.Is(err, apperr.NotFound):
				return nil, fmt.Errorf("offer of pool %s: %w", p.ID, err)
			}
			offers[p.OfferID] = o
		}
		modified, ok := updated[p.ID]
		if !ok {
			modified = p.CreatedAt
		}
		out[i] = poolInfo{pool: p, offer: o, modified: modified.UTC().Truncate(time.Second)}
	}
	return out, nil
}
