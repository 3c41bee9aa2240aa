package redact

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

// The secret catalog: what a credential looks like in a line (private
// keys, URL passwords, Authorization headers, JWTs, API tokens, values of
// secret-named keys), and the classes a blocked bundle names.

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
	ClassSSID         = "a Wi-Fi network name"
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

// URLPasswords returns the passwords of the URLs in v (a proxy setting
// such as http://user:pass@proxy:3128), as written and decoded, so a
// password also met away from its URL is masked as a known value.
func URLPasswords(v string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '\t' }) {
		if !strings.Contains(f, "://") || !strings.Contains(f, "@") {
			continue
		}
		u, err := url.Parse(f)
		if err != nil || u.User == nil {
			continue
		}
		if pw, ok := u.User.Password(); ok && pw != "" {
			out = append(out, pw)
			if raw := rawPassword(f); raw != "" && raw != pw {
				out = append(out, raw)
			}
		}
	}
	return out
}

// rawPassword is the password of URL s as written (percent escapes kept).
func rawPassword(s string) string {
	_, rest, _ := strings.Cut(s, "://")
	info, _, ok := strings.Cut(rest, "@")
	if !ok {
		return ""
	}
	_, pw, _ := strings.Cut(info, ":")
	return pw
}
