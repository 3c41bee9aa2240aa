package redact

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"unicode"
)

// MaxLineLength is the longest line the scrubber sees whole; a longer one
// is cut at its last separator before the limit (see splitLines).
const MaxLineLength = 64 << 10

// Mask replaces a secret's value everywhere l2diag writes.
const Mask = "***"

// Classes of secrets the scrubber removes; a blocked bundle names one.
const (
	ClassPrivateKey   = "a private key"
	ClassURLPassword  = "a password in a URL (user:password@)"
	ClassAuthHeader   = "an Authorization header"
	ClassJWT          = "a JWT"
	ClassSecretValue  = "the value of a secret-named key (TOKEN/SECRET/PASSWORD/KEY)"
	ClassTokenShape   = "an API token"
	ClassKnownSecret  = "a secret value from the environment or configuration"
	ClassHostname     = "a real hostname"
	ClassUsername     = "a real username"
	ClassIPAddress    = "a real IP address"
	ClassMACAddress   = "a real MAC address"
	ClassEmail        = "an e-mail address"
	ClassSerial       = "a serial number"
	privateKeyRemoved = "[l2diag: private key removed]"
)

// masked reports whether v is the mask, also as Markdown escapes it (\*).
// notASecret reports whether a value under a secret-looking name is a
// small number or a JSON literal: a count ("private_keys": 2) or a flag,
// not a credential. Scrubbing it would block bundles for nothing.
func notASecret(v []byte) bool {
	return reSmallNumber.Match(v) || string(v) == "true" || string(v) == "false" || string(v) == "null"
}

var reSmallNumber = regexp.MustCompile(`^-?[0-9]{1,4}(\.[0-9]+)?$`)

// maskedAt reports whether the mask starts at l[i], also as Markdown
// escapes it (\*\*\*), which the value patterns cut at the backslash.
func maskedAt(l []byte, i int) bool {
	if i < 0 || i > len(l) {
		return false
	}
	if i > 0 && l[i-1] == '\\' {
		i-- // the separator pattern took the mask's first backslash
	}
	rest := l[i:]
	return bytes.HasPrefix(rest, []byte(Mask)) || bytes.HasPrefix(rest, []byte(`\*\*\*`))
}

func masked(v []byte) bool {
	return bytes.Count(v, []byte("*")) == len(Mask) && len(bytes.Trim(v, `*\`)) == 0
}

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

var (
	reURLUserPass = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)([^\s/@:'"<>]*):([^\s/@'"<>]+)@`)
	// reSMBUserPass is Samba's user%password (smb://alice%pw@server,
	// alice%pw@server); a %XX escape of a URL is no separator.
	reSMBUserPass = regexp.MustCompile(`([A-Za-z0-9_.\\-]+)%([^\s/@'"<>]+)@`)
	reAuthHeader  = regexp.MustCompile(`(?i)\b((?:proxy-)?authorization\\?["']?\s*[:=]\s*\\?["']?\s*)((?:bearer|basic|token|negotiate|ntlm|digest)\s+)?([^\s"'\\,]+)`)
	reBearer      = regexp.MustCompile(`(?i)\b(bearer\s+)([A-Za-z0-9._~+/=-]{8,})`)
	reJWT         = regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)
	// reKeyValue finds name=value, name: value, "name": "value" and the
	// same with escaped quotes inside JSON strings; secretName decides.
	reKeyValue = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_.-]*)(\\?["']?\s*[:=]\s*\\?["']?)([^\s"'\\,;&}\]]+)`)
	// reTokenShape matches the fixed shapes of well-known API tokens:
	// Atlassian, GitHub, GitLab, AWS access key IDs, Slack.
	reTokenShape = regexp.MustCompile(`\b(?:AT[AC]TT[A-Za-z0-9_=+/-]{20,}|gh[pousr]_[A-Za-z0-9]{30,}|glpat-[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,})`)
	rePEMBegin   = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----`)
	rePEMEnd     = regexp.MustCompile(`-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----`)
)

// secretWords are name segments that make a key's value a secret.
var secretWords = map[string]bool{
	"token": true, "tokens": true, "secret": true, "secrets": true, "password": true,
	"passwords": true, "passwd": true, "pwd": true, "passphrase": true, "credential": true,
	"credentials": true, "apikey": true, "privatekey": true, "secretkey": true, "accesskey": true,
	// Wi-Fi pre-shared keys: wpa_supplicant's psk=, NetworkManager's
	// psk=, netplan's password/psk:.
	"psk": true, "wpapsk": true,
}

// notSecretNames are names a secret word would claim but that hold none:
// the shell's working directories (PWD is "print working directory").
var notSecretNames = map[string]bool{"pwd": true, "oldpwd": true}

