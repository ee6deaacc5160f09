package searchtest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/carepool/carepool/marketplace/outcode"
	"github.com/carepool/carepool/search"
)

// activity is a kind of offer the generator can describe.
type activity struct {
	kind       string
	categories []string
	titles     []string // %s is the audience
	blurb      string
}

var activities = []activity{
	{search.KindActivity, []string{"swimming", "sport"}, []string{"Swimming for %s", "Quiet swim sessions for %s", "Aqua fitness for %s"}, "relaxed swimming sessions with trained staff and help with changing"},
	{search.KindActivity, []string{"arts_and_crafts"}, []string{"Art group for %s", "Pottery and painting for %s", "Craft and chat for %s"}, "painting, collage and pottery in a friendly studio, materials provided"},
	{search.KindActivity, []string{"music"}, []string{"Community choir for %s", "Music and drumming for %s", "Singing group for %s"}, "singing and playing together, no experience needed"},
	{search.KindActivity, []string{"outdoors", "gardening"}, []string{"Gardening club for %s", "Allotment mornings for %s", "Nature walks for %s"}, "growing vegetables and flowers, walks in the park and local green spaces"},
	{search.KindActivity, []string{"fitness"}, []string{"Chair yoga for %s", "Gentle exercise for %s", "Walking football for %s"}, "gentle exercise at your own pace with a qualified instructor"},
	{search.KindActivity, []string{"cooking"}, []string{"Cooking skills for %s", "Lunch club for %s", "Baking together for %s"}, "learning to cook simple, healthy meals and sharing lunch"},
	{search.KindActivity, []string{"social"}, []string{"Social club for %s", "Coffee morning for %s", "Games and quiz night for %s"}, "meeting people, making friends and trying new things"},
	{search.KindService, []string{"day_opportunities"}, []string{"Day centre for %s", "Day service for %s", "Day activities for %s"}, "lunch, activities and company during the day, with transport available"},
	{search.KindService, []string{"overnight_stays"}, []string{"Short break stays for %s", "Respite weekends for %s"}, "overnight stays so family carers can rest, with accessible bedrooms"},
	{search.KindService, []string{"home_care"}, []string{"Home care for %s", "Support at home for %s"}, "help with personal care, meals, medication and getting out and about"},
	{search.KindService, []string{"befriending", "social"}, []string{"Befriending visits for %s", "Companionship calls for %s"}, "a volunteer visits or calls each week for a chat"},
	{search.KindPersonalAssistant, []string{"personal_assistance"}, []string{"Personal assistant for %s", "PA support for %s", "Flexible PA for %s"}, "an experienced, DBS checked personal assistant for shopping, appointments and days out"},
}

var (
	audiences = []string{"older people", "autistic adults", "adults with learning disabilities", "people living with dementia",
		"young adults", "carers", "people with mental health needs", "wheelchair users", "deaf adults", "everyone"}
	firstNames = []string{"Amrit", "Sarah", "James", "Fatima", "Marek", "Grace", "Mohammed", "Helen", "Tomasz", "Aisha", "David", "Priya"}
	lastNames  = []string{"Kaur", "Smith", "Khan", "Nowak", "Jones", "Patel", "Brown", "Begum", "Taylor", "Wilson", "Ahmed", "Evans"}
	orgWords   = []string{"Community", "Together", "Friends", "Circle", "Hub", "Trust", "CIC", "Project", "Network", "Collective"}
	genLangs   = []string{"pa", "ur", "pl", "bn", "gu", "ar", "so", "ro", "cy", "zh"}
	genAccess  = []string{"wheelchair_accessible", "step_free", "accessible_toilet", "changing_places", "hearing_loop", "bsl", "quiet_space", "easy_read"}
	genForms   = []string{"direct_payment", "indirect_payment", "trust_fund", "brokered_fund", "isf", "council_managed"}
)

