package marketplace

import (
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/carepool/carepool/infra/apperr"
)

// Provider is the public profile of a provider organisation. Its ID is the
// organisation's id; Name, Kinds and Active come from the organisation itself.
type Provider struct {
	ID          string   `json:"id" bson:"_id"`
	Name        string   `json:"name" bson:"-"`
	Kinds       []string `json:"kinds" bson:"-"`
	Active      bool     `json:"active" bson:"-"`
	Description string   `json:"description" bson:"description"`
	AreasServed []string `json:"areas_served" bson:"areas_served"`
	Contact     Contact  `json:"contact" bson:"contact"`
	Languages   []string `json:"languages" bson:"languages"`
	// VATStatus is printed on the provider's invoices: "not_registered" (the default),
	// "exempt" (care that is exempt from VAT) or "standard" (prices include VAT at 20%).
	VATStatus    string       `json:"vat_status" bson:"vat_status,omitempty"`
	VATNumber    string       `json:"vat_number,omitempty" bson:"vat_number,omitempty"`
	Verification Verification `json:"verification" bson:"verification"`
	Version      int64        `json:"version" bson:"version"`
	UpdatedAt    time.Time    `json:"updated_at" bson:"updated_at"`
}

// Contact is how the public reaches a provider. These are business contact details the
// provider chose to publish.
type Contact struct {
	Email   string `json:"email,omitempty" bson:"email,omitempty"`
	Phone   string `json:"phone,omitempty" bson:"phone,omitempty"`
	Website string `json:"website,omitempty" bson:"website,omitempty"`
}

// Verification holds the checks a provider states and an administrator verifies. A
// provider may state the facts; only an administrator may mark them verified, and any
// change to a stated fact clears its verification.
type Verification struct {
	DBSCheckedOn      string     `json:"dbs_checked_on,omitempty" bson:"dbs_checked_on,omitempty"`       // YYYY-MM-DD
	InsuranceExpires  string     `json:"insurance_expires,omitempty" bson:"insurance_expires,omitempty"` // YYYY-MM-DD
	CQCNumber         string     `json:"cqc_registration_number,omitempty" bson:"cqc_number,omitempty"`  // e.g. 1-123456789
	DBSVerified       bool       `json:"dbs_verified" bson:"dbs_verified"`
	InsuranceVerified bool       `json:"insurance_verified" bson:"insurance_verified"`
	CQCVerified       bool       `json:"cqc_verified" bson:"cqc_verified"`
	VerifiedBy        string     `json:"-" bson:"verified_by,omitempty"`
	VerifiedAt        *time.Time `json:"verified_at,omitempty" bson:"verified_at,omitempty"`
}

// Verified reports whether the provider's checks are verified and current on day now:
// a verified DBS check, verified insurance that has not expired, and a verified CQC
// registration where the provider stated one.
func (v Verification) Verified(now time.Time) bool {
	if !v.DBSVerified || !v.InsuranceVerified || (v.CQCNumber != "" && !v.CQCVerified) {
		return false
	}
	exp, err := time.Parse(time.DateOnly, v.InsuranceExpires)
	return err == nil && !exp.Before(now.UTC().Truncate(24*time.Hour))
}

// ProviderInput is what a provider writes to its profile.
type ProviderInput struct {
	Description      string   `json:"description"`
	AreasServed      []string `json:"areas_served"`
	Contact          Contact  `json:"contact"`
	Languages        []string `json:"languages"`
	DBSCheckedOn     string   `json:"dbs_checked_on,omitempty"`
	InsuranceExpires string   `json:"insurance_expires,omitempty"`
	CQCNumber        string   `json:"cqc_registration_number,omitempty"`
	VATStatus        string   `json:"vat_status,omitempty"`
	VATNumber        string   `json:"vat_number,omitempty"`
}

// VATStatuses are the VAT positions a provider can state.
var VATStatuses = []string{"not_registered", "exempt", "standard"}

// VerificationInput is what an administrator marks verified.
type VerificationInput struct {
	DBS       bool `json:"dbs_verified"`
	Insurance bool `json:"insurance_verified"`
	CQC       bool `json:"cqc_verified"`
}

