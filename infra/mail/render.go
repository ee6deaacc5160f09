package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

// Kinds of message Carepool sends. Each says what happened, what it means, what to do,
// and carries at most one link. None carries health or disability details: an email may
// be read by someone else, so it only ever points back to the signed-in site.
const (
	KindVerifyEmail       = "verify-email"
	KindPasswordReset     = "password-reset"
	KindPasswordChanged   = "password-changed"
	KindDelegationGranted = "delegation-granted"
	KindDelegationRevoked = "delegation-revoked"
	KindEmailChangeAsked  = "email-change-requested"
	KindEmailChanged      = "email-changed"
)

// Data is what a message may say about the people involved.
type Data struct {
	Name  string // the recipient's name
	Other string // the other person, for delegation notices
	// Role is "holder" when the recipient granted the delegation, "representative" when
	// they received it.
	Role string
	Link string // the one link, absolute (BASE_URL/...)
}

// wording is the plain English of one kind of message; each field is a text/template
// over Data. The text and HTML parts are built from the same wording so they never drift.
type wording struct {
	Subject, Happened, Means, Todo, LinkText string
}

var wordings = map[string]wording{
	KindVerifyEmail: {
		Subject:  "Confirm your email address for Carepool",
		Happened: "Someone, hopefully you, opened a Carepool account with this email address.",
		Means:    "We need to know the address is yours before we send you anything else.",
		Todo:     "Open the link below to confirm it. If you did not open an account, ignore this email and nothing more will happen.",
		LinkText: "Confirm my email address",
	},
	KindPasswordReset: {
		Subject:  "Reset your Carepool password",
		Happened: "Someone asked to reset the password of the Carepool account for this email address.",
		Means:    "The link below works once, for one hour.",
		Todo:     "If it was you, open the link and choose a new password. If it was not you, ignore this email: your password stays as it is.",
		LinkText: "Choose a new password",
	},
	KindPasswordChanged: {
		Subject:  "Your Carepool password was changed",
		Happened: "The password of your Carepool account was just changed.",
		Means:    "Everyone signed in to your account, on any device, has been signed out.",
		Todo:     "If you changed it, there is nothing to do. If you did not, reset your password now with the link below and tell us.",
		LinkText: "Reset my password",
	},
	KindEmailChangeAsked: {
		Subject:  "Someone asked to change the email address of your Carepool account",
		Happened: "Someone signed in to your Carepool account with your password and asked to use another email address for it.",
		Means:    "Nothing changes until the link we sent to the new address is opened. Then this address stops receiving Carepool emails.",
		Todo:     "If it was you, there is nothing to do. If it was not, change your password now with the link below: someone knows it.",
		LinkText: "See your account",
	},
	KindEmailChanged: {
		Subject:  "Your Carepool account has a new email address",
		Happened: "The email address of your Carepool account was changed. This address will receive no more Carepool emails.",
		Means:    "Log in with the new address from now on.",
		Todo:     "If you did not change it, reset your password with the link below and tell us at once.",
		LinkText: "Reset my password",
	},
	KindDelegationGranted: {
		Subject:  "{{if eq .Role \"holder\"}}{{.Other}} can now act for you{{else}}You can now act for {{.Other}}{{end}} on Carepool",
		Happened: "{{if eq .Role \"holder\"}}{{.Other}} can now act for you on Carepool.{{else}}{{.Other}} has given you permission to act for them on Carepool.{{end}}",
		Means:    "{{if eq .Role \"holder\"}}They can see and change what you can, until you take the permission back.{{else}}You can now see and change what they can, until they take the permission back.{{end}}",
		Todo:     "{{if eq .Role \"holder\"}}If you did not expect this, sign in and revoke the delegation at once.{{else}}Sign in to see what you can do for them.{{end}}",
		LinkText: "See delegations",
	},
	KindDelegationRevoked: {
		Subject:  "A Carepool delegation has ended",
		Happened: "{{if eq .Role \"holder\"}}{{.Other}} can no longer act for you on Carepool.{{else}}You can no longer act for {{.Other}} on Carepool.{{end}}",
		Means:    "The permission was taken back and nothing more can be done with it.",
		Todo:     "If you did not expect this, sign in and check your delegations.",
		LinkText: "See delegations",
	},
}

//go:embed templates/*
var templateFS embed.FS

var (
	textLayout = texttemplate.Must(texttemplate.ParseFS(templateFS, "templates/layout.txt"))
	htmlLayout = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/layout.html"))
)

// rendered is one message's wording after Data was filled in.
type rendered struct {
	Greeting, Happened, Means, Todo, LinkText, Link string
	// Unsubscribable notifications say how to stop them (the link itself travels in the
	// List-Unsubscribe header, so the body keeps its one link).
	Unsubscribable bool
}

// Render fills in one kind of message: its subject, plain text and HTML parts.
func Render(kind string, d Data) (subject, text, html string, err error) {
	w, ok := wordings[kind]
	if !ok {
		return "", "", "", fmt.Errorf("unknown kind of message %q", kind)
	}
	fill := func(name, src string) string {
		if err != nil {
			return ""
		}
		t, perr := texttemplate.New(kind + "." + name).Option("missingkey=error").Parse(src)
		if perr != nil {
			err = fmt.Errorf("parse %s of %s: %w", name, kind, perr)
			return ""
		}
		var b strings.Builder
		if xerr := t.Execute(&b, d); xerr != nil {
			err = fmt.Errorf("render %s of %s: %w", name, kind, xerr)
		}
		return strings.TrimSpace(b.String())
	}
	greeting := "Hello,"
	if name := strings.TrimSpace(d.Name); name != "" {
		greeting = "Hello " + name + ","
	}
	r := rendered{Greeting: greeting, Happened: fill("happened", w.Happened), Means: fill("means", w.Means),
		Todo: fill("todo", w.Todo), LinkText: fill("link", w.LinkText), Link: d.Link}
	subject = fill("subject", w.Subject)
	if err != nil {
		return "", "", "", err
	}
	subject = strings.NewReplacer("\r", " ", "\n", " ").Replace(subject)
	var tb, hb bytes.Buffer
	if err := textLayout.Execute(&tb, r); err != nil {
		return "", "", "", fmt.Errorf("render text of %s: %w", kind, err)
	}
	if err := htmlLayout.Execute(&hb, r); err != nil {
		return "", "", "", fmt.Errorf("render html of %s: %w", kind, err)
	}
	return subject, tb.String(), hb.String(), nil
}
