package meilifake

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
)

func (p *filterParser) checkFilterable(attr string, at int) *apiError {
	if slices.Contains(p.filterable, attr) {
		return nil
	}
	return p.fail(at, "Attribute `%s` is not filterable. Available filterable attributes are: `%s`.", attr, strings.Join(p.filterable, ", "))
}

func (p *filterParser) value() (token, *apiError) {
	t, err := p.next()
	if err != nil {
		return t, err
	}
	if t.kind == "string" || t.kind == "word" && !slices.Contains(keywords, t.text) {
		return t, nil
	}
	return t, p.fail(t.pos, "Was expecting a value but instead got `%s`.", p.src[t.pos:])
}

func (p *filterParser) condition(attrTok token) (cond, *apiError) {
	attr := attrTok.text
	if err := p.checkFilterable(attr, attrTok.pos); err != nil {
		return nil, err
	}
	t, err := p.next()
	if err != nil {
		return nil, err
	}
	negate := false
	if isKeyword(t, "NOT") {
		negate = true
		if t, err = p.next(); err != nil {
			return nil, err
		}
		if !isKeyword(t, "IN") && !isKeyword(t, "EXISTS") {
			return nil, p.fail(t.pos, "Was expecting `IN` or `EXISTS` after `NOT` at `%s`.", p.src[t.pos:])
		}
	}
	var c cond
	switch {
	case t.kind == "op":
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		op := t.text
		c = func(d map[string]any) bool {
			return anyValue(d[attr], func(x any) bool { return compare(x, op, v.text) })
		}
		if op == "!=" {
			c = func(d map[string]any) bool {
				return !anyValue(d[attr], func(x any) bool { return compare(x, "=", v.text) })
			}
		}
	case isKeyword(t, "IN"):
		if b, err := p.next(); err != nil || b.text != "[" {
			return nil, p.fail(b.pos, "Expected `[` after `IN` keyword.")
		}
		var vals []string
		for {
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			vals = append(vals, v.text)
			sep, err := p.next()
			if err != nil {
				return nil, err
			}
			if sep.text == "]" {
				break
			}
			if sep.text != "," {
				return nil, p.fail(sep.pos, "Expected matching `]` after the list of field names given to `IN[`")
			}
		}
		c = func(d map[string]any) bool {
			return anyValue(d[attr], func(x any) bool {
				return slices.ContainsFunc(vals, func(v string) bool { return compare(x, "=", v) })
			})
		}
	case isKeyword(t, "EXISTS"):
		c = func(d map[string]any) bool { _, ok := d[attr]; return ok }
	case isKeyword(t, "IS"):
		n, err := p.next()
		if err != nil {
			return nil, err
		}
		neg := isKeyword(n, "NOT")
		if neg {
			if n, err = p.next(); err != nil {
				return nil, err
			}
		}
		switch {
		case isKeyword(n, "NULL"):
			c = func(d map[string]any) bool { v, ok := d[attr]; return ok && v == nil }
		case isKeyword(n, "EMPTY"):
			c = func(d map[string]any) bool { v, ok := d[attr]; return ok && empty(v) }
		default:
			return nil, p.fail(n.pos, "Was expecting `NULL` or `EMPTY` after `IS` at `%s`.", p.src[n.pos:])
		}
		if neg {
			inner := c
			c = func(d map[string]any) bool { return !inner(d) }
		}
	case t.kind == "word" || t.kind == "string":
		from := t.text
		if to, err := p.next(); err != nil || !isKeyword(to, "TO") {
			return nil, p.fail(t.pos, "Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `_geoRadius`, or `_geoBoundingBox` at `%s`.", p.src[attrTok.pos:])
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		c = func(d map[string]any) bool {
			return anyValue(d[attr], func(x any) bool { return compare(x, ">=", from) && compare(x, "<=", v.text) })
		}
	default:
		return nil, p.fail(t.pos, "Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `_geoRadius`, or `_geoBoundingBox` at `%s`.", p.src[t.pos:])
	}
	if negate {
		inner := c
		c = func(d map[string]any) bool { return !inner(d) }
	}
	return c, nil
}

// anyValue applies f to v, or to each element when v is an array.
func anyValue(v any, f func(any) bool) bool {
	if arr, ok := v.([]any); ok {
		return slices.ContainsFunc(arr, f)
	}
	return v != nil && f(v)
}

func empty(v any) bool {
	switch x := v.(type) {
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	}
	return 0, false
}

// compare is one filter comparison of a document value with a filter value:
// numbers compare as numbers, booleans with true/false, strings for
// equality regardless of case. Order comparisons need numbers.
func compare(x any, op, v string) bool {
	if f, ok := number(x); ok {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return false
		}
		switch op {
		case "=":
			return f == n
		case ">":
			return f > n
		case ">=":
			return f >= n
		case "<":
			return f < n
		case "<=":
			return f <= n
		}
		return false
	}
	if op != "=" {
		return false
	}
	switch y := x.(type) {
	case bool:
		return strconv.FormatBool(y) == strings.ToLower(v)
	case string:
		return strings.EqualFold(y, v)
	}
	return false
}

