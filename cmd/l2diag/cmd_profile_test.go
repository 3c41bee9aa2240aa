package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProfileShowRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := "name: mine\nskip: [dns-beta]\n"
	tests := []struct {
		name    string
		file    string
		want    string // stdout
		wantErr string
	}{
		{name: "skips a known check", file: write("good.yaml", good), want: good},
		// host-cpu is a real check, but not one of this factory's.
		{name: "skips a check the specs lack", file: write("other.yaml", "name: mine\nskip: [host-cpu]\n"),
			wantErr: filepath.Join(dir, "other.yaml") + `:2: skip[0]: unknown check ID "host-cpu" (see 'l2diag checks' for the IDs)`},
		{name: "unknown key", file: write("typo.yaml", "name: mine\nskpi: []\n"), wantErr: "typo.yaml:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forTerminalAndPipe(t, func(t *testing.T, tf *testFactory) {
				err := profileShowRun(&ProfileShowOptions{IO: tf.IO, Name: tt.file, Specs: tf.Specs})
				if tt.wantErr != "" {
					var ue *UsageError
					if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.wantErr) {
						t.Fatalf("error = %v, want a usage error with %q", err, tt.wantErr)
					}
					if tf.Out.Len() != 0 {
						t.Errorf("stdout on a usage error: %q", tf.Out.String())
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got := tf.Out.String(); got != tt.want {
					t.Errorf("stdout = %q, want the file as written, %q", got, tt.want)
				}
			})
		})
	}
}
