package meilifake

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// cond is a parsed filter expression.
type cond func(doc map[string]any) bool

// filterParser parses Meilisearch's filter grammar:
//
//	expr      = and ("OR" and)*
//	and       = not ("AND" not)*
//	not       = "NOT" not | "(" expr ")" | geo | condition
//	condition = attr ("=" | "!=" | ">" | ">=" | "<" | "<=") value
//	          | attr value "TO" value | attr ["NOT"] "IN" "[" value ("," value)* "]"
//	          | attr ["NOT"] "EXISTS" | attr "IS" ["NOT"] ("NULL" | "EMPTY")
//	geo       = "_geoRadius(" lat "," lng "," metres ")" | "_geoBoundingBox([" lat "," lng "],[" lat "," lng "])"
//	value     = word | "double quoted" | 'single quoted'
//
// Inside quotes a backslash escapes the next character.
type filterParser struct {
	src        string
	pos        int
	filterable []string
}

type token struct {
	kind string // "word", "string", "op", "punct", "eof"
	text string
	pos  int
}

var keywords = []string{"AND", "OR", "NOT", "IN", "TO", "EXISTS", "IS", "NULL", "EMPTY", "CONTAINS", "STARTS", "WITH"}

func (p *filterParser) fail(at int, format string, args ...any) *apiError {
	return invalid("invalid_search_filter", "%s\n%d:%d %s", fmt.Sprintf(format, args...), at+1, len(p.src)+1, p.src)
}

func (p *filterParser) next() (token, *apiError) {
	for p.pos < len(p.src) && unicode.IsSpace(rune(p.src[p.pos])) {
		p.pos++
	}
	start := p.pos
	if p.pos >= len(p.src) {
		return token{kind: "eof", pos: start}, nil
	}
	c := p.src[p.pos]
	switch {
	case strings.ContainsRune("()[],", rune(c)):
		p.pos++
		return token{"punct", string(c), start}, nil
	case c == '!' || c == '=' || c == '<' || c == '>':
		for _, op := range []string{"!=", ">=", "<=", "=", ">", "<"} {
			if strings.HasPrefix(p.src[p.pos:], op) {
				p.pos += len(op)
				return token{"op", op, start}, nil
			}
		}
		return token{}, p.fail(start, "Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `_geoRadius`, or `_geoBoundingBox` at `%s`.", p.src[start:])
	case c == '"' || c == '\'':
		p.pos++
		escaped := false
		for p.pos < len(p.src) {
			switch p.src[p.pos] {
			case '\\':
				if p.pos+1 >= len(p.src) {
					return token{}, p.fail(start, "Expression `%s` is missing the following closing delimiter: `%c`.", p.src[start:], c)
				}
				escaped = escaped || p.src[p.pos+1] == c
				p.pos += 2
				continue
			case c:
				raw := p.src[start+1 : p.pos]
				p.pos++
				if escaped {
					raw = strings.ReplaceAll(raw, "\\"+string(c), string(c))
				}
				v, err := unescape(raw)
				if err != nil {
					return token{}, p.fail(start, "Invalid escape in `%s`: %v", raw, err)
				}
				return token{"string", v, start}, nil
			}
			p.pos++
		}
		return token{}, p.fail(start, "Expression `%s` is missing the following closing delimiter: `%c`.", p.src[start:], c)
	}
	for p.pos < len(p.src) {
		r := rune(p.src[p.pos])
		if r < 0x80 && !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.') {
			break
		}
		p.pos++
	}
	if p.pos == start {
		return token{}, p.fail(start, "Was expecting a value but instead got `%s`.", p.src[start:])
	}
	return token{"word", p.src[start:p.pos], start}, nil
}

// unescape applies the escapes Meilisearch's value parser accepts.
func unescape(s string) (string, error) {
	if !strings.Contains(s, "\\") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		i++
		if i >= len(s) {
			return "", fmt.Errorf("incomplete escape")
		}
		switch s[i] {
		case '\\', '"', '\'', '/':
			b.WriteByte(s[i])
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		default:
			return "", fmt.Errorf("invalid escape \\%c", s[i])
		}
	}
	return b.String(), nil
}

