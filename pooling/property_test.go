package pooling_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// propertySteps is how many random operations each of the three seeds runs: 150 in
// `go test` (a few hundred in all), more with POOL_PROPERTY_STEPS (make test-long). Each
// step runs Verify over the whole store, so time grows with the square of the steps.
func propertySteps(t *testing.T) int {
	if s := os.Getenv("POOL_PROPERTY_STEPS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("POOL_PROPERTY_STEPS=%q is not a positive number", s)
		}
		return n
	}
	return 150
}

// Random sequences of joins, withdrawals, approvals, declines, confirmations,
// cancellations, deadlines, deliveries and invoicing, by the right people and the wrong
// ones: after every step every invariant holds, and every refusal is a clear error of
// the client's (never an internal one).
func TestRandomOperationsKeepEveryInvariant(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			t.Parallel()
			m := newModel(t, seed)
			steps := propertySteps(t)
			for i := range steps {
				op, err := m.step()
				if err != nil && apperr.KindOf(err) == apperr.Internal {
					t.Fatalf("step %d (%s): internal error: %v", i, op, err)
				}
				if e, ok := apperr.As(err); ok {
					m.refused[op+" "+e.Code]++
				}
				rep, verr := m.w.svc.Verify(context.Background())
				if verr != nil {
					t.Fatal(verr)
				}
				if !rep.OK() {
					t.Fatalf("step %d (%s, err %v) broke invariants: %+v", i, op, err, rep.Violations)
				}
			}
			t.Logf("seed %d: done %v; refused %v", seed, m.done, m.refused)
		})
	}
}

// model drives the service with random operations.
type model struct {
	t       *testing.T
	r       *rand.Rand
	w       *world
	now     time.Time
	holders []*person
	budgets [][]pooling.Budget // per holder
	pools   []pooling.PoolView
	pledges []pledgeRef
	done    map[string]int // successful operations by name
	refused map[string]int // refusals by operation and code
	keys    int
}

// errSkip says a step found nothing to do.
var errSkip = apperr.New(apperr.Conflict, "skip", "nothing to do")

type pledgeRef struct {
	id     string
	holder *person
	form   mk.BudgetForm
}

func newModel(t *testing.T, seed uint64) *model {
	w := newWorld(t, pooling.Config{SecondApprovalOverPence: 40_000})
	m := &model{t: t, r: rand.New(rand.NewPCG(seed, seed*7919)), w: w, now: epoch, done: map[string]int{}, refused: map[string]int{}}
	for i := range 16 {
		p := w.person(t, fmt.Sprintf("Holder %d", i))
		bs := []pooling.Budget{w.directPayment(t, p)}
		switch i % 5 {
		case 1:
			bs = append(bs, w.budget(t, p, pooling.BudgetInput{Form: mk.CouncilManaged, HolderOrgID: w.council.ID}))
		case 2:
			w.openISF(t, p, 1+m.r.Int64N(200_000))
			bs = append(bs, isfBudget(t, w, p))
		case 3:
			w.delegate(t, p, w.tess, account.DelegationTrustee, "")
			bs = append(bs, w.budget(t, p, pooling.BudgetInput{Form: mk.TrustFund, HolderOrgID: w.trust.ID}))
		}
		m.holders, m.budgets = append(m.holders, p), append(m.budgets, bs)
	}
	return m
}

// step runs one random operation and returns its name and error.
func (m *model) step() (string, error) {
	ops := []struct {
		name string
		run  func() error
	}{
		{"open", m.open}, {"pledge", m.pledge}, {"pledge", m.pledge}, {"pledge", m.pledge}, {"pledge", m.pledge},
		{"pledge", m.pledge}, {"pledge", m.pledge},
		{"withdraw", m.withdraw}, {"approve", m.approve}, {"approve", m.approve}, {"decline", m.decline},
		{"confirm", m.confirm}, {"cancel", m.cancel}, {"deadline", m.deadline}, {"deadline", m.deadline},
		{"deliver", m.deliver}, {"deliver", m.deliver}, {"bill", m.bill},
	}
	op := ops[m.r.IntN(len(ops))]
	err := op.run()
	if err == errSkip {
		return op.name, nil
	}
	if err == nil {
		m.done[op.name]++
	}
	return op.name, err
}

func (m *model) pick(n int) int { return m.r.IntN(max(n, 1)) }

