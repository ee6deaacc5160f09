package openreferral

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Feed is what DecodeFeed read: the services of a feed, one Record each, and the page
// envelope when the feed was one page of a paged API.
type Feed struct {
	Records []Record
	Page    *Page // nil unless the feed was a page ({"contents": [...], ...})
}

// Record is one service of a feed: the decoded service, or the problem that kept it from
// being decoded. Index is its position in the feed, from 0; ID and Name are what could be
// read of it, to say which record a problem is about.
type Record struct {
	Index   int
	ID      string
	Name    string
	Service *Service
	Problem *Problem
}

// Problem says which field of a record is at fault and why, in plain English.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.Field == "" {
		return p.Message
	}
	return p.Field + ": " + p.Message
}

// MaxFeedRecords bounds how many services one feed (or page) may hold.
const MaxFeedRecords = 200_000

// DecodeFeed reads an ORUK/HSDS 3.0 feed: a JSON array of services, one page of a paged
// API ({"total_items": ..., "contents": [...]}), or a single service. Each service is
// decoded on its own, so a malformed one is reported (with the field at fault) and the
// others are still read. It returns an error only when the whole document is not such a
// feed. Fields Carepool does not use are ignored.
func DecodeFeed(data []byte) (Feed, error) {
	data = bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))) // a UTF-8 byte order mark
	if len(data) == 0 {
		return Feed{}, errors.New("the feed is empty")
	}
	var items []json.RawMessage
	var feed Feed
	switch data[0] {
	case '[':
		if err := json.Unmarshal(data, &items); err != nil {
			return Feed{}, fmt.Errorf("the feed is not a JSON array of services: %s", jsonProblem(err).Message)
		}
	case '{':
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err != nil {
			return Feed{}, fmt.Errorf("the feed is not a JSON object: %s", jsonProblem(err).Message)
		}
		contents, paged := obj["contents"]
		if !paged {
			items = []json.RawMessage{data} // a single service
			break
		}
		if err := json.Unmarshal(contents, &items); err != nil {
			return Feed{}, fmt.Errorf("the feed's contents is not an array of services: %s", jsonProblem(err).Message)
		}
		// The envelope is read leniently: a field of the wrong type is left at zero.
		page := &Page{}
		for key, dst := range map[string]any{"total_items": &page.TotalItems, "total_pages": &page.TotalPages,
			"page_number": &page.PageNumber, "size": &page.Size, "first_page": &page.FirstPage, "last_page": &page.LastPage, "empty": &page.Empty} {
			if raw, ok := obj[key]; ok {
				_ = json.Unmarshal(raw, dst)
			}
		}
		feed.Page = page
	default:
		return Feed{}, errors.New("the feed is not JSON: it should be an array of services or a page of them")
	}
	if len(items) > MaxFeedRecords {
		return Feed{}, fmt.Errorf("the feed has %d services; at most %d can be imported at once", len(items), MaxFeedRecords)
	}
	feed.Records = make([]Record, len(items))
	for i, raw := range items {
		feed.Records[i] = decodeRecord(i, raw)
	}
	return feed, nil
}

func decodeRecord(i int, raw json.RawMessage) Record {
	r := Record{Index: i}
	var label struct {
		ID   any `json:"id"`
		Name any `json:"name"`
	}
	if json.Unmarshal(raw, &label) == nil {
		r.ID, r.Name = clip(fmt.Sprint(orEmpty(label.ID)), 80), clip(fmt.Sprint(orEmpty(label.Name)), 80)
	}
	var s Service
	if err := json.Unmarshal(raw, &s); err != nil {
		p := jsonProblem(err)
		r.Problem = &p
		return r
	}
	r.Service = &s
	return r
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

// clip shortens s to at most n runes, for reports.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// jsonProblem says what is wrong with a JSON document, naming the field where it can.
func jsonProblem(err error) Problem {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "(the record)"
		}
		return Problem{Field: field, Message: fmt.Sprintf("must be %s, not %s", jsonKind(typeErr.Type.Kind().String()), typeErr.Value)}
	case errors.As(err, &syntaxErr):
		return Problem{Message: fmt.Sprintf("is not valid JSON (at byte %d): %s", syntaxErr.Offset, strings.TrimPrefix(syntaxErr.Error(), "invalid character "))}
	default:
		return Problem{Message: "is not valid JSON: " + err.Error()}
	}
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	case "float64", "float32", "int", "int64":
		return "a number"
	case "bool":
		return "true or false"
	}
	return k
}
