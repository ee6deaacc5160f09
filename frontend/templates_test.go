package frontend

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/search"
)

// samplePages is one populated struct per page template, with everything optional
// filled in (errors, notices, a logged-in provider), so that executing them reaches
// every branch a person could.
func samplePages() []page {
	base := func(title string) Base {
		return Base{Title: title, User: &NavUser{Name: "Pat Provider", Provider: true}, CSRF: "token", Path: "/x",
			Notice: "Your changes have been saved.", Terms: terms("dbs", "pa")}
	}
	withErrors := func(b Base, errs ...FieldError) Base { b.Errors = errs; return b }
	offer := sampleOffer("Friday art and lunch")
	offer.When.Dated = []marketplace.DatedSession{{Date: "2026-12-05", Start: "09:00", End: "17:00"}}
	o := marketplace.Offer{ID: "o1", ProviderID: "p1", Kind: offer.Kind, Title: offer.Title, Description: offer.Description,
		Categories: offer.Categories, Where: marketplace.Where{Mode: marketplace.AtAddress, Address: offer.Where.Address, AreasServed: []string{"LS6"}, Outcode: "LS6"},
		When: offer.When, Price: offer.Price, BudgetForms: offer.BudgetForms, Accessibility: []string{"changing_places_toilet"},
		Languages: []string{"en", "pa"}, Status: marketplace.StatusDraft, Version: 3, UpdatedAt: time.Now()}
	o.Price.Group.FloorPence = 6000
	prov := marketplace.Provider{ID: "p1", Name: "Headingley Arts", Kinds: []string{"community_group"}, Description: "We run art groups.",
		AreasServed: []string{"LS6", "LS16"}, Languages: []string{"en"},
		Contact:      marketplace.Contact{Email: "hello@example.org", Phone: "0113 496 0000", Website: "https://example.org"},
		Verification: marketplace.Verification{DBSCheckedOn: "2026-01-02", DBSVerified: true, InsuranceExpires: "2099-01-01", InsuranceVerified: true, CQCNumber: "1-123456789"}}
	card := ResultCard{URL: "/offers/o1", Title: []search.Span{{Text: "Friday "}, {Text: "art", Match: true}}, Provider: "Headingley Arts",
		ProviderURL: "/providers/p1", Kind: "Community activity", Price: "From £48 per person a session, in a group", Where: "LS6 (about 1 mile away)",
		When: "Friday, in the morning", BudgetForms: []string{"Direct payment"}, Access: []string{"Hearing loop"}, Verified: true,
		Snippet: []search.Span{{Text: "A relaxed "}, {Text: "art", Match: true}, {Text: " group"}}}

	sp := &SearchPage{Base: withErrors(base("Search results for ‘art’"), FieldError{ID: "near", Message: "Enter a real postcode"}),
		Results: []ResultCard{card, card}, Total: 45, From: 21, To: 40,
		Applied: []Link{{URL: "/search?q=art", Label: "Within 10 miles of LS6"}}, ClearURL: "/search?q=art"}
	sp.fill(urlValues("q", "art", "near", "LS6", "category", "arts-and-crafts", "max_price", "20", "verified", "true", "day", "friday"),
		search.Result{Page: 2, PageSize: 20, Total: 45, Hits: []search.Hit{{Document: search.Document{ID: "o1", Title: "Art", Kind: "community_activity", Online: true, Days: []string{"friday"}}}}},
		map[search.Facet][]search.FacetValue{search.FacetCategory: {{Value: "arts-and-crafts", Count: 12}}})
	limited := &SearchPage{Base: base("Search"), Limited: true, Results: []ResultCard{card}, Total: 1, From: 1, To: 1,
		Pagination: Pagination{Prev: "/search", Next: "/search?cursor=x"}}
	limited.fillForm(urlValues("category", "swimming"), nil)
	for i := range limited.Groups {
		limited.Groups[i].Radios = true
	}

	guide := &BudgetGuidePage{Base: withErrors(base("What kind of budget do I have?"), FieldError{ID: "holder", Message: "Choose one"}), Unsure: true}
	for _, f := range budgetForms {
		guide.Forms = append(guide.Forms, f)
	}
	guide.Answer = &guide.Forms[0]
	guide.Question = budgetQuestion

	raw := rawFromOffer(o)
	return []page{
		&HomePage{Base: base("Home"), Popular: []Link{{"/search?category=swimming", "Swimming"}}},
		sp, limited,
		&OfferPage{Base: base(o.Title), Offer: offerView(o), Provider: providerView(prov, time.Now()), Manage: true},
		&ProviderPage{Base: base(prov.Name), Provider: providerView(prov, time.Now()), Offers: []ResultCard{card}},
		guide,
		&GlossaryPage{Base: base("Words explained"), Entries: glossary},
		&SignUpPage{Base: withErrors(base("Create an account"), FieldError{ID: "email", Message: "Enter your email address"}), Name: "Sam", Email: "x", Next: "/dashboard"},
		&LogInPage{Base: withErrors(base("Log in"), FieldError{ID: "email", Message: "The email address or password is not right"}), Email: "sam@example.org", Next: "/account"},
		&AccountPage{Base: base("Your account"), Name: "Sam", Email: "sam@example.org",
			Organisations: []OrgView{{Name: "Headingley Arts", Kinds: "Community group", Role: "Owner", Provider: true, URL: "/providers/p1", Suspended: true}},
			Granted:       []DelegationRow{{Person: "Bob", Kind: "Trusted other", Since: "1 May 2026", Active: true}},
			ActingFor:     []DelegationRow{{Person: "Alice", Kind: "Support broker", Since: "1 May 2026", Ended: "2 May 2026"}}},
		&VerifyEmailPage{Base: base("Confirm your email address"), EmailLink: EmailLink{Token: "t0k"}},
		&VerifyEmailPage{Base: base("Your email address is confirmed"), EmailLink: EmailLink{Done: true}},
		&VerifyEmailPage{Base: Base{Title: "This link has expired or has been used already"}, EmailLink: EmailLink{Invalid: true}},
		&ForgottenPasswordPage{Base: withErrors(base("Reset your password"), FieldError{ID: "email", Message: "Enter your email address"}), Email: "x"},
		&ForgottenPasswordPage{Base: base("Check your email"), Sent: true},
		&ResetPasswordPage{Base: withErrors(base("Choose a new password"), FieldError{ID: "password", Message: "Password must be at least 10 characters"}), EmailLink: EmailLink{Token: "t0k"}},
		&ResetPasswordPage{Base: Base{Title: "Your password has been changed"}, EmailLink: EmailLink{Done: true}},
		&ResetPasswordPage{Base: base("This link has expired or has been used already"), EmailLink: EmailLink{Invalid: true}},
		&DashboardPage{Base: base("Your offers"), Providers: []DashboardProvider{
			{ID: "p1", Name: "Headingley Arts", NewURL: "/dashboard/providers/p1/offers/new", Offers: []DashboardOffer{
				dashboardOffer(o, false),
				dashboardOffer(marketplace.Offer{ID: "o2", Title: "Old", Status: marketplace.StatusPublished}, false),
				dashboardOffer(marketplace.Offer{ID: "o3", Title: "Gone", Status: marketplace.StatusArchived}, false)}},
			{ID: "p2", Name: "Suspended Group", Suspended: true}}},
		&DashboardPage{Base: base("Your offers")},
		&OrganisationFormPage{Base: withErrors(base("Register your organisation"), FieldError{ID: "name", Message: "Enter a name"}), Name: "X", Kinds: kindOptions([]string{"community_group"})},
		&OfferFormPage{Base: withErrors(base("Change your offer"),
			FieldError{ID: "title", Message: "Enter a title"}, FieldError{ID: "when-weekly-0-start", Message: "Start time is wrong"},
			FieldError{ID: "when-dated-0-date", Message: "Enter a real date"}, FieldError{ID: "categories", Message: "Choose one"}),
			Action: "/dashboard/offers/o1", ProviderName: "Headingley Arts", Editing: true, Version: 3, Form: raw.form()},
		&ErrorPage{Base: base("Sorry, there is a problem with the service"), Status: 500, Heading: "Sorry, there is a problem with the service", Detail: "Try again later.", RequestID: "abc123"},
		&ErrorPage{Base: Base{Title: "You need to log in"}, Status: 403, Heading: "You need to log in to see this page", LoginURL: "/login?next=%2Faccount"},
	}
}

