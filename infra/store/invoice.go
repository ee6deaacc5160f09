package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/pooling"
)

// Invoices and the per-provider sequences that number them.
const (
	invoicesCollection  = "invoices"
	sequencesCollection = "sequences"
)

func init() {
	registerIndexes(invoicesCollection,
		unique("invoices_number", bson.D{{Key: "provider_id", Value: 1}, {Key: "number", Value: 1}}),
		plain("invoices_provider", bson.D{{Key: "provider_id", Value: 1}, {Key: "issued_at", Value: -1}}),
		plain("invoices_payer", bson.D{{Key: "payer.kind", Value: 1}, {Key: "payer.id", Value: 1}, {Key: "issued_at", Value: -1}}),
		plain("invoices_pool", bson.D{{Key: "pool_id", Value: 1}}))
}

// sequence is one provider's counter for one kind of document.
type sequence struct {
	ID    string `bson:"_id"` // "<provider id>:<sequence>"
	Value int64  `bson:"value"`
}

// NextNumber increments the provider's counter with an upsert. Inside a transaction the
// increment commits or aborts with the change, so numbers have no gaps; two changes
// that take numbers at once conflict on the counter document, and one of them is retried.
func (s *Pooling) NextNumber(ctx context.Context, providerID, seq string) (int64, error) {
	var out sequence
	err := s.db.Collection(sequencesCollection).FindOneAndUpdate(ctx,
		bson.M{"_id": providerID + ":" + seq}, bson.M{"$inc": bson.M{"value": int64(1)}},
		options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Decode(&out)
	if err != nil {
		return 0, fmt.Errorf("next %s number of provider %s: %w", seq, providerID, err)
	}
	return out.Value, nil
}

// CreateInvoice stores a new invoice.
func (s *Pooling) CreateInvoice(ctx context.Context, inv pooling.Invoice) error {
	inv.Owing = inv.OwingPence()
	if _, err := s.db.Collection(invoicesCollection).InsertOne(ctx, inv); err != nil {
		return fmt.Errorf("insert invoice: %w", err)
	}
	return nil
}

// Invoice returns an invoice: pooling.ErrInvoiceNotFound.
func (s *Pooling) Invoice(ctx context.Context, id string) (pooling.Invoice, error) {
	return findOne[pooling.Invoice](ctx, s.db, invoicesCollection, bson.M{"_id": id}, pooling.ErrInvoiceNotFound)
}

// SaveInvoice replaces an invoice still at expectVersion: pooling.ErrChanged,
// pooling.ErrInvoiceNotFound.
func (s *Pooling) SaveInvoice(ctx context.Context, inv pooling.Invoice, expectVersion int64) error {
	inv.Owing = inv.OwingPence()
	return s.replace(ctx, invoicesCollection, inv.ID, expectVersion, inv, pooling.ErrInvoiceNotFound)
}

// Invoices returns the invoices matching q, newest first.
func (s *Pooling) Invoices(ctx context.Context, q pooling.InvoiceQuery) ([]pooling.Invoice, error) {
	filter := bson.M{}
	if q.ProviderID != "" {
		filter["provider_id"] = q.ProviderID
	}
	if q.PoolID != "" {
		filter["pool_id"] = q.PoolID
	}
	if q.Payer != nil {
		filter["payer.kind"], filter["payer.id"] = q.Payer.Kind, q.Payer.ID
	}
	if q.Unpaid {
		filter["owing_pence"] = bson.M{"$gt": 0}
	}
	if q.NotToldLate {
		filter["overdue_notice_at"] = nil
	}
	if q.DueBefore != nil {
		filter["due_at"] = bson.M{"$lt": *q.DueBefore}
	}
	issued := bson.M{}
	if q.IssuedFrom != nil {
		issued["$gte"] = *q.IssuedFrom
	}
	if q.IssuedUntil != nil {
		issued["$lt"] = *q.IssuedUntil
	}
	if len(issued) > 0 {
		filter["issued_at"] = issued
	}
	opts := options.Find().SetSort(bson.D{{Key: "issued_at", Value: -1}, {Key: "number", Value: -1}})
	if q.Limit > 0 {
		opts.SetLimit(int64(q.Limit))
	}
	return findAll[pooling.Invoice](ctx, s.db, invoicesCollection, filter, opts)
}

// EachInvoice calls fn for every invoice, oldest first.
func (s *Pooling) EachInvoice(ctx context.Context, fn func(pooling.Invoice) error) error {
	return findEach(ctx, s.db, invoicesCollection, bson.M{},
		options.Find().SetSort(bson.D{{Key: "provider_id", Value: 1}, {Key: "number", Value: 1}}), fn)
}
