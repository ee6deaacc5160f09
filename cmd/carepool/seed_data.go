package main

import "github.com/carepool/carepool/marketplace"

// The demo data: three English towns, their neighbourhoods (real outward codes), and
// templates of the offers small providers, personal assistants and community groups
// publish. Every person and organisation is invented.

type demoTown struct {
	Name           string
	Council        string
	Neighbourhoods []neighbourhood
}

// neighbourhood is a part of a town with its real outward code and a main street.
type neighbourhood struct{ Name, Outcode, Street string }

var demoTowns = []demoTown{
	{"Leeds", "Leeds City Council", []neighbourhood{
		{"Headingley", "LS6", "Otley Road"}, {"Kirkstall", "LS5", "Kirkstall Lane"}, {"Chapeltown", "LS7", "Chapeltown Road"},
		{"Roundhay", "LS8", "Street Lane"}, {"Beeston", "LS11", "Dewsbury Road"}, {"Armley", "LS12", "Town Street"},
		{"Woodhouse", "LS2", "Woodhouse Lane"}, {"Harehills", "LS9", "Harehills Lane"}}},
	{"Bristol", "Bristol City Council", []neighbourhood{
		{"Harbourside", "BS1", "Anchor Road"}, {"St Pauls", "BS2", "Grosvenor Road"}, {"Bedminster", "BS3", "North Street"},
		{"Easton", "BS5", "Stapleton Road"}, {"Redland", "BS6", "Gloucester Road"}, {"Horfield", "BS7", "Filton Avenue"},
		{"Clifton", "BS8", "Whiteladies Road"}, {"Fishponds", "BS16", "Fishponds Road"}}},
	{"Norwich", "Norfolk County Council", []neighbourhood{
		{"Riverside", "NR1", "Prince of Wales Road"}, {"Golden Triangle", "NR2", "Unthank Road"}, {"Mile Cross", "NR3", "Aylsham Road"},
		{"Eaton", "NR4", "Eaton Street"}, {"Bowthorpe", "NR5", "Dereham Road"}, {"Hellesdon", "NR6", "Drayton High Road"},
		{"Taverham", "NR8", "Fakenham Road"}}},
}

type offerTemplate struct {
	Kind          marketplace.Kind
	Title         string // %s is replaced by the neighbourhood
	Description   string
	Categories    []string
	Accessibility []string
	Unit          marketplace.PriceUnit
	MinPence      int64 // price range; the generator picks a round amount inside it
	MaxPence      int64
	MinPeople     int
	MaxPeople     int
	Mode          marketplace.WhereMode
	Days          []string
	Start, End    string
}

