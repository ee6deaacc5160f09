package openreferral

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/marketplace/outcode"
)

// Importer writes a feed's services into the marketplace as unclaimed drafts: one
// provider organisation (with no owner) per organization of the feed, and one draft offer
// per service, which only administrators see until a person from the provider claims the
// organisation. Importing the same source again updates what the last import made
// (matched by the source and the feed's ids), never duplicates it, and leaves alone
// whatever a provider has claimed.
type Importer struct {
	Store marketplace.ImportStore
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Progress, if set, is called after each organisation is written with the number of
	// services done so far and in all.
	Progress func(done, total int)
}

// Outcomes of a record.
const (
	Created   = "created"
	Updated   = "updated"
	Unchanged = "unchanged"
	Skipped   = "skipped"  // deliberately not imported (not active, or claimed since)
	Rejected  = "rejected" // not valid: see Problems
)

// RecordReport is what became of one service of the feed.
type RecordReport struct {
	Index    int       `json:"index"`
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Outcome  string    `json:"outcome"`
	LocalID  string    `json:"local_id,omitempty"`
	Problems []Problem `json:"problems,omitempty"` // why it was rejected or skipped
	Notes    []Problem `json:"notes,omitempty"`    // what was left out or assumed
}

// Report is what an import did, record by record.
type Report struct {
	Source        string         `json:"source"`
	Records       []RecordReport `json:"records"`
	Organisations map[string]int `json:"organisations"` // created, updated, unchanged, skipped, rejected
	Services      map[string]int `json:"services"`
}

// Rejected counts the services that were not valid.
func (r Report) Rejected() int { return r.Services[Rejected] }

// Import writes feed (read from source) and reports what became of every record. It
// returns an error only when it could not read what it needs from the store; a record
// that cannot be written is reported as rejected, and the others are still written. Each
// organisation is written with its services in one transaction: nothing is half-written.
func (im *Importer) Import(ctx context.Context, source string, feed Feed) (Report, error) {
	now := time.Now
	if im.Now != nil {
		now = im.Now
	}
	rep := Report{Source: source, Records: make([]RecordReport, len(feed.Records)),
		Organisations: map[string]int{}, Services: map[string]int{}}
	groups, order := im.read(feed, rep.Records)

	links, err := im.Store.ImportLinks(ctx, source)
	if err != nil {
		return rep, fmt.Errorf("import: %w", err)
	}
	unclaimed, err := im.Store.UnclaimedProviders(ctx)
	if err != nil {
		return rep, fmt.Errorf("import: %w", err)
	}
	ids, err := im.assignIDs(ctx, source, groups, links)
	if err != nil {
		return rep, err
	}
	var linkedOffers []string
	for _, l := range links {
		if l.Kind == "service" {
			linkedOffers = append(linkedOffers, l.LocalID)
		}
	}
	existing, err := im.Store.OffersByID(ctx, linkedOffers)
	if err != nil {
		return rep, fmt.Errorf("import: %w", err)
	}

	total, done := 0, 0
	for _, g := range groups {
		total += len(g.records)
	}
	for _, key := range order {
		g := groups[key]
		outcome, err := im.writeGroup(ctx, source, g, links, unclaimed, ids, existing, now().UTC().Truncate(time.Millisecond), rep.Records)
		if err != nil {
			return rep, err
		}
		rep.Organisations[outcome]++
		done += len(g.records)
		if im.Progress != nil {
			im.Progress(done, total)
		}
	}
	for _, r := range rep.Records {
		rep.Services[r.Outcome]++
	}
	return rep, nil
}

// group is one organization of the feed with its valid services.
type group struct {
	org      orgRecord
	records  []int // indexes into the feed of its services
	services []mapped
	problems []Problem // why the organisation itself cannot be imported
}

// read maps every record, and groups the valid ones by organization in feed order.
func (im *Importer) read(feed Feed, reports []RecordReport) (map[string]*group, []string) {
	groups := map[string]*group{}
	var order []string
	seen := map[string]int{}
	for i, r := range feed.Records {
		rr := &reports[i]
		*rr = RecordReport{Index: r.Index, ID: r.ID, Name: r.Name, Outcome: Rejected}
		if r.Problem != nil {
			rr.Problems = []Problem{*r.Problem}
			continue
		}
		if st := strings.ToLower(strings.TrimSpace(r.Service.Status)); st != statusActive {
			rr.Outcome = Skipped
			rr.Problems = []Problem{{Field: "status", Message: fmt.Sprintf("is %q: only active services are imported", r.Service.Status)}}
			continue
		}
		m := unmap(r.Service)
		rr.Notes = m.notes
		if first, dup := seen[m.sourceID]; dup && m.sourceID != "" {
			m.problem("id", "is the id of record %d too: each service must have its own", first)
		}
		if len(m.problems) == 0 && m.org.sourceID == "" {
			m.problem("organization.id", "is missing: every organization needs an id")
		}
		if len(m.problems) > 0 {
			rr.Problems = m.problems
			continue
		}
		seen[m.sourceID] = i
		g, ok := groups[m.org.sourceID]
		if !ok {
			g = &group{org: m.org}
			var o account.NewOrganisation
			o.Name, o.Kinds = m.org.name, m.org.kinds
			o.Normalise()
			if err := o.Validate(); err != nil {
				if e, ok := apperr.As(err); ok {
					for _, f := range e.Fields {
						g.problems = append(g.problems, Problem{Field: "organization." + f.Field, Message: f.Message})
					}
				}
			}
			groups[m.org.sourceID] = g
			order = append(order, m.org.sourceID)
		}
		g.records = append(g.records, i)
		g.services = append(g.services, m)
	}
	return groups, order
}

