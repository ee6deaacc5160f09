package account

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carepool/carepool/infra/apperr"
)

// OrgKind is what sort of organisation an organisation is.
type OrgKind string

// The kinds of organisation. The four provider kinds may be combined (a community group
// may also employ personal assistants); every other kind stands alone.
const (
	KindSmallProvider       OrgKind = "small_provider"
	KindSoleTraderPA        OrgKind = "sole_trader_pa"
	KindCommunityGroup      OrgKind = "community_group"
	KindISFProvider         OrgKind = "isf_provider"
	KindUserLedOrganisation OrgKind = "user_led_organisation"
	KindCouncil             OrgKind = "council"
	KindBrokerage           OrgKind = "brokerage"
	KindTrust               OrgKind = "trust"
)

// OrgKinds lists every kind, in the order the API documents them.
var OrgKinds = []OrgKind{KindSmallProvider, KindSoleTraderPA, KindCommunityGroup, KindISFProvider,
	KindUserLedOrganisation, KindCouncil, KindBrokerage, KindTrust}

// IsProvider reports whether k is one of the provider kinds.
func (k OrgKind) IsProvider() bool {
	return k == KindSmallProvider || k == KindSoleTraderPA || k == KindCommunityGroup || k == KindISFProvider
}

// Role is what a person may do in an organisation.
type Role string

// The roles. Commissioner exists in councils only.
const (
	RoleOwner        Role = "owner"
	RoleMember       Role = "member"
	RoleCommissioner Role = "commissioner"
)

// OrgStatus says whether an organisation may act on the platform.
type OrgStatus string

// The statuses. Only an administrator moves an organisation between them.
const (
	StatusActive    OrgStatus = "active"
	StatusSuspended OrgStatus = "suspended"
)

// StatusChange records the last time an administrator suspended or reinstated an
// organisation, and why, so the organisation and other admins can see it.
type StatusChange struct {
	Status OrgStatus
	Reason string
	By     string // the administrator's user id
	At     time.Time
}

// Organisation is a provider, user-led organisation, council, brokerage or trust.
// Its name and kinds are public; everything else is for its members and administrators.
type Organisation struct {
	ID         string
	Name       string
	Kinds      []OrgKind
	Status     OrgStatus
	LastChange *StatusChange // nil until an administrator first suspends it
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int64 // starts at 1 and grows by one with every change; the ETag
}

// HasKind reports whether the organisation is of kind k.
func (o Organisation) HasKind(k OrgKind) bool { return slices.Contains(o.Kinds, k) }

// Suspended reports whether an administrator has suspended the organisation.
func (o Organisation) Suspended() bool { return o.Status == StatusSuspended }

// Validate reports every field at fault.
func (o Organisation) Validate() error {
	var f apperr.Fields
	validateName(&f, "name", o.Name)
	validateKinds(&f, "kinds", o.Kinds)
	if o.Status != StatusActive && o.Status != StatusSuspended {
		f.Add("status", "must be active or suspended")
	}
	return f.Err()
}

func validateKinds(f *apperr.Fields, field string, kinds []OrgKind) {
	if len(kinds) == 0 {
		f.Add(field, "must name at least one kind")
		return
	}
	seen := map[OrgKind]bool{}
	for i, k := range kinds {
		switch {
		case !slices.Contains(OrgKinds, k):
			f.Add(fieldIndex(field, i), "must be one of %s", kindList())
		case seen[k]:
			f.Add(fieldIndex(field, i), "is listed twice")
		case !k.IsProvider() && len(kinds) > 1:
			f.Add(fieldIndex(field, i), "cannot be combined with other kinds; only provider kinds combine")
		}
		seen[k] = true
	}
}

func fieldIndex(field string, i int) string {
	return field + "[" + strconv.Itoa(i) + "]"
}

