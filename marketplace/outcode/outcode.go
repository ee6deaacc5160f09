// Package outcode knows the UK postcode outward codes (the "LS6" in "LS6 2AB"): whether a
// code exists, where its centre is, and which codes lie within a distance of a point.
//
// The data is an embedded copy of uk-outcodes.csv (see SOURCE.md), parsed once on first use.
package outcode

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed uk-outcodes.csv
var csvData string

// Place is the approximate centre of one outward code.
type Place struct {
	Code   string  // upper case, e.g. "LS6"
	Lat    float64 // WGS84 degrees
	Lng    float64 // WGS84 degrees
	Town   string  // may be empty
	County string  // may be empty
	Region string  // may be empty
}

var (
	loadOnce sync.Once
	byCode   map[string]Place
	all      []Place
)

func load() {
	places, err := parse(csvData)
	if err != nil {
		// The file is embedded and tested; a parse failure is a build defect.
		panic(fmt.Sprintf("outcode: embedded data: %v", err))
	}
	all = places
	byCode = make(map[string]Place, len(places))
	for _, p := range places {
		byCode[p.Code] = p
	}
}

func parse(data string) ([]Place, error) {
	records, err := csv.NewReader(strings.NewReader(data)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(records) < 2 {
		return nil, fmt.Errorf("no rows")
	}
	places := make([]Place, 0, len(records)-1)
	for i, r := range records[1:] {
		if len(r) != 6 {
			return nil, fmt.Errorf("row %d: %d columns, want 6", i+2, len(r))
		}
		lat, err1 := strconv.ParseFloat(r[1], 64)
		lng, err2 := strconv.ParseFloat(r[2], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("row %d: bad coordinates %q,%q", i+2, r[1], r[2])
		}
		places = append(places, Place{Code: strings.ToUpper(r[0]), Lat: lat, Lng: lng, Town: r[3], County: r[4], Region: r[5]})
	}
	sort.Slice(places, func(i, j int) bool { return places[i].Code < places[j].Code })
	return places, nil
}

// Normalize returns the canonical (upper case, trimmed) form of an outward code and
// whether it is a known one. It also accepts a full postcode ("ls6 2ab") and returns
// its outward part.
func Normalize(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if i := strings.IndexByte(s, ' '); i > 0 {
		s = s[:i]
	}
	_, ok := Lookup(s)
	return s, ok
}

// Lookup returns the place of a known outward code, case-insensitively.
func Lookup(code string) (Place, bool) {
	loadOnce.Do(load)
	p, ok := byCode[strings.ToUpper(strings.TrimSpace(code))]
	return p, ok
}

// All returns every known outward code, sorted by code. The slice must not be modified.
func All() []Place {
	loadOnce.Do(load)
	return all
}

// Within returns the outward codes whose centre lies within miles of the point, nearest first.
func Within(lat, lng, miles float64) []Place {
	loadOnce.Do(load)
	var near []Place
	for _, p := range all {
		if DistanceMiles(lat, lng, p.Lat, p.Lng) <= miles {
			near = append(near, p)
		}
	}
	sort.SliceStable(near, func(i, j int) bool {
		return DistanceMiles(lat, lng, near[i].Lat, near[i].Lng) < DistanceMiles(lat, lng, near[j].Lat, near[j].Lng)
	})
	return near
}

const earthRadiusMiles = 3958.7613

// DistanceMiles is the great-circle (haversine) distance between two points in miles.
func DistanceMiles(lat1, lng1, lat2, lng2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLng := (lng2 - lng1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusMiles * math.Asin(math.Min(1, math.Sqrt(a)))
}