var activityTemplates = []offerTemplate{
	{marketplace.KindCommunityActivity, "Friday art and lunch in %s", "A relaxed weekly art group with a shared lunch. We paint, draw and make collage; no experience needed and all materials are provided. Staff stay with the group all day.", []string{"arts-and-crafts", "social-club"}, []string{"wheelchair_accessible", "accessible_toilet", "quiet_space"}, marketplace.GroupSession, 30000, 60000, 4, 10, marketplace.AtAddress, []string{"friday"}, "10:00", "14:30"},
	{marketplace.KindCommunityActivity, "Adult swimming sessions at %s pool", "Supported swimming in a quiet pool session for adults with learning disabilities or autism. Changing rooms have a hoist and there is a member of staff in the water.", []string{"swimming", "sport-and-exercise"}, []string{"changing_places_toilet", "wheelchair_accessible", "autism_friendly"}, marketplace.GroupSession, 12000, 24000, 3, 8, marketplace.AtAddress, []string{"saturday"}, "09:00", "10:30"},
	{marketplace.KindCommunityActivity, "%s community allotment group", "Grow vegetables and flowers together on our allotment. Raised beds mean everyone can take part, and tea and cake are always on.", []string{"outdoors-and-gardening", "health-and-wellbeing"}, []string{"step_free_access", "accessible_parking"}, marketplace.GroupSession, 8000, 16000, 3, 12, marketplace.AtAddress, []string{"tuesday", "thursday"}, "10:00", "13:00"},
	{marketplace.KindCommunityActivity, "Cook and eat club, %s", "Plan a meal, shop for it and cook it together, then sit down and eat. A good way to build confidence in the kitchen and make friends.", []string{"cooking-and-food", "learning-and-skills"}, []string{"wheelchair_accessible", "easy_read"}, marketplace.GroupSession, 15000, 30000, 4, 8, marketplace.AtAddress, []string{"wednesday"}, "11:00", "14:00"},
	{marketplace.KindCommunityActivity, "Day trip to the coast from %s", "A minibus day out to the seaside with lunch, time on the front and support from staff we know well. Wheelchair-accessible minibus.", []string{"days-out", "social-club"}, []string{"wheelchair_accessible", "accessible_toilet"}, marketplace.GroupSession, 60000, 120000, 6, 14, marketplace.AtAddress, nil, "09:00", "17:00"},
	{marketplace.KindCommunityActivity, "%s drama and music group", "Singing, acting and making music together, ending in a small show for friends and family each term. Everyone is welcome, whatever your voice.", []string{"music-and-drama", "social-club"}, []string{"hearing_loop", "wheelchair_accessible", "bsl_interpreter"}, marketplace.GroupSession, 18000, 36000, 5, 15, marketplace.AtAddress, []string{"monday"}, "13:00", "15:30"},
	{marketplace.KindCommunityActivity, "Chair-based exercise in %s", "Gentle exercise to music, all done sitting down, led by a qualified instructor. Good for balance, strength and a chat afterwards.", []string{"sport-and-exercise", "health-and-wellbeing"}, []string{"wheelchair_accessible", "dementia_friendly", "hearing_loop"}, marketplace.GroupSession, 6000, 12000, 4, 16, marketplace.AtAddress, []string{"tuesday"}, "10:30", "11:30"},
	{marketplace.KindCommunityActivity, "Walking football, %s", "Football at walking pace: no running, no slide tackles, plenty of laughs. Kit and water provided.", []string{"sport-and-exercise"}, []string{"accessible_toilet"}, marketplace.GroupSession, 5000, 10000, 6, 14, marketplace.AtAddress, []string{"thursday"}, "18:00", "19:00"},
	{marketplace.KindCommunityActivity, "Digital skills drop-in at %s library", "Bring your phone, tablet or laptop and get one-to-one help with video calls, online shopping and staying safe online.", []string{"digital-skills", "learning-and-skills"}, []string{"wheelchair_accessible", "hearing_loop"}, marketplace.PerPerson, 800, 2000, 0, 0, marketplace.AtAddress, []string{"wednesday"}, "14:00", "16:00"},
	{marketplace.KindCommunityActivity, "Online book club", "We read a short book each month and meet on a video call to talk about it. Easy read versions available.", []string{"learning-and-skills", "social-club"}, []string{"easy_read"}, marketplace.PerSession, 500, 1200, 0, 0, marketplace.Online, []string{"thursday"}, "19:00", "20:00"},
}

