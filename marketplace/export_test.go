package marketplace

// SampleOfferInput exposes sampleOffer to the external test package.
var SampleOfferInput = sampleOffer