func (p *filterParser) numbers(n int) ([]float64, *apiError) {
	var out []float64
	for i := 0; i < n; i++ {
		t, err := p.next()
		if err != nil {
			return nil, err
		}
		f, perr := strconv.ParseFloat(t.text, 64)
		if perr != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, p.fail(t.pos, "The _geo function expects numbers, got `%s`.", t.text)
		}
		out = append(out, f)
		if i < n-1 {
			if s, err := p.next(); err != nil || s.text != "," {
				return nil, p.fail(s.pos, "The _geo function expects %d comma-separated numbers.", n)
			}
		}
	}
	return out, nil
}

func (p *filterParser) expect(s string) *apiError {
	t, err := p.next()
	if err != nil {
		return err
	}
	if t.text != s {
		return p.fail(t.pos, "Expected `%s` at `%s`.", s, p.src[t.pos:])
	}
	return nil
}

// geo parses _geoRadius(lat, lng, metres) and
// _geoBoundingBox([lat, lng], [lat, lng]) (top right, bottom left).
func (p *filterParser) geo(fn token) (cond, *apiError) {
	if err := p.checkFilterable("_geo", fn.pos); err != nil {
		return nil, err
	}
	if err := p.expect("("); err != nil {
		return nil, err
	}
	if fn.text == "_geoRadius" {
		n, err := p.numbers(3)
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		if n[0] < -90 || n[0] > 90 || n[1] < -180 || n[1] > 180 {
			return nil, p.fail(fn.pos, "Bad latitude or longitude in `_geoRadius`.")
		}
		return func(d map[string]any) bool {
			lat, lng, ok := geoOf(d)
			return ok && haversineMetres(n[0], n[1], lat, lng) <= n[2]
		}, nil
	}
	var box [4]float64
	for i := 0; i < 2; i++ {
		if i == 1 {
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
		if err := p.expect("["); err != nil {
			return nil, err
		}
		n, err := p.numbers(2)
		if err != nil {
			return nil, err
		}
		box[2*i], box[2*i+1] = n[0], n[1]
		if err := p.expect("]"); err != nil {
			return nil, err
		}
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	return func(d map[string]any) bool {
		lat, lng, ok := geoOf(d)
		return ok && lat <= box[0] && lat >= box[2] && lng <= box[1] && lng >= box[3]
	}, nil
}

func geoOf(d map[string]any) (lat, lng float64, ok bool) {
	g, _ := d["_geo"].(map[string]any)
	if g == nil {
		return 0, 0, false
	}
	lat, ok1 := number(g["lat"])
	lng, ok2 := number(g["lng"])
	return lat, lng, ok1 && ok2
}

// earthRadiusMetres is the mean Earth radius used for _geo distances.
const earthRadiusMetres = 6371008.8

func haversineMetres(lat1, lng1, lat2, lng2 float64) float64 {
	rad := math.Pi / 180
	dLat, dLng := (lat2-lat1)*rad, (lng2-lng1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusMetres * math.Asin(math.Min(1, math.Sqrt(a)))
}
