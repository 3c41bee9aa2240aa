package redact

import (
	"bytes"
	"regexp"
)

// The rule engine both catalogs run on: a pattern (a regexp or a literal
// finder), a cheap pre-test and a replacement.

// rule is one pattern the scrubber replaces. repl gets the match's
// submatch indexes into line and returns the replacement of the whole
// match; returning the match unchanged keeps it, returning nil means "not
// a match here" and searches on from inside it.
type rule struct {
	class string
	re    *regexp.Regexp
	// pre is a cheap test that must hold for the pattern to match at all,
	// so most lines skip the regexp.
	// lower is line in ASCII lower case, for literal tests.
	pre  func(line, lower []byte) bool
	repl func(line []byte, m []int) []byte
	// find, when set, replaces re: it returns the submatch indexes of
	// the first match at or after from (absolute), or nil. Literal
	// searches beat a regexp alternation of many names by far.
	find func(line, lower []byte, from int) []int
}

func (r *rule) apply(line, lower []byte, hit func(class string)) []byte {
	if r.pre != nil && !r.pre(line, lower) {
		return line
	}
	var out []byte
	last := 0
	changed := false
	for pos := 0; pos < len(line); {
		var m []int
		if r.find != nil {
			// lower is only valid while line is unchanged.
			if changed || len(lower) != len(line) {
				lower = toLower(nil, line)
			}
			if m = r.find(line, lower, pos); m == nil {
				break
			}
		} else {
			if m = r.re.FindSubmatchIndex(line[pos:]); m == nil {
				break
			}
			for i := range m {
				if m[i] >= 0 {
					m[i] += pos
				}
			}
		}
		orig := line[m[0]:m[1]]
		rep := r.repl(line, m)
		if rep == nil {
			// Not this one, but a match may start inside it: resume
			// after its first group (the key name of name=value).
			pos = m[0] + 1
			if len(m) >= 4 && m[3] > m[0] {
				pos = m[3]
			}
			continue
		}
		pos = max(m[1], m[0]+1)
		if bytes.Equal(rep, orig) {
			continue
		}
		if !changed {
			out = make([]byte, 0, len(line)+16)
			changed = true
		}
		out = append(out, line[last:m[0]]...)
		out = append(out, rep...)
		last = m[1]
		if hit != nil {
			hit(r.class)
		}
	}
	if !changed {
		return line
	}
	return append(out, line[last:]...)
}

// applyAll applies rules in turn to line (lower is its lower-case copy)
// and returns the result with its lower-case copy: a rule that changed the
// line, even to one of the same length (alice → user1), leaves the next
// rule a new copy, or its literal finds would match the old text.
func applyAll(rules []rule, line, lower []byte, hit func(class string)) ([]byte, []byte) {
	for i := range rules {
		nl := rules[i].apply(line, lower, hit)
		if len(nl) != len(line) || len(nl) > 0 && &nl[0] != &line[0] {
			lower = toLower(lower, nl)
		}
		line = nl
	}
	return line, lower
}

func group(line []byte, m []int, i int) []byte {
	if m[2*i] < 0 {
		return nil
	}
	return line[m[2*i]:m[2*i+1]]
}

// concat joins the match's groups with replacements: parts are either a
// group number (int) or literal text (string).
func concat(line []byte, m []int, parts ...any) []byte {
	var b []byte
	for _, p := range parts {
		switch v := p.(type) {
		case int:
			b = append(b, group(line, m, v)...)
		case string:
			b = append(b, v...)
		}
	}
	return b
}

// containsAny reports whether lower contains one of the lower-case words.
func containsAny(lower []byte, words ...string) bool {
	for _, w := range words {
		if bytes.Contains(lower, []byte(w)) {
			return true
		}
	}
	return false
}

// toLower writes line in ASCII lower case into buf.
func toLower(buf, line []byte) []byte {
	buf = append(buf[:0], line...)
	for i, c := range buf {
		if 'A' <= c && c <= 'Z' {
			buf[i] = c + 'a' - 'A'
		}
	}
	return buf
}
