package main

import (
	"testing"

	"github.com/l2diag/l2diag/report/render"
)

func TestChecksRun(t *testing.T) {
	tests := []struct {
		name   string
		format render.Format
		want   string
	}{
		{"table", render.FormatText, "ID                  CATEGORY  FINDS\n" +
			"net-alpha           net       whether alpha answers\n" +
			"dns-beta            dns       whether beta resolves\n" +
			"host-gamma-long-id  host      gamma's state\n"},
		{"json", render.FormatJSON, `[
  {
    "id": "net-alpha",
    "category": "net",
    "finds": "whether alpha answers"
  },
  {
    "id": "dns-beta",
    "category": "dns",
    "finds": "whether beta resolves"
  },
  {
    "id": "host-gamma-long-id",
    "category": "host",
    "finds": "gamma's state"
  }
]
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A list is data: the same bytes on a terminal and in a pipe.
			forTerminalAndPipe(t, func(t *testing.T, tf *testFactory) {
				err := checksRun(&ChecksOptions{IO: tf.IO, Format: tt.format, Specs: tf.Specs})
				if err != nil {
					t.Fatal(err)
				}
				if got := tf.Out.String(); got != tt.want {
					t.Errorf("stdout:\n%s\nwant:\n%s", got, tt.want)
				}
				if got := tf.ErrOut.String(); got != "" {
					t.Errorf("stderr = %q, want nothing", got)
				}
			})
		})
	}
}
