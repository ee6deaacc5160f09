package payments

import (
	"context"
	"errors"
	"fmt"
)

// HandleWebhook verifies a Stripe webhook delivery and applies its event exactly once.
//
// The event id is stored in the same transaction as the event's effects, under a unique
// key: a repeated delivery (Stripe retries until it gets a 2xx, and may deliver twice
// anyway) finds it stored and does nothing, and answers nil so Stripe stops. A delivery
// that fails verification stores nothing (ErrBadSignature, ErrWrongAPIVersion,
// ErrMalformedEvent: 400). Events of a type with no handler are stored and ignored. A
// handler's error aborts the transaction, so the event is applied when Stripe delivers it
// again. It checks no caller: the signature is the proof.
func (s *Service) HandleWebhook(ctx context.Context, payload []byte, signatureHeader string) error {
	if s.verifier == nil {
		return ErrNotConfigured
	}
	e, err := s.verifier.Verify(payload, signatureHeader)
	if err != nil {
		return err
	}
	err = s.apply(ctx, e)
	if errors.Is(err, ErrEventSeen) {
		return nil
	}
	return err
}

// apply records and applies a verified event in one transaction: ErrEventSeen if it was
// applied before.
func (s *Service) apply(ctx context.Context, e Event) error {
	h, handled := s.handler(e.Type)
	outcome := OutcomeUnhandled
	if handled {
		outcome = OutcomeHandled
	}
	rec := EventRecord{ID: e.ID, Type: e.Type, Created: e.Created.UTC(), ConnectedAccount: e.ConnectedAccount,
		ReceivedAt: s.now(), Outcome: outcome}
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.RecordEvent(ctx, rec); err != nil {
			return err
		}
		if !handled {
			return nil
		}
		return h(ctx, e)
	})
	if err != nil && !errors.Is(err, ErrEventSeen) {
		return fmt.Errorf("apply Stripe event %s (%s): %w", e.ID, e.Type, err)
	}
	return err
}

// applyAccountUpdated follows a connected account's capabilities. The account is found
// by its id, or, when its record does not hold the id yet (the event overtook the
// response to the request that created it), by the provider named in its metadata.
// Older reports never overwrite newer ones (ProviderAccount.observe).
func (s *Service) applyAccountUpdated(ctx context.Context, e Event) error {
	if e.Account == nil || e.Account.ID == "" {
		return nil
	}
	acct := *e.Account
	acct.AsOf = e.Created
	rec, err := s.store.ProviderAccountByStripeID(ctx, acct.ID)
	if errors.Is(err, ErrAccountNotFound) && acct.ProviderID != "" {
		rec, err = s.store.ProviderAccount(ctx, acct.ProviderID)
	}
	if errors.Is(err, ErrAccountNotFound) {
		return nil // not an account of ours
	}
	if err != nil {
		return fmt.Errorf("payment account %s: %w", acct.ID, err)
	}
	next, changed := rec.adopt(acct)
	if !changed {
		return nil
	}
	next.Version, next.UpdatedAt = rec.Version+1, s.now()
	return s.store.SaveProviderAccount(ctx, next, rec.Version)
}
