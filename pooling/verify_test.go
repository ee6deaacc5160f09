package pooling_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/pooling"
)

// Verify finds each kind of damage: the tests break the ledger or the documents behind
// the service's back and look for the rule that catches it.
func TestVerifyFindsABrokenLedger(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name   string
		damage func(t *testing.T, w *world, pool pooling.PoolView, isf pooling.PledgeView)
		rules  []string
	}{
		{"an entry that does not balance", func(t *testing.T, w *world, _ pooling.PoolView, isf pooling.PledgeView) {
			err := w.store.Post(ctx, pooling.Entry{ID: "bad", Key: "bad", Op: pooling.OpDeliver, At: time.Now(),
				Lines: []pooling.Line{{Account: pooling.HoldingAccount(isf.PoolID), AmountPence: 5}}})
			if err != nil {
				t.Fatal(err)
			}
		}, []string{pooling.RuleEntryBalances, pooling.RuleHolding, pooling.RuleLedgerBalances}},
		{"a pledge whose counters were edited", func(t *testing.T, w *world, _ pooling.PoolView, isf pooling.PledgeView) {
			p, err := w.store.Pledge(ctx, isf.ID)
			if err != nil {
				t.Fatal(err)
			}
			p.HeldPence++
			if err := w.store.SavePledge(ctx, p, p.Version); err != nil {
				t.Fatal(err)
			}
		}, []string{pooling.RuleHolding, pooling.RulePledgeLedger, pooling.RulePledgeState}},
		{"an ISF account below zero", func(t *testing.T, w *world, _ pooling.PoolView, isf pooling.PledgeView) {
			_, err := w.db.Collection("isf_accounts").UpdateOne(ctx, bson.M{"_id": isf.BudgetID},
				bson.M{"$set": bson.M{"available_pence": -1}})
			if err != nil {
				t.Fatal(err)
			}
		}, []string{pooling.RuleISFCache, pooling.RuleISFNegative}},
		{"a seat counter out of step", func(t *testing.T, w *world, pool pooling.PoolView, _ pooling.PledgeView) {
			_, err := w.db.Collection("pools").UpdateOne(ctx, bson.M{"_id": pool.ID}, bson.M{"$inc": bson.M{"taken": 1}})
			if err != nil {
				t.Fatal(err)
			}
		}, []string{pooling.RuleSeats}},
		{"a share above its limit", func(t *testing.T, w *world, _ pooling.PoolView, isf pooling.PledgeView) {
			_, err := w.db.Collection("pledges").UpdateOne(ctx, bson.M{"_id": isf.ID}, bson.M{"$set": bson.M{"limit_pence": 100}})
			if err != nil {
				t.Fatal(err)
			}
		}, []string{pooling.RulePledgeState, pooling.RuleShareLimit}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := worldOn(t, openEnv(t, pooling.Config{}))
			holder := w.person(t, "Ida Isf")
			w.openISF(t, holder, 50_000)
			pool, _, v := w.confirmedPoolWith(t, holder, isfBudget(t, w, holder))
			before, err := w.svc.Verify(ctx)
			if err != nil || !before.OK() || before.Pools != 1 || before.Pledges != 4 || before.ISFAccounts != 1 {
				t.Fatalf("before breaking anything: %+v, %v", before, err)
			}
			tt.damage(t, w, pool, v)
			rep, err := w.svc.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var rules []string
			for _, v := range rep.Violations {
				if !slices.Contains(rules, v.Rule) {
					rules = append(rules, v.Rule)
				}
			}
			for _, want := range tt.rules {
				if !slices.Contains(rules, want) {
					t.Errorf("Verify missed %s; it found %+v", want, rep.Violations)
				}
			}
		})
	}
}
