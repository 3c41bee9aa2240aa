package jira

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/l2diag/l2diag/ticketclient"
)

// Jira wiki markup (Data Center, REST v2) has no "plain text" mode: \X
// escapes X but \\ is a line break, so a path such as C:\share or
// \\fs01\share cannot be escaped with backslashes; -x-, +x+, ~x~, ^x^,
// {name}, [x], !x!, | and (x) format, link, embed or draw emoticons; --
// becomes a dash. The renderer shows HTML entities as their character,
// which is the one way to write a literal backslash. So: paths go into
// {{monospace}}, URLs into [links], multi-line free text into a
// {noformat} block (literal), and every other special character is
// escaped with \ or, for \ & ( : ;, an entity.

// wikiSpecial are the characters always escaped with a backslash, and
// wikiPair those that format only at a word's edge (-strike-, *bold*):
// they are escaped there, and left alone inside a word (tcp-connect,
// a_b), so the stored text stays searchable.
const (
	wikiSpecial = `{}[]|!#`
	wikiPair    = `*_?-+^~`
)

// emoticonRE matches where Jira would draw an emoticon: (x), (i), (/),
// (on), (*r), ... and :) :( :P :D ;).
var emoticonRE = regexp.MustCompile(`^(\((\*[rgby]?|on|off|[yni/x!+\-?])\)|[:;][()PD])`)

// wikiEscape makes s show as written (outside {noformat}).
func wikiEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			b.WriteString("&#92;")
		case c == '&' && i+1 < len(s) && (s[i+1] == '#' || isLetter(s[i+1])):
			b.WriteString("&amp;")
		case strings.IndexByte(wikiSpecial, c) >= 0,
			strings.IndexByte(wikiPair, c) >= 0 && !insideWord(s, i):
			b.WriteByte('\\')
			b.WriteByte(c)
		case (c == '(' || c == ':' || c == ';') && emoticonRE.MatchString(s[i:]):
			fmt.Fprintf(&b, "&#%d;", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// insideWord reports whether s[i] stands between two word characters, where
// no phrase markup can open or close.
func insideWord(s string, i int) bool {
	return i > 0 && i+1 < len(s) && isWord(s[i-1]) && isWord(s[i+1])
}

func isWord(c byte) bool { return isLetter(c) || c >= '0' && c <= '9' || c >= 0x80 }

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

var (
	urlRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://[^\s]+$`)
	// pathRE: a Windows path (C:\, \\server, \\?\), a path with a
	// backslash anywhere (CORP\ana, %USERPROFILE%\x), or a Unix path of
	// two or more segments (/etc/resolv.conf, ~/x).
	pathRE = regexp.MustCompile(`^([A-Za-z]:[\\/]|\\\\|~/|/[^/\s]+/)|\\`)
)

// wikiText renders one line of free text: each word that is a URL becomes
// a link, each path monospace, the rest is escaped. Punctuation around a
// word stays outside.
func wikiText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	words := strings.Split(s, " ")
	for i, w := range words {
		core := strings.TrimLeft(w, `("'<`)
		lead := w[:len(w)-len(core)]
		core = strings.TrimRight(core, `.,;:)"'>`)
		trail := w[len(lead)+len(core):]
		switch {
		case core == "":
			words[i] = wikiEscape(w)
		case urlRE.MatchString(core):
			words[i] = wikiEscape(lead) + "[" + linkSafe(core) + "]" + wikiEscape(trail)
		case pathRE.MatchString(core):
			words[i] = wikiEscape(lead) + "{{" + wikiEscape(core) + "}}" + wikiEscape(trail)
		default:
			words[i] = wikiEscape(w)
		}
	}
	out := strings.Join(words, " ")
	// A line starting "h1. " or "bq. " would become a heading or quote.
	if len(out) > 2 && (out[0] == 'h' || out[0] == 'b') && headingStartRE.MatchString(out) {
		out = fmt.Sprintf("&#%d;", out[0]) + out[1:]
	}
	return out
}

var headingStartRE = regexp.MustCompile(`^(h[1-6]|bq)\.`)

// linkSafe percent-encodes the characters that would end a [link].
func linkSafe(u string) string {
	return strings.NewReplacer("[", "%5B", "]", "%5D", "|", "%7C", `\`, "%5C", "{", "%7B", "}", "%7D").Replace(u)
}

// noformat wraps text in a literal block; the one sequence it cannot hold
// is its own end tag, which is broken up.
func noformat(text string) string {
	return "{noformat}\n" + strings.ReplaceAll(text, "{noformat}", "{ noformat}") + "\n{noformat}"
}

// Wiki renders the note as Jira wiki text (Data Center, REST v2).
func Wiki(n *ticketclient.Note) string {
	var b strings.Builder
	if t := strings.TrimSpace(n.Text); t != "" {
		if strings.Contains(t, "\n") {
			// Pasted output or several lines: shown verbatim.
			b.WriteString(noformat(t) + "\n\n")
		} else {
			b.WriteString(wikiText(t) + "\n\n")
		}
	}
	if n.Title != "" {
		fmt.Fprintf(&b, "h3. %s\n", wikiText(n.Title))
	}
	if n.TellUser != "" {
		b.WriteString("*What to tell the user:* " + wikiText(n.TellUser) + "\n")
	}
	if n.Summary != "" {
		b.WriteString(wikiText(n.Summary) + "\n")
	}
	if len(n.Problems) > 0 {
		b.WriteString("\n")
		for _, p := range n.Problems {
			fmt.Fprintf(&b, "* *%s* %s: %s\n", wikiEscape(strings.ToUpper(p.Status)), wikiText(p.Label), wikiText(orDash(p.Message)))
			if p.Hint != "" {
				fmt.Fprintf(&b, "** _hint:_ %s\n", wikiText(p.Hint))
			}
			if p.Seen != "" {
				fmt.Fprintf(&b, "** _seen:_ %s\n", wikiText(p.Seen))
			}
			for _, k := range p.Known {
				fmt.Fprintf(&b, "** *Known fix:* %s\n", wikiText(k))
			}
			for _, sv := range p.Solved {
				fmt.Fprintf(&b, "** _Solved before:_ %s\n", wikiText(sv))
			}
		}
		if n.More > 0 {
			fmt.Fprintf(&b, "* … and %d more in the bundle\n", n.More)
		}
	} else if n.Status != "" {
		b.WriteString("\nNo problems found.\n")
	}
	if len(n.Handoff) > 0 {
		b.WriteString("\nh4. Hand-off\n")
		for _, l := range n.Handoff {
			fmt.Fprintf(&b, "* %s\n", wikiText(l))
		}
	}
	if n.BundleName != "" {
		fmt.Fprintf(&b, "\nBundle: {{%s}} (%s)\nSHA-256: {{%s}}\n", wikiEscape(n.BundleName), ticketclient.HumanBytes(n.BundleSize), n.BundleSHA256)
	}
	if ref := n.RefLine(); ref != "" {
		// The marker is letters, digits and a colon: nothing to escape, so
		// the stored text holds it verbatim for the duplicate check.
		b.WriteString("\n" + ref + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
