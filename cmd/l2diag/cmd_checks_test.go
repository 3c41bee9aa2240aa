package main

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/l2diag/l2diag/report"
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

func TestVersionRun(t *testing.T) {
	forTerminalAndPipe(t, func(t *testing.T, tf *testFactory) {
		if err := versionRun(&VersionOptions{IO: tf.IO}); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("l2diag %s (report schema %d, %s, %s/%s)\n", toolVersion(), report.SchemaVersion, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		if got := tf.Out.String(); got != want {
			t.Errorf("stdout = %q, want %q", got, want)
		}
		tf.Out.Reset()
		if err := versionRun(&VersionOptions{IO: tf.IO, Format: render.FormatJSON}); err != nil {
			t.Fatal(err)
		}
		want = fmt.Sprintf(`{"arch":%q,"go":%q,"name":"l2diag","os":%q,"schema_version":%d,"version":%q}`+"\n",
			runtime.GOARCH, runtime.Version(), runtime.GOOS, report.SchemaVersion, toolVersion())
		if got := tf.Out.String(); got != want {
			t.Errorf("stdout = %q, want %q", got, want)
		}
	})
}
