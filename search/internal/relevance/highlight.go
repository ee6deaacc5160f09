package relevance

import "strings"

// Span is a piece of a highlighted text; Match marks the words that matched
// the query.
type Span struct {
	Text  string
	Match bool
}

// Highlight splits text into spans, marking the words that match q (a query
// word with its typos or as a prefix, or a word of a synonym phrase).
func Highlight(text string, q Query) []Span {
	toks := Tokenize(text)
	marked := make([]bool, len(toks))
	attr := Attr(toks)
	for _, reading := range q.Readings {
		for si := range reading {
			s := &reading[si]
			for i, t := range toks {
				if len(s.Words) == 1 {
					w := s.Words[0]
					if _, ok := Typos(w.Term, t.Term, w.MaxTypos, w.Prefix); ok {
						marked[i] = true
					}
				}
				for _, p := range s.Synonyms {
					if _, ok := phraseAt(attr, i, p); ok {
						for k := range p {
							marked[i+k] = true
						}
					}
				}
			}
		}
	}
	var out []Span
	add := func(s string, m bool) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Match == m {
			out[n-1].Text += s
			return
		}
		out = append(out, Span{Text: s, Match: m})
	}
	at := 0
	for i, t := range toks {
		add(text[at:t.Start], false)
		add(text[t.Start:t.End], marked[i])
		at = t.End
	}
	add(text[at:], false)
	return out
}

// Ellipsis marks text left out by Crop.
const Ellipsis = "…"

// Crop keeps about words words of spans around the first match (or from the
// start when nothing matched), marking the cut ends with Ellipsis.
func Crop(spans []Span, words int) []Span {
	type piece struct {
		text  string
		match bool
		word  bool
	}
	var ps []piece
	first := -1
	for _, s := range spans {
		if s.Match {
			if first < 0 {
				first = len(ps)
			}
			ps = append(ps, piece{s.Text, true, true})
			continue
		}
		for _, t := range splitWords(s.Text) {
			ps = append(ps, piece{t, false, strings.TrimSpace(t) != ""})
		}
	}
	countWords := 0
	for _, p := range ps {
		if p.word {
			countWords++
		}
	}
	if countWords <= words {
		return spans
	}
	start := 0
	if first > 0 {
		// Put the first match about a third of the way into the window.
		back := words / 3
		start = first
		for start > 0 && back > 0 {
			start--
			if ps[start].word {
				back--
			}
		}
	}
	var out []Span
	add := func(s string, m bool) {
		if n := len(out); n > 0 && out[n-1].Match == m {
			out[n-1].Text += s
			return
		}
		out = append(out, Span{Text: s, Match: m})
	}
	if start > 0 {
		add(Ellipsis, false)
	}
	n, end := 0, start
	for end < len(ps) && n < words {
		if ps[end].word {
			n++
		}
		add(ps[end].text, ps[end].match)
		end++
	}
	if end < len(ps) {
		add(Ellipsis, false)
	}
	return out
}

// splitWords cuts s into runs of spaces and runs of non-spaces.
func splitWords(s string) []string {
	var out []string
	start := 0
	for i := 1; i <= len(s); i++ {
		if i == len(s) || (s[i] == ' ') != (s[i-1] == ' ') {
			out = append(out, s[start:i])
			start = i
		}
	}
	return out
}
