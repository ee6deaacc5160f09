package pooling_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/pooling"
)

func ids(views []pooling.PoolView) []string {
	out := []string{}
	for _, v := range views {
		out = append(out, v.ID)
	}
	slices.Sort(out)
	return out
}

func sorted(xs ...string) []string {
	slices.Sort(xs)
	return xs
}

func TestListsShowPublicPoolsToEveryoneAndTheRestToTheirManagers(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	public := w.openPool(t, 1, nil)
	invite := w.openPool(t, 1, func(in *pooling.PoolInput) { in.Visibility = pooling.InviteOnly })
	in := poolInput(w.offer, 1)
	in.OrganiserOrgID = w.ulo.ID
	draft, err := w.svc.ProposePool(w.uma.ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	holder := w.person(t, "Hana Holder")
	w.directPayment(t, holder)
	own, err := w.svc.ProposePool(holder.ctx(t), poolInput(w.offer, 1))
	if err != nil {
		t.Fatal(err)
	}

	listed, err := w.svc.PublicPools(context.Background(), pooling.PoolFilter{OfferID: w.offer.ID})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{public.ID}, ids(listed)); diff != "" {
		t.Errorf("public pools (-want +got):\n%s", diff)
	}
	_, err = w.svc.PublicPools(context.Background(), pooling.PoolFilter{Status: pooling.StatusDraft})
	wantKind(t, err, apperr.Invalid, "")

	for _, tt := range []struct {
		who  *person
		want []string
	}{
		{w.uma, sorted(public.ID, invite.ID, draft.ID)},
		{w.pat, sorted(public.ID, invite.ID, draft.ID, own.ID)}, // the provider of them all
		{holder, []string{own.ID}},
	} {
		got, err := w.svc.ManagedPools(tt.who.ctx(t), 0)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, ids(got)); diff != "" {
			t.Errorf("%s manages (-want +got):\n%s", tt.who.name, diff)
		}
	}
}

func TestOnlyADraftCanBeRewrittenByItsOrganiser(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	in := poolInput(w.offer, 1)
	in.OrganiserOrgID = w.ulo.ID
	draft, err := w.svc.ProposePool(w.uma.ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	in.Title, in.Visibility, in.Schedule = "Friday art, every week", pooling.InviteOnly,
		pooling.Schedule{FirstSession: in.Schedule.FirstSession, EveryDays: 7, Sessions: 8, NoticeDays: 14}
	_, err = w.svc.ReplaceDraft(w.pat.ctx(t), draft.ID, draft.Version, in)
	wantKind(t, err, apperr.Forbidden, "")
	_, err = w.svc.ReplaceDraft(w.uma.ctx(t), draft.ID, draft.Version+1, in)
	wantKind(t, err, apperr.PreconditionFailed, "")
	got, err := w.svc.ReplaceDraft(w.uma.ctx(t), draft.ID, draft.Version, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != in.Title || len(got.Sessions) != 8 || len(got.Periods) != 2 || got.InviteCode == "" {
		t.Errorf("rewritten draft %+v", got)
	}
	if _, err := w.svc.OpenPool(w.uma.ctx(t), draft.ID); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.ReplaceDraft(w.uma.ctx(t), draft.ID, got.Version+1, in)
	wantKind(t, err, apperr.Conflict, "pool-not-draft")
}
