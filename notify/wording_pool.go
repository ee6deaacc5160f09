package notify

import (
	"fmt"

	"github.com/carepool/carepool/pooling"
)

// The wording of the pool events. Each says what happened, what it means for this
// person and what to do, names no other person, and links to one page.

// whosePledge names the recipient's pledge from their side.
func whosePledge(r Recipient) string {
	switch r.Role {
	case RoleHolder:
		return "the pledge made for you"
	case RoleRepresentative:
		return "the pledge you made for someone you act for"
	}
	return "your pledge"
}

func seePool(p pooling.Pool) (string, string) { return "See the pool", poolPath(p.ID) }

func wordPoolConfirmed(f Facts, r Recipient) Text {
	p := f.Pool
	t := Text{Title: named(p) + " is going ahead"}
	t.LinkText, t.Path = seePool(p)
	first := "" // once the sessions have begun, there is no "first session" to announce
	if at := firstSession(p); !at.IsZero() {
		first = " The first session is on " + dateTime(at) + "."
	}
	switch r.Role {
	case RoleOrganiser:
		t.Happened = fmt.Sprintf("The pool you organise, %s, reached enough people and is confirmed.", named(p))
		t.Means = fmt.Sprintf("%d people have a place.%s", p.CountedK, first)
		t.Todo = "Nothing to do now. You can send everyone in the pool a message from its page."
	case RoleProvider:
		t.Title = "A pool on your offer is going ahead: " + named(p)
		t.Happened = fmt.Sprintf("The pool %s on your offer reached enough people and is confirmed.", named(p))
		t.Means = fmt.Sprintf("%d people have a place.%s", p.CountedK, first)
		t.Todo = "Plan your staff for it, and record each session once it has taken place."
	default:
		if r.Released {
			t.Title = named(p) + " is going ahead without " + whosePledge(r)
			t.Happened = fmt.Sprintf("The pool %s is confirmed, but the price each person pays stayed above the most %s allowed, so it was not counted.", named(p), whosePledge(r))
			t.Means = "Nothing is taken: what was set aside for it has been released."
			t.Todo = "If you still want to take part, you can pledge again with a higher limit while places are left."
			return t
		}
		if r.Waiting {
			t.Happened = fmt.Sprintf("The pool %s reached enough people and is confirmed. %s is still waiting for approval.", named(p), upper(whosePledge(r)))
			t.Means = "Once it is approved, it joins the pool from the next session that has a place, if one is left."
			t.Todo = "Nothing to do now."
			return t
		}
		t.Happened = fmt.Sprintf("The pool %s reached enough people and is confirmed: %s has a place.", named(p), whosePledge(r))
		t.Means = fmt.Sprintf("It pays %s for each session it takes part in; the rest of what was set aside is released once the first session is paid.%s",
			pounds(shareOf(r.Pledge)), first)
		t.Todo = "Nothing to do now."
	}
	return t
}

// wordPoolEnded words a pool that failed or was called off: its status says which.
func wordPoolEnded(f Facts, r Recipient) Text {
	p := f.Pool
	t := Text{Title: named(p) + " is not going ahead"}
	t.LinkText, t.Path = seePool(p)
	why := fmt.Sprintf("The pool %s did not reach enough people in time, so it has closed.", named(p))
	if p.Status == pooling.StatusCancelled {
		why = fmt.Sprintf("The pool %s has been called off.", named(p))
		if n := len(p.History); n > 0 && p.History[n-1].To == pooling.StatusCancelled && p.History[n-1].Reason != "cancelled" {
			t.InboxOnly = "The reason given: " + p.History[n-1].Reason
		}
	}
	t.Happened = why
	switch r.Role {
	case RoleOrganiser:
		t.Means = "Everything people set aside for it has been released; nobody pays anything."
		t.Todo = "If you still want the activity, you can propose a new pool, perhaps with a later deadline or a smaller group."
	case RoleProvider:
		t.Title = "A pool on your offer is not going ahead: " + named(p)
		t.Means = "No session of it will take place and nobody pays for it."
		t.Todo = "Nothing to do."
	default:
		t.Means = fmt.Sprintf("Nothing is taken for %s: everything set aside for it has been released.", whosePledge(r))
		t.Todo = "Nothing to do. You can look for other pools and activities on Carepool."
	}
	return t
}

