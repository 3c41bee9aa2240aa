package fake

import (
	"html"
	"regexp"
	"strings"
	"unicode"
)

// RenderWiki renders Jira wiki markup the way Jira Data Center shows a
// comment, reduced to what a reader sees: the visible text, and the
// effects the markup had (bold, strike, link, macro, table, line break,
// emoticon, ...). It follows Atlassian's Text Formatting Notation: \X
// escapes X and \\ is a line break; HTML entities show their character;
// {noformat} is literal; {{…}} is monospace; *, _, ??, -, +, ^, ~ format
// a run between word boundaries; [..] is a link, !..! an image, {name} a
// macro, a line starting with | a table row; -- and --- are dashes;
// (x), (i), :) and friends are emoticons. Tests use it to check that text
// sent to Data Center shows as written.
func RenderWiki(s string) (text string, effects map[string]int) {
	effects = map[string]int{}
	var out strings.Builder
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.HasPrefix(strings.TrimSpace(line), "{noformat}") {
			effects["noformat"]++
			rest := strings.TrimPrefix(strings.TrimSpace(line), "{noformat}")
			var block []string
			if rest != "" {
				block = append(block, rest)
			}
			for i++; i < len(lines); i++ {
				if j := strings.Index(lines[i], "{noformat}"); j >= 0 {
					block = append(block, lines[i][:j])
					break
				}
				block = append(block, lines[i])
			}
			out.WriteString(strings.Join(block, "\n") + "\n")
			continue
		}
		out.WriteString(renderLine(line, effects) + "\n")
	}
	return strings.TrimRight(out.String(), "\n"), effects
}

var (
	headingRE = regexp.MustCompile(`^h[1-6]\. `)
	listRE    = regexp.MustCompile(`^[*#-]+ `)
	entityRE  = regexp.MustCompile(`^&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});`)
	emoticons = []string{"(*r)", "(*g)", "(*b)", "(*y)", "(on)", "(off)", "(y)", "(n)", "(i)", "(/)", "(x)", "(!)", "(+)", "(-)", "(?)", "(*)",
		":)", ":(", ":P", ":D", ";)"}
)

func renderLine(line string, effects map[string]int) string {
	switch {
	case headingRE.MatchString(line):
		effects["heading"]++
		line = line[4:]
	case strings.HasPrefix(line, "bq. "):
		effects["quote"]++
		line = line[4:]
	case strings.TrimSpace(line) == "----":
		effects["rule"]++
		return ""
	case listRE.MatchString(line):
		effects["list"]++
		line = listRE.ReplaceAllString(line, "")
	case strings.HasPrefix(line, "|"):
		effects["table"]++
	}
	return renderInline(line, effects)
}

// pairs are the one-character phrase markups and their effect names.
var pairs = map[byte]string{'*': "strong", '_': "emphasis", '-': "strike", '+': "inserted", '^': "superscript", '~': "subscript"}

func renderInline(s string, effects map[string]int) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		rest := s[i:]
		prevSpace := i == 0 || !isWordByte(s[i-1])
		switch {
		case strings.HasPrefix(rest, `\\`):
			effects["linebreak"]++
			b.WriteString("\n")
			i += 2
			continue
		case c == '\\' && i+1 < len(s):
			b.WriteByte(s[i+1])
			i += 2
			continue
		case c == '&' && entityRE.MatchString(rest):
			m := entityRE.FindString(rest)
			b.WriteString(html.UnescapeString(m))
			i += len(m)
			continue
		case strings.HasPrefix(rest, "{{"):
			if j := strings.Index(rest[2:], "}}"); j >= 0 {
				effects["monospace"]++
				b.WriteString(renderInline(rest[2:2+j], effects))
				i += 4 + j
				continue
			}
		case c == '{':
			if j := strings.IndexByte(rest, '}'); j > 1 {
				effects["macro"]++
				i += j + 1
				continue
			}
		case c == '[':
			if j := strings.IndexByte(rest, ']'); j > 0 {
				effects["link"]++
				inner := rest[1:j]
				if k := strings.IndexByte(inner, '|'); k >= 0 {
					b.WriteString(renderInline(inner[:k], effects))
				} else {
					b.WriteString(inner)
				}
				i += j + 1
				continue
			}
		case c == '!':
			if j := strings.IndexByte(rest[1:], '!'); j > 0 && !strings.ContainsAny(rest[1:1+j], " \t") {
				effects["image"]++
				i += j + 2
				continue
			}
		case c == '|' && i > 0:
			effects["table"]++
		case strings.HasPrefix(rest, "---"):
			effects["dash"]++
			b.WriteString("—")
			i += 3
			continue
		case strings.HasPrefix(rest, "--"):
			effects["dash"]++
			b.WriteString("–")
			i += 2
			continue
		case strings.HasPrefix(rest, "??") && prevSpace:
			if j := strings.Index(rest[2:], "??"); j > 0 {
				effects["citation"]++
				b.WriteString(renderInline(rest[2:2+j], effects))
				i += 4 + j
				continue
			}
		}
		for _, e := range emoticons {
			if strings.HasPrefix(rest, e) {
				effects["emoticon"]++
				i += len(e)
				goto next
			}
		}
		if name, ok := pairs[c]; ok && prevSpace && i+1 < len(s) && s[i+1] != ' ' {
			if j := closing(s, i+1, c); j > 0 {
				effects[name]++
				b.WriteString(renderInline(s[i+1:j], effects))
				i = j + 1
				continue
			}
		}
		b.WriteByte(c)
		i++
	next:
	}
	return b.String()
}

// closing finds the end of a phrase markup opened before from: the same
// character after a non-space, followed by a non-word character.
func closing(s string, from int, c byte) int {
	for j := from + 1; j < len(s); j++ {
		if s[j] == c && s[j-1] != ' ' && s[j-1] != '\\' && (j+1 == len(s) || !isWordByte(s[j+1])) {
			return j
		}
	}
	return -1
}

func isWordByte(c byte) bool {
	return c >= 0x80 || unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))
}
