// Package kb is the team's knowledge base of known fixes: a folder of
// Markdown files, each with YAML front matter saying when it applies (cause
// codes, finding codes, evidence patterns, operating systems) and a body
// with the fix. A run's conclusions are matched against the entries
// deterministically; the best matches are shown under each conclusion.
//
// The knowledge base is read-only data: nothing in it is executed, nothing
// is written back at run time, and a malformed entry is reported and
// skipped while the others still match. docs/knowledge.md documents the
// format.
package kb

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Entry is one known fix.
type Entry struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	// Status is published (the default), draft (written by `kb new`, not
	// matched until someone finishes it) or retired (kept for history,
	// never matched).
	Status string `yaml:"status,omitempty"`
	// Owner is the team that maintains the entry.
	Owner string `yaml:"owner,omitempty"`
	// Link is where the entry lives for people (wiki page, ServiceNow
	// known-error article); the file path is shown when it is empty.
	Link    string   `yaml:"link,omitempty"`
	Updated string   `yaml:"updated,omitempty"`
	Tags    []string `yaml:"tags,omitempty"`
	Match   Match    `yaml:"match"`

	// Body is the Markdown after the front matter: the fix.
	Body string `yaml:"-"`
	// Source is the file the entry came from.
	Source string `yaml:"-"`
}

// Match says when an entry applies. Every condition given must hold: a
// cause code (any of Causes), a finding code among the conclusion's
// evidence (any of Findings), each evidence pattern, the host's OS.
type Match struct {
	Causes   []string            `yaml:"causes,omitempty,flow"`
	Findings []string            `yaml:"findings,omitempty,flow"`
	Evidence map[string]Patterns `yaml:"evidence,omitempty"`
	OS       []string            `yaml:"os,omitempty,flow"`
}

// Patterns are the accepted values of one evidence key: a glob ("10.8.*")
// or a list of them. * matches any run of characters, ? one character;
// matching ignores case.
type Patterns []string

// UnmarshalYAML accepts one pattern or a list.
func (p *Patterns) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*p = Patterns{n.Value}
		return nil
	case yaml.SequenceNode:
		var list []string
		if err := n.Decode(&list); err != nil {
			return err
		}
		*p = list
		return nil
	}
	return fmt.Errorf("line %d: an evidence pattern is a string or a list of strings", n.Line)
}

// The entry statuses.
const (
	StatusPublished = "published"
	StatusDraft     = "draft"
	StatusRetired   = "retired"
)

// Live reports whether the entry takes part in matching.
func (e *Entry) Live() bool { return e.Status == "" || e.Status == StatusPublished }

// Where is what people follow to read the entry: its link, else its file.
func (e *Entry) Where() string {
	if e.Link != "" {
		return e.Link
	}
	return e.Source
}

// OSNames are the operating systems match.os accepts (Go's names, plus
// macos for darwin).
var OSNames = []string{"linux", "windows", "darwin", "macos"}

var (
	idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	// A conclusion code: triage's cause.*, or a verdict such as watch's
	// watch.intermittent.
	causePattern   = regexp.MustCompile(`^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$`)
	findingPattern = regexp.MustCompile(`^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$`)
	keyPattern     = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	yamlLineRe     = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownKeyRe   = regexp.MustCompile(`field (\S+) not found in type kb\.\w+`)
)

// maxEntrySize bounds one file: an entry is a page of text, and a huge file
// in the folder must not slow every run.
const maxEntrySize = 256 << 10

// Parse reads one entry file. Source names it in errors. The error says
// what is wrong and where (file:line), in words a team lead can act on.
func Parse(data []byte, source string) (*Entry, error) {
	if len(data) > maxEntrySize {
		return nil, fmt.Errorf("%s: %d bytes is too large for an entry (at most %d KiB)", source, len(data), maxEntrySize>>10)
	}
	front, body, err := splitFrontMatter(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	e := &Entry{Source: source}
	dec := yaml.NewDecoder(bytes.NewReader(front))
	dec.KnownFields(true)
	if err := dec.Decode(e); err != nil {
		if errors.Is(err, errEmpty) || strings.TrimSpace(string(front)) == "" {
			return nil, fmt.Errorf("%s:2: the front matter is empty (an entry needs id, title and match)", source)
		}
		return nil, fmt.Errorf("%s: %s", source, yamlMessage(err))
	}
	e.Body = strings.TrimSpace(string(body))
	if err := e.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	e.normalize()
	return e, nil
}

var errEmpty = errors.New("EOF")

// yamlMessage turns yaml.v3's "yaml: line 3: ..." into "line 4: ..." in
// file lines (the front matter starts after the opening ---).
func yamlMessage(err error) string {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		var n int
		fmt.Sscan(m[1], &n)
		inner := m[2]
		if f := unknownKeyRe.FindStringSubmatch(inner); f != nil {
			inner = fmt.Sprintf("unknown key %q (the keys are listed in docs/knowledge.md)", f[1])
		}
		return fmt.Sprintf("line %d: %s", n+1, inner)
	}
	return msg
}