var (
	cqcNumber = regexp.MustCompile(`^1-[0-9]{9,11}$`)
	ukPhone   = regexp.MustCompile(`^\+?[0-9 ()-]{10,20}$`)
	vatNumber = regexp.MustCompile(`^GB([0-9]{9}|[0-9]{12})$`)
)

// Normalize trims and canonicalises the input.
func (in *ProviderInput) Normalize() {
	in.Description = strings.TrimSpace(in.Description)
	in.AreasServed = dedupe(in.AreasServed, strings.ToUpper)
	in.Languages = dedupe(in.Languages, strings.ToLower)
	in.Contact.Email = strings.ToLower(strings.TrimSpace(in.Contact.Email))
	in.Contact.Phone = strings.TrimSpace(in.Contact.Phone)
	in.Contact.Website = strings.TrimSpace(in.Contact.Website)
	in.CQCNumber = strings.TrimSpace(in.CQCNumber)
	in.VATNumber = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(in.VATNumber), " ", ""))
	if in.VATStatus == "" {
		in.VATStatus = "not_registered"
	}
}

// Validate checks every field and lists all the fields at fault.
func (in *ProviderInput) Validate() error {
	var f apperr.Fields
	checkText(&f, "description", in.Description, 20, MaxDescriptionLen)
	checkOutcodes(&f, "areas_served", in.AreasServed)
	checkTerms(&f, "languages", in.Languages, Languages, true)
	if e := in.Contact.Email; e != "" {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e || len(e) > 254 {
			f.Add("contact.email", "must be an email address, such as hello@example.org")
		}
	}
	if p := in.Contact.Phone; p != "" && !ukPhone.MatchString(p) {
		f.Add("contact.phone", "must be a phone number, such as 0113 496 0000")
	}
	if w := in.Contact.Website; w != "" {
		if u, err := url.Parse(w); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(w) > 300 {
			f.Add("contact.website", "must be a web address starting with https://")
		}
	}
	if in.Contact == (Contact{}) {
		f.Add("contact", "give at least one way to contact you: email, phone or website")
	}
	checkDate(&f, "dbs_checked_on", in.DBSCheckedOn)
	checkDate(&f, "insurance_expires", in.InsuranceExpires)
	if in.CQCNumber != "" && !cqcNumber.MatchString(in.CQCNumber) {
		f.Add("cqc_registration_number", "must look like 1-123456789 (from the CQC register)")
	}
	if !slices.Contains(VATStatuses, in.VATStatus) {
		f.Add("vat_status", "must be one of not_registered, exempt or standard")
	}
	if in.VATStatus == "standard" && !vatNumber.MatchString(in.VATNumber) {
		f.Add("vat_number", "give your VAT registration number, such as GB123456789")
	} else if in.VATStatus != "standard" && in.VATNumber != "" {
		f.Add("vat_number", "give a VAT number only when you charge VAT (vat_status standard)")
	}
	return f.Err()
}

func checkDate(f *apperr.Fields, field, s string) {
	if s == "" {
		return
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		f.Add(field, "must be a date written as YYYY-MM-DD")
	}
}

// apply writes the input over the profile. A changed fact clears its verification.
func (p *Provider) apply(in ProviderInput) {
	v := &p.Verification
	if v.DBSCheckedOn != in.DBSCheckedOn {
		v.DBSVerified = false
	}
	if v.InsuranceExpires != in.InsuranceExpires {
		v.InsuranceVerified = false
	}
	if v.CQCNumber != in.CQCNumber {
		v.CQCVerified = false
	}
	v.DBSCheckedOn, v.InsuranceExpires, v.CQCNumber = in.DBSCheckedOn, in.InsuranceExpires, in.CQCNumber
	p.Description, p.AreasServed, p.Contact, p.Languages = in.Description, in.AreasServed, in.Contact, in.Languages
	p.VATStatus, p.VATNumber = in.VATStatus, in.VATNumber
}

func (in VerificationInput) check(v Verification) error {
	var f apperr.Fields
	if in.DBS && v.DBSCheckedOn == "" {
		f.Add("dbs_verified", "the provider has not stated a DBS check date")
	}
	if in.Insurance && v.InsuranceExpires == "" {
		f.Add("insurance_verified", "the provider has not stated when its insurance expires")
	}
	if in.CQC && v.CQCNumber == "" {
		f.Add("cqc_verified", "the provider has not stated a CQC registration number")
	}
	return f.Err()
}
