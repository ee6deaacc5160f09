package frontend

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

//go:embed templates
var templateFS embed.FS

// pageTemplates is the declared list of pages: each is templates/pages/<name>.tmpl,
// parsed together with the layout and the partials. New fails if one is missing or
// does not parse, and TestEveryPageTemplateRenders executes each with a populated page
// struct, so a template error never reaches a person.
var pageTemplates = []string{
	"home", "search", "offer", "provider", "budget-guide", "glossary",
	"signup", "login", "account",
	"calendar-feed", "account-data", "account-deleted",
	"verify-email", "forgotten-password", "reset-password",
	"dashboard", "organisation-form", "offer-form",
	"pool", "pool-list", "pool-join", "pool-pledge", "pool-commitments", "pool-approvals",
	"organiser-pools", "pool-action", "pool-propose-find", "pool-propose", "provider-pools", "session-record",
	"isf-accounts", "isf-adjust", "isf-statement", "demand", "delegations", "delegation-stop",
	"invoices", "invoice", "email-change", "password-change",
	"pledge-card", "provider-card-payments",
	"inbox", "notification-preferences", "pool-messages", "unsubscribe",
	"error",
}

// templates holds one parsed template set per page.
type templates struct {
	pages map[string]*template.Template
}

func parseTemplates(a *assets) (*templates, error) {
	funcs := template.FuncMap{
		"asset":       a.url,
		"abbr":        abbrHTML,
		"field":       field,
		"selectField": selectField,
		"choices":     choices,
		"navItem":     navItem,
		"pounds":      pounds,
		"inc":         func(n int) int { return n + 1 },
		"joinAnd":     func(ws []string) string { return joinWords(ws, "and") },
		"joinOr":      func(ws []string) string { return joinWords(ws, "or") },
		"hasError": func(e FormErrors, ids ...string) bool {
			return slices.ContainsFunc(ids, func(id string) bool { return e.For(id) != "" })
		},
	}
	base, err := template.New("layout").Funcs(funcs).ParseFS(templateFS, "templates/layout.tmpl", "templates/partials/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("frontend: parse layout: %w", err)
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, name := range pageTemplates {
		set, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := set.ParseFS(templateFS, "templates/pages/"+name+".tmpl"); err != nil {
			return nil, fmt.Errorf("frontend: parse page %s: %w", name, err)
		}
		if set.Lookup("content") == nil {
			return nil, fmt.Errorf("frontend: page %s defines no \"content\"", name)
		}
		t.pages[name] = set
	}
	// A page file that is not in the list would never be parsed: refuse it too, so the
	// list and the folder cannot drift apart.
	files, err := fs.Glob(templateFS, "templates/pages/*.tmpl")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if name := strings.TrimSuffix(path.Base(f), ".tmpl"); !slices.Contains(pageTemplates, name) {
			return nil, fmt.Errorf("frontend: %s is not in pageTemplates", f)
		}
	}
	return t, nil
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// execute renders page p into w.
func (t *templates) execute(buf *bytes.Buffer, p page) error {
	set, ok := t.pages[p.templateName()]
	if !ok {
		return fmt.Errorf("frontend: no template %q", p.templateName())
	}
	return set.ExecuteTemplate(buf, "layout", p)
}

// render fills in the base page from the request and writes the page with status. The
// page is rendered into a buffer first, so a template error becomes a proper error page
// rather than half a page.
func (h *Handler) render(c echo.Context, status int, p page) error {
	h.fillBase(c, p.base())
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := h.tmpl.execute(buf, p); err != nil {
		return fmt.Errorf("render %s: %w", p.templateName(), err)
	}
	if c.Request().Method == http.MethodHead {
		return c.NoContent(status)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// fillBase sets what every page knows from the request: who is logged in, the form
// token and the page's own address.
func (h *Handler) fillBase(c echo.Context, b *Base) {
	a := actor(c)
	if !a.Anonymous() {
		b.User = &NavUser{Name: a.Name, Provider: len(providerOrgs(a)) > 0}
	}
	b.CSRF = csrfFrom(c)
	b.Path = c.Request().URL.RequestURI()
	if b.Notice == "" && c.Request().Method == http.MethodGet {
		b.Notice = notices[c.QueryParam("done")]
	}
}