// splitFrontMatter cuts "---\n<yaml>\n---\n<body>". A byte-order mark and
// CRLF line ends (files edited on Windows) are accepted.
func splitFrontMatter(data []byte) (front, body []byte, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	lines := strings.SplitAfter(string(data), "\n")
	if len(lines) == 0 || strings.TrimRight(lines[0], " \t\n") != "---" {
		return nil, nil, errors.New("line 1: no front matter (an entry starts with a line ---, then YAML, then ---)")
	}
	for i := 1; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t\n")
		if l == "---" || l == "..." {
			return []byte(strings.Join(lines[1:i], "")), []byte(strings.Join(lines[i+1:], "")), nil
		}
	}
	return nil, nil, errors.New("the front matter is not closed (add a line --- after the YAML)")
}

func (e *Entry) validate() error {
	switch {
	case e.ID == "":
		return errors.New("id: missing (give the entry a stable ID such as KB-DNS-007)")
	case !idPattern.MatchString(e.ID):
		return fmt.Errorf("id: %q is not an ID (letters, digits, . _ -, at most 64, e.g. KB-DNS-007)", e.ID)
	case strings.TrimSpace(e.Title) == "":
		return errors.New("title: missing (one line saying what the fix is for)")
	}
	if e.Status != "" && !slices.Contains([]string{StatusPublished, StatusDraft, StatusRetired}, e.Status) {
		return fmt.Errorf("status: %q is not a status (use published, draft or retired)", e.Status)
	}
	m := e.Match
	if len(m.Causes) == 0 && len(m.Findings) == 0 {
		return errors.New("match: needs causes or findings (an entry that matches everything is no known fix)")
	}
	for _, c := range m.Causes {
		if !causePattern.MatchString(c) {
			return fmt.Errorf("match.causes: %q is not a conclusion code (like cause.dns-wrong-answer; see l2diag explain)", c)
		}
	}
	for _, f := range m.Findings {
		if !findingPattern.MatchString(f) || strings.HasPrefix(f, "cause.") {
			return fmt.Errorf("match.findings: %q is not a finding code (like dns.unexpected-answer; see l2diag explain)", f)
		}
	}
	for k, ps := range m.Evidence {
		if !keyPattern.MatchString(k) {
			return fmt.Errorf("match.evidence: %q is not an evidence key (snake_case, like server)", k)
		}
		if len(ps) == 0 {
			return fmt.Errorf("match.evidence.%s: no pattern (give a value such as \"10.8.*\")", k)
		}
		for _, p := range ps {
			if strings.TrimSpace(p) == "" {
				return fmt.Errorf("match.evidence.%s: an empty pattern matches nothing (use \"*\" for any value)", k)
			}
		}
	}
	for _, o := range m.OS {
		if !slices.Contains(OSNames, strings.ToLower(o)) {
			return fmt.Errorf("match.os: %q is not an OS (use linux, windows or darwin)", o)
		}
	}
	return nil
}

// normalize puts the match lists in one form so matching and conflict
// detection compare like with like.
func (e *Entry) normalize() {
	for i, o := range e.Match.OS {
		o = strings.ToLower(o)
		if o == "macos" {
			o = "darwin"
		}
		e.Match.OS[i] = o
	}
	for _, l := range [][]string{e.Match.Causes, e.Match.Findings, e.Match.OS} {
		slices.Sort(l)
	}
	e.Match.Causes = slices.Compact(e.Match.Causes)
	e.Match.Findings = slices.Compact(e.Match.Findings)
	e.Match.OS = slices.Compact(e.Match.OS)
}

// conditionKey is the match block in one canonical string: two entries with
// the same key apply to exactly the same cases (a conflict `kb check` flags).
func (m Match) conditionKey() string {
	var b strings.Builder
	fmt.Fprintf(&b, "c=%s|f=%s|o=%s", strings.Join(m.Causes, ","), strings.Join(m.Findings, ","), strings.Join(m.OS, ","))
	keys := make([]string, 0, len(m.Evidence))
	for k := range m.Evidence {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		ps := slices.Clone(m.Evidence[k])
		slices.Sort(ps)
		fmt.Fprintf(&b, "|e.%s=%s", k, strings.ToLower(strings.Join(ps, ",")))
	}
	return b.String()
}
