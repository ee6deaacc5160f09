package pooling

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

// MaxIdempotencyKeyLen bounds an Idempotency-Key.
const MaxIdempotencyKeyLen = 255

// requestHash fingerprints a request: the operation, what it acts on and its input.
// Two requests with the same key are the same request exactly when these agree.
func requestHash(op string, req any) (string, error) {
	b, err := json.Marshal(struct {
		Op  string `json:"op"`
		Req any    `json:"req"`
	}{op, req})
	if err != nil {
		return "", fmt.Errorf("hash request: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// once runs change in a transaction at most once per caller and idempotency key, and
// returns the reference change produced (or, on a retry, the one it produced the first
// time). The record is stored in the same transaction as the change, under a unique
// index, so a retry racing the first request either sees the record or loses the race
// and reads it afterwards. A request that failed left no record and may be retried.
func (s *Service) once(ctx context.Context, key, op string, req any, change func(ctx context.Context) (string, error)) (string, error) {
	if key == "" {
		var ref string
		err := s.store.Tx(ctx, func(ctx context.Context) error {
			r, err := change(ctx)
			ref = r
			return err
		})
		return ref, err
	}
	if len(key) > MaxIdempotencyKeyLen {
		var f apperr.Fields
		f.Add("idempotency_key", "must be at most %d characters", MaxIdempotencyKeyLen)
		return "", f.Err()
	}
	caller := account.ActorFrom(ctx).UserID
	hash, err := requestHash(op, req)
	if err != nil {
		return "", err
	}
	if ref, ok, err := s.recall(ctx, caller, key, hash); ok || err != nil {
		return ref, err
	}
	var ref string
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		ref = ""
		rec, err := s.store.IdempotencyRecord(ctx, caller, key)
		switch {
		case err == nil && rec.RequestHash != hash:
			return ErrIdempotencyReused
		case err == nil:
			ref = rec.ResultRef
			return errReplayed
		case !errors.Is(err, ErrIdempotencyUnknown):
			return err
		}
		if ref, err = change(ctx); err != nil {
			return err
		}
		return s.store.SaveIdempotency(ctx, IdempotencyRecord{CallerID: caller, Key: key, RequestHash: hash, ResultRef: ref, CreatedAt: s.now()})
	})
	switch {
	case errors.Is(err, errReplayed):
		return ref, nil
	case errors.Is(err, ErrIdempotencyRace):
		// Another request with this key committed between our read and our write.
		if ref, ok, rerr := s.recall(ctx, caller, key, hash); ok || rerr != nil {
			return ref, rerr
		}
	}
	return ref, err
}

// recall returns the remembered result of a key, if any: ErrIdempotencyReused when the
// key was used for a different request.
func (s *Service) recall(ctx context.Context, caller, key, hash string) (string, bool, error) {
	rec, err := s.store.IdempotencyRecord(ctx, caller, key)
	switch {
	case errors.Is(err, ErrIdempotencyUnknown):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("read idempotency record: %w", err)
	case rec.RequestHash != hash:
		return "", false, ErrIdempotencyReused
	}
	return rec.ResultRef, true, nil
}