func kindList() string {
	names := make([]string, len(OrgKinds))
	for i, k := range OrgKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// NewOrganisation is what a person gives to create an organisation.
type NewOrganisation struct {
	Name  string
	Kinds []OrgKind
	// OwnerEmail names the account that will own the organisation. Only administrators may
	// set it (to create a council for its officers); everyone else becomes the owner.
	OwnerEmail string
}

// Normalise trims the text fields.
func (n *NewOrganisation) Normalise() {
	n.Name = strings.TrimSpace(n.Name)
	n.OwnerEmail = NormaliseEmail(n.OwnerEmail)
}

// Validate reports every field at fault (after Normalise).
func (n NewOrganisation) Validate() error {
	var f apperr.Fields
	validateName(&f, "name", n.Name)
	validateKinds(&f, "kinds", n.Kinds)
	if n.OwnerEmail != "" {
		validateEmail(&f, "owner_email", n.OwnerEmail)
	}
	return f.Err()
}

// OrganisationUpdate is a change an owner makes; nil fields stay as they are.
type OrganisationUpdate struct {
	Name  *string
	Kinds []OrgKind // nil: unchanged
}

// Normalise trims the name.
func (u *OrganisationUpdate) Normalise() {
	if u.Name != nil {
		name := strings.TrimSpace(*u.Name)
		u.Name = &name
	}
}

// Validate reports every field at fault (after Normalise).
func (u OrganisationUpdate) Validate() error {
	var f apperr.Fields
	if u.Name == nil && u.Kinds == nil {
		f.Add("name", "send a new name, new kinds, or both")
	}
	if u.Name != nil {
		validateName(&f, "name", *u.Name)
	}
	if u.Kinds != nil {
		validateKinds(&f, "kinds", u.Kinds)
	}
	return f.Err()
}

// Apply returns o with the update applied. Being a council is fixed when the organisation
// is created, because commissioner roles and council-managed budgets depend on it.
func (u OrganisationUpdate) Apply(o Organisation) (Organisation, error) {
	if u.Name != nil {
		o.Name = *u.Name
	}
	if u.Kinds != nil {
		if slices.Contains(u.Kinds, KindCouncil) != o.HasKind(KindCouncil) {
			var f apperr.Fields
			f.Add("kinds", "cannot add or remove council; ask an administrator")
			return o, f.Err()
		}
		o.Kinds = slices.Clone(u.Kinds)
	}
	return o, nil
}

// Member is one person's role in one organisation, as stored.
type Member struct {
	ID      string
	OrgID   string
	UserID  string
	Role    Role
	AddedBy string
	AddedAt time.Time
}

// MemberView is a member as other members see them: a name and a role, never an email.
type MemberView struct {
	UserID  string
	Name    string
	Role    Role
	AddedAt time.Time
}

// NewMember is what an owner gives to add a person to an organisation.
type NewMember struct {
	Email string
	Role  Role // empty means member
}

// Normalise normalises the email and defaults the role.
func (n *NewMember) Normalise() {
	n.Email = NormaliseEmail(n.Email)
	if n.Role == "" {
		n.Role = RoleMember
	}
}

// Validate reports every field at fault (after Normalise). Whether commissioner fits the
// organisation is checked by the service, which knows the organisation.
func (n NewMember) Validate() error {
	var f apperr.Fields
	validateEmail(&f, "email", n.Email)
	if n.Role != RoleOwner && n.Role != RoleMember && n.Role != RoleCommissioner {
		f.Add("role", "must be owner, member or commissioner")
	}
	return f.Err()
}

// Suspension is an administrator's reason for suspending or reinstating an organisation.
type Suspension struct {
	Reason string
}

// Validate reports every field at fault; a suspension needs a reason, a reinstatement may
// have one (required says which).
func (s Suspension) Validate(required bool) error {
	var f apperr.Fields
	n := len([]rune(strings.TrimSpace(s.Reason)))
	switch {
	case required && n == 0:
		f.Add("reason", "is required")
	case n > 1000:
		f.Add("reason", "must be at most 1000 characters")
	}
	return f.Err()
}
