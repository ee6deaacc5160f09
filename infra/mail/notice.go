package mail

import (
	"bytes"
	"fmt"
	"strings"
)

// Notice is the wording of a notification email, written by the notify feature: unlike
// the fixed kinds of Render, each notification brings its own sentences. The layout is
// the same, so every Carepool email reads alike.
type Notice struct {
	Name     string // the recipient's name, for the greeting
	Subject  string
	Happened string
	Means    string
	Todo     string
	LinkText string
	Link     string // the one link, absolute (BASE_URL/...)
	// Unsubscribable adds the sentence saying how to stop emails like this one (the link
	// itself goes in the message's List-Unsubscribe header; see Message.Unsubscribe).
	Unsubscribable bool
}

// RenderNotice fills in a notification email: its subject, plain text and HTML parts.
func RenderNotice(n Notice) (subject, text, html string, err error) {
	subject = strings.TrimSpace(strings.NewReplacer("\r", " ", "\n", " ").Replace(n.Subject))
	if subject == "" || n.Happened == "" {
		return "", "", "", fmt.Errorf("notice has no subject or no text")
	}
	greeting := "Hello,"
	if name := strings.TrimSpace(n.Name); name != "" {
		greeting = "Hello " + name + ","
	}
	r := rendered{Greeting: greeting, Happened: n.Happened, Means: n.Means, Todo: n.Todo, LinkText: n.LinkText,
		Link: n.Link, Unsubscribable: n.Unsubscribable}
	var tb, hb bytes.Buffer
	if err := textLayout.Execute(&tb, r); err != nil {
		return "", "", "", fmt.Errorf("render text of notice: %w", err)
	}
	if err := htmlLayout.Execute(&hb, r); err != nil {
		return "", "", "", fmt.Errorf("render html of notice: %w", err)
	}
	return subject, tb.String(), hb.String(), nil
}
