package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/pooling"
)

func init() {
	registerIndexes(budgetsCollection, plain("budgets_holder", bson.D{{Key: "holder_id", Value: 1}, {Key: "created_at", Value: 1}}))
}

// CreateBudget stores a budget record.
func (s *Pooling) CreateBudget(ctx context.Context, b pooling.Budget) error {
	if _, err := s.db.Collection(budgetsCollection).InsertOne(ctx, b); err != nil {
		return fmt.Errorf("insert budget: %w", err)
	}
	return nil
}

// Budget returns a budget record: pooling.ErrBudgetNotFound.
func (s *Pooling) Budget(ctx context.Context, id string) (pooling.Budget, error) {
	return findOne[pooling.Budget](ctx, s.db, budgetsCollection, bson.M{"_id": id}, pooling.ErrBudgetNotFound)
}

// BudgetsOf returns a holder's budget records, oldest first.
func (s *Pooling) BudgetsOf(ctx context.Context, holderID string) ([]pooling.Budget, error) {
	return findAll[pooling.Budget](ctx, s.db, budgetsCollection, bson.M{"holder_id": holderID},
		options.Find().SetSort(bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}))
}

// EachBudget calls fn for every budget record.
func (s *Pooling) EachBudget(ctx context.Context, fn func(pooling.Budget) error) error {
	return findEach(ctx, s.db, budgetsCollection, bson.M{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}), fn)
}
