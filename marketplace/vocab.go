// Package marketplace holds the public side of Carepool: provider profiles and the offers
// they publish (services, personal assistants and community activities), the rules for
// them, and the service that applies those rules. Accounts, organisations and roles live
// in the account subpackage.
package marketplace

import "slices"

// Term is one entry of a controlled vocabulary: a stable slug stored and sent in the API,
// and the plain-English label people see.
type Term struct {
	Slug  string `json:"slug"`
	Label string `json:"label"`
	Help  string `json:"help,omitempty"` // a plain-English explanation, for jargon
}

// Kind is what sort of offer something is.
type Kind string

// The three kinds of offer.
const (
	KindService           Kind = "service"            // e.g. support at home, a day service
	KindPersonalAssistant Kind = "personal_assistant" // a PA describing what they do and when they are free
	KindCommunityActivity Kind = "community_activity" // a group, class, club or day trip
)

// Kinds lists the kinds of offer with their labels.
var Kinds = []Term{
	{string(KindService), "Service", "Support from a provider, such as help at home or a day service."},
	{string(KindPersonalAssistant), "Personal assistant (PA)", "Someone you employ or engage directly to support you."},
	{string(KindCommunityActivity), "Community activity", "A group, class, club or day trip."},
}

// BudgetForm is one of the six forms a personal budget can take (see DOMAIN.md).
type BudgetForm string

// The six forms of personal budget. All are first-class.
const (
	DirectPayment   BudgetForm = "direct_payment"
	IndirectPayment BudgetForm = "indirect_payment"
	TrustFund       BudgetForm = "trust_fund"
	BrokeredFund    BudgetForm = "brokered_fund"
	ISF             BudgetForm = "isf"
	CouncilManaged  BudgetForm = "council_managed"
)

// BudgetForms lists the six forms of personal budget with plain-English explanations.
var BudgetForms = []Term{
	{string(DirectPayment), "Direct payment (DP)", "The council pays your budget to you, and you pay for your support."},
	{string(IndirectPayment), "Indirect payment", "A family member or friend you trust receives and manages your budget for you."},
	{string(TrustFund), "Trust fund", "A group of people you trust (a trust) holds your budget; two trustees agree each payment."},
	{string(BrokeredFund), "Brokered fund", "A support broker holds your budget and pays for support on your behalf."},
	{string(ISF), "Individual service fund (ISF)", "A provider holds your budget for you and pays for the support you choose."},
	{string(CouncilManaged), "Council-managed budget", "The council keeps your budget and pays for the support you choose."},
}

// Status is where an offer is in its life.
type Status string

// Offer statuses: only published offers are shown to the public.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusPaused    Status = "paused"
	StatusArchived  Status = "archived"
)

// Categories is the controlled list of what an offer is about. Search facets, filters and
// the Open Referral taxonomy are built on it.
var Categories = []Term{
	{"arts-and-crafts", "Arts and crafts", ""},
	{"music-and-drama", "Music and drama", ""},
	{"sport-and-exercise", "Sport and exercise", ""},
	{"swimming", "Swimming", ""},
	{"outdoors-and-gardening", "Outdoors and gardening", ""},
	{"cooking-and-food", "Cooking and food", ""},
	{"day-service", "Day service", "A place to go in the day for activities and company; also called a day centre."},
	{"days-out", "Days out and trips", ""},
	{"social-club", "Social groups and clubs", ""},
	{"learning-and-skills", "Learning and skills", ""},
	{"work-and-volunteering", "Work and volunteering", ""},
	{"personal-care", "Personal care", "Help with washing, dressing, eating and going to the toilet."},
	{"help-at-home", "Help at home", "Help with cleaning, shopping, cooking and household jobs."},
	{"short-breaks", "Respite and short breaks", "Time away from usual care, often so a carer can rest."},
	{"getting-out", "Getting out and about", "Support to go to places in your community."},
	{"health-and-wellbeing", "Health and wellbeing", ""},
	{"digital-skills", "Digital skills", ""},
	{"support-planning", "Support planning and brokerage", "Help to plan and arrange your support."},
	{"shared-lives", "Shared Lives", "You live with, or regularly visit, a carer and their family."},
	{"carers-support", "Support for carers", ""},
	{"companionship", "Companionship", ""},
}

// AccessibilityFeatures is the controlled list of accessibility features of an offer.
var AccessibilityFeatures = []Term{
	{"wheelchair_accessible", "Wheelchair accessible", ""},
	{"step_free_access", "Step-free access", ""},
	{"accessible_toilet", "Accessible toilet", ""},
	{"changing_places_toilet", "Changing Places toilet", "A toilet with a hoist, bench and room for two carers."},
	{"hearing_loop", "Hearing loop", ""},
	{"bsl_interpreter", "British Sign Language interpreter", ""},
	{"easy_read", "Easy read information", "Information written in short sentences with pictures."},
	{"quiet_space", "Quiet space", ""},
	{"autism_friendly", "Autism friendly", ""},
	{"dementia_friendly", "Dementia friendly", ""},
	{"accessible_parking", "Accessible parking", ""},
	{"assistance_dogs_welcome", "Assistance dogs welcome", ""},
}

// Languages is the list of languages an offer or provider may be available in, by ISO
// 639-1 code (and "bfi", the ISO 639-3 code of British Sign Language).
var Languages = []Term{
	{"en", "English", ""}, {"bfi", "British Sign Language", ""}, {"cy", "Welsh", ""},
	{"pa", "Punjabi", ""}, {"ur", "Urdu", ""}, {"bn", "Bengali", ""}, {"gu", "Gujarati", ""},
	{"hi", "Hindi", ""}, {"ta", "Tamil", ""}, {"pl", "Polish", ""}, {"ro", "Romanian", ""},
	{"lt", "Lithuanian", ""}, {"pt", "Portuguese", ""}, {"es", "Spanish", ""}, {"fr", "French", ""},
	{"it", "Italian", ""}, {"ar", "Arabic", ""}, {"so", "Somali", ""}, {"ku", "Kurdish", ""},
	{"fa", "Persian (Farsi)", ""}, {"tr", "Turkish", ""}, {"zh", "Chinese", ""}, {"yue", "Cantonese", ""},
	{"ti", "Tigrinya", ""},
}

// Days are the days of the week, Monday first, as used in schedules.
var Days = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// Label returns the label of slug in terms, or the slug itself if it is unknown.
func Label(terms []Term, slug string) string {
	for _, t := range terms {
		if t.Slug == slug {
			return t.Label
		}
	}
	return slug
}

func known(terms []Term, slug string) bool {
	return slices.ContainsFunc(terms, func(t Term) bool { return t.Slug == slug })
}
