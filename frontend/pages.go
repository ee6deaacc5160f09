package frontend

import (
	"github.com/carepool/carepool/search"
)

// Base is what every page has: the layout reads it. Each page's struct embeds it, and
// names its own template (see page and templates.go).
type Base struct {
	Title   string   // the page's <title> and usually its h1, without " – Carepool"
	Section string   // which navigation item is current: "search", "guide", "glossary", "account", "dashboard"
	User    *NavUser // nil when nobody is logged in
	CSRF    string   // the token for the page's forms
	Path    string   // this page's path and query, to come back to after logging in
	Errors  FormErrors
	Notice  string // a success message after a post/redirect/get
	Terms   []Term // jargon the page uses, explained at the bottom of the page
}

// NavUser is who is logged in, for the navigation.
type NavUser struct {
	Name     string
	Provider bool // belongs to a provider organisation: show the dashboard
}

// page is a page struct: a pointer to a struct embedding Base that names its template.
type page interface {
	base() *Base
	templateName() string
}

func (b *Base) base() *Base { return b }

// FieldError is one form field at fault. ID is the id of the field's input, which the
// error summary links to; Message is a complete sentence.
type FieldError struct {
	ID      string
	Message string
}

// FormErrors are the errors of a form, in the order of the form's fields.
type FormErrors []FieldError

// For returns the message for the field with this input id, or "".
func (e FormErrors) For(id string) string {
	for _, f := range e {
		if f.ID == id {
			return f.Message
		}
	}
	return ""
}

// Option is one choice in a list of checkboxes, radios or a select.
type Option struct {
	Value    string
	Label    string
	Hint     string
	Count    int
	HasCount bool // show "(Count)" after the label
	Checked  bool
}

// Link is a labelled URL.
type Link struct {
	URL   string
	Label string
}

// HomePage is the start page: one search box and ways in.
type HomePage struct {
	Base
	Popular []Link // a few common searches
}

func (*HomePage) templateName() string { return "home" }

// SearchPage is the search results with their filters.
type SearchPage struct {
	Base
	Query      string
	Near       string
	Within     []Option
	MaxPrice   string
	Sort       []Option
	Verified   bool
	Groups     []FilterGroup
	Applied    []Link // filters in force; each URL removes one
	ClearURL   string
	Results    []ResultCard
	Total      int
	From, To   int // the results shown: "Showing 1 to 20 of 259"
	Pagination Pagination
	// Limited is set when search is not available and the page shows the marketplace's
	// plain list instead: text is not searched and only some filters apply.
	Limited bool
}

func (*SearchPage) templateName() string { return "search" }

// FilterGroup is one set of checkboxes in the filter panel, such as "What".
type FilterGroup struct {
	Param   string // the URL parameter: "category"
	Legend  string
	Hint    string
	Options []Option
	Open    bool // shown open: something in it is chosen
	Radios  bool // one choice only (the plain list, without search)
}

// ResultCard is one result in a list.
type ResultCard struct {
	URL         string
	Title       []search.Span
	Provider    string
	ProviderURL string
	Kind        string
	Price       string
	Where       string
	When        string
	BudgetForms []string
	Access      []string
	Verified    bool
	Snippet     []search.Span
	Group       *GroupCard // set for a pool: a group forming (see search_results.go)
}

// Pagination is the GOV.UK pagination component's data.
type Pagination struct {
	Prev, Next string // URLs, "" when there is none
	Items      []PageLink
}

// PageLink is one numbered page, or an ellipsis.
type PageLink struct {
	Number   int
	URL      string
	Current  bool
	Ellipsis bool
}

// OfferPage shows one offer.
type OfferPage struct {
	Base
	Offer    OfferView
	Provider ProviderView
	// Manage is set for the provider's own members: they see the status and an edit link.
	Manage bool
}

func (*OfferPage) templateName() string { return "offer" }

// OfferView is an offer ready to show.
type OfferView struct {
	ID            string
	Title         string
	Description   string
	Kind          string
	KindHint      string
	Categories    []string
	Where         []string // lines: an address, "Comes to you in LS6, LS7", "Online"
	Online        bool
	When          []string
	WhenNotes     string
	Price         string
	GroupPrices   []GroupPrice // per person at different group sizes, for group offers
	GroupMin      int
	GroupMax      int
	BudgetForms   []Option // label and plain-English help
	Accessibility []Option
	Languages     []string
	Status        string
	StatusLabel   string
	StatusClass   string
	Version       int64
}