// ids are the local ids chosen for the records of a source, by link key.
type idMap map[string]string

// assignIDs picks the local id of every organisation and service: the one an earlier
// import linked; else the feed's own id when it is a UUID no one here uses, so a
// directory's ids survive a round trip; else a UUID derived from the source and the id.
func (im *Importer) assignIDs(ctx context.Context, source string, groups map[string]*group, links map[string]marketplace.ImportLink) (idMap, error) {
	ids := idMap{}
	var orgCandidates, offerCandidates []string
	want := func(kind, sourceID string, candidates *[]string) {
		key := kind + "/" + sourceID
		if l, ok := links[key]; ok {
			ids[key] = l.LocalID
			return
		}
		if id := strings.ToLower(sourceID); isUUID(id) {
			*candidates = append(*candidates, id)
		}
	}
	for _, g := range groups {
		want("organization", g.org.sourceID, &orgCandidates)
		for _, m := range g.services {
			want("service", m.sourceID, &offerCandidates)
		}
	}
	takenOrgs, err := im.Store.OrganisationsExist(ctx, orgCandidates)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	takenOffers, err := im.Store.OffersByID(ctx, offerCandidates)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	used := map[string]bool{}
	for _, id := range ids {
		used[id] = true
	}
	pick := func(kind, sourceID string, taken func(string) bool) {
		key := kind + "/" + sourceID
		if _, ok := ids[key]; ok {
			return
		}
		id := strings.ToLower(sourceID)
		if !isUUID(id) || taken(id) || used[id] {
			id = uuid.NewSHA1(namespace, []byte("import\x1f"+source+"\x1f"+key)).String()
		}
		ids[key], used[id] = id, true
	}
	for _, g := range groups {
		pick("organization", g.org.sourceID, func(id string) bool { return takenOrgs[id] })
		for _, m := range g.services {
			pick("service", m.sourceID, func(id string) bool { _, ok := takenOffers[id]; return ok })
		}
	}
	return ids, nil
}

