package pooling

import (
	"context"
	"fmt"
	"reflect"
	"slices"

	"github.com/google/uuid"
)

// work is one change to a pool and its pledges, read and written inside one transaction.
// A service method loads it, changes the domain objects with the pure functions of
// count.go, and commits: the ledger entry for the difference, the ISF balances, the
// documents (each conditional on the version read) and the outbox tasks all go in the
// same transaction, so either all happen or none.
type work struct {
	s        *Service
	pool     Pool
	read     Pool // as read, for its version and visibility
	pledges  []*Pledge
	original map[string]Pledge // as read, to save only what changed
	created  []*Pledge

	op       Op
	by       string
	onBehalf string
	memo     string
	extra    []Line   // lines beyond reconcile's (invoicing and settlement)
	notify   []string // "notify" outbox references

	isfExtra    map[string]ISFDelta // ISF changes beyond reconcile's (credit notes)
	newInvoices []Invoice           // issued by this change
	invoice     *Invoice            // the invoice a payment or credit note changes
	invoiceRead int64               // its version as read
}

// load reads a pool and all its pledges through ctx (the transaction's).
func (s *Service) load(ctx context.Context, poolID string) (*work, error) {
	pool, err := s.store.Pool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	return s.loadPledges(ctx, pool)
}

// loadPledges reads the pledges of a pool already read (for example by TakeSeat).
func (s *Service) loadPledges(ctx context.Context, pool Pool) (*work, error) {
	ps, err := s.store.PoolPledges(ctx, pool.ID)
	if err != nil {
		return nil, fmt.Errorf("read pledges of pool %s: %w", pool.ID, err)
	}
	w := &work{s: s, pool: pool, read: clonePool(pool), original: map[string]Pledge{}}
	for i := range ps {
		w.original[ps[i].ID] = clonePledge(ps[i])
		w.pledges = append(w.pledges, &ps[i])
	}
	return w, nil
}

// pledge returns the loaded pledge with id, or nil.
func (w *work) pledge(id string) *Pledge {
	for _, p := range w.pledges {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// add makes a new pledge part of the change.
func (w *work) add(p *Pledge) {
	w.pledges = append(w.pledges, p)
	w.created = append(w.created, p)
}

// commit writes the change. The ledger key is the pool's new version, so one version of
// a pool posts one entry at most, whoever computes it.
func (w *work) commit(ctx context.Context) error {
	s := w.s
	now := s.now()
	if err := w.issueInvoices(ctx); err != nil {
		return err
	}
	lines, isf := reconcile(&w.pool, w.pledges)
	lines = append(lines, w.extra...)
	for id, d := range w.isfExtra {
		isf[id] = isf[id].Plus(d)
	}
	tally(&w.pool, w.pledges)
	w.pool.Version = w.read.Version + 1
	w.pool.UpdatedAt = now
	key := fmt.Sprintf("pool:%s@%d", w.pool.ID, w.pool.Version)
	for _, id := range sortedKeys(isf) {
		if d := isf[id]; !d.Zero() {
			if _, err := s.store.MoveISF(ctx, id, d, now); err != nil {
				return fmt.Errorf("update ISF account %s: %w", id, err)
			}
		}
	}
	if len(lines) > 0 {
		e := Entry{ID: entryID(), Key: key, Op: w.op, PoolID: w.pool.ID, ProviderID: w.pool.ProviderID,
			By: w.by, OnBehalfOf: w.onBehalf, At: now, Memo: w.memo, Lines: lines}
		if w.invoice != nil {
			e.InvoiceID = w.invoice.ID
		}
		if err := s.store.Post(ctx, e); err != nil {
			return fmt.Errorf("post %s entry for pool %s: %w", w.op, w.pool.ID, err)
		}
		if err := w.cardTasks(ctx, lines); err != nil {
			return err
		}
	}
	for _, p := range w.created {
		p.CreatedAt, p.UpdatedAt, p.Version = now, now, 1
		if err := s.store.CreatePledge(ctx, *p); err != nil {
			return fmt.Errorf("store pledge: %w", err)
		}
	}
	for _, p := range w.pledges {
		orig, ok := w.original[p.ID]
		if !ok || reflect.DeepEqual(orig, *p) {
			continue
		}
		p.Version, p.UpdatedAt = orig.Version+1, now
		if err := s.store.SavePledge(ctx, *p, orig.Version); err != nil {
			return fmt.Errorf("save pledge %s: %w", p.ID, err)
		}
	}
	if err := s.store.SavePool(ctx, w.pool, w.read.Version); err != nil {
		return fmt.Errorf("save pool %s: %w", w.pool.ID, err)
	}
	if err := w.saveInvoices(ctx); err != nil {
		return err
	}
	return w.tasks(ctx)
}

// tasks records what other workers must do after the change: reindex a public pool
// (or one that just stopped being public), and send notifications.
func (w *work) tasks(ctx context.Context) error {
	if w.pool.Status != StatusDraft && (w.pool.Visibility == Public || w.read.Visibility == Public) {
		if err := w.s.store.Enqueue(ctx, "search", "pool:"+w.pool.ID); err != nil {
			return err
		}
	}
	for _, ref := range w.notify {
		if err := w.s.store.Enqueue(ctx, "notify", ref); err != nil {
			return err
		}
	}
	return nil
}

// entryID returns a time-ordered id, so entries in the same millisecond still sort in
// the order they were made.
func entryID() string {
	if id, err := uuid.NewV7(); err == nil {
		return id.String()
	}
	return uuid.NewString()
}

func clonePledge(p Pledge) Pledge {
	p.Needs = slices.Clone(p.Needs)
	p.Approvals = slices.Clone(p.Approvals)
	p.PendingWith = slices.Clone(p.PendingWith)
	p.Shares = slices.Clone(p.Shares)
	p.History = slices.Clone(p.History)
	return p
}

func clonePool(p Pool) Pool {
	p.Sessions = slices.Clone(p.Sessions)
	p.Periods = slices.Clone(p.Periods)
	p.History = slices.Clone(p.History)
	return p
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
