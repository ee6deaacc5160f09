package store

import (
	"context"

	"github.com/carepool/carepool/marketplace/account"
)

// UserIDByEmail returns the id of the account with this email (written any way: it is
// normalised first), or account.ErrUserNotFound. The pooling API and the ISF pages name
// people by email, since an organisation cannot know account ids.
func (s *Accounts) UserIDByEmail(ctx context.Context, email string) (string, error) {
	u, err := s.UserByEmail(ctx, account.NormaliseEmail(email))
	if err != nil {
		return "", err
	}
	return u.ID, nil
}

// UserNames returns the names of the accounts among ids that exist, by id.
func (s *Accounts) UserNames(ctx context.Context, ids []string) (map[string]string, error) {
	users, err := s.UsersByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(users))
	for id, u := range users {
		names[id] = u.Name
	}
	return names, nil
}
