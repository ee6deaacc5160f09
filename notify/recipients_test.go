package notify_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/notify"
	"github.com/carepool/carepool/pooling"
)

// recipientsWorld is one confirmed pool with every kind of person around it, and
// another pool with its own member, who must never hear about the first.
type recipientsWorld struct {
	*world
	alice, bob, broker, carol, dan, tim, tia, uma, umi, pat, sam, quinn string
	cora, cid, isa, ivy, tru                                            string
	council, isfOrg, trust                                              string
	pool                                                                pooling.Pool
	pa, pc, pw                                                          pooling.Pledge
}

func newRecipientsWorld(t *testing.T) *recipientsWorld {
	w := &recipientsWorld{world: newWorld(t)}
	for _, p := range []*string{&w.alice, &w.bob, &w.broker, &w.carol, &w.dan, &w.tim, &w.tia, &w.uma, &w.umi, &w.pat, &w.sam,
		&w.quinn, &w.cora, &w.cid, &w.isa, &w.ivy, &w.tru} {
		*p = w.user("person", true)
	}
	ulo := w.org(account.KindUserLedOrganisation, w.uma, map[string]account.Role{w.umi: account.RoleMember})
	provider := w.org(account.KindCommunityGroup, w.pat, nil)
	w.council = w.org(account.KindCouncil, w.cora, map[string]account.Role{w.cid: account.RoleCommissioner})
	w.isfOrg = w.org(account.KindISFProvider, w.isa, map[string]account.Role{w.ivy: account.RoleMember})
	w.trust = w.org(account.KindTrust, w.tru, nil)
	w.delegate(w.alice, w.bob, account.DelegationTrustedOther)
	w.delegate(w.alice, w.broker, account.DelegationBroker)
	w.delegate(w.dan, w.tim, account.DelegationTrustee)
	w.delegate(w.dan, w.tia, account.DelegationTrustee)

	w.pool = w.newPool(w.uma, ulo, provider, pooling.StatusConfirmed)
	w.pa = w.pledge(w.pool, w.alice, w.bob, marketplace.IndirectPayment, "", pooling.PledgeConfirmed)
	w.pc = w.pledge(w.pool, w.carol, w.carol, marketplace.DirectPayment, "", pooling.PledgeReleased)
	w.pw = w.pledge(w.pool, w.dan, w.tim, marketplace.TrustFund, w.trust, pooling.PledgeWaitingApproval, pooling.ApprovalSecondTrustee)
	other := w.newPool(w.quinn, "", provider, pooling.StatusConfirmed)
	w.pledge(other, w.quinn, w.quinn, marketplace.DirectPayment, "", pooling.PledgeConfirmed)
	return w
}

func TestEachEventReachesExactlyItsPeople(t *testing.T) {
	t.Parallel()
	w := newRecipientsWorld(t)
	cate, ivan := w.user("cate", true), w.user("ivan", true)
	council := w.pledge(w.pool, cate, cate, marketplace.CouncilManaged, w.council, pooling.PledgeWaitingApproval, pooling.ApprovalCommissioner)
	isf := w.pledge(w.pool, ivan, ivan, marketplace.ISF, w.isfOrg, pooling.PledgeWaitingApproval, pooling.ApprovalISFProvider)
	hana := w.user("hana", true)
	w.delegate(hana, w.bob, account.DelegationTrustedOther)
	w.delegate(hana, w.broker, account.DelegationBroker)
	large := w.pledge(w.pool, hana, w.bob, marketplace.DirectPayment, "", pooling.PledgeWaitingApproval, pooling.ApprovalSecondApprover)
	byOrganiser := w.pledge(w.pool, w.uma, w.uma, marketplace.DirectPayment, "", pooling.PledgePledged)
	// carol's pledge was later confirmed by an organiser: they still hear she joined.
	confirmedByUma := w.pledge(w.pool, w.carol, w.carol, marketplace.DirectPayment, "", pooling.PledgeConfirmed)
	if _, err := w.db.Collection("pledges").UpdateOne(w.ctx, bson.M{"_id": confirmedByUma.ID},
		bson.M{"$push": bson.M{"history": pooling.PledgeEvent{At: w.now.Add(time.Hour), By: w.uma, Status: pooling.PledgeConfirmed}}}); err != nil {
		t.Fatal(err)
	}
	msg := notify.PoolMessage{ID: "11111111-2222-4333-8444-555555555555", PoolID: w.pool.ID, AuthorID: w.uma, Body: "Hello all", CreatedAt: w.now}
	if err := w.notes.CreateMessage(w.ctx, msg); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ref  string
		want []string
	}{
		// Members of every kind (in, not counted, waiting; holder and representative),
		// organisers and the provider; never the other pool's member or the approvers.
		{"pool confirmed", "pool:" + w.pool.ID + ":confirmed",
			sorted(w.alice, w.bob, w.carol, w.dan, w.tim, w.uma, w.umi, w.pat, cate, ivan, hana)},
		{"second trustee: the holder, the trust, the other trustee, not the one who pledged", "pledge:" + w.pw.ID + ":approval-needed",
			sorted(w.dan, w.tru, w.tia)},
		{"commissioner: the council's commissioners, not its owner", "pledge:" + council.ID + ":approval-needed", sorted(w.cid)},
		{"ISF provider: its owners and members", "pledge:" + isf.ID + ":approval-needed", sorted(w.isa, w.ivy)},
		{"second approver: the holder and the other representatives", "pledge:" + large.ID + ":approval-needed", sorted(hana, w.broker)},
		{"approved: holder and whoever pledged", "pledge:" + w.pa.ID + ":approved", sorted(w.alice, w.bob)},
		{"withdrawn: the organisers", "pledge:" + w.pc.ID + ":withdrawn", sorted(w.uma, w.umi)},
		{"joined by an organiser: the other organisers", "pledge:" + byOrganiser.ID + ":joined", sorted(w.umi)},
		{"joined, then confirmed by an organiser: every organiser", "pledge:" + confirmedByUma.ID + ":joined", sorted(w.uma, w.umi)},
		{"session reminder: those taking part", notify.SessionRef(w.pool.ID, 0, "reminder"), sorted(w.alice, w.bob, w.carol)},
		{"charge failed: the payer", "pledge:" + w.pa.ID + ":charge-failed", sorted(w.bob)},
		{"message: live pledges but the author", "message:" + msg.ID,
			sorted(w.alice, w.bob, w.carol, w.dan, w.tim, cate, ivan, hana)},
	}
	for _, tt := range tests {
		w.deliver(tt.ref)
		for _, outsider := range []string{w.sam, w.quinn} {
			if got := w.inboxes(tt.ref)[outsider]; len(got) > 0 {
				t.Errorf("%s: someone with no part in it got %v", tt.name, got)
			}
		}
		if diff := cmp.Diff(tt.want, w.recipients(tt.ref)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestStaleEventsTellNobody(t *testing.T) {
	t.Parallel()
	w := newRecipientsWorld(t)
	for name, ref := range map[string]string{
		"approval already given":        "pledge:" + w.pa.ID + ":approval-needed",
		"minimum of a pool gone ahead":  "pool:" + w.pool.ID + ":minimum-reached",
		"a session that does not exist": notify.SessionRef(w.pool.ID, 7, "reminder"),
		"a pool that does not exist":    "pool:00000000-0000-4000-8000-000000000000:confirmed",
	} {
		if got := w.deliver(ref); got != (notify.Delivered{}) {
			t.Errorf("%s: delivered %+v", name, got)
		}
	}
}