// SecretName reports whether a variable or key called name holds a secret:
// one of its words (split at _ . - and camelCase) is TOKEN, SECRET,
// PASSWORD (PASSWD, PWD, PASSPHRASE), CREDENTIALS, or its last word is KEY.
// "KEYBOARD" and "key_bits" are not secrets; "API_KEY", "apiKey" and
// "SECRET_KEY_BASE" are.
func SecretName(name string) bool {
	if notSecretNames[strings.ToLower(name)] {
		return false
	}
	words := splitName(name)
	for _, w := range words {
		if secretWords[w] {
			return true
		}
	}
	if n := len(words); n > 0 && (words[n-1] == "key" || words[n-1] == "keys") {
		return true
	}
	return false
}

func splitName(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case unicode.IsUpper(r) && i > 0 && unicode.IsLower(rs[i-1]):
			flush()
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

var tokenPrefixes = [][]byte{[]byte("ATATT"), []byte("ATCTT"), []byte("ghp_"), []byte("gho_"), []byte("ghu_"), []byte("ghs_"), []byte("ghr_"), []byte("glpat-"), []byte("AKIA"), []byte("xox")}

var secretPre = []string{"token", "secret", "pass", "pwd", "key", "cred", "psk"}

// secretRules are applied to every line of every bundle file.
var secretRules = []rule{
	{class: ClassURLPassword, re: reURLUserPass,
		pre: func(l, _ []byte) bool { return bytes.Contains(l, []byte("://")) && bytes.IndexByte(l, '@') >= 0 },
		repl: func(l []byte, m []int) []byte {
			if masked(group(l, m, 3)) || maskedAt(l, m[6]) {
				return l[m[0]:m[1]]
			}
			return concat(l, m, 1, 2, ":"+Mask+"@")
		}},
	{class: ClassURLPassword, re: reSMBUserPass,
		pre: func(l, _ []byte) bool { return bytes.IndexByte(l, '%') >= 0 && bytes.IndexByte(l, '@') >= 0 },
		repl: func(l []byte, m []int) []byte {
			pw := group(l, m, 2)
			if masked(pw) || maskedAt(l, m[4]) {
				return l[m[0]:m[1]]
			}
			if percentEscape(pw) {
				return nil
			}
			return concat(l, m, 1, "%"+Mask+"@")
		}},
	{class: ClassAuthHeader, re: reAuthHeader,
		pre: func(_, lw []byte) bool { return containsAny(lw, "authorization") },
		repl: func(l []byte, m []int) []byte {
			if masked(group(l, m, 3)) || maskedAt(l, m[6]) {
				return l[m[0]:m[1]]
			}
			return concat(l, m, 1, 2, Mask)
		}},
	{class: ClassAuthHeader, re: reBearer,
		pre:  func(_, lw []byte) bool { return containsAny(lw, "bearer") },
		repl: func(l []byte, m []int) []byte { return concat(l, m, 1, Mask) }},
	{class: ClassJWT, re: reJWT,
		pre:  func(l, _ []byte) bool { return bytes.Contains(l, []byte("eyJ")) },
		repl: func(l []byte, m []int) []byte { return []byte(Mask) }},
	{class: ClassTokenShape, re: reTokenShape,
		pre: func(l, _ []byte) bool {
			for _, p := range tokenPrefixes {
				if bytes.Contains(l, p) {
					return true
				}
			}
			return false
		},
		repl: func(l []byte, m []int) []byte { return []byte(Mask) }},
	{class: ClassSecretValue, re: reKeyValue,
		pre: func(_, lw []byte) bool { return containsAny(lw, secretPre...) },
		repl: func(l []byte, m []int) []byte {
			if !SecretName(string(group(l, m, 1))) || notASecret(group(l, m, 3)) {
				return nil
			}
			if masked(group(l, m, 3)) || maskedAt(l, m[6]) {
				return l[m[0]:m[1]]
			}
			return concat(l, m, 1, 2, Mask)
		}},
}

// percentEscape reports whether what follows a '%' is a URL escape
// (%40 for '@' in a user name) rather than Samba's user%password
// separator: two hex digits that encode no letter or digit, since URL
// encoding never escapes those.
func percentEscape(after []byte) bool {
	if len(after) < 2 || !isHex(after[0]) || !isHex(after[1]) {
		return false
	}
	b := unhex(after[0])<<4 | unhex(after[1])
	return !(b < 0x80 && nameChar(b))
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// Scrubber removes secrets from every line it sees and, when a redactor is
// set, replaces identifying data with pseudonyms. One scrubber serves all
// files of a bundle so pseudonyms stay consistent.
type Scrubber struct {
	// literals are known secret values (from the environment, ticket
	// configuration) replaced wherever they occur.
	literals [][]byte
	red      *Redactor
	// lower is the reused lower-case copy of the current line; in and
	// out are String's reused input copy and output.
	lower, in, out []byte
	// enc and encBuf quote strings for JSON.
	enc    *json.Encoder
	encBuf bytes.Buffer
}

// minLiteralSecret is the shortest known secret value replaced verbatim;
// shorter values ("1", "yes") would shred unrelated text.
const minLiteralSecret = 6

// NewScrubber returns a scrubber that masks literals (known secret values
// of at least minLiteralSecret bytes) and the secret shapes and, when red
// is set, replaces identifiers with red's pseudonyms.
func NewScrubber(literals []string, red *Redactor) *Scrubber {
	s := &Scrubber{red: red}
	seen := map[string]bool{}
	for _, l := range literals {
		l = strings.TrimSpace(l)
		if len(l) < minLiteralSecret || l == Mask || seen[l] {
			continue
		}
		seen[l] = true
		s.literals = append(s.literals, []byte(l))
	}
	return s
}

// LineState carries what spans lines: inside a private key block.
type LineState struct{ inKey bool }

// Line scrubs one line (with or without its newline). hit is told the
// class of everything replaced.
func (s *Scrubber) Line(l []byte, st *LineState, hit func(class string)) []byte {
	if st.inKey {
		if loc := rePEMEnd.FindIndex(l); loc != nil {
			st.inKey = false
			if len(bytes.TrimSpace(l[loc[1]:])) == 0 {
				return nil
			}
			return s.Line(l[loc[1]:], st, hit)
		}
		if hit != nil && len(bytes.TrimSpace(l)) > 0 {
			hit(ClassPrivateKey)
		}
		return nil
	}
	if bytes.Contains(l, []byte("PRIVATE KEY")) {
		if loc := rePEMBegin.FindIndex(l); loc != nil {
			rest := l[loc[1]:]
			head := append([]byte(nil), s.Line(l[:loc[0]], &LineState{}, hit)...)
			head = append(head, privateKeyRemoved...)
			if end := rePEMEnd.FindIndex(rest); end != nil {
				if hit != nil && len(bytes.TrimSpace(rest[:end[0]])) > 0 {
					hit(ClassPrivateKey)
				}
				return append(head, s.Line(rest[end[1]:], st, hit)...)
			}
			if hit != nil {
				hit(ClassPrivateKey)
			}
			st.inKey = true
			if bytes.HasSuffix(l, []byte("\n")) {
				head = append(head, '\n')
			}
			return head
		}
	}
	for _, lit := range s.literals {
		if bytes.Contains(l, lit) {
			l = bytes.ReplaceAll(l, lit, []byte(Mask))
			if hit != nil {
				hit(ClassKnownSecret)
			}
		}
	}
	s.lower = toLower(s.lower, l)
	for i := range secretRules {
		l = secretRules[i].apply(l, s.lower, hit)
	}
	if s.red != nil {
		l = s.red.line(l, s.lower, hit)
	}
	return l
}

// Redactor is the redactor the scrubber pseudonymises with, or nil.
func (s *Scrubber) Redactor() *Redactor { return s.red }

// String scrubs a whole (possibly multi-line) string. It reuses the
// scrubber's buffers, so a string with nothing to scrub (most of them)
// costs no allocation and comes back as is.
func (s *Scrubber) String(v string) string {
	if v == "" {
		return v
	}
	s.in = append(s.in[:0], v...)
	s.out = s.out[:0]
	changed := false
	st := &LineState{}
	eachLine(s.in, func(l []byte) {
		o := s.Line(l, st, nil)
		changed = changed || !bytes.Equal(o, l)
		s.out = append(s.out, o...)
	})
	if !changed {
		return v
	}
	return string(s.out)
}

// Write scrubs data line by line into dst. Lines longer than 64 KiB are
// split at the last separator before the limit, so what one line costs
// stays bounded whatever the input.
func (s *Scrubber) Write(dst io.Writer, data []byte, hit func(class string)) error {
	st := &LineState{}
	var err error
	eachLine(data, func(l []byte) {
		if err == nil {
			_, err = dst.Write(s.Line(l, st, hit))
		}
	})
	return err
}

// eachLine calls fn with each line of data as splitLines cuts it, without
// copying: data is already in memory, a scanner's buffer would only add
// an allocation per call.
func eachLine(data []byte, fn func(line []byte)) {
	for len(data) > 0 {
		// The window is what a scanner with a MaxLineLength
		// buffer would see, so both cut over-long lines alike.
		win := data[:min(len(data), MaxLineLength)]
		n, l, _ := splitLines(win, len(win) == len(data))
		if n == 0 {
			n, l = len(data), data
		}
		fn(l)
		data = data[n:]
	}
}

// splitLines yields lines with their newline; an over-long line is cut at
// its last space, tab, comma or semicolon before the limit.
func splitLines(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i+1], nil
	}
	if len(data) >= MaxLineLength-1 {
		cut := bytes.LastIndexAny(data, " \t,;")
		if cut <= 0 {
			cut = len(data) - 1
		}
		return cut + 1, data[:cut+1], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

func newLineScanner(r io.Reader) *bufio.Scanner {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLineLength)
	sc.Split(splitLines)
	return sc
}

// ScanLines calls fn for each line (numbered from 1) until fn returns false.
func ScanLines(r io.Reader, fn func(line []byte, n int) bool) error {
	sc := newLineScanner(r)
	n := 0
	for sc.Scan() {
		n++
		if !fn(sc.Bytes(), n) {
			return nil
		}
	}
	return sc.Err()
}