// writeGroup writes one organisation and its services, and reports each of them.
func (im *Importer) writeGroup(ctx context.Context, source string, g *group, links map[string]marketplace.ImportLink,
	unclaimed map[string]*marketplace.Provider, ids idMap, existing map[string]marketplace.Offer, now time.Time, reports []RecordReport) (string, error) {
	report := func(outcome string, problems ...Problem) {
		for _, i := range g.records {
			reports[i].Outcome = outcome
			reports[i].Problems = append(reports[i].Problems, problems...)
		}
	}
	if len(g.problems) > 0 {
		report(Rejected, g.problems...)
		return Rejected, nil
	}
	orgKey := "organization/" + g.org.sourceID
	orgID := ids[orgKey]
	link, linked := links[orgKey]
	if _, open := unclaimed[orgID]; linked && !open {
		report(Skipped, Problem{Field: "organization", Message: "its provider has claimed it here, so the import leaves it and its listings alone"})
		return Skipped, nil
	}

	// The organisation's times are its services' earliest last_modified, so a listing's
	// modified date reads back as the feed gave it (see marketplace.Listing.Modified).
	stamp := now
	for _, m := range g.services {
		if !m.modified.IsZero() && m.modified.Before(stamp) {
			stamp = m.modified
		}
	}
	b := marketplace.ImportBatch{Source: source,
		Org: account.Organisation{ID: orgID, Name: g.org.name, Kinds: g.org.kinds, Status: account.StatusActive,
			CreatedBy: "import", CreatedAt: stamp, UpdatedAt: stamp, Version: 1}}
	profile := g.org.profile
	orgNotes := g.org.notes
	if len(profile.Languages) == 0 || len(profile.AreasServed) == 0 {
		langs, areas := servicesReach(g.services)
		if len(profile.Languages) == 0 {
			profile.Languages = langs
			orgNotes = append(orgNotes, Problem{Field: "organization", Message: "no languages of its own: those of its services assumed"})
		}
		if len(profile.AreasServed) == 0 && len(areas) > 0 {
			profile.AreasServed = areas
			orgNotes = append(orgNotes, Problem{Field: "organization", Message: "no areas served of its own: those of its services assumed"})
		}
	}
	profile.Normalize()
	var staged *marketplace.Provider
	if err := profile.Validate(); err != nil {
		orgNotes = append(orgNotes, Problem{Field: "organization", Message: "its profile is not complete enough to publish, so none is staged; the provider writes one after claiming: " + err.Error()})
		profile = marketplace.ProviderInput{}
	} else {
		p := marketplace.ImportedProfile(orgID, profile, stamp)
		staged = &p
	}
	orgHash := digest(g.org.name, g.org.kinds, profile)
	orgOutcome := Unchanged
	switch {
	case !linked:
		b.CreateOrg, b.Profile, orgOutcome = true, staged, Created
	case link.Hash != orgHash:
		b.UpdateOrg, b.SetProfile, b.Profile, orgOutcome = true, true, staged, Updated
		b.Org.UpdatedAt = now
		if staged != nil {
			staged.UpdatedAt = now
		}
	}
	if orgOutcome != Unchanged {
		b.Links = append(b.Links, marketplace.ImportLink{Source: source, Kind: "organization", SourceID: g.org.sourceID, LocalID: orgID, Hash: orgHash})
	}

	outcomes := make([]string, len(g.services))
	for k, m := range g.services {
		i := g.records[k]
		reports[i].Notes = append(reports[i].Notes, orgNotes...)
		key := "service/" + m.sourceID
		id := ids[key]
		reports[i].LocalID = id
		hash := digest(m.offer)
		l, wasLinked := links[key]
		switch old, ok := existing[id]; {
		case !wasLinked:
			modified := m.modified
			if modified.IsZero() || modified.After(now) {
				modified = now
			}
			b.Offers = append(b.Offers, marketplace.ImportedOffer(id, orgID, m.offer, modified, modified))
			outcomes[k] = Created
		case !ok || old.Status != marketplace.StatusDraft || old.ProviderID != orgID:
			outcomes[k] = Skipped
			reports[i].Problems = append(reports[i].Problems, Problem{Message: "the listing made by the last import has been published, archived or removed here, so the import leaves it alone"})
			continue
		case l.Hash == hash:
			outcomes[k] = Unchanged
			continue
		default:
			o := marketplace.ImportedOffer(id, orgID, m.offer, old.CreatedAt, now)
			o.Version = old.Version + 1
			b.Offers = append(b.Offers, o)
			outcomes[k] = Updated
		}
		b.Links = append(b.Links, marketplace.ImportLink{Source: source, Kind: "service", SourceID: m.sourceID, LocalID: id, Hash: hash})
	}
	if len(b.Links) > 0 {
		if err := im.Store.SaveImport(ctx, b); err != nil {
			if !errors.Is(err, marketplace.ErrImportConflict) && apperr.KindOf(err) == apperr.Internal {
				return "", fmt.Errorf("import organization %s: %w", g.org.sourceID, err)
			}
			report(Rejected, Problem{Field: "organization", Message: apperrMessage(err)})
			return Rejected, nil
		}
	}
	for k, i := range g.records {
		reports[i].Outcome = outcomes[k]
	}
	return orgOutcome, nil
}

// servicesReach is the languages and postcode areas of an organization's services, for a
// provider profile that does not give its own.
func servicesReach(services []mapped) (langs, areas []string) {
	for _, m := range services {
		for _, l := range m.offer.Languages {
			if !slices.Contains(langs, l) {
				langs = append(langs, l)
			}
		}
		codes := m.offer.Where.AreasServed
		if a := m.offer.Where.Address; a != nil {
			if code, ok := outcode.Normalize(a.Postcode); ok {
				codes = append([]string{code}, codes...)
			}
		}
		for _, c := range codes {
			if !slices.Contains(areas, c) && len(areas) < 30 {
				areas = append(areas, c)
			}
		}
	}
	return langs, areas
}

func apperrMessage(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Message
	}
	return err.Error()
}

// digest is a hash of what was imported, to tell an unchanged record.
func digest(parts ...any) string {
	b, err := json.Marshal(parts)
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Write prints the report for a person: a summary, then every service that was not
// imported as it stood, with the fields at fault.
func (r Report) Write(w io.Writer) error {
	var b strings.Builder
	count := func(m map[string]int) string {
		var parts []string
		for _, k := range []string{Created, Updated, Unchanged, Skipped, Rejected} {
			if m[k] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", m[k], k))
			}
		}
		if len(parts) == 0 {
			return "none"
		}
		return strings.Join(parts, ", ")
	}
	fmt.Fprintf(&b, "Imported from %s\n  organisations: %s\n  services: %s\n", r.Source, count(r.Organisations), count(r.Services))
	for _, rec := range r.Records {
		if len(rec.Problems) == 0 && len(rec.Notes) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\nservice %d (id %q, %q): %s\n", rec.Index, rec.ID, rec.Name, rec.Outcome)
		for _, p := range rec.Problems {
			fmt.Fprintf(&b, "  ✗ %s\n", p)
		}
		for _, p := range dedupeProblems(rec.Notes) {
			fmt.Fprintf(&b, "  · %s\n", p)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func dedupeProblems(ps []Problem) []Problem {
	var out []Problem
	for _, p := range ps {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
