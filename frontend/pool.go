package frontend

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
)

// Pools is what the pool pages need of the pooling service. Errors are apperr errors:
// NotFound for pools and pledges the caller may not know about (invite-only pools
// without the code, drafts, other people's pledges), Forbidden, Conflict (a full pool,
// a second pledge to the same pool) and Invalid with fields.
type Pools interface {
	Pool(ctx context.Context, id string) (pooling.PoolView, error)
	PoolByInvite(ctx context.Context, code string) (pooling.PoolView, error)
	PublicPools(ctx context.Context, f pooling.PoolFilter) ([]pooling.PoolView, error)
	PoolStatement(ctx context.Context, poolID string) (pooling.Statement, error)
	Pledge(ctx context.Context, poolID string, in pooling.PledgeInput, key string) (pooling.PledgeView, error)
	Withdraw(ctx context.Context, pledgeID, key string) (pooling.PledgeView, error)
	Approve(ctx context.Context, pledgeID, key string) (pooling.PledgeView, error)
	Decline(ctx context.Context, pledgeID, reason, key string) (pooling.PledgeView, error)
	MyPledge(ctx context.Context, id string) (pooling.PledgeView, error)
	MyPledges(ctx context.Context) ([]pooling.PledgeView, error)
	PendingApprovals(ctx context.Context) ([]pooling.PledgeView, error)
	Budgets(ctx context.Context, holderID string) ([]pooling.BudgetSummary, error)
}

var _ Pools = (*pooling.Service)(nil)

// registerPools mounts the pool pages; without a pooling service there are none (and
// the offer page's link to pools leads to "Page not found").
func (h *Handler) registerPools(get, post func(path, name string, fn echo.HandlerFunc)) {
	if h.pools == nil {
		return
	}
	get("/offers/:id/pools", "offer-pools", h.offerPools)
	get("/pools/:id", "pool", h.poolPage)
	get("/invites/:code", "invite", h.invitePage)
	get("/pools/:id/join", "pool-join", h.joinForm)
	post("/pools/:id/join", "pool-join", h.join)
	get("/pledges/:id", "pledge", h.pledgePage)
	post("/pledges/:id/withdraw", "pledge-withdraw", h.withdraw)
	get("/commitments", "commitments", h.commitments)
	get("/approvals", "approvals", h.approvals)
	post("/approvals/:id", "approval-decide", h.decide)
	h.registerOrganising(get, post)
}

func init() {
	// The notices of the pool pages' redirects (see notices in auth.go).
	notices["pledge-withdrawn"] = "You have left the pool. What was set aside for it has been released."
	notices["pledge-approved"] = "You approved the pledge. It now counts towards its pool."
	notices["pledge-declined"] = "You declined the pledge. Its place in the pool has been released."
}

// formKey is the idempotency key a money-moving form carries (made when the form was
// shown), or a new one when the form came without a usable key.
func formKey(c echo.Context) string {
	if key := c.FormValue("key"); key != "" && len(key) <= 64 {
		return key
	}
	return newIdempotencyKey()
}

// newIdempotencyKey is the key a money-moving form carries, made when the form is
// shown: sending the same form twice (a double click, a resend after a lost reply)
// then changes things once.
func newIdempotencyKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "form-" + hex.EncodeToString(b)
}

func poolURL(id string) string   { return "/pools/" + url.PathEscape(id) }
func pledgeURL(id string) string { return "/pledges/" + url.PathEscape(id) }

// formName is a budget form's name for people: "Direct payment (DP)".
func formName(f marketplace.BudgetForm) string {
	if l := marketplace.Label(marketplace.BudgetForms, string(f)); l != "" {
		return l
	}
	return string(f)
}

// howItPays says in plain English how a pledge from a budget of this form is paid.
var howItPays = map[marketplace.BudgetForm]string{
	marketplace.DirectPayment:   "You pay the provider by bank transfer when their invoice comes, only once the group goes ahead, or by card where the provider takes cards.",
	marketplace.IndirectPayment: "The person you trust pays the provider by bank transfer when the invoice comes, only once the group goes ahead.",
	marketplace.TrustFund:       "A request to the trust: a second trustee must agree before it counts. The trust pays the invoice.",
	marketplace.BrokeredFund:    "Your broker commits the money and pays the invoice for you.",
	marketplace.ISF:             "A request to your ISF provider: they agree it, then pay the invoice from your individual service fund.",
	marketplace.CouncilManaged:  "A request to the council: a commissioner approves it, like a purchase order, and the council pays the invoice. You keep your place while they decide.",
}

// approvalText says who must approve, for each kind of approval.
var approvalText = map[pooling.ApprovalKind]string{
	pooling.ApprovalISFProvider:    "the provider that holds the individual service fund",
	pooling.ApprovalCommissioner:   "a commissioner at the council",
	pooling.ApprovalSecondTrustee:  "a second trustee",
	pooling.ApprovalSecondApprover: "a second person, because it is a large amount",
	pooling.ApprovalCard:           "Stripe, our card payment company, which must tell us that your card is saved",
}

// needsText lists who a pledge waits for: "a commissioner at the council".
func needsText(needs []pooling.ApprovalKind) string {
	var ws []string
	for _, n := range needs {
		ws = append(ws, approvalText[n])
	}
	return joinWords(ws, "and")
}