var serviceTemplates = []offerTemplate{
	{marketplace.KindService, "Day service in %s", "A friendly day service with activities chosen by the people who come: crafts, music, trips out and a hot lunch. Transport can be arranged.", []string{"day-service", "social-club"}, []string{"wheelchair_accessible", "changing_places_toilet", "quiet_space"}, marketplace.PerSession, 4500, 9000, 0, 0, marketplace.AtAddress, []string{"monday", "tuesday", "wednesday", "thursday", "friday"}, "09:30", "15:30"},
	{marketplace.KindService, "Support at home across %s", "Help at home with cooking, cleaning, shopping and paperwork, from a small team who will get to know you. Visits from one hour.", []string{"help-at-home", "companionship"}, []string{"dementia_friendly"}, marketplace.PerHour, 1900, 2600, 0, 0, marketplace.InArea, nil, "", ""},
	{marketplace.KindService, "Personal care visits in %s", "Morning and evening visits to help with washing, dressing and medication, by carers registered with the CQC. Same faces wherever we can.", []string{"personal-care"}, []string{"dementia_friendly"}, marketplace.PerHour, 2200, 3000, 0, 0, marketplace.InArea, nil, "", ""},
	{marketplace.KindService, "Short breaks weekend in %s", "A weekend away with support, so you get a break and your carer gets a rest. Private rooms, accessible bathroom and activities you choose.", []string{"short-breaks", "carers-support"}, []string{"wheelchair_accessible", "accessible_toilet", "accessible_parking"}, marketplace.PerSession, 25000, 45000, 0, 0, marketplace.AtAddress, []string{"saturday", "sunday"}, "10:00", "17:00"},
	{marketplace.KindService, "Support planning with an independent broker", "An independent support broker helps you work out what matters to you, what your budget can buy and how to arrange it. We are not part of the council.", []string{"support-planning"}, []string{"easy_read"}, marketplace.PerHour, 3000, 4500, 0, 0, marketplace.InArea, nil, "", ""},
	{marketplace.KindService, "Getting out and about in %s", "Support to go where you want: the shops, the football, a cafe or a class. We walk, use buses or drive, at your pace.", []string{"getting-out", "companionship"}, []string{"autism_friendly"}, marketplace.PerHour, 1800, 2500, 0, 0, marketplace.InArea, nil, "", ""},
	{marketplace.KindService, "Supported volunteering, %s", "Find a volunteering role that suits you and get support to start and keep going: charity shops, food banks, gardens and more.", []string{"work-and-volunteering", "learning-and-skills"}, []string{"easy_read", "autism_friendly"}, marketplace.PerHour, 1800, 2400, 0, 0, marketplace.InArea, nil, "", ""},
}

var paTemplates = []offerTemplate{
	{marketplace.KindPersonalAssistant, "Personal assistant in %s, weekdays", "I am an experienced PA with a DBS check and first aid training. I can help with personal care, cooking, appointments and getting out. I drive and have my own car.", []string{"personal-care", "getting-out"}, nil, marketplace.PerHour, 1500, 2000, 0, 0, marketplace.InArea, []string{"monday", "tuesday", "wednesday", "thursday", "friday"}, "08:00", "16:00"},
	{marketplace.KindPersonalAssistant, "Evening and weekend PA around %s", "I support people to enjoy their evenings and weekends: concerts, the gym, football or a quiet night in. Experience with autism and learning disabilities.", []string{"getting-out", "companionship"}, nil, marketplace.PerHour, 1600, 2100, 0, 0, marketplace.InArea, []string{"friday", "saturday", "sunday"}, "17:00", "22:00"},
	{marketplace.KindPersonalAssistant, "PA for shared support in %s", "I work with two or three people together for some hours a week, which keeps the cost down for everyone. Cooking, shopping, trips out.", []string{"help-at-home", "getting-out"}, nil, marketplace.GroupSession, 5000, 8000, 2, 3, marketplace.InArea, []string{"tuesday", "thursday"}, "10:00", "14:00"},
}

var demoLanguages = [][]string{{"en"}, {"en"}, {"en"}, {"en", "pa"}, {"en", "ur"}, {"en", "pl"}, {"en", "bfi"}, {"en", "bn", "hi"}, {"en", "so"}, {"en", "gu"}}

var demoFirstNames = []string{"Amira", "Ben", "Chloe", "Dev", "Ellie", "Farid", "Grace", "Harpreet", "Isla", "Jamal", "Kasia", "Liam", "Maya", "Nasir", "Olu", "Priya", "Rhys", "Sana", "Tom", "Una", "Viktor", "Wendy", "Yusuf", "Zara"}
var demoLastNames = []string{"Ahmed", "Brown", "Clarke", "Dhillon", "Evans", "Fisher", "Green", "Hussain", "Iqbal", "Jones", "Kowalski", "Lewis", "Mistry", "Nowak", "Okafor", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Walker", "Young"}