// GroupPrice is what each person pays when People share a group session.
type GroupPrice struct {
	People    int
	PerPerson string
}

// ProviderPage shows a provider's public profile and its offers.
type ProviderPage struct {
	Base
	Provider ProviderView
	Offers   []ResultCard
}

func (*ProviderPage) templateName() string { return "provider" }

// ProviderView is a provider ready to show.
type ProviderView struct {
	ID          string
	Name        string
	URL         string
	Kinds       []string
	Description string
	AreasServed []string
	Languages   []string
	Email       string
	Phone       string
	Website     string
	Checks      []Check
	Verified    bool
}

// Check is one of a provider's checks and whether Carepool verified it.
type Check struct {
	Name     string // "DBS checks"
	TermID   string // glossary anchor
	Detail   string // "Checked on 3 March 2026", "Insurance valid until ..."
	Verified bool
}

// BudgetGuidePage helps someone work out which of the six forms their budget takes.
type BudgetGuidePage struct {
	Base
	Question []Option // "Who looks after the money?" answers
	Answer   *BudgetForm
	Unsure   bool // answered "I do not know"
	Forms    []BudgetForm
}

func (*BudgetGuidePage) templateName() string { return "budget-guide" }

// BudgetForm is one of the six forms of personal budget, explained.
type BudgetForm struct {
	Slug      string
	Name      string // "Direct payment (DP)"
	Phrase    string // "a direct payment (DP)", to use in a sentence
	TermID    string
	WhoHolds  string
	Meaning   string
	HowToPay  string
	SearchURL string
}

// GlossaryPage lists every term.
type GlossaryPage struct {
	Base
	Entries []Term
}

func (*GlossaryPage) templateName() string { return "glossary" }

// SignUpPage is the form to open an account.
type SignUpPage struct {
	Base
	Name, Email string
	Next        string
}

func (*SignUpPage) templateName() string { return "signup" }

// LogInPage is the form to log in.
type LogInPage struct {
	Base
	Email string
	Next  string
}

func (*LogInPage) templateName() string { return "login" }

// AccountPage is the person's own account.
type AccountPage struct {
	Base
	Name, Email   string
	Organisations []OrgView
	Granted       []DelegationRow // people who may act for me
	ActingFor     []DelegationRow // people I may act for
	// CalendarFeed is nil when the site has no calendar feeds.
	CalendarFeed *CalendarFeedView
}

func (*AccountPage) templateName() string { return "account" }

// OrgView is one of the person's organisations.
type OrgView struct {
	Name      string
	Kinds     string
	Role      string
	Suspended bool
	Provider  bool
	URL       string // the public profile, for providers
}

// DelegationRow is one delegation as its holder or representative sees it.
type DelegationRow struct {
	Person string
	Kind   string
	Since  string
	Active bool
	Ended  string
}

// DashboardPage is the dashboard: the sections the person's roles give them (see
// dashboard.go), then a provider member's offers by organisation.
type DashboardPage struct {
	Base
	Sections  []DashboardSection
	Providers []DashboardProvider
}

func (*DashboardPage) templateName() string { return "dashboard" }

// DashboardProvider is one provider organisation on the dashboard.
type DashboardProvider struct {
	ID        string
	Name      string
	Suspended bool
	NewURL    string
	PoolsURL  string // the pools on its offers
	ISFURL    string // the funds it holds, for ISF providers
	CardsURL  string // its card payments set-up, when the site has card payments
	Offers    []DashboardOffer
}

// DashboardOffer is one offer row with the actions its status allows.
type DashboardOffer struct {
	ID          string
	Title       string
	URL         string
	EditURL     string
	StatusURL   string
	Status      string
	StatusLabel string
	StatusClass string
	Updated     string
	Version     int64
	Actions     []Option // Value is the status to move to, Label the button
}

// OrganisationFormPage registers a provider organisation.
type OrganisationFormPage struct {
	Base
	Name  string
	Kinds []Option
}

func (*OrganisationFormPage) templateName() string { return "organisation-form" }

// OfferFormPage creates or edits an offer.
type OfferFormPage struct {
	Base
	Action       string // where the form posts
	ProviderName string
	Editing      bool
	Version      int64
	Form         OfferForm
}

func (*OfferFormPage) templateName() string { return "offer-form" }

// ErrorPage is shown for every error on a page.
type ErrorPage struct {
	Base
	Status    int
	Heading   string
	Detail    string
	LoginURL  string // for refusals while nobody is logged in
	RequestID string
}

func (*ErrorPage) templateName() string { return "error" }
