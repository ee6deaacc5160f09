package account

import (
	"context"
	"time"

	"github.com/carepool/carepool/infra/apperr"
)

// Errors the Store returns (wrapped with %w), so that the service and handlers can tell
// "not there" and "already there" from failures.
var (
	ErrUserNotFound         = apperr.NotFoundf("account")
	ErrSessionNotFound      = apperr.NotFoundf("session")
	ErrTokenNotFound        = apperr.NotFoundf("api token")
	ErrOrganisationNotFound = apperr.NotFoundf("organisation")
	ErrMemberNotFound       = apperr.NotFoundf("member")
	ErrDelegationNotFound   = apperr.NotFoundf("delegation")

	ErrEmailTaken       = apperr.Conflictf("email-taken", "There is already an account with this email address. Log in instead, or use another address.")
	ErrAlreadyMember    = apperr.Conflictf("already-member", "That person already belongs to this organisation.")
	ErrLastOwner        = apperr.Conflictf("last-owner", "An organisation must keep at least one owner. Add another owner first.")
	ErrDelegationExists = apperr.Conflictf("delegation-exists", "That person already acts for you. Revoke the current delegation first to change it.")
	ErrVersionMismatch  = apperr.New(apperr.PreconditionFailed, "version-mismatch", "Someone changed this since you last read it. Read it again and repeat your change.")
)

// Store is everything the account service keeps. infra/store implements it on the
// MongoDB API; each method runs as one atomic change.
type Store interface {
	UserStore
	SessionStore
	TokenStore
	OrganisationStore
	DelegationStore
	EmailStore
	ResetStore
	MailFailureStore
	DelegationNoticeStore
}

// UserStore keeps accounts.
type UserStore interface {
	// CreateUser stores a new user: ErrEmailTaken if the email is in use.
	CreateUser(ctx context.Context, u User) error
	// UserByID returns a user: ErrUserNotFound.
	UserByID(ctx context.Context, id string) (User, error)
	// UserByEmail returns the user with a normalised email: ErrUserNotFound.
	UserByEmail(ctx context.Context, email string) (User, error)
	// UsersByID returns the users that exist among ids, keyed by id.
	UsersByID(ctx context.Context, ids []string) (map[string]User, error)
	// RenameUser sets a user's name and returns the user: ErrUserNotFound.
	RenameUser(ctx context.Context, id, name string, at time.Time) (User, error)
	// SetAdmin grants or withdraws platform administration: ErrUserNotFound.
	SetAdmin(ctx context.Context, id string, admin bool, at time.Time) error
}

// SessionStore keeps browser sessions, looked up by the hash of their secret.
type SessionStore interface {
	// CreateSession stores a new session.
	CreateSession(ctx context.Context, s Session) error
	// SessionByHash returns the session with a token hash: ErrSessionNotFound.
	SessionByHash(ctx context.Context, tokenHash string) (Session, error)
	// TouchSession records use of a session and its new expiry: ErrSessionNotFound.
	TouchSession(ctx context.Context, id string, seenAt, expiresAt time.Time) error
	// DeleteSession removes a session; removing one that is gone is not an error.
	DeleteSession(ctx context.Context, id string) error
	// DeleteExpiredSessions removes sessions that expired at or before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
}

// TokenStore keeps API tokens, looked up by the hash of their secret.
type TokenStore interface {
	// CreateToken stores a new token.
	CreateToken(ctx context.Context, t APIToken) error
	// TokenByHash returns the token with a hash: ErrTokenNotFound.
	TokenByHash(ctx context.Context, tokenHash string) (APIToken, error)
	// TokensOf returns a user's tokens, newest first.
	TokensOf(ctx context.Context, userID string) ([]APIToken, error)
	// TouchToken records when a token was last used: ErrTokenNotFound.
	TouchToken(ctx context.Context, id string, usedAt time.Time) error
	// DeleteToken revokes one of a user's tokens: ErrTokenNotFound, also when the token
	// belongs to someone else.
	DeleteToken(ctx context.Context, userID, id string) error
	// DeleteExpiredTokens removes tokens that expired at or before now.
	DeleteExpiredTokens(ctx context.Context, now time.Time) (int64, error)
}

// OrganisationStore keeps organisations and their members.
type OrganisationStore interface {
	// CreateOrganisation stores an organisation together with its first owner, atomically.
	CreateOrganisation(ctx context.Context, o Organisation, owner Member) error
	// OrganisationByID returns an organisation: ErrOrganisationNotFound.
	OrganisationByID(ctx context.Context, id string) (Organisation, error)
	// UpdateOrganisation replaces the changeable fields of o (name, kinds, status, last
	// change, updated) if the stored version is still o.Version, and returns it with the
	// next version: ErrOrganisationNotFound, ErrVersionMismatch.
	UpdateOrganisation(ctx context.Context, o Organisation) (Organisation, error)
	// AddMember adds a person to an organisation: ErrOrganisationNotFound, ErrAlreadyMember.
	AddMember(ctx context.Context, m Member) error
	// Members returns an organisation's members, oldest first.
	Members(ctx context.Context, orgID string) ([]Member, error)
	// RemoveMember removes a person from an organisation and returns what was removed:
	// ErrMemberNotFound, ErrLastOwner (the last owner is never removed).
	RemoveMember(ctx context.Context, orgID, userID string) (Member, error)
	// MembershipsOf returns the caller-facing memberships of a user, with each
	// organisation's name, kinds and status.
	MembershipsOf(ctx context.Context, userID string) ([]Membership, error)
}

// DelegationStore keeps delegations. At most one delegation between the same holder and
// representative is active at a time.
type DelegationStore interface {
	// CreateDelegation stores a new, active delegation: ErrDelegationExists.
	CreateDelegation(ctx context.Context, d Delegation) error
	// DelegationByID returns a delegation: ErrDelegationNotFound.
	DelegationByID(ctx context.Context, id string) (Delegation, error)
	// DelegationsByHolder returns the delegations a holder granted, newest first.
	DelegationsByHolder(ctx context.Context, holderID string) ([]Delegation, error)
	// DelegationsByRepresentative returns the delegations granted to a person, newest first.
	DelegationsByRepresentative(ctx context.Context, representativeID string) ([]Delegation, error)
	// ActiveDelegation returns the active delegation from holder to representative:
	// ErrDelegationNotFound.
	ActiveDelegation(ctx context.Context, holderID, representativeID string) (Delegation, error)
	// RevokeDelegation marks a delegation revoked and returns it; revoking a revoked
	// delegation returns it unchanged: ErrDelegationNotFound.
	RevokeDelegation(ctx context.Context, id, by string, at time.Time) (Delegation, error)
}
