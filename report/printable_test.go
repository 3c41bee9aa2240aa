package report

import (
	"testing"
)

func TestPrintable(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text, ✓ é 中 — ok", "plain text, ✓ é 中 — ok"},
		{"two\nlines\tand a tab", "two\nlines\tand a tab"},
		{"clear \x1b[2J screen", `clear \x1b[2J screen`},
		{"title \x1b]0;pwned\x07", `title \x1b]0;pwned\x07`},
		{"over\rwrite", `over\x0dwrite`},
		{"back\bspace and \x7f", `back\x08space and \x7f`},
		{"8-bit CSI \u009b31m", `8-bit CSI \u009b31m`},
		{"bidi \u202eevil\u202c \u2066x\u2069", `bidi \u202eevil\u202c \u2066x\u2069`},
		{"raw byte \x9b31m", `raw byte \x9b31m`},
	} {
		if got := Printable(tc.in); got != tc.want {
			t.Errorf("Printable(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := PrintableLine("a\nb\tc\u2028d\x1b"); got != `a b c d\x1b` {
		t.Errorf("PrintableLine = %q", got)
	}
}
