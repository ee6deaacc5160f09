package store

import (
	"context"
	"time"

	"github.com/carepool/carepool/notify"
)

// NotifyMailKindPrefix starts the Kind of every notification email in the mail
// collection ("notify:pool-confirmed"), so the administrators' list tells them apart.
const NotifyMailKindPrefix = "notify:"

// MailNotice is the wording of a notification's email, written by the notify worker:
// the mail worker renders it with infra/mail.RenderNotice instead of a fixed kind.
type MailNotice struct {
	Subject  string `bson:"subject"`
	Happened string `bson:"happened"`
	Means    string `bson:"means"`
	Todo     string `bson:"todo"`
	LinkText string `bson:"link_text"`
	// Unsubscribe is the path of the one-click unsubscribe link; "" for security messages.
	Unsubscribe string `bson:"unsubscribe,omitempty"`
}

// queueNotificationMail queues the emails whose keys are not queued already, each with
// its send task, in the transaction of ctx, and counts them.
func (db *DB) queueNotificationMail(ctx context.Context, emails []notify.Email) (int, error) {
	keys := make([]string, len(emails))
	for i, e := range emails {
		keys[i] = e.Key
	}
	have, err := db.existingIDs(ctx, collMail, keys)
	if err != nil {
		return 0, err
	}
	now := time.Now().UTC()
	var docs []any
	var refs []string
	for _, e := range emails {
		if have[e.Key] {
			continue
		}
		have[e.Key] = true
		t := e.Text
		docs = append(docs, Mail{Key: e.Key, Kind: NotifyMailKindPrefix + string(e.Kind), UserID: e.UserID, To: e.To,
			Name: e.Name, Path: t.Path, Status: MailPending, CreatedAt: now,
			Notice: &MailNotice{Subject: t.Title, Happened: t.Happened, Means: t.Means, Todo: t.Todo, LinkText: t.LinkText,
				Unsubscribe: e.Unsubscribe}})
		refs = append(refs, e.Key)
	}
	if err := db.insertMany(ctx, collMail, docs); err != nil {
		return 0, err
	}
	return len(docs), db.enqueueMany(ctx, MailTopic, refs)
}