func wordMinimumReached(f Facts, r Recipient) Text {
	p := f.Pool
	t := Text{Title: named(p) + " has enough people to go ahead"}
	t.LinkText, t.Path = seePool(p)
	t.Happened = fmt.Sprintf("Enough people have pledged to the pool %s for it to go ahead.", named(p))
	t.Means = fmt.Sprintf("It will be confirmed at its deadline, %s, or sooner if every place is taken. The price each person pays can still fall if more people join.", date(p.Deadline))
	t.Todo = "Nothing to do."
	if r.Role == RoleOrganiser {
		t.Todo = "You can confirm it now from its page, or wait for more people to bring the price down."
	}
	return t
}

func wordSessionReminder(f Facts, r Recipient) Text {
	p := f.Pool
	when := sessionStart(p, f.Session)
	t := Text{Title: "Reminder: " + named(p) + " on " + date(when)}
	t.LinkText, t.Path = seePool(p)
	t.Happened = fmt.Sprintf("A session of the pool %s starts on %s.", named(p), dateTime(when))
	t.Means = "You have a place in it."
	if r.Role == RoleRepresentative {
		t.Means = "The person you act for has a place in it."
	}
	t.Todo = "Nothing to do. If you cannot go, tell the provider or the organisers as soon as you can."
	return t
}

func wordSessionDelivered(f Facts, r Recipient) Text {
	p := f.Pool
	when := sessionStart(p, f.Session)
	t := Text{Title: fmt.Sprintf("Session %d of %s took place", f.Session+1, named(p))}
	t.LinkText, t.Path = seePool(p)
	t.Happened = fmt.Sprintf("The provider recorded that the session of %s on %s took place.", named(p), dateTime(when))
	share := int64(0)
	if r.Pledge != nil && f.Session < len(r.Pledge.Shares) {
		share = r.Pledge.Shares[f.Session]
	}
	t.Means = fmt.Sprintf("The share for it, %s, now goes to the provider.", pounds(share))
	t.Todo = "If the session did not take place, tell the organisers or the provider."
	return t
}

func wordMemberJoined(f Facts, _ Recipient) Text {
	p := f.Pool
	t := Text{Title: "Someone joined " + named(p)}
	t.LinkText, t.Path = seePool(p)
	t.Happened = fmt.Sprintf("Someone pledged to the pool you organise, %s.", named(p))
	t.Means = places(p)
	t.Todo = "Nothing to do."
	return t
}

func wordMemberWithdrew(f Facts, _ Recipient) Text {
	p := f.Pool
	t := Text{Title: "Someone left " + named(p)}
	t.LinkText, t.Path = seePool(p)
	t.Happened = fmt.Sprintf("Someone withdrew their pledge from the pool you organise, %s.", named(p))
	t.Means = places(p)
	if p.Status == pooling.StatusConfirmed {
		t.Means += " In a confirmed pool they keep paying until their notice period ends; the others share the sessions after that."
	}
	t.Todo = "Nothing to do, unless you want to invite someone else to take the place."
	return t
}

func wordNoticeEnding(f Facts, r Recipient) Text {
	p, pl := f.Pool, f.Pledge
	t := Text{Title: "Your notice to leave " + named(p) + " is ending"}
	t.LinkText, t.Path = "See the pledge", pledgePath(pl.ID)
	leaves := sessionStart(p, pl.Until)
	t.Happened = fmt.Sprintf("Notice was given to leave the pool %s. The notice period ends before the session on %s.", named(p), dateTime(leaves))
	t.Means = fmt.Sprintf("From that session on, %s takes no part and pays nothing more.", whosePledge(r))
	t.Todo = "Nothing to do."
	return t
}

func wordPoolMessage(f Facts, _ Recipient) Text {
	p := f.Pool
	t := Text{Title: "A message from the organisers of " + named(p)}
	t.LinkText, t.Path = "Read the message", poolPath(p.ID)+"/messages"
	t.Happened = fmt.Sprintf("The organisers of the pool %s sent a message to everyone in it.", named(p))
	t.Means = "You can read it on the pool's messages page."
	t.Todo = "Nothing else to do."
	t.InboxOnly = f.Message.Body
	return t
}

func wordInvited(f Facts, _ Recipient) Text {
	p := f.Pool
	t := Text{Title: "You are invited to join " + named(p) + " on Carepool"}
	t.LinkText, t.Path = seePool(p)
	if p.Visibility == pooling.InviteOnly && p.InviteCode != "" {
		t.Path = "/invites/" + p.InviteCode
	}
	t.Happened = fmt.Sprintf("The organisers of the pool %s on Carepool invited you to join it.", named(p))
	t.Means = "A pool lets people share the cost of an activity: the more people join, the less each person pays."
	t.Todo = "Open the link to see the pool and decide whether to join. If you do not know the organisers, you can ignore this email."
	return t
}
