// Package profile loads the YAML profiles that say which checks run against
// which targets with which thresholds. Loading is "defaults, then decode,
// then validate": a user profile only names what it changes, unknown keys
// and bad values are errors naming the file, line and key.
package profile

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/l2diag/l2diag/internal/userfile"
	"go.yaml.in/yaml/v3"
)

//go:embed default.yaml
var defaultYAML []byte

// symptomFS holds the built-in symptom profiles (l2diag ask, run
// --symptom): each is read on top of the default like a user profile.
//
//go:embed symptoms/*.yaml
var symptomFS embed.FS

// DefaultName is the name of the built-in profile.
const DefaultName = "default"

// Profile is a loaded, validated profile.
type Profile struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// Timeout is the whole run's budget.
	Timeout Duration `yaml:"timeout"`
	// CheckTimeout is each check's deadline unless the check sets its own.
	CheckTimeout Duration `yaml:"check_timeout"`
	// Concurrency bounds how many checks run at once.
	Concurrency int      `yaml:"concurrency"`
	Skip        []string `yaml:"skip"`

	Net  Net  `yaml:"net"`
	DNS  DNS  `yaml:"dns"`
	Host Host `yaml:"host"`
	Perm Perm `yaml:"perm"`
	Org  Org  `yaml:"org"`
	KB   KB   `yaml:"kb"`
	// Watch tunes `l2diag watch`.
	Watch Watch `yaml:"watch"`

	// Source is where the profile came from: "built-in" or a file path.
	Source string `yaml:"-"`
	root   *yaml.Node
}

// Error is a profile problem: which file, line and key, and what is wrong.
type Error struct {
	Source string
	Line   int
	Key    string
	Msg    string
}

func (e *Error) Error() string {
	loc := e.Source
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", loc, e.Line)
	}
	if e.Key != "" {
		return fmt.Sprintf("profile %s: %s: %s", loc, e.Key, e.Msg)
	}
	return fmt.Sprintf("profile %s: %s", loc, e.Msg)
}

// Default returns the built-in default profile.
func Default() *Profile {
	p, err := parse(defaultYAML, "built-in:default")
	if err != nil {
		panic("profile: built-in default profile is invalid: " + err.Error())
	}
	return p
}

// DefaultYAML returns the built-in profile's text, for `profile show`.
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }

// Dir is where named user profiles live: <UserConfigDir>/l2diag/profiles.
func Dir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "l2diag", "profiles"), nil
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// Resolve finds a profile by NAME or FILE: a value with a path separator or
// a .yaml/.yml suffix is a file; otherwise <Dir>/NAME.yaml when it exists,
// else the built-in profile of that name. It returns the YAML and its source.
func Resolve(nameOrFile string) ([]byte, string, error) {
	if nameOrFile == "" {
		nameOrFile = DefaultName
	}
	isFile := strings.ContainsAny(nameOrFile, `/\`) || strings.HasSuffix(nameOrFile, ".yaml") || strings.HasSuffix(nameOrFile, ".yml")
	if isFile {
		data, err := userfile.Read(nameOrFile, MaxFileBytes)
		if err != nil {
			return nil, "", readError(nameOrFile, err)
		}
		return data, nameOrFile, nil
	}
	if !namePattern.MatchString(nameOrFile) {
		return nil, "", &Error{Source: nameOrFile, Msg: "not a profile name or file (use a name like default, or a path to a .yaml file)"}
	}
	if dir, err := Dir(); err == nil {
		f := filepath.Join(dir, nameOrFile+".yaml")
		data, err := userfile.Read(f, MaxFileBytes)
		switch {
		case err == nil:
			return data, f, nil
		case nameOrFile == DefaultName && errors.Is(err, fs.ErrPermission):
			// Nobody asked for this file: run as another user (sudo -u)
			// with a HOME it cannot enter, the built-in profile applies.
		case !errors.Is(err, fs.ErrNotExist):
			return nil, "", readError(f, err)
		}
	}
	if nameOrFile == DefaultName {
		return DefaultYAML(), "built-in:default", nil
	}
	if data, err := symptomFS.ReadFile("symptoms/" + nameOrFile + ".yaml"); err == nil {
		return data, "built-in:" + nameOrFile, nil
	}
	return nil, "", &Error{Source: nameOrFile, Msg: "no such profile (use default, " + strings.Join(SymptomNames(), ", ") +
		", a file path, or put NAME.yaml in the l2diag profiles directory)"}
}

// Load resolves and parses a profile. A user profile is decoded on top of
// the built-in default, so it only needs the keys it changes; a list it
// names replaces the default's list.
func Load(nameOrFile string) (*Profile, error) {
	data, src, err := Resolve(nameOrFile)
	if err != nil {
		return nil, err
	}
	return parse(data, src)
}

// MaxFileBytes caps a profile file: the built-in default is a few KiB, a
// profile with thousands of targets a few hundred.
const MaxFileBytes = 4 << 20

func readError(path string, err error) error {
	msg := err.Error()
	var ue *userfile.Error
	if errors.As(err, &ue) {
		msg = ue.What
	}
	return &Error{Source: path, Msg: "cannot read the file: it " + msg + " (give a regular .yaml file)"}
}

func parse(data []byte, source string) (*Profile, error) {
	p := defaults()
	if source != "built-in:default" {
		base, err := parse(defaultYAML, "built-in:default")
		if err != nil {
			return nil, err
		}
		p = base
		p.root = nil
	}
	p.Source = source
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, errEOF) || err.Error() == "EOF" {
			return nil, &Error{Source: source, Msg: "the file is empty (a profile needs at least a name)"}
		}
		return nil, yamlError(source, err)
	}
	// A second document (after ---) would be ignored silently by a
	// single Decode: the settings someone wrote there would not apply.
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &Error{Source: source, Line: extra.Line, Msg: "a second YAML document (after ---): a profile is one document; merge the two or split them into two files"}
	} else if !errors.Is(err, io.EOF) {
		return nil, yamlError(source, err)
	}
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	if err := strict.Decode(p); err != nil {
		e := yamlError(source, err)
		if e.Key == "" && e.Line > 0 {
			e.Key = keyAtLine(&root, e.Line)
		}
		return nil, e
	}
	p.root = &root
	if err := p.validate(); err != nil {
		return nil, err
	}
	return p, nil
}

var errEOF = errors.New("EOF")

var (
	lineRe    = regexp.MustCompile(`line (\d+): (.*)`)
	unknownRe = regexp.MustCompile(`field (\S+) not found in type (\S+)`)
)

// yamlError turns yaml.v3's messages into "file:line: key: message".
func yamlError(source string, err error) *Error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	e := &Error{Source: source, Msg: msg}
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		fmt.Sscan(m[1], &e.Line)
		e.Msg = m[2]
	}
	if m := unknownRe.FindStringSubmatch(e.Msg); m != nil {
		e.Key = m[1]
		e.Msg = fmt.Sprintf("unknown key (not a setting of %s; see `l2diag profile show default` for the accepted keys)", sectionOf(m[2]))
	}
	return e
}

// keyAtLine returns the dotted key whose value starts on line, or "".
func keyAtLine(n *yaml.Node, line int) string {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return keyAtLine(n.Content[0], line)
	}
	// A flow collection ([a, b] or {a: b}) sits on its key's line: the
	// error is about that key, not about its first element.
	if n.Style&yaml.FlowStyle != 0 {
		return ""
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			// The deepest key wins: a nested mapping starts on the line
			// of its first key, which is the one the error is about.
			if sub := keyAtLine(v, line); sub != "" {
				if strings.HasPrefix(sub, "[") {
					return k.Value + sub
				}
				return k.Value + "." + sub
			}
			if k.Line == line || v.Line == line {
				return k.Value
			}
		}
	case yaml.SequenceNode:
		for i, v := range n.Content {
			if v.Line == line {
				return fmt.Sprintf("[%d]", i)
			}
			if sub := keyAtLine(v, line); sub != "" {
				return fmt.Sprintf("[%d].%s", i, sub)
			}
		}
	}
	return ""
}

func sectionOf(goType string) string {
	t := strings.TrimPrefix(goType, "profile.")
	if t == "Profile" {
		return "the profile's top level"
	}
	return t
}

// Line returns the line of a dotted key ("net.ping.count") in the profile
// file, or 0 when unknown.
func (p *Profile) Line(key string) int {
	if p.root == nil || len(p.root.Content) == 0 {
		return 0
	}
	n := p.root.Content[0]
	line := 0
	for _, part := range strings.Split(key, ".") {
		if n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == part {
				line = n.Content[i].Line
				n = n.Content[i+1]
				found = true
				break
			}
		}
		if !found {
			return line
		}
	}
	return line
}

// errorf makes a validation error for a dotted key.
func (p *Profile) errorf(key, format string, args ...any) error {
	return &Error{Source: p.Source, Line: p.Line(key), Key: key, Msg: fmt.Sprintf(format, args...)}
}

func defaults() *Profile {
	return &Profile{
		Name:         DefaultName,
		Timeout:      Duration(30 * time.Second),
		CheckTimeout: Duration(10 * time.Second),
		Concurrency:  16,
	}
}

func (p *Profile) validate() error {
	if p.Name == "" {
		return p.errorf("name", "empty (give the profile a name)")
	}
	if p.Timeout <= 0 || p.Timeout.D() > MaxRunTimeout {
		return p.errorf("timeout", "%s is out of range (use a positive duration up to %s, e.g. 30s)", p.Timeout, fmtDur(MaxRunTimeout))
	}
	if p.CheckTimeout <= 0 || p.CheckTimeout.D() > MaxRunTimeout {
		return p.errorf("check_timeout", "%s is out of range (use a positive duration up to %s, e.g. 10s)", p.CheckTimeout, fmtDur(MaxRunTimeout))
	}
	if p.Concurrency < 1 || p.Concurrency > 256 {
		return p.errorf("concurrency", "%d is out of range (use 1 to 256)", p.Concurrency)
	}
	for _, v := range []func(*Profile) error{(*Profile).validateNet, (*Profile).validateDNS, (*Profile).validateHost, (*Profile).validatePerm, (*Profile).validateOrg, (*Profile).validateKB, (*Profile).validateWatch} {
		if err := v(p); err != nil {
			return err
		}
	}
	return nil
}

// MaxRunTimeout bounds a run's time budget (timeout, --timeout) and a
// check's: a diagnosis nobody waits an hour for; a typo such as 1000000h
// would make "never hang" a lie.
const MaxRunTimeout = time.Hour

// maxDuration bounds every other duration a profile sets (probe timeouts,
// intervals, thresholds such as certificate expiry): nothing is sensible
// beyond ten years, and a probe's own timeout is cut by its check's
// deadline anyway.
const maxDuration = maxPeriod

// fmtDur prints whole days as "3650d" and whole hours as "1h", not
// "1h0m0s".
func fmtDur(d time.Duration) string {
	if d >= 24*time.Hour && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return d.String()
}

// Duration is a time.Duration written as "500ms", "2s" or "1m" in YAML,
// at most ten years.
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

func (d Duration) String() string { return time.Duration(d).String() }

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: %q is not a duration (use e.g. 500ms, 2s or 1m)", n.Line, n.Value)
	}
	if v > maxDuration {
		return fmt.Errorf("line %d: %q is longer than %s, the most a profile duration may be", n.Line, n.Value, fmtDur(maxDuration))
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes d as a duration string.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// SymptomNames lists the built-in symptom profiles, sorted.
func SymptomNames() []string {
	entries, _ := symptomFS.ReadDir("symptoms")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return out
}
