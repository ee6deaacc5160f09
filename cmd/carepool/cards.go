package main

import (
	"context"
	"strings"
	"time"

	"github.com/carepool/carepool/pooling"
)

// poolingConfig is the pooling service's configuration: card pledges are possible only
// when card payments are set up.
func (m *Main) poolingConfig() pooling.Config {
	cfg := pooling.Config{Instance: instanceName()}
	if m.Payments != nil && m.Payments.Configured() {
		cfg.Cards = m.Payments
	}
	return cfg
}

// Card worker settings: a pledge whose money could not be moved (Stripe unreachable, a
// provider not yet able to take payouts) is tried again with backoff.
const (
	cardBatch    = 20
	cardInterval = 5 * time.Second
	cardLease    = 5 * time.Minute
)

func cardBackoff(attempt int) time.Duration { return doubling(attempt, 2*time.Hour) }

// runCards moves card pledges' money for the "funding pledge:<id>" outbox tasks.
func (m *Main) runCards(ctx context.Context) error {
	if m.Cards == nil {
		return nil
	}
	box := m.DB.NewOutbox(pooling.CardTopic, instanceName())
	tasks, err := box.Claim(ctx, cardBatch, cardLease)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		id, ok := strings.CutPrefix(t.Ref, "pledge:")
		if !ok {
			_ = box.Done(ctx, t) // not a card task: nothing to do
			continue
		}
		if err := m.Cards.Sync(ctx, id); err != nil {
			m.Logger.Warn("card payment not in step yet; will retry", "pledge", id, "error", err)
			if err := box.Retry(ctx, t, err, cardBackoff(t.Attempts)); err != nil {
				return err
			}
			continue
		}
		if err := box.Done(ctx, t); err != nil {
			return err
		}
	}
	return nil
}