// EnglishOutcodes returns the outward codes in England, sorted by code.
func EnglishOutcodes() []outcode.Place {
	var out []outcode.Place
	for _, p := range outcode.All() {
		switch p.Region {
		case "Scotland", "Wales", "Northern Ireland", "Channel Islands", "Isle of Man", "":
			continue
		}
		out = append(out, p)
	}
	return out
}

// Generate returns n synthetic offers (and some pools), the same for the same
// seed: realistic English titles and descriptions of care offers placed at
// real outward codes across England.
func Generate(n int, seed uint64) []search.Document {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	places := EnglishOutcodes()
	neighbours := map[string][]string{}
	near := func(p outcode.Place) []string {
		if ns, ok := neighbours[p.Code]; ok {
			return ns
		}
		var ns []string
		for _, q := range outcode.Within(p.Lat, p.Lng, 4) {
			if q.Code != p.Code && len(ns) < 4 {
				ns = append(ns, q.Code)
			}
		}
		neighbours[p.Code] = ns
		return ns
	}
	pick := func(list []string, k int) []string {
		perm := r.Perm(len(list))
		out := make([]string, 0, k)
		for _, i := range perm[:min(k, len(list))] {
			out = append(out, list[i])
		}
		slices.Sort(out)
		return out
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]search.Document, n)
	for i := range docs {
		a := activities[r.IntN(len(activities))]
		aud := audiences[r.IntN(len(audiences))]
		p := places[r.IntN(len(places))]
		town := p.Town
		if town == "" {
			town = p.County
		}
		provider := fmt.Sprintf("%s %s", town, orgWords[r.IntN(len(orgWords))])
		if a.kind == search.KindPersonalAssistant {
			provider = firstNames[r.IntN(len(firstNames))] + " " + lastNames[r.IntN(len(lastNames))]
		}
		d := search.Document{
			ID: fmt.Sprintf("gen-%06d", i), Type: search.TypeOffer, Kind: a.kind,
			Title:         fmt.Sprintf(a.titles[r.IntN(len(a.titles))], aud),
			Description:   fmt.Sprintf("%s in %s: %s. %s", strings.ToUpper(a.blurb[:1])+a.blurb[1:], town, aud, extraSentence(r)),
			Categories:    a.categories,
			ProviderID:    fmt.Sprintf("prov-%05d", r.IntN(n/5+1)),
			ProviderName:  provider,
			BudgetForms:   pick(genForms, 1+r.IntN(4)),
			PricePence:    int64(200 + 100*r.IntN(60)),
			PriceUnit:     []string{"session", "hour", "day"}[r.IntN(3)],
			Languages:     append([]string{"en"}, pick(genLangs, r.IntN(3)/2)...),
			Accessibility: pick(genAccess, r.IntN(4)),
			Days:          pick(search.Days, 1+r.IntN(3)),
			TimesOfDay:    pick(search.TimesOfDay, 1+r.IntN(2)),
			Verified:      r.IntN(3) > 0,
			Outcodes:      append([]string{p.Code}, near(p)[:r.IntN(len(near(p))+1)]...),
			Geo:           &search.Point{Lat: p.Lat + (r.Float64()-0.5)*0.02, Lng: p.Lng + (r.Float64()-0.5)*0.03},
			CreatedAt:     base.Add(time.Duration(r.IntN(700*24)) * time.Hour),
		}
		if r.IntN(20) == 0 {
			d.Type, d.ID = search.TypePool, fmt.Sprintf("genpool-%06d", i)
			d.Title = "Pool: " + d.Title
		}
		if r.IntN(25) == 0 {
			d.Online, d.Geo, d.Outcodes = true, nil, nil
		}
		docs[i] = d
	}
	return docs
}

var extras = []string{
	"Small groups, so everyone gets to know each other.",
	"Transport can be arranged from nearby areas.",
	"Family members and carers are welcome to come along.",
	"We can support people who communicate without words.",
	"Tea, coffee and a light lunch are included.",
	"Sessions run all year except bank holidays.",
	"Staff are trained in autism awareness and first aid.",
	"Come and try a free taster session first.",
}

func extraSentence(r *rand.Rand) string { return extras[r.IntN(len(extras))] }
