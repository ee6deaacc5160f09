package calendar

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// secretBytes is the size of a feed's secret: 256 random bits, beyond guessing, so the
// secret address needs no log-in (calendar apps cannot log in).
const secretBytes = 32

// secretLength is the length of a secret in the address (unpadded base64url).
var secretLength = base64.RawURLEncoding.EncodedLen(secretBytes)

// Limits on a personal feed, so one feed stays quick to build.
const (
	maxManagedPools = 100
	maxPledgedPools = 200
	// endedPlacesFor is how long the sessions of a pool someone left stay in their feed,
	// marked cancelled, so that calendar apps see the cancellation and remove them.
	endedPlacesFor = 90 * 24 * time.Hour
)

// FeedStatus says whether the caller has a personal feed. Its address is never shown
// again after it is made: only its hash is kept.
type FeedStatus struct {
	On        bool       `json:"on"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
}

// CreatedFeed is a new personal feed's secret address, shown once.
type CreatedFeed struct {
	URL       string    `json:"url"`
	CreatedAt time.Time `json:"created_at"`
}

// FeedStatus says whether the caller has a personal feed, and since when.
func (s *Service) FeedStatus(ctx context.Context) (FeedStatus, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return FeedStatus{}, err
	}
	return s.statusOf(ctx, a.UserID)
}

func (s *Service) statusOf(ctx context.Context, userID string) (FeedStatus, error) {
	f, err := s.store.FeedOf(ctx, userID)
	if errors.Is(err, ErrFeedNotFound) {
		return FeedStatus{}, nil
	}
	if err != nil {
		return FeedStatus{}, fmt.Errorf("calendar feed of %s: %w", userID, err)
	}
	at := f.CreatedAt.UTC()
	return FeedStatus{On: true, CreatedAt: &at}, nil
}

// CreateFeed gives the caller a new personal feed address. If they had one, the old
// address stops working at once (rotation: for an address that was shared by mistake).
func (s *Service) CreateFeed(ctx context.Context) (CreatedFeed, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return CreatedFeed{}, err
	}
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return CreatedFeed{}, fmt.Errorf("calendar feed secret: %w", err)
	}
	secret := base64.RawURLEncoding.EncodeToString(b)
	f := Feed{UserID: a.UserID, TokenHash: account.HashSecret(secret), CreatedAt: s.now().UTC().Truncate(time.Millisecond)}
	if err := s.store.SaveFeed(ctx, f); err != nil {
		return CreatedFeed{}, fmt.Errorf("save calendar feed: %w", err)
	}
	return CreatedFeed{URL: s.FeedURL(secret), CreatedAt: f.CreatedAt}, nil
}

// FeedURL is the address of the personal feed with this secret.
func (s *Service) FeedURL(secret string) string { return s.base + "/calendar/" + secret + ".ics" }

// DisableFeed turns the caller's personal feed off; turning off none is not an error.
func (s *Service) DisableFeed(ctx context.Context) error {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return err
	}
	if err := s.store.DeleteFeed(ctx, a.UserID); err != nil {
		return fmt.Errorf("turn off calendar feed: %w", err)
	}
	return nil
}

// validSecret reports whether s could be a feed secret, so that nonsense is refused
// without a store lookup.
func validSecret(s string) bool {
	return len(s) == secretLength && strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == ""
}

// PersonalFeed returns the feed whose secret address holds secret: the sessions of the
// pools its owner has a place in (as the budget holder: their own diary, not the diaries
// of the people they act for) and of the pools they organise or provide. The secret is
// the credential; an unknown one is ErrFeedNotFound. The feed reads the pools as its
// owner, through the same rules as everything else.
func (s *Service) PersonalFeed(ctx context.Context, secret string) (Rendered, error) {
	if !validSecret(secret) {
		return Rendered{}, ErrFeedNotFound
	}
	f, err := s.store.FeedByHash(ctx, account.HashSecret(secret))
	if err != nil {
		return Rendered{}, err
	}
	ms, err := s.members.MembershipsOf(ctx, f.UserID)
	if err != nil {
		return Rendered{}, fmt.Errorf("memberships of feed owner: %w", err)
	}
	// Read-only, and never as an administrator: the feed shows the owner's own pools.
	ctx = account.WithActor(ctx, &account.Actor{UserID: f.UserID, Memberships: ms})
	views, places, err := s.personalPools(ctx, f.UserID)
	if err != nil {
		return Rendered{}, err
	}
	infos, err := s.infos(ctx, views)
	if err != nil {
		return Rendered{}, err
	}
	var events []Event
	last := f.CreatedAt
	for i, info := range infos {
		events = append(events, s.events(info, places[i])...)
		if info.modified.After(last) {
			last = info.modified
		}
	}
	slices.SortFunc(events, func(a, b Event) int {
		return cmp.Or(a.Start.Compare(b.Start), strings.Compare(a.UID, b.UID))
	})
	return render(Calendar{Name: "Carepool: your sessions", Events: events}, last), nil
}

// personalPools returns the pools of a person's feed, each with the person's place in it
// (nil for the pools they organise or provide, which show as everyone sees them).
func (s *Service) personalPools(ctx context.Context, userID string) ([]pooling.PoolView, []*place, error) {
	managed, err := s.pools.ManagedPools(ctx, maxManagedPools)
	if err != nil {
		return nil, nil, fmt.Errorf("managed pools: %w", err)
	}
	var views []pooling.PoolView
	var places []*place
	seen := map[string]bool{}
	for _, p := range managed {
		if p.Status != pooling.StatusDraft {
			views, places = append(views, p), append(places, nil)
			seen[p.ID] = true
		}
	}
	pledges, err := s.pools.MyPledges(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("pledges: %w", err)
	}
	// One place per pool: the live pledge if there is one, else the latest that ended.
	best := map[string]pooling.Pledge{}
	var order []string
	for _, pv := range pledges {
		p := pv.Pledge
		if p.HolderID != userID || seen[p.PoolID] {
			continue
		}
		if !live(p) && s.now().Sub(p.UpdatedAt) > endedPlacesFor {
			continue
		}
		old, ok := best[p.PoolID]
		if !ok {
			order = append(order, p.PoolID)
		}
		if !ok || (!live(old) && live(p)) {
			best[p.PoolID] = p
		}
	}
	if len(order) > maxPledgedPools {
		order = order[:maxPledgedPools]
	}
	for _, id := range order {
		v, err := s.pools.Pool(ctx, id)
		if apperr.Is(err, apperr.NotFound) {
			continue // no longer visible to them: nothing to show
		}
		if err != nil {
			return nil, nil, fmt.Errorf("pool %s: %w", id, err)
		}
		views, places = append(views, v), append(places, &place{pledge: best[id]})
	}
	return views, places, nil
}

// live reports whether a pledge still gives its holder a place: waiting, counted,
// confirmed, or completed (its sessions took place).
func live(p pooling.Pledge) bool { return !p.Status.Final() || p.Status == pooling.PledgeCompleted }

// PersonalDataName, ExportPersonalData and ErasePersonalData let the privacy feature
// include the personal feed in a person's data export and remove it when they delete
// their account (see privacy.Holder).
func (s *Service) PersonalDataName() string { return "calendar_feed" }

// ExportPersonalData says whether the person has a personal feed (never its address).
func (s *Service) ExportPersonalData(ctx context.Context, userID string) (any, error) {
	return s.statusOf(ctx, userID)
}

// ErasePersonalData removes the person's personal feed; ctx carries the deletion's
// store transaction.
func (s *Service) ErasePersonalData(ctx context.Context, userID string) error {
	return s.store.DeleteFeed(ctx, userID)
}
