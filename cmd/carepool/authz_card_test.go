package main

import (
	"testing"

	"github.com/carepool/carepool/pooling"
)

// TestAuthzCards runs the card rows on a server with card payments on (the payments test
// double) and alice's card pledge in an open pool.
func TestAuthzCards(t *testing.T) {
	t.Parallel()
	f := newCardFixture(t)
	f.vars["cardPledge"] = f.cardPledge(t, f.newPool(t, pooling.Public, true), "pm_card_visa")
	runAuthzMatrix(t, f.authzFixture, authzCardRows())
}

// authzCardRows: saving a card is for the budget holder (or whoever made the pledge);
// nobody else learns the pledge exists. Without Stripe keys every user hears card
// payments are not set up (TestCardWebhooksApplyOnceAndCardRoutesNeedStripe).
func authzCardRows() []authzRow {
	rows := []authzRow{
		{route: "POST /api/v1/pledges/:id/card-setup", target: "alice's card pledge", path: "/api/v1/pledges/{cardPledge}/card-setup",
			want: "401 201 404 404 404 404 404 404 404 404"},
	}
	for i := range rows {
		rows[i].roles = authzPoolRoles
	}
	return rows
}
