package relevance

import "testing"

func TestTyposFollowMeilisearchRules(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		query, term string
		prefix      bool
		want        int
		ok          bool
	}{
		{"swimming", "swimming", false, 0, true},
		{"swim", "swimming", true, 0, true},
		{"swim", "swimming", false, 0, false},
		{"swiming", "swimming", false, 1, true},  // 7 letters: one typo
		{"swimmnig", "swimming", false, 1, true}, // a transposition is one typo
		{"wimming", "swimming", false, 0, false}, // a changed first letter counts two
		{"yoge", "yoga", false, 0, false},        // under 5 letters: no typo
		{"photgraphy", "photography", false, 1, true},
		{"fotography", "photography", false, 0, false}, // first letter (2) + another typo
		{"fotograph", "potograph", false, 2, true},     // 9 letters: first letter alone is allowed
		{"gardning", "gardening", true, 1, true},
		{"singin", "singing", true, 0, true},
		{"sngin", "singing", true, 1, true},    // a prefix within one typo
		{"café", "cafe", false, 0, false},      // Typos compares folded terms; Tokenize folds
		{"łódzkie", "łodzkie", false, 1, true}, // runes, not bytes
		{"occupationaltherapyassessmentsandreviews", "occupationaltherapyassessmentsandreveiws", false, 1, true}, // longer than the stack rows
	} {
		n, ok := Typos(c.query, c.term, MaxTypos(c.query), c.prefix)
		if ok != c.ok || ok && n != c.want {
			t.Errorf("Typos(%q, %q, prefix=%v) = %d, %v; want %d, %v", c.query, c.term, c.prefix, n, ok, c.want, c.ok)
		}
	}
}

func TestTokenizeFoldsCaseAndAccents(t *testing.T) {
	t.Parallel()
	got := Terms("Café au LAIT, Łódź's day-centre")
	want := []string{"cafe", "au", "lait", "lodz", "s", "day", "centre"}
	if len(got) != len(want) {
		t.Fatalf("Terms = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Terms = %v, want %v", got, want)
			break
		}
	}
}
