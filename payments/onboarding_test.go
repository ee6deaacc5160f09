package payments_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/payments"
)

const returnURL = "https://carepool.test/dashboard"

// countOps counts the Double's calls of one operation.
func (e *env) countOps(op string) int {
	n := 0
	for _, c := range e.double.Calls() {
		if c.Op == op {
			n++
		}
	}
	return n
}

func TestOwnerGetsAnOnboardingLinkAndTheAccountIsMadeOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.provider(t)
	ctx := p.owner.ctx(t)
	first, err := e.svc.StartOnboarding(ctx, p.ID, returnURL)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.svc.StartOnboarding(ctx, p.ID, returnURL)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := e.store.ProviderAccount(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first.URL, rec.AccountID) || !strings.Contains(second.URL, rec.AccountID) || first.URL == second.URL {
		t.Errorf("links %q and %q, want two fresh links to %s", first.URL, second.URL, rec.AccountID)
	}
	if n := e.countOps("POST /v1/accounts"); n != 1 {
		t.Errorf("%d connected accounts created, want 1", n)
	}
	want := payments.ProviderAccount{ProviderID: p.ID, AccountID: rec.AccountID, Type: payments.Express, StatusAsOf: epoch,
		CreatedAt: epoch, UpdatedAt: epoch, Version: 2}
	if diff := cmp.Diff(want, rec); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
}

func TestConcurrentOnboardingsMakeOneAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.provider(t)
	ctx := p.owner.ctx(t)
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.svc.StartOnboarding(ctx, p.ID, returnURL)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	// Every request that found no account asked Stripe with the provider's key, so
	// Stripe (here the Double) made one account, whatever the number of requests.
	accounts := map[string]bool{}
	for _, c := range e.double.Calls() {
		if c.Op == "POST /v1/accounts" {
			if c.IdempotencyKey != "carepool-connect-account-"+p.ID {
				t.Errorf("account created with key %q", c.IdempotencyKey)
			}
		}
		if strings.HasPrefix(c.Op, "GET /v1/accounts/") {
			accounts[strings.TrimPrefix(c.Op, "GET /v1/accounts/")] = true
		}
	}
	rec, _ := e.store.ProviderAccount(context.Background(), p.ID)
	delete(accounts, rec.AccountID)
	if rec.AccountID == "" || len(accounts) > 0 {
		t.Errorf("record holds %q; other accounts seen: %v", rec.AccountID, accounts)
	}
}

func TestOnboardingAfterStripeWasUnreachableCarriesOn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.provider(t)
	e.double.FailUnreachable(1)
	_, err := e.svc.StartOnboarding(p.owner.ctx(t), p.ID, returnURL)
	if !errors.Is(err, payments.ErrUnavailable) || apperr.KindOf(err) != apperr.Unavailable {
		t.Fatalf("onboarding while Stripe is unreachable: %v", err)
	}
	if rec, err := e.store.ProviderAccount(context.Background(), p.ID); err != nil || rec.AccountID != "" {
		t.Fatalf("after the outage the record is %+v, %v: want one waiting for its account", rec, err)
	}
	rec := e.onboard(t, p)
	if rec.AccountID == "" || e.countOps("POST /v1/accounts") != 1 {
		t.Errorf("after the outage: record %+v, %d accounts made", rec, e.countOps("POST /v1/accounts"))
	}
}

func TestWhoMayOnboardAndReadTheStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.provider(t)
	stranger, admin := e.person(t, "Sam Stranger"), e.admin(t)
	ulo := e.org(t, stranger, account.KindUserLedOrganisation)
	suspended := e.provider(t)
	if _, err := e.accounts.SuspendOrganisation(admin.ctx(t), suspended.ID, account.Suspension{Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	anon := context.Background()
	tests := []struct {
		name          string
		ctx           context.Context
		providerID    string
		onboard, read apperr.Kind // -1: allowed
	}{
		{"nobody logged in", anon, p.ID, apperr.Unauthenticated, apperr.Unauthenticated},
		{"owner", p.owner.ctx(t), p.ID, allowed, allowed},
		{"member", p.member.ctx(t), p.ID, apperr.Forbidden, allowed},
		{"stranger", stranger.ctx(t), p.ID, apperr.Forbidden, apperr.Forbidden},
		{"administrator", admin.ctx(t), p.ID, apperr.Forbidden, allowed},
		{"no such provider", p.owner.ctx(t), "no-such-id", apperr.NotFound, apperr.NotFound},
		{"not a provider", stranger.ctx(t), ulo.ID, apperr.NotFound, apperr.NotFound},
		{"suspended, as its owner", suspended.owner.ctx(t), suspended.ID, apperr.Conflict, allowed},
		{"suspended, as a stranger", stranger.ctx(t), suspended.ID, apperr.NotFound, apperr.NotFound},
	}
	for _, tt := range tests {
		_, err := e.svc.StartOnboarding(tt.ctx, tt.providerID, returnURL)
		checkKind(t, tt.name+": onboard", err, tt.onboard)
		_, err = e.svc.ProviderStatus(tt.ctx, tt.providerID)
		checkKind(t, tt.name+": read status", err, tt.read)
	}
}

const allowed apperr.Kind = -1

func checkKind(t *testing.T, what string, err error, want apperr.Kind) {
	t.Helper()
	switch {
	case want == allowed && err != nil:
		t.Errorf("%s: %v, want allowed", what, err)
	case want != allowed && (err == nil || apperr.KindOf(err) != want):
		t.Errorf("%s: %v (kind %v), want kind %v", what, err, apperr.KindOf(err), want)
	}
}

func TestWithoutStripeCardRoutesSayCardPaymentsAreNotSetUp(t *testing.T) {
	t.Parallel()
	e := openEnv(t, false)
	p := e.provider(t)
	stranger := e.person(t, "Sam Stranger")
	if _, err := e.svc.StartOnboarding(p.owner.ctx(t), p.ID, returnURL); !errors.Is(err, payments.ErrNotConfigured) {
		t.Errorf("onboarding: %v, want ErrNotConfigured", err)
	}
	if _, err := e.svc.ProviderStatus(p.member.ctx(t), p.ID); !errors.Is(err, payments.ErrNotConfigured) {
		t.Errorf("status: %v, want ErrNotConfigured", err)
	}
	// Authorization still comes first: the answer says nothing new to a stranger, but
	// they are refused as before.
	if _, err := e.svc.StartOnboarding(stranger.ctx(t), p.ID, returnURL); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("stranger onboarding: %v", err)
	}
	if err := e.svc.HandleWebhook(context.Background(), []byte("{}"), "t=1,v1=00"); !errors.Is(err, payments.ErrNotConfigured) {
		t.Errorf("webhook: %v", err)
	}
	if ok, err := e.svc.CanTakeCards(context.Background(), p.ID); ok || err != nil {
		t.Errorf("CanTakeCards = %v, %v", ok, err)
	}
	if _, err := e.svc.Gateway(); !errors.Is(err, payments.ErrNotConfigured) || e.svc.Configured() {
		t.Errorf("Gateway: %v", err)
	}
	if pr := apperrProblem(payments.ErrNotConfigured); pr != "card-payments-not-set-up: Card payments are not set up on this site." {
		t.Errorf("the problem reads %q", pr)
	}
}

// apperrProblem is the code and first sentence a client sees.
func apperrProblem(err error) string {
	e, _ := apperr.As(err)
	first, _, _ := strings.Cut(e.Message, ". ")
	return e.Code + ": " + strings.TrimSuffix(first, ".") + "."
}

func TestStatusFollowsStripeAndDecidesWhetherCardsCanBeTaken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.provider(t)
	ctx := p.member.ctx(t)
	st, err := e.svc.ProviderStatus(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.OnboardingStarted || st.CanTakeCards || !strings.Contains(st.Summary, "not set up") {
		t.Errorf("before onboarding: %+v", st)
	}
	rec := e.onboard(t, p)
	steps := []struct {
		status  payments.AccountStatus
		canTake bool
		summary string
	}{
		{payments.AccountStatus{}, false, "waiting for an owner"},
		{payments.AccountStatus{DetailsSubmitted: true}, false, "checking"},
		{payments.AccountStatus{DetailsSubmitted: true, ChargesEnabled: true}, false, "checking"},
		{payments.AccountStatus{DetailsSubmitted: true, ChargesEnabled: true, PayoutsEnabled: true}, true, "can take card payments"},
	}
	for i, step := range steps {
		acct := payments.Account{ID: rec.AccountID, ProviderID: p.ID, ChargesEnabled: step.status.ChargesEnabled,
			PayoutsEnabled: step.status.PayoutsEnabled, DetailsSubmitted: step.status.DetailsSubmitted}
		if err := e.deliver(t, e.accountUpdated(acct, epoch.Add(time.Duration(i+1)*time.Minute))); err != nil {
			t.Fatal(err)
		}
		st, err := e.svc.ProviderStatus(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		can, err := e.svc.CanTakeCards(context.Background(), p.ID)
		if err != nil || can != step.canTake || st.CanTakeCards != step.canTake || st.AccountStatus != step.status ||
			!strings.Contains(st.Summary, step.summary) || !st.OnboardingStarted {
			t.Errorf("after %+v: status %+v, CanTakeCards %v, %v", step.status, st, can, err)
		}
	}
}
