package account

import (
	"time"

	"github.com/carepool/carepool/infra/apperr"
)

// DelegationKind is the capacity in which a representative acts for a budget holder.
type DelegationKind string

// The kinds of delegation, matching the forms of personal budget that need one.
const (
	DelegationTrustedOther DelegationKind = "trusted_other" // indirect payments: the Care Act's nominated or authorised person
	DelegationTrustee      DelegationKind = "trustee"       // trust funds: one of the trust's trustees
	DelegationBroker       DelegationKind = "broker"        // brokered funds: a professional broker
)

// Delegation records that a representative may act for a budget holder. It is revoked,
// never deleted, so that what a representative did can always be traced to the authority
// they had at the time (a safeguarding requirement).
type Delegation struct {
	ID               string
	HolderID         string // the budget holder who granted it
	RepresentativeID string // the person acting for them
	Kind             DelegationKind
	BrokerageID      string // for brokers, optionally the brokerage organisation they act through
	CreatedAt        time.Time
	RevokedAt        *time.Time
	RevokedBy        string
}

// Active reports whether the delegation has not been revoked.
func (d Delegation) Active() bool { return d.RevokedAt == nil }

// Validate reports every field at fault.
func (d Delegation) Validate() error {
	var f apperr.Fields
	if d.HolderID == "" {
		f.Add("holder_id", "is required")
	}
	if d.RepresentativeID == "" {
		f.Add("representative_id", "is required")
	} else if d.RepresentativeID == d.HolderID {
		f.Add("representative_email", "must be someone else; you already act for yourself")
	}
	validateDelegationKind(&f, d.Kind, d.BrokerageID)
	return f.Err()
}

func validateDelegationKind(f *apperr.Fields, kind DelegationKind, brokerageID string) {
	switch kind {
	case DelegationTrustedOther, DelegationTrustee, DelegationBroker:
	case "":
		f.Add("kind", "is required")
	default:
		f.Add("kind", "must be trusted_other, trustee or broker")
	}
	if brokerageID != "" && kind != DelegationBroker {
		f.Add("brokerage_id", "applies to brokers only")
	}
}

// NewDelegation is what a budget holder gives to let someone act for them.
type NewDelegation struct {
	RepresentativeEmail string
	Kind                DelegationKind
	BrokerageID         string
}

// Normalise normalises the email.
func (n *NewDelegation) Normalise() { n.RepresentativeEmail = NormaliseEmail(n.RepresentativeEmail) }

// Validate reports every field at fault (after Normalise).
func (n NewDelegation) Validate() error {
	var f apperr.Fields
	validateEmail(&f, "representative_email", n.RepresentativeEmail)
	validateDelegationKind(&f, n.Kind, n.BrokerageID)
	return f.Err()
}

// Person names someone without revealing their email.
type Person struct {
	ID   string
	Name string
}

// DelegationView is a delegation with the names of the two people, as they see it.
type DelegationView struct {
	Delegation
	Holder         Person
	Representative Person
}
