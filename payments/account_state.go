package payments

import "time"

// adopt returns the record after Stripe reported acct, and whether anything changed. A
// record without an account id takes acct's (the account was made for it: its metadata
// names the provider); a record holding another account ignores acct (an account made
// by an attempt that was then abandoned is not followed).
func (a ProviderAccount) adopt(acct Account) (ProviderAccount, bool) {
	switch {
	case acct.ID == "":
		return a, false
	case a.AccountID == "":
		next, _ := a.observe(StatusOf(acct), acct.AsOf)
		next.AccountID = acct.ID
		return next, true
	case a.AccountID != acct.ID:
		return a, false
	}
	return a.observe(StatusOf(acct), acct.AsOf)
}

// observe returns the record after Stripe reported st as of at, and whether it changed.
//
// Stripe does not deliver events in order, so a report older than the one held is
// ignored. Stripe's times are whole seconds, so two reports can carry the same time;
// they are merged cautiously: a capability counts as enabled only if every report of
// that second says so, details as submitted if any says so. The merge is commutative
// and idempotent, so whatever order the events arrive in (and however often), the
// record ends as the merge of the newest second's reports.
func (a ProviderAccount) observe(st AccountStatus, at time.Time) (ProviderAccount, bool) {
	next := a
	switch {
	case at.Before(a.StatusAsOf):
		return a, false
	case at.Equal(a.StatusAsOf):
		next.AccountStatus = AccountStatus{
			ChargesEnabled:   a.ChargesEnabled && st.ChargesEnabled,
			PayoutsEnabled:   a.PayoutsEnabled && st.PayoutsEnabled,
			DetailsSubmitted: a.DetailsSubmitted || st.DetailsSubmitted,
		}
	default:
		next.AccountStatus, next.StatusAsOf = st, at
	}
	return next, next.AccountStatus != a.AccountStatus || !next.StatusAsOf.Equal(a.StatusAsOf)
}
