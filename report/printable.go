package report

import (
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)

// Printable returns s with everything a terminal would act on instead of
// print shown as an escape: C0 controls but newline and tab (ESC, CR, BEL,
// backspace), DEL, C1 controls (U+0080–U+009F, 8-bit CSI among them),
// bidirectional overrides and isolates (text that reads differently from
// what it is) and bytes that are not UTF-8. A TLS issuer, a DNS answer, an
// HTTP header or a bundle from someone else can carry any of them; every
// human output passes its strings through here, so they print as `\x1b[2J`
// instead of clearing the screen.
func Printable(s string) string {
	i := printablePrefix(s)
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x80 && unsafeRune(r, size):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r, size):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// PrintableLine is Printable for text that must stay on one line (a table
// cell, a status line): newlines, tabs and the Unicode line and paragraph
// separators become spaces.
func PrintableLine(s string) string {
	return lineBreaks.Replace(Printable(s))
}

var lineBreaks = strings.NewReplacer("\n", " ", "\t", " ", "\u2028", " ", "\u2029", " ")

// PrintableBytes is Printable for file content.
func PrintableBytes(p []byte) []byte {
	s := string(p)
	if t := Printable(s); t != s {
		return []byte(t)
	}
	return p
}

// printablePrefix is the length of s's leading part that prints as is;
// plain ASCII, the common case, is checked byte by byte.
func printablePrefix(s string) int {
	i := 0
	for i < len(s) {
		if c := s[i]; c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r, size) {
			break
		}
		i += size
	}
	return i
}

func unsafeRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// PrintableCopy returns v, or a deep copy of it with every string
// (summaries, messages, details and evidence, map keys too) made Printable
// when any needs it. The human renderers draw from it; JSON escapes
// controls itself.
func PrintableCopy[T any](v T) T {
	rv := reflect.ValueOf(&v).Elem()
	if !needsPrintable(rv) {
		return v
	}
	return printableCopy(rv).Interface().(T)
}

// timeType is copied whole: its fields are unexported and hold no text.
var timeType = reflect.TypeFor[time.Time]()

func needsPrintable(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		return printablePrefix(s) != len(s)
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && needsPrintable(v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			return false
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && needsPrintable(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if needsPrintable(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if needsPrintable(it.Key()) || needsPrintable(it.Value()) {
				return true
			}
		}
	}
	return false
}

// printableCopy copies v deeply with its strings made Printable.
func printableCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.String:
		n := reflect.New(v.Type()).Elem()
		n.SetString(Printable(v.String()))
		return n
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(printableCopy(v.Elem()))
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type()).Elem()
		n.Set(printableCopy(v.Elem()))
		return n
	case reflect.Struct:
		n := reflect.New(v.Type()).Elem()
		n.Set(v)
		if v.Type() == timeType {
			return n
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				n.Field(i).Set(printableCopy(v.Field(i)))
			}
		}
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			n.Index(i).Set(printableCopy(v.Index(i)))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(v.Type(), v.Len())
		it := v.MapRange()
		for it.Next() {
			n.SetMapIndex(printableCopy(it.Key()), printableCopy(it.Value()))
		}
		return n
	}
	return v
}
