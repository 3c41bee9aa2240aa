package redact

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
)

// MaxLineLength is the longest line the scrubber sees whole; a longer one
// is cut at its last separator before the limit (see splitLines).
const MaxLineLength = 64 << 10

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
	l, s.lower = applyAll(secretRules, l, s.lower, hit)
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
