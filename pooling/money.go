package pooling

import (
	"fmt"
	"strconv"
)

// Split divides total pence into n parts by largest remainder: every part is the floor of
// total/n, and the first total mod n parts get one penny more. The parts differ by at
// most a penny, come largest first, and add up exactly to total. It works for any total
// (negative totals round toward minus infinity) and returns nil when n < 1.
func Split(total int64, n int) []int64 {
	if n < 1 {
		return nil
	}
	d := int64(n)
	q, r := total/d, total%d
	if r < 0 { // Go truncates toward zero; largest remainder wants the floor
		q, r = q-1, r+d
	}
	parts := make([]int64, n)
	for i := range parts {
		parts[i] = q
		if int64(i) < r {
			parts[i]++
		}
	}
	return parts
}

// Share is what each person pays at most when k people share a group price: the largest
// part of the group price split k ways, and never less than the per-person floor. It is
// the same rule as marketplace.Price.PerPersonAt. Share is 0 when k < 1.
func Share(groupPence, floorPence int64, k int) int64 {
	if k < 1 {
		return 0
	}
	d := int64(k)
	ceil := groupPence / d
	if groupPence%d > 0 {
		ceil++
	}
	return max(ceil, floorPence)
}

// Pricing is what a pool charges per session: a group price shared by the people in it,
// a per-person floor, and how many people the session needs and takes.
type Pricing struct {
	GroupPence int64 `json:"group_pence" bson:"group_pence"` // for the whole group, per session
	FloorPence int64 `json:"floor_pence" bson:"floor_pence"` // the least anyone pays per session
	MinPeople  int   `json:"min_people" bson:"min_people"`
	MaxPeople  int   `json:"max_people" bson:"max_people"`
}

// Share is the per-person share at k people.
func (p Pricing) Share(k int) int64 { return Share(p.GroupPence, p.FloorPence, k) }

// LowestShare is the least anyone can pay per session: the share when the pool is full.
// A pledge whose limit is below it could never count, so it is refused.
func (p Pricing) LowestShare() int64 { return p.Share(p.MaxPeople) }

// Parts returns what each of k people pays for one session, largest first. When the
// floor times k reaches the group price everyone pays the floor (the provider's least
// per person), so the parts add up to max(group price, floor × k). Otherwise they are
// the group price split by largest remainder, which keeps even the smallest part at or
// above the floor. The largest part always equals Share(k).
func (p Pricing) Parts(k int) []int64 {
	if k < 1 {
		return nil
	}
	if p.FloorPence*int64(k) >= p.GroupPence {
		parts := make([]int64, k)
		for i := range parts {
			parts[i] = p.FloorPence
		}
		return parts
	}
	return Split(p.GroupPence, k)
}

// Total is what a session costs the group at k people: the sum of Parts(k).
func (p Pricing) Total(k int) int64 {
	if k < 1 {
		return 0
	}
	return max(p.GroupPence, p.FloorPence*int64(k))
}

// Counted applies DOMAIN.md's counting rule to pledge limits ordered highest first (ties
// by arrival): the counted pledges are the first k, for the largest k whose k-th limit
// is at least the share at k people. It returns k and that share, or 0, 0 when no
// number of people works. Because both the limits and the share only fall as k grows,
// adding a pledge never uncounts anyone; only a withdrawal can.
func Counted(p Pricing, limits []int64) (k int, share int64) {
	for k := len(limits); k >= 1; k-- {
		if s := p.Share(k); limits[k-1] >= s {
			return k, s
		}
	}
	return 0, 0
}

// Pounds writes pence as pounds for people: "£12.05", "-£0.50".
func Pounds(pence int64) string {
	if pence < 0 {
		return "-£" + decimalPounds(pence)[1:]
	}
	return "£" + decimalPounds(pence)
}

// decimalPounds writes pence as a plain decimal for CSV ("12.05", "-0.50"), so that
// spreadsheets read it as a number without floating point on our side.
func decimalPounds(pence int64) string {
	sign, u := "", uint64(pence)
	if pence < 0 {
		sign, u = "-", -u // two's complement: right even for math.MinInt64
	}
	return fmt.Sprintf("%s%s.%02d", sign, strconv.FormatUint(u/100, 10), u%100)
}
