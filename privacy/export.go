package privacy

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// Export is everything Carepool holds about one person, as one JSON document. Other
// people appear only by the opaque ids Carepool uses inside, or by name where the person
// already sees that name in Carepool (who acts for them); never by email.
type Export struct {
	About               string                  `json:"about"`
	GeneratedAt         time.Time               `json:"generated_at"`
	Account             AccountData             `json:"account"`
	Sessions            []SessionRecord         `json:"sessions"`
	APITokens           []TokenData             `json:"api_tokens"`
	Organisations       []MembershipData        `json:"organisations"`
	DelegationsGranted  []DelegationData        `json:"delegations_granted"`
	DelegationsReceived []DelegationData        `json:"delegations_received"`
	Budgets             []pooling.BudgetSummary `json:"budgets"`
	Pledges             []pooling.PledgeView    `json:"pledges"`
	PledgesForOthers    []PledgeAction          `json:"pledges_made_for_others"`
	PoolsProposed       []PoolData              `json:"pools_proposed"`
	Statement           pooling.Statement       `json:"statement"`
	Claims              []ClaimRecord           `json:"organisation_claims"`
	Emails              []EmailRecord           `json:"emails"`
	// Features holds the data of the features with collections of their own (see
	// Holder), by name: "calendar_feed", "notifications", ...
	Features map[string]any `json:"features"`
}

// aboutExport explains the document to the person reading it.
const aboutExport = "Everything Carepool holds about you, as it was when you downloaded it. " +
	"Money is in pence (100 pence = £1). Ids are the names Carepool uses inside for people and things; " +
	"other people appear only by id, or by name where you already see their name in Carepool. " +
	"Passwords and secret addresses are never included: we keep only scrambled versions of them."

// AccountData is the account itself.
type AccountData struct {
	ID              string     `json:"id"`
	Email           string     `json:"email"`
	Name            string     `json:"name"`
	EmailVerifiedAt *time.Time `json:"email_verified_at,omitempty"`
	Administrator   bool       `json:"administrator"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// TokenData is an API token, without its secret.
type TokenData struct {
	Name       string     `json:"name"`
	Hint       string     `json:"last_four"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
}

// MembershipData is one organisation the person belongs to.
type MembershipData struct {
	OrganisationID string            `json:"organisation_id"`
	Name           string            `json:"name"`
	Kinds          []account.OrgKind `json:"kinds"`
	Role           account.Role      `json:"role"`
	Suspended      bool              `json:"suspended"`
}

// DelegationData is a delegation the person granted or received.
type DelegationData struct {
	ID          string                 `json:"id"`
	Kind        account.DelegationKind `json:"kind"`
	OtherPerson PersonRef              `json:"other_person"`
	BrokerageID string                 `json:"brokerage_id,omitempty"`
	CreatedAt   time.Time              `json:"created_at"`
	RevokedAt   *time.Time             `json:"revoked_at,omitempty"`
}

// PersonRef is another person as the exporting person sees them in Carepool.
type PersonRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// PledgeAction is a pledge the person made for someone they act for: the pledge is the
// budget holder's, the act of making it the person's.
type PledgeAction struct {
	PledgeID  string               `json:"pledge_id"`
	PoolID    string               `json:"pool_id"`
	PoolTitle string               `json:"pool_title"`
	HolderID  string               `json:"holder_id"`
	Status    pooling.PledgeStatus `json:"status"`
	MadeAt    time.Time            `json:"made_at"`
}

// PoolData is a pool the person proposed themselves (not for an organisation).
type PoolData struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Status      pooling.Status `json:"status"`
	CreatedAt   time.Time      `json:"created_at"`
}

// Records is what the store keeps about a person besides what the services show.
type Records struct {
	Sessions []SessionRecord
	Claims   []ClaimRecord
	Emails   []EmailRecord
}

