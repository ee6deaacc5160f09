package search

import (
	"regexp"
	"strings"
)

// Document types.
const (
	TypeOffer = "offer" // a service, personal assistant or community activity
	TypePool  = "pool"  // an open pool on an offer
)

// Offer kinds.
const (
	KindService           = "service"
	KindPersonalAssistant = "personal_assistant"
	KindActivity          = "community_activity" // as the marketplace calls it
)

// Days lists the day values in week order; TimesOfDay the time values.
var (
	Days       = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
	TimesOfDay = []string{"morning", "afternoon", "evening"}
)

// labels are the plain-English names people see for the fixed vocabularies
// (types, kinds, budget forms, days, times) and for the accessibility features
// and languages we know; other slugs get a label made from the slug.
var labels = map[string]map[string]string{
	"type": {TypeOffer: "Offers", TypePool: "Open pools"},
	"kind": {KindService: "Service", KindPersonalAssistant: "Personal assistant", KindActivity: "Community activity"},
	"budget_form": {
		"direct_payment": "Direct payment", "indirect_payment": "Indirect payment (trusted other)",
		"trust_fund": "Trust fund", "brokered_fund": "Brokered fund",
		"isf": "Individual service fund", "council_managed": "Council-managed budget",
	},
	"day":  {"monday": "Monday", "tuesday": "Tuesday", "wednesday": "Wednesday", "thursday": "Thursday", "friday": "Friday", "saturday": "Saturday", "sunday": "Sunday"},
	"time": {"morning": "Morning", "afternoon": "Afternoon", "evening": "Evening"},
	"accessibility": {
		"wheelchair_accessible": "Wheelchair accessible", "step_free": "Step-free access",
		"accessible_toilet": "Accessible toilet", "changing_places": "Changing Places toilet",
		"hearing_loop": "Hearing loop", "bsl": "British Sign Language", "easy_read": "Easy Read information",
		"quiet_space": "Quiet space", "assistance_dogs": "Assistance dogs welcome",
		"accessible_parking": "Accessible parking", "large_print": "Large print",
		// The marketplace's slugs (marketplace.AccessibilityFeatures).
		"step_free_access": "Step-free access", "changing_places_toilet": "Changing Places toilet",
		"bsl_interpreter": "British Sign Language interpreter", "autism_friendly": "Autism friendly",
		"dementia_friendly": "Dementia friendly", "assistance_dogs_welcome": "Assistance dogs welcome",
	},
	// The marketplace's categories (marketplace.Categories); other slugs are
	// turned into words.
	"category": {
		"arts-and-crafts": "Arts and crafts", "music-and-drama": "Music and drama",
		"sport-and-exercise": "Sport and exercise", "swimming": "Swimming",
		"outdoors-and-gardening": "Outdoors and gardening", "cooking-and-food": "Cooking and food",
		"day-service": "Day service", "days-out": "Days out and trips", "social-club": "Social groups and clubs",
		"learning-and-skills": "Learning and skills", "work-and-volunteering": "Work and volunteering",
		"personal-care": "Personal care", "help-at-home": "Help at home", "short-breaks": "Respite and short breaks",
		"getting-out": "Getting out and about", "health-and-wellbeing": "Health and wellbeing",
		"digital-skills": "Digital skills", "support-planning": "Support planning and brokerage",
		"shared-lives": "Shared Lives", "carers-support": "Support for carers", "companionship": "Companionship",
	},
	"language": {
		"en": "English", "cy": "Welsh", "pa": "Punjabi", "ur": "Urdu", "bn": "Bengali",
		"gu": "Gujarati", "hi": "Hindi", "pl": "Polish", "ro": "Romanian", "ar": "Arabic",
		"so": "Somali", "zh": "Chinese", "ta": "Tamil", "pt": "Portuguese", "es": "Spanish",
		"fr": "French", "it": "Italian", "lt": "Lithuanian", "tr": "Turkish", "fa": "Persian",
		"ku": "Kurdish", "ps": "Pashto", "ti": "Tigrinya", "ga": "Irish", "gd": "Scottish Gaelic",
		"de": "German", "ru": "Russian", "uk": "Ukrainian", "sq": "Albanian", "ne": "Nepali",
		"ml": "Malayalam", "te": "Telugu", "yi": "Yiddish", "he": "Hebrew", "bg": "Bulgarian",
		"bfi": "British Sign Language", "yue": "Cantonese", // ISO 639-3, as the marketplace has them
	},
}

// closed lists the vocabularies whose values are fixed; the others (category,
// accessibility, language) accept any well-formed value.
var closed = map[string]bool{"type": true, "kind": true, "budget_form": true, "day": true, "time": true}

var (
	slugPattern     = regexp.MustCompile(`^[a-z0-9]+([_-][a-z0-9]+)*$`)
	languagePattern = regexp.MustCompile(`^[a-z]{2,3}$`) // ISO 639-1, or 639-3 where 639-1 has none
)

// Label returns the plain-English label of a value of a facet or filter
// ("accessibility", "wheelchair_accessible" → "Wheelchair accessible").
// Unknown slugs are turned into words ("arts_and_crafts" or "arts-and-crafts"
// → "Arts and crafts"); unknown languages show their code.
func Label(field, value string) string {
	if l, ok := labels[field][value]; ok {
		return l
	}
	if field == "language" {
		return strings.ToUpper(value)
	}
	s := strings.NewReplacer("_", " ", "-", " ").Replace(value)
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// validValue reports whether value belongs to the vocabulary of field.
func validValue(field, value string) bool {
	if closed[field] {
		_, ok := labels[field][value]
		return ok
	}
	if field == "language" {
		return languagePattern.MatchString(value)
	}
	return len(value) <= 60 && slugPattern.MatchString(value)
}

// languageByName maps a folded language name to its code, for query
// understanding ("speaks Punjabi").
var languageByName = func() map[string]string {
	m := map[string]string{}
	for code, name := range labels["language"] {
		m[strings.ToLower(name)] = code
	}
	return m
}()
