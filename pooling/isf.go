package pooling

import (
	"strings"
	"time"

	"github.com/carepool/carepool/infra/apperr"
)

// ISFAccount is an individual service fund an ISF provider holds for one named person.
// Its id is the id of the person's isf Budget.
//
// Available, Committed and Spent are the ledger balances of the fund, kept on the
// document because Available is what the database checks: a reservation is a
// conditional update that cannot take it below zero. Verify recomputes all three from
// the entries. Allocated = Available + Committed + Spent always.
type ISFAccount struct {
	ID             string    `json:"id" bson:"_id"`
	ProviderID     string    `json:"provider_id" bson:"provider_id"`
	HolderID       string    `json:"holder_id" bson:"holder_id"`
	AllocatedPence int64     `json:"allocated_pence" bson:"allocated_pence"`
	PeriodStart    string    `json:"period_start,omitempty" bson:"period_start,omitempty"`
	PeriodEnd      string    `json:"period_end,omitempty" bson:"period_end,omitempty"`
	AvailablePence int64     `json:"available_pence" bson:"available_pence"` // the balance: what is left to commit
	CommittedPence int64     `json:"committed_pence" bson:"committed_pence"` // reserved by pledges or held in pools
	SpentPence     int64     `json:"spent_pence" bson:"spent_pence"`         // paid for sessions delivered
	Version        int64     `json:"version" bson:"version"`
	CreatedAt      time.Time `json:"created_at" bson:"created_at"`
	UpdatedAt      time.Time `json:"updated_at" bson:"updated_at"`
}

// ISFDelta is a change to an ISF account's balances, applied by the store in one
// conditional update.
type ISFDelta struct {
	Allocated, Available, Committed, Spent int64
}

// Zero reports whether the delta changes nothing.
func (d ISFDelta) Zero() bool { return d == ISFDelta{} }

// Plus adds two deltas.
func (d ISFDelta) Plus(e ISFDelta) ISFDelta {
	return ISFDelta{Allocated: d.Allocated + e.Allocated, Available: d.Available + e.Available,
		Committed: d.Committed + e.Committed, Spent: d.Spent + e.Spent}
}

// ISFInput is what an ISF provider gives to open an ISF account for a person.
type ISFInput struct {
	HolderID       string `json:"holder_id"`
	Label          string `json:"label"`
	AllocatedPence int64  `json:"allocated_pence"`
	PeriodStart    string `json:"period_start"`
	PeriodEnd      string `json:"period_end"`
}

// Normalize trims the text fields.
func (in *ISFInput) Normalize() {
	in.HolderID = strings.TrimSpace(in.HolderID)
	in.Label = strings.TrimSpace(in.Label)
}

// Validate reports every field at fault (after Normalize).
func (in ISFInput) Validate() error {
	var f apperr.Fields
	if in.HolderID == "" {
		f.Add("holder_id", "name the person whose fund this is")
	}
	if len([]rune(in.Label)) > 80 {
		f.Add("label", "must be at most 80 characters")
	}
	checkAmount(&f, "allocated_pence", in.AllocatedPence, true)
	checkPeriod(&f, in.PeriodStart, in.PeriodEnd)
	return f.Err()
}