func TestEveryPageTemplateRenders(t *testing.T) {
	t.Parallel()
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := parseTemplates(a)
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, p := range slices.Concat(samplePages(), samplePoolPages(), sampleOrganiserPages(), sampleInvoicePages(), sampleAccountDataPages(), sampleNotifyPages(), sampleCardPages()) {
		name := p.templateName()
		covered[name] = true
		var buf bytes.Buffer
		if err := tmpl.execute(&buf, p); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		checkPageHTML(t, name, buf.Bytes(), p.base())
	}
	for _, name := range pageTemplates {
		if !covered[name] {
			t.Errorf("template %s has no sample page in samplePages", name)
		}
	}
}

// checkPageHTML checks what can be checked without a browser: the page parses, its ids
// are unique, every label names an input, every input has a label, every link to a
// fragment has a target, and the error summary links to the fields at fault.
func checkPageHTML(t *testing.T, name string, page []byte, b *Base) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	ids := map[string]int{}
	var labelFor, fragments []string
	var inputs []*html.Node
	var h1 int
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if id := attr(n, "id"); id != "" {
				ids[id]++
			}
			switch n.Data {
			case "h1":
				h1++
			case "label":
				labelFor = append(labelFor, attr(n, "for"))
			case "input", "select", "textarea":
				if attr(n, "type") != "hidden" {
					inputs = append(inputs, n)
				}
			case "a":
				if href := attr(n, "href"); strings.HasPrefix(href, "#") {
					fragments = append(fragments, href[1:])
				}
			case "script", "style":
				if !cardPageScript(name, n) {
					t.Errorf("%s has a <%s>: the Content-Security-Policy forbids it", name, n.Data)
				}
			}
			if attr(n, "style") != "" {
				t.Errorf("%s has a style attribute on <%s>", name, n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if h1 != 1 {
		t.Errorf("%s has %d h1 elements, want 1", name, h1)
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("%s: id %q is used %d times", name, id, n)
		}
	}
	for _, f := range labelFor {
		if ids[f] == 0 {
			t.Errorf("%s: a label is for %q, which is not an id", name, f)
		}
	}
	for _, in := range inputs {
		if id := attr(in, "id"); id == "" || !slices.Contains(labelFor, id) {
			t.Errorf("%s: <%s name=%q> has no label", name, in.Data, attr(in, "name"))
		}
	}
	for _, f := range fragments {
		if ids[f] == 0 {
			t.Errorf("%s: a link goes to #%s, which is not on the page", name, f)
		}
	}
	for _, e := range b.Errors {
		if !bytes.Contains(page, []byte(`<a href="#`+e.ID+`">`)) {
			t.Errorf("%s: the error summary does not link to #%s", name, e.ID)
		}
	}
	if len(b.Errors) > 0 && !bytes.Contains(page, []byte("<title>Error: ")) {
		t.Errorf("%s: a page with errors must say so in its title", name)
	}
}

func urlValues(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
