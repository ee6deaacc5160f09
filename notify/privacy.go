package notify

import (
	"context"
	"fmt"
)

// The privacy feature's Holder methods: a person's export includes their notifications,
// email settings and the pool messages they wrote; deleting their account deletes the
// first two and removes the words of the third (free text they wrote), in the deletion's
// transaction.

// PersonalData is what notify keeps about one person.
type PersonalData struct {
	Notifications []Notification   `json:"notifications"`
	Preferences   map[Kind]Channel `json:"email_settings"` // only the kinds they changed
	Messages      []PoolMessage    `json:"pool_messages_written"`
}

// RemovedMessage replaces the words of a pool message whose author deleted their account.
const RemovedMessage = "This message was removed when its author left Carepool."

// PersonalDataName implements privacy.Holder.
func (s *Service) PersonalDataName() string { return "notifications" }

// ExportPersonalData implements privacy.Holder.
func (s *Service) ExportPersonalData(ctx context.Context, userID string) (any, error) {
	d, err := s.store.PersonalData(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("notifications of %s: %w", userID, err)
	}
	return d, nil
}

// ErasePersonalData implements privacy.Holder; ctx carries the deletion's transaction.
func (s *Service) ErasePersonalData(ctx context.Context, userID string) error {
	if err := s.store.ErasePersonalData(ctx, userID, RemovedMessage); err != nil {
		return fmt.Errorf("erase notifications of %s: %w", userID, err)
	}
	return nil
}