// live returns the pools still open or confirmed.
func (m *model) live() []pooling.PoolView {
	var out []pooling.PoolView
	ctx := m.w.uma.ctx(m.t)
	for _, p := range m.pools {
		v, err := m.w.svc.Pool(ctx, p.ID)
		if err != nil {
			m.t.Fatal(err)
		}
		if v.Status == pooling.StatusOpen || v.Status == pooling.StatusConfirmed {
			out = append(out, v)
		}
	}
	return out
}

// pool picks a pool, mostly one still open or confirmed.
func (m *model) pool() (pooling.PoolView, bool) {
	if live := m.live(); len(live) > 0 && m.r.IntN(10) > 0 {
		return live[m.pick(len(live))], true
	}
	if len(m.pools) == 0 {
		return pooling.PoolView{}, false
	}
	v, err := m.w.svc.Pool(m.w.uma.ctx(m.t), m.pools[m.pick(len(m.pools))].ID)
	return v, err == nil
}

// key is usually a fresh idempotency key, sometimes one used before: a retry, or a
// mistaken reuse for another request.
func (m *model) key() string {
	if m.keys > 0 && m.r.IntN(8) == 0 {
		return fmt.Sprintf("k%d", m.r.IntN(m.keys))
	}
	m.keys++
	return fmt.Sprintf("k%d", m.keys-1)
}

func (m *model) open() error {
	if len(m.live()) >= 2 {
		return errSkip
	}
	sessions := 1 + m.r.IntN(5)
	in := poolInput(m.w.offer, sessions)
	in.OrganiserOrgID = m.w.ulo.ID
	in.MaxPeople = 4 + m.r.IntN(7)
	in.Deadline = m.now.AddDate(0, 0, 1+m.r.IntN(4))
	in.Schedule.FirstSession = in.Deadline.AddDate(0, 0, 1+m.r.IntN(3))
	if sessions > 1 {
		in.Schedule.PeriodSessions = 1 + m.r.IntN(sessions)
		in.Schedule.NoticeDays = m.r.IntN(15)
	}
	ctx := m.w.uma.ctx(m.t)
	p, err := m.w.svc.ProposePool(ctx, in)
	if err != nil {
		return err
	}
	if p, err = m.w.svc.OpenPool(ctx, p.ID); err == nil {
		m.pools = append(m.pools, p)
	}
	return err
}

func (m *model) pledge() error {
	pool, ok := m.pool()
	if !ok {
		return errSkip
	}
	i := m.pick(len(m.holders))
	who, b := m.holders[i], m.budgets[i][m.pick(len(m.budgets[i]))]
	if b.Form == mk.TrustFund && m.r.IntN(2) == 0 {
		who = m.w.tess // a trustee pledges for the holder
	}
	v, err := m.w.svc.Pledge(who.ctx(m.t), pool.ID, pooling.PledgeInput{BudgetID: b.ID, LimitPence: m.limit()},
		m.key())
	if err == nil {
		m.pledges = append(m.pledges, pledgeRef{id: v.ID, holder: m.holders[i], form: b.Form})
	}
	return err
}

// limit is mostly enough for a small group, sometimes only for a large one, and now
// and then below anything the pool could cost.
func (m *model) limit() int64 {
	switch n := m.r.IntN(20); {
	case n == 0:
		return 3000
	case n < 6:
		return 4800 + m.r.Int64N(7200)
	}
	return 12_000 + m.r.Int64N(8000)
}

func (m *model) someone() *person {
	cast := []*person{m.w.ivy, m.w.cora, m.w.tom, m.w.pat, m.w.uma, m.holders[m.pick(len(m.holders))]}
	return cast[m.pick(len(cast))]
}

func (m *model) approver(p pledgeRef) *person {
	if m.r.IntN(5) == 0 {
		return m.someone() // sometimes the wrong person
	}
	switch p.form {
	case mk.ISF:
		return m.w.ivy
	case mk.CouncilManaged:
		return m.w.cora
	case mk.TrustFund:
		return m.w.tom
	}
	return p.holder
}

func (m *model) somePledge() (pledgeRef, bool) {
	if len(m.pledges) == 0 {
		return pledgeRef{}, false
	}
	return m.pledges[m.pick(len(m.pledges))], true
}

