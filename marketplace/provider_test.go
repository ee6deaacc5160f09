package marketplace

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func sampleProfile() ProviderInput {
	return ProviderInput{
		Description:      "A small community group running art and music sessions in north Leeds.",
		AreasServed:      []string{"LS6", "LS7"},
		Contact:          Contact{Email: "hello@example.org", Phone: "0113 496 0000", Website: "https://example.org"},
		Languages:        []string{"en"},
		DBSCheckedOn:     "2025-03-01",
		InsuranceExpires: "2027-03-01",
		CQCNumber:        "1-123456789",
	}
}

func TestProviderInputValidateNamesEveryFieldAtFault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(in *ProviderInput)
		want   []string
	}{
		{"sample", func(in *ProviderInput) {}, nil},
		{"short description", func(in *ProviderInput) { in.Description = "Art." }, []string{"description"}},
		{"no areas is fine", func(in *ProviderInput) { in.AreasServed = nil }, nil},
		{"areas in lower case", func(in *ProviderInput) { in.AreasServed = []string{"ls6 ", "m1"} }, nil},
		{"unknown area", func(in *ProviderInput) { in.AreasServed = []string{"LS6", "XX1"} }, []string{"areas_served[1]"}},
		{"no languages", func(in *ProviderInput) { in.Languages = nil }, []string{"languages"}},
		{"email only", func(in *ProviderInput) { in.Contact = Contact{Email: "Hello@Example.org "} }, nil},
		{"phone only", func(in *ProviderInput) { in.Contact = Contact{Phone: "+44 113 496 0000"} }, nil},
		{"website only", func(in *ProviderInput) { in.Contact = Contact{Website: "http://example.org/art"} }, nil},
		{"no way to get in touch", func(in *ProviderInput) { in.Contact = Contact{} }, []string{"contact"}},
		{"email with a display name", func(in *ProviderInput) { in.Contact.Email = "Art Group <hello@example.org>" }, []string{"contact.email"}},
		{"not an email", func(in *ProviderInput) { in.Contact.Email = "hello" }, []string{"contact.email"}},
		{"phone with letters", func(in *ProviderInput) { in.Contact.Phone = "0113 ART GROUP" }, []string{"contact.phone"}},
		{"phone too short", func(in *ProviderInput) { in.Contact.Phone = "0113" }, []string{"contact.phone"}},
		{"website without a scheme", func(in *ProviderInput) { in.Contact.Website = "example.org" }, []string{"contact.website"}},
		{"website with another scheme", func(in *ProviderInput) { in.Contact.Website = "javascript:alert(1)" }, []string{"contact.website"}},
		{"website too long", func(in *ProviderInput) { in.Contact.Website = "https://example.org/" + strings.Repeat("a", 300) }, []string{"contact.website"}},
		{"no checks stated is fine", func(in *ProviderInput) { in.DBSCheckedOn, in.InsuranceExpires, in.CQCNumber = "", "", "" }, nil},
		{"DBS date written the British way", func(in *ProviderInput) { in.DBSCheckedOn = "01/03/2025" }, []string{"dbs_checked_on"}},
		{"insurance expiry that does not exist", func(in *ProviderInput) { in.InsuranceExpires = "2027-02-30" }, []string{"insurance_expires"}},
		{"CQC number without its prefix", func(in *ProviderInput) { in.CQCNumber = "123456789" }, []string{"cqc_registration_number"}},
		{"CQC number with spaces around", func(in *ProviderInput) { in.CQCNumber = " 1-12345678901 " }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := sampleProfile()
			tt.change(&in)
			in.Normalize()
			if diff := cmp.Diff(tt.want, fieldsOf(in.Validate())); diff != "" {
				t.Errorf("fields at fault (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProviderApplyClearsTheVerificationOfAChangedFact(t *testing.T) {
	t.Parallel()
	verified := Verification{DBSCheckedOn: "2025-03-01", InsuranceExpires: "2027-03-01", CQCNumber: "1-123456789",
		DBSVerified: true, InsuranceVerified: true, CQCVerified: true}
	tests := []struct {
		name   string
		change func(in *ProviderInput)
		want   [3]bool // DBS, insurance, CQC still verified
	}{
		{"nothing stated changes", func(in *ProviderInput) { in.Description += " Everyone is welcome." }, [3]bool{true, true, true}},
		{"a new DBS check", func(in *ProviderInput) { in.DBSCheckedOn = "2026-01-10" }, [3]bool{false, true, true}},
		{"renewed insurance", func(in *ProviderInput) { in.InsuranceExpires = "2028-03-01" }, [3]bool{true, false, true}},
		{"another CQC number", func(in *ProviderInput) { in.CQCNumber = "1-987654321" }, [3]bool{true, true, false}},
		{"every fact withdrawn", func(in *ProviderInput) { in.DBSCheckedOn, in.InsuranceExpires, in.CQCNumber = "", "", "" }, [3]bool{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := Provider{Verification: verified}
			in := sampleProfile()
			tt.change(&in)
			p.apply(in)
			v := p.Verification
			if got := [3]bool{v.DBSVerified, v.InsuranceVerified, v.CQCVerified}; got != tt.want {
				t.Errorf("verified (DBS, insurance, CQC) = %v, want %v", got, tt.want)
			}
			if v.DBSCheckedOn != in.DBSCheckedOn || v.InsuranceExpires != in.InsuranceExpires || v.CQCNumber != in.CQCNumber {
				t.Errorf("stated facts = %q %q %q, want the input's", v.DBSCheckedOn, v.InsuranceExpires, v.CQCNumber)
			}
		})
	}
}

func TestVerificationVerified(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 6, 1, 15, 0, 0, 0, time.UTC)
	all := Verification{DBSCheckedOn: "2025-03-01", InsuranceExpires: "2026-06-01", DBSVerified: true, InsuranceVerified: true}
	tests := []struct {
		name   string
		change func(v *Verification)
		want   bool
	}{
		{"verified, insurance expires today", func(v *Verification) {}, true},
		{"insurance expired yesterday", func(v *Verification) { v.InsuranceExpires = "2026-05-31" }, false},
		{"DBS not verified", func(v *Verification) { v.DBSVerified = false }, false},
		{"insurance not verified", func(v *Verification) { v.InsuranceVerified = false }, false},
		{"CQC stated but not verified", func(v *Verification) { v.CQCNumber = "1-123456789" }, false},
		{"CQC stated and verified", func(v *Verification) { v.CQCNumber, v.CQCVerified = "1-123456789", true }, true},
		{"unreadable expiry", func(v *Verification) { v.InsuranceExpires = "soon" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := all
			tt.change(&v)
			if got := v.Verified(today); got != tt.want {
				t.Errorf("Verified() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestVerificationInputOnlyVerifiesStatedFacts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    VerificationInput
		state Verification
		want  []string
	}{
		{"all stated", VerificationInput{true, true, true}, Verification{DBSCheckedOn: "2025-03-01", InsuranceExpires: "2027-03-01", CQCNumber: "1-123456789"}, nil},
		{"nothing stated, nothing verified", VerificationInput{}, Verification{}, nil},
		{"nothing stated", VerificationInput{true, true, true}, Verification{}, []string{"dbs_verified", "insurance_verified", "cqc_verified"}},
		{"no CQC number", VerificationInput{true, true, true}, Verification{DBSCheckedOn: "2025-03-01", InsuranceExpires: "2027-03-01"}, []string{"cqc_verified"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, fieldsOf(tt.in.check(tt.state))); diff != "" {
				t.Errorf("fields at fault (-want +got):\n%s", diff)
			}
		})
	}
}
