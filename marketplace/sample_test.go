package marketplace

// sampleOffer returns a valid, already normalised input of kind k. Every call returns
// fresh slices and pointers, so a test may change what it gets.
func sampleOffer(k Kind) OfferInput {
	in := OfferInput{
		Kind:          k,
		Title:         "Friday art and lunch",
		Description:   "A relaxed art group with lunch, for adults who like to paint and chat.",
		Categories:    []string{"arts-and-crafts"},
		Where:         WhereInput{Mode: AtAddress, Address: &Address{Line1: "1 Park Lane", Town: "Leeds", Postcode: "LS6 2AB"}, AreasServed: []string{}},
		When:          Schedule{Weekly: []WeeklySlot{{Day: "friday", Start: "10:00", End: "14:00"}}},
		Price:         Price{Unit: PerSession, AmountPence: 4500},
		BudgetForms:   []BudgetForm{DirectPayment, CouncilManaged},
		Accessibility: []string{"step_free_access"},
		Languages:     []string{"en"},
	}
	switch k {
	case KindService:
		in.Title, in.Categories = "Day service in Headingley", []string{"day-service"}
	case KindPersonalAssistant:
		in.Title, in.Categories = "PA for getting out and about", []string{"getting-out"}
		in.Where = WhereInput{Mode: InArea, AreasServed: []string{"LS6", "LS7"}}
		in.When = Schedule{Notes: "Weekday mornings by arrangement"}
		in.Price = Price{Unit: PerHour, AmountPence: 1800}
		in.Accessibility = []string{}
	case KindCommunityActivity:
		in.Price = Price{Unit: GroupSession, AmountPence: 48000, Group: &GroupPricing{MinPeople: 4, MaxPeople: 10, FloorPence: 4800}}
	}
	return in
}