// SessionRecord is a logged-in browser.
type SessionRecord struct {
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// ClaimRecord is a request to take over an imported organisation's listing.
type ClaimRecord struct {
	OrganisationID string     `json:"organisation_id"`
	Message        string     `json:"message"`
	Status         string     `json:"status"`
	CreatedAt      time.Time  `json:"created_at"`
	DecidedAt      *time.Time `json:"decided_at,omitempty"`
	Reason         string     `json:"reason,omitempty"`
}

// EmailRecord is an email Carepool sent (or will send) to the person.
type EmailRecord struct {
	Kind      string     `json:"kind"`
	Status    string     `json:"status"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
}

// OrganisationRef names an organisation.
type OrganisationRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Export returns everything Carepool holds about the caller.
func (s *Service) Export(ctx context.Context) (Export, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return Export{}, err
	}
	me, err := s.accounts.Me(ctx)
	if err != nil {
		return Export{}, fmt.Errorf("export account: %w", err)
	}
	x := Export{About: aboutExport, GeneratedAt: s.now(), Features: map[string]any{}, Organisations: []MembershipData{},
		Account: AccountData{ID: me.ID, Email: me.Email, Name: me.Name, EmailVerifiedAt: me.EmailVerifiedAt,
			Administrator: me.Admin, CreatedAt: me.CreatedAt, UpdatedAt: me.UpdatedAt}}
	for _, m := range a.Memberships {
		x.Organisations = append(x.Organisations, MembershipData{OrganisationID: m.OrgID, Name: m.OrgName,
			Kinds: m.OrgKinds, Role: m.Role, Suspended: m.OrgSuspended})
	}
	if err := s.exportAccount(ctx, &x); err != nil {
		return Export{}, err
	}
	if err := s.exportPools(ctx, a.UserID, &x); err != nil {
		return Export{}, err
	}
	for _, h := range s.holders {
		v, err := h.ExportPersonalData(ctx, a.UserID)
		if err != nil {
			return Export{}, fmt.Errorf("export %s: %w", h.PersonalDataName(), err)
		}
		x.Features[h.PersonalDataName()] = v
	}
	return x, nil
}

// exportAccount adds tokens, delegations and the store's records.
func (s *Service) exportAccount(ctx context.Context, x *Export) error {
	tokens, err := s.accounts.Tokens(ctx)
	if err != nil {
		return fmt.Errorf("export tokens: %w", err)
	}
	x.APITokens = make([]TokenData, len(tokens))
	for i, t := range tokens {
		x.APITokens[i] = TokenData{Name: t.Name, Hint: t.Hint, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt, ExpiresAt: t.ExpiresAt}
	}
	granted, err := s.accounts.DelegationsGranted(ctx)
	if err != nil {
		return fmt.Errorf("export delegations: %w", err)
	}
	received, err := s.accounts.DelegationsToMe(ctx)
	if err != nil {
		return fmt.Errorf("export delegations: %w", err)
	}
	x.DelegationsGranted = delegations(granted, func(d account.DelegationView) account.Person { return d.Representative })
	x.DelegationsReceived = delegations(received, func(d account.DelegationView) account.Person { return d.Holder })
	rec, err := s.store.Records(ctx, x.Account.ID)
	if err != nil {
		return fmt.Errorf("export records: %w", err)
	}
	x.Sessions, x.Claims, x.Emails = rec.Sessions, rec.Claims, rec.Emails
	return nil
}

func delegations(ds []account.DelegationView, other func(account.DelegationView) account.Person) []DelegationData {
	out := make([]DelegationData, len(ds))
	for i, d := range ds {
		o := other(d)
		out[i] = DelegationData{ID: d.ID, Kind: d.Kind, OtherPerson: PersonRef{ID: o.ID, Name: o.Name}, BrokerageID: d.BrokerageID,
			CreatedAt: d.CreatedAt, RevokedAt: d.RevokedAt}
	}
	return out
}

// exportPools adds budgets, pledges (held, and made for others), the statement and
// the pools the person proposed.
func (s *Service) exportPools(ctx context.Context, userID string, x *Export) error {
	var err error
	if x.Budgets, err = s.pools.Budgets(ctx, ""); err != nil {
		return fmt.Errorf("export budgets: %w", err)
	}
	pledges, err := s.pools.MyPledges(ctx)
	if err != nil {
		return fmt.Errorf("export pledges: %w", err)
	}
	x.Pledges, x.PledgesForOthers = []pooling.PledgeView{}, []PledgeAction{}
	for _, p := range pledges {
		if p.HolderID == userID {
			x.Pledges = append(x.Pledges, p)
		} else {
			x.PledgesForOthers = append(x.PledgesForOthers, PledgeAction{PledgeID: p.ID, PoolID: p.PoolID,
				PoolTitle: p.PoolTitle, HolderID: p.HolderID, Status: p.Status, MadeAt: p.CreatedAt})
		}
	}
	if x.Statement, err = s.pools.PersonStatement(ctx, ""); err != nil {
		return fmt.Errorf("export statement: %w", err)
	}
	proposed, err := s.proposedPools(ctx)
	if err != nil {
		return err
	}
	x.PoolsProposed = make([]PoolData, len(proposed))
	for i, p := range proposed {
		x.PoolsProposed[i] = PoolData{ID: p.ID, Title: p.Title, Description: p.Description, Status: p.Status, CreatedAt: p.CreatedAt}
	}
	return nil
}

// proposedPools are the pools the caller proposed as a budget holder, not for an
// organisation: theirs alone to run.
func (s *Service) proposedPools(ctx context.Context) ([]pooling.PoolView, error) {
	managed, err := s.pools.ManagedPools(ctx, 100)
	if err != nil {
		return nil, fmt.Errorf("pools proposed: %w", err)
	}
	return slices.DeleteFunc(managed, func(p pooling.PoolView) bool {
		return p.OrganiserOrgID != "" || !slices.Contains(p.YourRoles, pooling.RoleOrganiser)
	}), nil
}
