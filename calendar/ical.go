package calendar

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// maxLineOctets is RFC 5545's limit on a content line (section 3.1), not counting the
// CRLF: longer lines are folded onto continuation lines that start with a space.
const maxLineOctets = 75

// contentWriter writes RFC 5545 content lines: CRLF line ends, every line folded at
// 75 octets without splitting a UTF-8 character.
type contentWriter struct {
	buf bytes.Buffer
}

// line writes one property. value must already be in its iCalendar form (see text for
// TEXT values); params, if any, start with ";".
func (w *contentWriter) line(name, params, value string) {
	w.fold(name + params + ":" + value)
}

// text writes a property whose value is TEXT, escaped.
func (w *contentWriter) text(name, value string) { w.line(name, "", escapeText(value)) }

// fold writes s as one content line, folded so that no physical line is longer than 75
// octets. A continuation line's leading space counts towards its 75 octets, and a fold
// never falls inside a multi-byte character (RFC 5545 says SHOULD NOT; calendar apps
// that split bytes show garbage).
func (w *contentWriter) fold(s string) {
	limit := maxLineOctets
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.buf.WriteString(s[:cut])
		w.buf.WriteString("\r\n ")
		s = s[cut:]
		limit = maxLineOctets - 1
	}
	w.buf.WriteString(s)
	w.buf.WriteString("\r\n")
}

// textEscaper escapes what TEXT values may not hold as they are (RFC 5545 section
// 3.3.11): backslash, semicolon, comma and line breaks.
var textEscaper = strings.NewReplacer(`\`, `\\`, `;`, `\;`, `,`, `\,`, "\n", `\n`)

// escapeText returns s as an iCalendar TEXT value. Control characters other than tab
// and line breaks are not allowed in TEXT, and invalid UTF-8 is not text: both are
// dropped (see cleanText), so the value always parses back to cleanText(s).
func escapeText(s string) string {
	return textEscaper.Replace(cleanText(s))
}

// cleanText is the text an iCalendar TEXT value can carry for s: valid UTF-8 without
// control characters, except tabs and line breaks (CRLF and a lone CR become LF).
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\t' || r == '\n':
			return r
		case r == utf8.RuneError, r < 0x20, r == 0x7f:
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}