// waitingPledge picks a pledge, mostly one waiting for approval.
func (m *model) waitingPledge() (pledgeRef, bool) {
	return m.pledgeWhere(func(s pooling.PledgeStatus) bool { return s == pooling.PledgeWaitingApproval })
}

// pledgeWhere picks a pledge, mostly one whose status fits.
func (m *model) pledgeWhere(fits func(pooling.PledgeStatus) bool) (pledgeRef, bool) {
	p, ok := m.somePledge()
	for range 8 {
		if !ok || m.r.IntN(6) == 0 {
			break
		}
		if v, err := m.w.svc.MyPledge(p.holder.ctx(m.t), p.id); err == nil && fits(v.Status) {
			break
		}
		p, ok = m.somePledge()
	}
	return p, ok
}

func (m *model) withdraw() error {
	p, ok := m.pledgeWhere(func(s pooling.PledgeStatus) bool { return !s.Final() })
	if !ok {
		return errSkip
	}
	_, err := m.w.svc.Withdraw(p.holder.ctx(m.t), p.id, m.key())
	return err
}

func (m *model) approve() error {
	p, ok := m.waitingPledge()
	if !ok {
		return errSkip
	}
	_, err := m.w.svc.Approve(m.approver(p).ctx(m.t), p.id, m.key())
	return err
}

func (m *model) decline() error {
	p, ok := m.waitingPledge()
	if !ok || m.r.IntN(3) > 0 {
		return errSkip
	}
	_, err := m.w.svc.Decline(m.approver(p).ctx(m.t), p.id, "No.", "")
	return err
}

func (m *model) confirm() error {
	pool, ok := m.pool()
	if !ok {
		return errSkip
	}
	_, err := m.w.svc.ConfirmPool(m.w.uma.ctx(m.t), pool.ID, "")
	return err
}

func (m *model) cancel() error {
	pool, ok := m.pool()
	if !ok || m.r.IntN(4) > 0 {
		return errSkip
	}
	who := []*person{m.w.uma, m.w.pat, m.someone()}[m.r.IntN(3)]
	_, err := m.w.svc.CancelPool(who.ctx(m.t), pool.ID, "", "")
	return err
}

func (m *model) advance(d time.Duration) {
	m.now = m.now.Add(d)
	m.w.clock.Set(m.now)
}

func (m *model) deadline() error {
	m.advance(time.Duration(m.r.IntN(36)) * time.Hour)
	_, err := m.w.svc.ProcessDeadlines(context.Background(), m.now)
	return err
}

func (m *model) deliver() error {
	pool, ok := m.pool()
	if !ok || pool.Status != pooling.StatusConfirmed {
		return errSkip
	}
	for _, s := range pool.Sessions {
		if s.Status == pooling.SessionScheduled {
			if s.StartsAt.After(m.now) {
				m.advance(s.StartsAt.Sub(m.now) + time.Hour)
			}
			_, err := m.w.svc.RecordDelivery(m.w.pat.ctx(m.t), pool.ID, pooling.DeliveryInput{Session: s.Index}, "")
			return err
		}
	}
	return nil
}

func (m *model) bill() error {
	pool, ok := m.pool()
	if !ok || len(pool.Periods) == 0 {
		return errSkip
	}
	ctx := m.w.pat.ctx(m.t)
	invs, err := m.w.svc.Invoices(ctx, pooling.InvoiceFilter{ProviderID: pool.ProviderID, PoolID: pool.ID, Unpaid: true})
	if err != nil {
		return err
	}
	if len(invs) == 0 {
		return errSkip
	}
	inv := invs[m.pick(len(invs))]
	amount := 1 + int64(m.r.IntN(int(inv.OwingPence)+10)) // sometimes too much: refused
	if m.r.IntN(4) == 0 {
		_, err = m.w.svc.IssueCreditNote(ctx, inv.ID, pooling.CreditNoteInput{AmountPence: amount, Reason: "correction"}, "")
	} else {
		_, err = m.w.svc.RecordPayment(ctx, inv.ID, pooling.PaymentInput{AmountPence: amount,
			Method: pooling.PayRemittance, Reference: "BACS"}, "")
	}
	if amount > inv.OwingPence {
		if apperr.KindOf(err) != apperr.Invalid {
			return fmt.Errorf("paying or crediting %d of %d owed: %v, want refused", amount, inv.OwingPence, err)
		}
		return nil
	}
	return err
}
