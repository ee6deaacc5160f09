package searchtest

import (
	"time"

	"github.com/carepool/carepool/search"
)

var (
	weekdays = []string{"monday", "tuesday", "wednesday", "thursday", "friday"}
	allDays  = search.Days
)

func at(lat, lng float64) *search.Point { return &search.Point{Lat: lat, Lng: lng} }

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// Fixture is the suite's small data set: offers and pools around Leeds (LS6
// is Headingley), with a few in Bradford, Halifax, Manchester, York and
// online. Each document is there for a rule the suite checks; the comments
// say which.
func Fixture() []search.Document {
	return []search.Document{
		{ // typo, synonyms (autistic), near LS6 on saturdays
			ID: "swim-ls6", Type: search.TypeOffer, Title: "Swimming for autistic adults",
			Description: "Quiet, relaxed swimming sessions at Kirkstall leisure centre with trained staff. Small groups and help with changing.",
			Categories:  []string{"swimming", "sport"}, ProviderID: "p-kirkstall", ProviderName: "Kirkstall Swim Club",
			Kind: search.KindActivity, BudgetForms: []string{"direct_payment", "isf", "council_managed"},
			PricePence: 800, PriceUnit: "session", Languages: []string{"en"},
			Accessibility: []string{"wheelchair_accessible", "accessible_toilet"},
			Days:          []string{"saturday"}, TimesOfDay: []string{"morning"}, Verified: true,
			Outcodes: []string{"LS6"}, Geo: at(53.8193, -1.5670), CreatedAt: day("2026-01-10"),
		},
		{ // matches "autistic" through the synonym autism
			ID: "swim-ls1", Type: search.TypeOffer, Title: "Autism friendly swim sessions",
			Description: "Swimming lessons in the city centre pool for adults who prefer a calm space.",
			Categories:  []string{"swimming"}, ProviderID: "p-aquatics", ProviderName: "Leeds Aquatics",
			Kind: search.KindActivity, BudgetForms: []string{"direct_payment"}, PricePence: 600, PriceUnit: "session",
			Languages: []string{"en"}, Accessibility: []string{"wheelchair_accessible"},
			Days: []string{"sunday"}, TimesOfDay: []string{"afternoon"},
			Outcodes: []string{"LS1"}, Geo: at(53.7967, -1.5475), CreatedAt: day("2026-02-01"),
		},
		{ // far away: outside every Leeds radius
			ID: "swim-m1", Type: search.TypeOffer, Title: "Swimming lessons for disabled adults",
			Description: "Adapted lessons with hoists and one to one instructors.",
			Categories:  []string{"swimming"}, ProviderID: "p-manc", ProviderName: "Manchester Aquatics Centre",
			Kind: search.KindActivity, BudgetForms: []string{"direct_payment", "council_managed"}, PricePence: 900, PriceUnit: "session",
			Accessibility: []string{"wheelchair_accessible", "changing_places"},
			Days:          []string{"saturday"}, TimesOfDay: []string{"afternoon"}, Verified: true,
			Outcodes: []string{"M1"}, Geo: at(53.4773, -2.2351), CreatedAt: day("2025-11-05"),
		},
		{ // "PA who speaks Punjabi"; serves LS8 from LS7
			ID: "pa-punjabi", Type: search.TypeOffer, Title: "Personal assistant for days out",
			Description: "Experienced PA who speaks Punjabi and Urdu. DBS checked; support with shopping, appointments and social activities.",
			Categories:  []string{"personal_assistance"}, ProviderID: "p-kaur", ProviderName: "Amrit Kaur",
			Kind: search.KindPersonalAssistant, BudgetForms: []string{"direct_payment", "indirect_payment"},
			PricePence: 1500, PriceUnit: "hour", Languages: []string{"en", "pa", "ur"},
			Days: weekdays, TimesOfDay: []string{"morning", "afternoon"}, Verified: true,
			Outcodes: []string{"LS7", "LS6", "LS8"}, Geo: at(53.8183, -1.5397), CreatedAt: day("2026-03-01"),
		},
		{
			ID: "pa-polish", Type: search.TypeOffer, Title: "Evening and weekend support",
			Description: "Flexible personal support at home and in the community. Polish and English spoken.",
			Categories:  []string{"personal_assistance"}, ProviderID: "p-nowak", ProviderName: "Marek Nowak",
			Kind: search.KindPersonalAssistant, BudgetForms: []string{"direct_payment"}, PricePence: 1400, PriceUnit: "hour",
			Languages: []string{"en", "pl"}, Days: []string{"saturday", "sunday"}, TimesOfDay: []string{"evening"},
			Outcodes: []string{"BD1", "BD2"}, Geo: at(53.7955, -1.7525), CreatedAt: day("2026-02-20"),
		},
		{ // matches "personal assistant" only through the synonym PA
			ID: "pa-team", Type: search.TypeOffer, Title: "Support at home",
			Description: "Our PA team helps with personal care, meals and getting out and about.",
			Categories:  []string{"home_care"}, ProviderID: "p-chapel", ProviderName: "Chapel Allerton Care",
			Kind: search.KindService, BudgetForms: []string{"isf", "council_managed"}, PricePence: 2200, PriceUnit: "hour",
			Languages: []string{"en"}, Days: []string{"monday", "wednesday", "friday"}, TimesOfDay: []string{"morning"}, Verified: true,
			Outcodes: []string{"LS7"}, Geo: at(53.8190, -1.5390), CreatedAt: day("2025-12-12"),
		},
		{ // "day service" finds it through day centre
			ID: "daycentre", Type: search.TypeOffer, Title: "Day centre for older people",
			Description: "Lunch, activities and company five days a week in Headingley.",
			Categories:  []string{"day_opportunities"}, ProviderID: "p-hub", ProviderName: "Headingley Community Hub",
			Kind: search.KindService, BudgetForms: []string{"council_managed", "isf", "direct_payment"}, PricePence: 4500, PriceUnit: "day",
			Languages: []string{"en"}, Accessibility: []string{"wheelchair_accessible", "hearing_loop", "changing_places"},
			Days: weekdays, TimesOfDay: []string{"morning", "afternoon"}, Verified: true,
			Outcodes: []string{"LS6"}, Geo: at(53.8200, -1.5750), CreatedAt: day("2025-10-01"),
		},
		{ // "LD" finds learning disabilities
			ID: "ld-days", Type: search.TypeOffer, Title: "Day activities for adults with learning disabilities",
			Description: "Music, drama and cooking in a friendly group, with transport from north Leeds.",
			Categories:  []string{"day_opportunities", "music"}, ProviderID: "p-bright", ProviderName: "Bright Days CIC",
			Kind: search.KindActivity, BudgetForms: []string{"isf", "council_managed", "trust_fund"}, PricePence: 3500, PriceUnit: "day",
			Accessibility: []string{"step_free"}, Days: []string{"tuesday", "thursday"}, TimesOfDay: []string{"morning", "afternoon"},
			Verified: true, Outcodes: []string{"LS1"}, Geo: at(53.7990, -1.5500), CreatedAt: day("2026-01-20"),
		},
		{ // "respite" finds short break
			ID: "short-break", Type: search.TypeOffer, Title: "Short break stays at Calder House",
			Description: "Overnight stays so family carers can rest. Accessible bedrooms and a garden.",
			Categories:  []string{"overnight_stays"}, ProviderID: "p-calder", ProviderName: "Calder House Trust",
			Kind: search.KindService, BudgetForms: []string{"council_managed", "trust_fund", "brokered_fund"}, PricePence: 12000, PriceUnit: "night",
			Accessibility: []string{"wheelchair_accessible", "accessible_toilet"}, Days: allDays, TimesOfDay: []string{"evening"},
			Verified: true, Outcodes: []string{"HX1"}, Geo: at(53.7211, -1.8697), CreatedAt: day("2025-09-15"),
		},
		{ // proximity: "art" and "lunch" two words apart in the title
			ID: "art-lunch", Type: search.TypeOffer, Title: "Friday art and lunch group",
			Description: "Painting, collage and a shared lunch. A group of four to ten people; the price falls as more join.",
			Categories:  []string{"arts_and_crafts"}, ProviderID: "p-hydepark", ProviderName: "Hyde Park Art Studio",
			Kind: search.KindActivity, BudgetForms: []string{"direct_payment", "indirect_payment", "trust_fund", "brokered_fund", "isf", "council_managed"},
			PricePence: 4800, PriceUnit: "session", Accessibility: []string{"step_free", "quiet_space"},
			Days: []string{"friday"}, TimesOfDay: []string{"morning", "afternoon"}, Verified: true,
			Outcodes: []string{"LS6"}, Geo: at(53.8150, -1.5600), CreatedAt: day("2026-02-10"),
		},
		{ // an open pool: the second document type
			ID: "art-pool", Type: search.TypePool, Title: "Weekly art group in Headingley",
			Description: "Six of us want a weekly painting group with Hyde Park Art Studio. Join to bring the price down.",
			Categories:  []string{"arts_and_crafts"}, ProviderID: "p-hydepark", ProviderName: "Hyde Park Art Studio",
			Kind: search.KindActivity, BudgetForms: []string{"direct_payment", "isf", "council_managed"}, PricePence: 6000, PriceUnit: "session",
			Days: []string{"friday"}, TimesOfDay: []string{"afternoon"}, Verified: true,
			Outcodes: []string{"LS6"}, Geo: at(53.8160, -1.5610), CreatedAt: day("2026-03-05"),
		},
		{ // proximity: "art" in the title, "lunch" in the description
			ID: "art-class", Type: search.TypeOffer, Title: "Watercolour art class",
			Description: "Gentle watercolour paintings for beginners, with tea and lunch afterwards.",
			Categories:  []string{"arts_and_crafts"}, ProviderID: "p-meanwood-arts", ProviderName: "Meanwood Arts",
			Kind: search.KindActivity, BudgetForms: []string{"direct_payment"}, PricePence: 2000, PriceUnit: "session",
			Days: []string{"wednesday"}, TimesOfDay: []string{"morning"},
			Outcodes: []string{"LS6"}, Geo: at(53.8250, -1.5720), CreatedAt: day("2025-12-01"),
		},
		{ // attribute: "garden" in the title, before short-break's description
			ID: "garden-club", Type: search.TypeOffer, Title: "Gardening club",
			Description: "Grow vegetables and flowers with friendly volunteers at the allotments.",
			Categories:  []string{"outdoors"}, ProviderID: "p-allot", ProviderName: "Meanwood Growers",
			Kind: search.KindActivity, BudgetForms: []string{"direct_payment", "isf"}, PricePence: 300, PriceUnit: "session",
			Languages: []string{"en"}, Accessibility: []string{"step_free"}, Days: []string{"thursday"}, TimesOfDay: []string{"morning"},
			Verified: true, Outcodes: []string{"LS6"}, Geo: at(53.8290, -1.5760), CreatedAt: day("2025-11-20"),
		},
		{ // typo: "singing" exactly
			ID: "choir", Type: search.TypeOffer, Title: "Community choir",
			Description: "Singing for wellbeing, every Thursday evening.",
			Categories:  []string{"music"}, ProviderID: "p-york", ProviderName: "York Voices",
			Kind: search.KindActivity, BudgetForms: []string{"direct_payment"}, PricePence: 400, PriceUnit: "session",
			Days: []string{"thursday"}, TimesOfDay: []string{"evening"},
			Outcodes: []string{"YO1"}, Geo: at(53.9586, -1.0809), CreatedAt: day("2026-01-15"),
		},
		{ // typo: "signing" is "singing" with one transposition
			ID: "bsl-club", Type: search.TypeOffer, Title: "Signing social club",
			Description: "Meet deaf and hearing people and learn British Sign Language basics.",
			Categories:  []string{"social"}, ProviderID: "p-deaf", ProviderName: "Leeds Deaf Forum",
			Kind: search.KindActivity, BudgetForms: []string{"direct_payment", "isf"}, PricePence: 0, PriceUnit: "session",
			Accessibility: []string{"bsl", "hearing_loop"}, Days: []string{"monday"}, TimesOfDay: []string{"evening"},
			Verified: true, Outcodes: []string{"LS4"}, Geo: at(53.8094, -1.5808), CreatedAt: day("2025-12-20"),
		},
		{ // online: no location
			ID: "yoga-online", Type: search.TypeOffer, Title: "Chair yoga online",
			Description: "Gentle seated exercise on a video call, no travel needed.",
			Categories:  []string{"fitness"}, ProviderID: "p-move", ProviderName: "Move Together",
			Kind: search.KindActivity, BudgetForms: []string{"direct_payment", "isf"}, PricePence: 500, PriceUnit: "session",
			Languages: []string{"en"}, Days: []string{"wednesday"}, TimesOfDay: []string{"morning"}, Verified: true,
			Online: true, CreatedAt: day("2026-01-05"),
		},
		{ // typo: a changed first letter costs two typos
			ID: "photo-walks", Type: search.TypeOffer, Title: "Photography walks",
			Description: "Explore the city with a camera; cameras can be borrowed.",
			Categories:  []string{"outdoors"}, ProviderID: "p-lens", ProviderName: "Lens Leeds",
			Kind: search.KindActivity, BudgetForms: []string{"direct_payment"}, PricePence: 1000, PriceUnit: "session",
			Languages: []string{"en", "pl"}, Days: []string{"sunday"}, TimesOfDay: []string{"morning"},
			Outcodes: []string{"LS1"}, Geo: at(53.7950, -1.5450), CreatedAt: day("2026-01-25"),
		},
		{ // "befriending" finds companionship
			ID: "befriend", Type: search.TypeOffer, Title: "Companionship visits",
			Description: "A volunteer visits for a cup of tea and a chat each week.",
			Categories:  []string{"social"}, ProviderID: "p-neighbours", ProviderName: "Good Neighbours Leeds",
			Kind: search.KindService, BudgetForms: []string{"direct_payment", "council_managed"}, PricePence: 0, PriceUnit: "visit",
			Languages: []string{"en"}, Days: []string{"tuesday"}, TimesOfDay: []string{"afternoon"}, Verified: true,
			Outcodes: []string{"LS17"}, Geo: at(53.8596, -1.5271), CreatedAt: day("2025-08-01"),
		},
	}
}