func (p *filterParser) peek() (token, *apiError) {
	save := p.pos
	t, err := p.next()
	p.pos = save
	return t, err
}

func isKeyword(t token, kw string) bool { return t.kind == "word" && t.text == kw }

// parseFilter parses a filter given as a string or as Meilisearch's array
// form (outer items ANDed, inner arrays ORed).
func parseFilter(v any, filterable []string) (cond, *apiError) {
	switch f := v.(type) {
	case nil:
		return nil, nil
	case string:
		if strings.TrimSpace(f) == "" {
			return nil, nil
		}
		p := &filterParser{src: f, filterable: filterable}
		c, err := p.expr()
		if err != nil {
			return nil, err
		}
		if t, err := p.next(); err != nil {
			return nil, err
		} else if t.kind != "eof" {
			return nil, p.fail(t.pos, "Found unexpected characters at the end of the filter: `%s`. You probably forgot an `OR` or an `AND` rule.", f[t.pos:])
		}
		return c, nil
	case []any:
		var all []cond
		for _, item := range f {
			var c cond
			var err *apiError
			if inner, ok := item.([]any); ok {
				var any []cond
				for _, s := range inner {
					ic, err := parseFilter(s, filterable)
					if err != nil {
						return nil, err
					}
					if ic != nil {
						any = append(any, ic)
					}
				}
				c = or(any)
			} else {
				c, err = parseFilter(item, filterable)
			}
			if err != nil {
				return nil, err
			}
			if c != nil {
				all = append(all, c)
			}
		}
		return and(all), nil
	}
	return nil, invalid("invalid_search_filter", "Invalid syntax for the filter parameter: `expected String, Array, found: %v`.", v)
}

func and(cs []cond) cond {
	return func(d map[string]any) bool {
		for _, c := range cs {
			if !c(d) {
				return false
			}
		}
		return true
	}
}

func or(cs []cond) cond {
	return func(d map[string]any) bool {
		for _, c := range cs {
			if c(d) {
				return true
			}
		}
		return len(cs) == 0
	}
}

func (p *filterParser) expr() (cond, *apiError) {
	var ors []cond
	for {
		var ands []cond
		for {
			c, err := p.not()
			if err != nil {
				return nil, err
			}
			ands = append(ands, c)
			if t, _ := p.peek(); !isKeyword(t, "AND") {
				break
			}
			p.next()
		}
		ors = append(ors, and(ands))
		if t, _ := p.peek(); !isKeyword(t, "OR") {
			break
		}
		p.next()
	}
	if len(ors) == 1 {
		return ors[0], nil
	}
	return or(ors), nil
}

func (p *filterParser) not() (cond, *apiError) {
	t, err := p.next()
	if err != nil {
		return nil, err
	}
	switch {
	case isKeyword(t, "NOT"):
		c, err := p.not()
		if err != nil {
			return nil, err
		}
		return func(d map[string]any) bool { return !c(d) }, nil
	case t.kind == "punct" && t.text == "(":
		c, err := p.expr()
		if err != nil {
			return nil, err
		}
		if t, err := p.next(); err != nil || t.text != ")" {
			return nil, p.fail(t.pos, "Expression `%s` is missing the following closing delimiter: `)`.", p.src[t.pos:])
		}
		return c, nil
	case t.kind == "word" && (t.text == "_geoRadius" || t.text == "_geoBoundingBox"):
		return p.geo(t)
	case t.kind == "word" && slices.Contains(keywords, t.text) || t.kind != "word" && t.kind != "string":
		return nil, p.fail(t.pos, "Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `_geoRadius`, or `_geoBoundingBox` at `%s`.", p.src[t.pos:])
	}
	return p.condition(t)
}

// MatchFilter parses a filter expression as the server does, with the given
// filterable attributes, and reports whether doc (a document as decoded from
// JSON) matches it. Tests use it to check the filters an adapter builds.
func MatchFilter(expr string, filterable []string, doc map[string]any) (bool, error) {
	c, err := parseFilter(expr, filterable)
	if err != nil {
		return false, err
	}
	return c == nil || c(doc), nil
}
