package openreferral

import (
	"strings"

	"github.com/carepool/carepool/marketplace"
)

// Reading another directory's words as Carepool's controlled vocabularies: categories,
// accessibility features and languages.

// categoryWords are words that, in another directory's term or a service's name, mean one
// of Carepool's categories.
var categoryWords = map[string][]string{
	"arts-and-crafts":        {"art", "arts", "craft", "crafts", "painting", "pottery"},
	"music-and-drama":        {"music", "drama", "singing", "choir", "theatre"},
	"sport-and-exercise":     {"sport", "sports", "exercise", "fitness", "football", "gym", "walking"},
	"swimming":               {"swimming", "swim"},
	"outdoors-and-gardening": {"garden", "gardening", "allotment", "outdoors", "nature"},
	"cooking-and-food":       {"cooking", "cook", "food", "lunch", "meals"},
	"day-service":            {"day service", "day centre", "day center", "day opportunities"},
	"days-out":               {"trip", "trips", "day out", "days out", "outing"},
	"social-club":            {"social", "club", "befriending", "friendship", "lunch club"},
	"learning-and-skills":    {"learning", "skills", "course", "education", "training"},
	"work-and-volunteering":  {"volunteering", "volunteer", "employment", "work"},
	"personal-care":          {"personal care", "washing", "dressing"},
	"help-at-home":           {"home care", "homecare", "domiciliary", "help at home", "cleaning", "shopping"},
	"short-breaks":           {"respite", "short break", "short breaks"},
	"getting-out":            {"getting out", "community access", "outreach"},
	"health-and-wellbeing":   {"health", "wellbeing", "well-being", "mental health"},
	"digital-skills":         {"digital", "computer", "online skills", "internet"},
	"support-planning":       {"support planning", "brokerage", "broker", "advocacy", "advice"},
	"shared-lives":           {"shared lives"},
	"carers-support":         {"carer", "carers"},
	"companionship":          {"companionship", "companion", "loneliness", "isolation"},
}

// guessCategories returns the categories whose words (or label) appear in text as whole words.
func guessCategories(text string) []string {
	padded := " " + strings.Join(words(text), " ") + " "
	var out []string
	for _, c := range marketplace.Categories {
		for _, w := range append([]string{strings.ToLower(c.Label)}, categoryWords[c.Slug]...) {
			if strings.Contains(padded, " "+strings.Join(words(w), " ")+" ") {
				out = append(out, c.Slug)
				break
			}
		}
	}
	return out
}

var accessibilityWords = map[string][]string{
	"wheelchair_accessible":   {"wheelchair"},
	"step_free_access":        {"step free", "step-free", "level access", "ramp"},
	"accessible_toilet":       {"accessible toilet", "disabled toilet"},
	"changing_places_toilet":  {"changing places"},
	"hearing_loop":            {"hearing loop", "induction loop"},
	"bsl_interpreter":         {"bsl", "sign language"},
	"easy_read":               {"easy read"},
	"quiet_space":             {"quiet space", "quiet room"},
	"autism_friendly":         {"autism"},
	"dementia_friendly":       {"dementia"},
	"accessible_parking":      {"accessible parking", "disabled parking", "blue badge"},
	"assistance_dogs_welcome": {"assistance dog", "guide dog"},
}

func accessibilityOf(a Accessibility) (string, bool) {
	texts := []string{a.Description, a.Accessibility, a.Details}
	for _, t := range marketplace.AccessibilityFeatures {
		for _, text := range texts[:2] {
			if text = strings.TrimSpace(text); strings.EqualFold(text, t.Label) || strings.EqualFold(text, t.Slug) {
				return t.Slug, true
			}
		}
	}
	hay := strings.ToLower(strings.Join(texts, " "))
	for _, t := range marketplace.AccessibilityFeatures {
		for _, w := range accessibilityWords[t.Slug] {
			if strings.Contains(hay, w) {
				return t.Slug, true
			}
		}
	}
	return "", false
}

func languageOf(l Language) (string, bool) {
	code := strings.ToLower(strings.TrimSpace(l.Code))
	for _, t := range marketplace.Languages {
		if code == t.Slug || strings.EqualFold(strings.TrimSpace(l.Name), t.Label) {
			return t.Slug, true
		}
	}
	return "", false
}
