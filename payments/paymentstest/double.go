// Package paymentstest holds what tests of card payments share: Double, an in-process
// payments.Gateway that remembers what it created and can be told to fail; the behaviour
// suite every Gateway must pass (RunGatewaySuite); and signed Stripe-shaped webhook
// events (EventJSON, Sign).
//
// stripe-mock (the real Stripe API shapes) cannot decline a card, remember an object or
// list it back, so the domain's failure paths and reconcile's comparisons run on the
// Double, and the suite shows that the Double and the Stripe adapter agree wherever
// stripe-mock can show it.
package paymentstest

import (
	"fmt"
	"sync"
	"time"

	"github.com/carepool/carepool/payments"
)

// Call is one request that reached the Double (a request refused by its Validate never
// does), named like the Stripe request it stands for.
type Call struct {
	Op             string // "POST /v1/payment_intents", "GET /v1/accounts/acct_..."
	IdempotencyKey string
	Request        any // the payments request value, for money movements
}

// Double is an in-process payments.Gateway. It keeps every object it creates (so the
// lists work), records calls, honours idempotency keys as Stripe does (the same key with
// the same request returns the first result, declines included; with another request
// ErrIdempotencyKeyReused), and can be told to decline charges or to be unreachable.
// It is safe for concurrent use.
type Double struct {
	mu  sync.Mutex
	now func() time.Time
	seq int

	calls   []Call
	results map[string]keyed // by idempotency key

	accounts       map[string]payments.Account
	customers      map[string]payments.Customer
	setupIntents   map[string]payments.SetupIntent
	paymentIntents map[string]payments.PaymentIntent
	charges        []payments.Charge
	refunds        []payments.Refund
	transfers      []payments.Transfer

	declineNext   []decline
	declineMethod map[string]decline
	unreachable   int
}

// keyed is what a key was first used for, and what it answered.
type keyed struct {
	op      string
	request string // the request as fmt %#v prints it
	result  any
	err     error
}

type decline struct{ code, declineCode string }

var _ payments.Gateway = (*Double)(nil)

// NewDouble returns an empty Double on the clock now (default time.Now).
func NewDouble(now func() time.Time) *Double {
	if now == nil {
		now = time.Now
	}
	return &Double{now: now, results: map[string]keyed{},
		accounts: map[string]payments.Account{}, customers: map[string]payments.Customer{},
		setupIntents: map[string]payments.SetupIntent{}, paymentIntents: map[string]payments.PaymentIntent{},
		declineMethod: map[string]decline{}}
}

// DeclineNext makes the next off-session charge fail with Stripe's error code (such as
// "card_declined" or "authentication_required") and the bank's decline code (such as
// "insufficient_funds", or "").
func (d *Double) DeclineNext(code, declineCode string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.declineNext = append(d.declineNext, decline{code, declineCode})
}

// DeclinePaymentMethod makes every charge on a saved card fail, until ClearDeclines.
func (d *Double) DeclinePaymentMethod(paymentMethodID, code, declineCode string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.declineMethod[paymentMethodID] = decline{code, declineCode}
}

// ClearDeclines forgets every decline not yet used.
func (d *Double) ClearDeclines() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.declineNext, d.declineMethod = nil, map[string]decline{}
}

// FailUnreachable makes the next n requests (of any kind, after validation) fail as
// if Stripe could not be reached: nothing is created or remembered for their keys.
func (d *Double) FailUnreachable(n int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.unreachable = n
}

// Calls returns every call that reached the Double, oldest first.
func (d *Double) Calls() []Call {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Call(nil), d.calls...)
}

// SetAccountStatus changes a connected account as Stripe would once its owner finishes
// onboarding (or Stripe restricts it), and returns it as an account.updated event would
// carry it.
func (d *Double) SetAccountStatus(accountID string, st payments.AccountStatus) (payments.Account, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	a, ok := d.accounts[accountID]
	if !ok {
		return payments.Account{}, payments.ErrNotFound
	}
	a.ChargesEnabled, a.PayoutsEnabled, a.DetailsSubmitted = st.ChargesEnabled, st.PayoutsEnabled, st.DetailsSubmitted
	a.AsOf = d.now().UTC()
	d.accounts[accountID] = a
	return a, nil
}

// ConfirmSetupIntent completes a SetupIntent as the person's browser would, saving the
// card paymentMethodID (such as "pm_card_visa"), and returns it as a
// setup_intent.succeeded event would carry it.
func (d *Double) ConfirmSetupIntent(id, paymentMethodID string) (payments.SetupIntent, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	si, ok := d.setupIntents[id]
	if !ok {
		return payments.SetupIntent{}, payments.ErrNotFound
	}
	si.Status, si.PaymentMethodID = payments.SetupSucceeded, paymentMethodID
	d.setupIntents[id] = si
	return si, nil
}

// newID returns a fresh Stripe-like id with the object's prefix.
func (d *Double) newID(prefix string) string {
	d.seq++
	return fmt.Sprintf("%s_double%06d", prefix, d.seq)
}

// begin is the start of every request after validation, with d.mu held: it counts down
// an outage, replays a result stored under the key, or refuses a reused key. done is
// false when the caller should go on and create the object.
func (d *Double) begin(op, key string, req any) (result any, err error, done bool) {
	if d.unreachable > 0 {
		d.unreachable--
		return nil, fmt.Errorf("double: %s: %w: connection refused", op, payments.ErrUnavailable), true
	}
	d.calls = append(d.calls, Call{Op: op, IdempotencyKey: key, Request: req})
	if key == "" {
		return nil, nil, false
	}
	if k, ok := d.results[key]; ok {
		if k.op != op || k.request != fmt.Sprintf("%#v", req) {
			return nil, fmt.Errorf("double: %s: %w", op, payments.ErrIdempotencyKeyReused), true
		}
		return k.result, k.err, true
	}
	return nil, nil, false
}

// remember stores a result under its key, as Stripe does for 2xx and 4xx answers.
func (d *Double) remember(op, key string, req, result any, err error) {
	if key != "" {
		d.results[key] = keyed{op: op, request: fmt.Sprintf("%#v", req), result: result, err: err}
	}
}
