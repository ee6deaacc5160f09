package openreferral

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/carepool/carepool/marketplace"
)

// A Carepool price becomes one HSDS cost option: the amount in pounds (written exactly
// from pence), what it is per in amount_description, and in option a sentence a person
// can read, with the group size for a group price. The group's size and the least anyone
// pays travel exactly in the pooling attribute (see poolValue).

// unitDescriptions are the amount_description of each unit; an import reads them back.
var unitDescriptions = map[marketplace.PriceUnit]string{
	marketplace.PerHour:      "per hour",
	marketplace.PerSession:   "per session",
	marketplace.PerPerson:    "per person",
	marketplace.GroupSession: "per group session",
}

// pounds writes pence as an exact decimal number of pounds, such as 12.50.
func pounds(pence int64) json.Number {
	return json.Number(fmt.Sprintf("%d.%02d", pence/100, pence%100))
}

func money(pence int64) string { return "£" + string(pounds(pence)) }

// penceOf reads an amount of pounds exactly: "12.5", "12.50" and "1.25e1" are 1250 pence;
// fractions of a penny and negative amounts are refused.
func penceOf(n json.Number) (int64, error) {
	lit := strings.TrimSpace(string(n))
	// A huge exponent would make big.Rat compute a huge power: no price needs one.
	if i := strings.IndexAny(lit, "eE"); i >= 0 {
		if exp, err := strconv.Atoi(lit[i+1:]); err != nil || exp > 12 || exp < -12 {
			return 0, fmt.Errorf("is not a price: write it in pounds, such as 12.50")
		}
	}
	if len(lit) > 40 {
		return 0, fmt.Errorf("is not a price: write it in pounds, such as 12.50")
	}
	r, ok := new(big.Rat).SetString(lit)
	if !ok {
		return 0, fmt.Errorf("is not a number")
	}
	if r.Sign() < 0 {
		return 0, fmt.Errorf("must not be negative")
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() {
		return 0, fmt.Errorf("has a fraction of a penny")
	}
	if !r.Num().IsInt64() || r.Num().Int64() > 1<<40 {
		return 0, fmt.Errorf("is too large")
	}
	return r.Num().Int64(), nil
}

func costOption(o marketplace.Offer) CostOption {
	p := o.Price
	c := CostOption{ID: derive("cost_option", o.ID), ServiceID: o.ID, Amount: pounds(p.AmountPence), AmountDescription: unitDescriptions[p.Unit]}
	switch {
	case p.Unit == marketplace.GroupSession && p.Group != nil:
		g := p.Group
		c.AmountDescription = fmt.Sprintf("per group session, shared by %d to %d people", g.MinPeople, g.MaxPeople)
		c.Option = fmt.Sprintf("Group of %d to %d people: %s a session for the whole group, so each person pays from %s (with %d people) to %s (with %d).",
			g.MinPeople, g.MaxPeople, money(p.AmountPence), money(p.PerPersonAt(g.MaxPeople)), g.MaxPeople, money(p.PerPersonAt(g.MinPeople)), g.MinPeople)
	default:
		c.Option = fmt.Sprintf("%s %s", money(p.AmountPence), unitDescriptions[p.Unit])
	}
	return c
}

// poolValue is the pooling attribute's value: the group's size and floor, exactly.
type poolValue struct {
	MinPeople  int   `json:"min_people"`
	MaxPeople  int   `json:"max_people"`
	FloorPence int64 `json:"floor_pence"`
}

func poolValueOf(g *marketplace.GroupPricing) string {
	b, _ := json.Marshal(poolValue{MinPeople: g.MinPeople, MaxPeople: g.MaxPeople, FloorPence: g.FloorPence})
	return string(b)
}
