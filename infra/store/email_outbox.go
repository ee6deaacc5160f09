package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/marketplace/account"
)

// MailTopic is the outbox topic of outgoing email.
const MailTopic = "mail"

// collMail holds one document per email, keyed by the message's unique key: the outbox
// task says "send this", the document says what and whether it went.
const collMail = "mail"

func init() {
	registerIndexes(collMail, plain("mail_status", bson.D{{Key: "status", Value: 1}, {Key: "created_at", Value: 1}}))
}

// Statuses of a Mail.
const (
	MailPending = "pending"
	MailSent    = "sent"
	MailFailed  = "failed" // gave up after too many attempts; shown to administrators
)

// Mail is one queued email: what to say (a kind and its facts), to whom, and how it went.
type Mail struct {
	Key       string    `bson:"_id"`
	Kind      string    `bson:"kind"`
	UserID    string    `bson:"user_id"`
	To        string    `bson:"to"`
	Name      string    `bson:"name"`
	Other     string    `bson:"other,omitempty"`
	Role      string    `bson:"role,omitempty"`
	Path      string    `bson:"path,omitempty"` // may hold a token: cleared once sent or failed
	Status    string    `bson:"status"`
	Attempts  int       `bson:"attempts"`
	LastError string    `bson:"last_error,omitempty"`
	CreatedAt time.Time `bson:"created_at"`
	SentAt    time.Time `bson:"sent_at,omitempty"`
	FailedAt  time.Time `bson:"failed_at,omitempty"`
	// Notice is a notification's own wording (notify_mail.go); nil for account emails.
	Notice *MailNotice `bson:"notice,omitempty"`
}

// queueMail records notices and their outbox tasks; call it inside the transaction of the
// change the notices report.
func (db *DB) queueMail(ctx context.Context, notices ...account.Notice) error {
	now := time.Now().UTC()
	for _, n := range notices {
		m := Mail{Key: n.Key, Kind: n.Kind, UserID: n.UserID, To: n.To, Name: n.Name, Other: n.Other, Role: n.Role,
			Path: n.Path, Status: MailPending, CreatedAt: now}
		if _, err := db.Collection(collMail).InsertOne(ctx, m); err != nil {
			return fmt.Errorf("queue mail %s: %w", n.Key, err)
		}
		if err := db.enqueue(ctx, MailTopic, n.Key); err != nil {
			return err
		}
	}
	return nil
}

// QueueNotices implements account.EmailStore.
func (s *Accounts) QueueNotices(ctx context.Context, n ...account.Notice) error {
	return s.db.Tx(ctx, func(ctx context.Context) error { return s.db.queueMail(ctx, n...) })
}

// MailJob is a claimed email: the outbox task and the message it names.
type MailJob struct {
	Task Task
	Mail Mail
}

// MailQueue is the mail worker's view of the outbox.
type MailQueue struct {
	db     *DB
	outbox *Outbox
}

// NewMailQueue returns the mail queue for a worker called owner (unique per server copy).
func (db *DB) NewMailQueue(owner string) *MailQueue {
	return &MailQueue{db: db, outbox: db.NewOutbox(MailTopic, owner)}
}

// Claim leases up to n due emails. Tasks whose email already went (or was given up on)
// are settled here and not returned, so a task left behind by a crash after sending does
// not send again.
func (q *MailQueue) Claim(ctx context.Context, n int, lease time.Duration) ([]MailJob, error) {
	tasks, err := q.outbox.Claim(ctx, n, lease)
	if err != nil {
		return nil, err
	}
	var jobs []MailJob
	for _, t := range tasks {
		var m Mail
		err := q.db.Collection(collMail).FindOne(ctx, bson.M{"_id": t.Ref}).Decode(&m)
		if errors.Is(err, mongo.ErrNoDocuments) || (err == nil && m.Status != MailPending) {
			if err := q.outbox.Done(ctx, t); err != nil {
				return jobs, fmt.Errorf("settle mail task %s: %w", t.ID, err)
			}
			continue
		}
		if err != nil {
			return jobs, fmt.Errorf("read mail %s: %w", t.Ref, err)
		}
		jobs = append(jobs, MailJob{Task: t, Mail: m})
	}
	return jobs, nil
}

// Sent records that the SMTP server accepted the email and settles its task. The link,
// which may hold a token, is forgotten.
func (q *MailQueue) Sent(ctx context.Context, j MailJob, at time.Time) error {
	return q.settle(ctx, j, bson.M{"status": MailSent, "sent_at": at.UTC(), "path": "", "attempts": j.Task.Attempts + 1})
}

// Fail gives up on an email after too many attempts; administrators see it in Failures.
func (q *MailQueue) Fail(ctx context.Context, j MailJob, cause error, at time.Time) error {
	return q.settle(ctx, j, bson.M{"status": MailFailed, "failed_at": at.UTC(), "path": "",
		"attempts": j.Task.Attempts + 1, "last_error": cause.Error()})
}

func (q *MailQueue) settle(ctx context.Context, j MailJob, set bson.M) error {
	if _, err := q.db.Collection(collMail).UpdateOne(ctx, bson.M{"_id": j.Mail.Key, "status": MailPending},
		bson.M{"$set": set}); err != nil {
		return fmt.Errorf("record mail %s: %w", j.Mail.Key, err)
	}
	if err := q.outbox.Done(ctx, j.Task); err != nil {
		return fmt.Errorf("settle mail task %s: %w", j.Task.ID, err)
	}
	return nil
}

// Retry puts an email back to be tried after backoff.
func (q *MailQueue) Retry(ctx context.Context, j MailJob, cause error, backoff time.Duration) error {
	if _, err := q.db.Collection(collMail).UpdateOne(ctx, bson.M{"_id": j.Mail.Key, "status": MailPending},
		bson.M{"$set": bson.M{"attempts": j.Task.Attempts + 1, "last_error": cause.Error()}}); err != nil {
		return fmt.Errorf("record mail %s: %w", j.Mail.Key, err)
	}
	return q.outbox.Retry(ctx, j.Task, cause, backoff)
}

// Pending counts emails not yet settled.
func (q *MailQueue) Pending(ctx context.Context) (int64, error) { return q.outbox.Pending(ctx) }

// MailFailures returns the emails given up on, newest first, at most limit.
func (db *DB) MailFailures(ctx context.Context, limit int) ([]Mail, error) {
	cur, err := db.Collection(collMail).Find(ctx, bson.M{"status": MailFailed},
		options.Find().SetSort(bson.D{{Key: "failed_at", Value: -1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("find failed mail: %w", err)
	}
	var out []Mail
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read failed mail: %w", err)
	}
	return out, nil
}

// MailFailures implements account.MailFailureStore.
func (s *Accounts) MailFailures(ctx context.Context, limit int) ([]account.FailedMail, error) {
	ms, err := s.db.MailFailures(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := make([]account.FailedMail, len(ms))
	for i, m := range ms {
		out[i] = account.FailedMail{Key: m.Key, Kind: m.Kind, UserID: m.UserID, Attempts: m.Attempts,
			LastError: m.LastError, CreatedAt: m.CreatedAt.UTC(), FailedAt: m.FailedAt.UTC()}
	}
	return out, nil
}
