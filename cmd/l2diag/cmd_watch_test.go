package main

import (
	"strings"
	"testing"
)

func TestWatchUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad duration", []string{"watch", "--for", "soon"}, `--for: "soon" is not a duration`},
		{"negative duration", []string{"watch", "--for", "-5m"}, "--for"},
		{"interval too short", []string{"watch", "--interval", "1ms"}, "--interval"},
		{"markdown", []string{"watch", "-o", "markdown"}, "watch writes text"},
		{"bad target", []string{"watch", "--tcp", "nohostport"}, "--tcp"},
		{"arguments", []string{"watch", "extra"}, "unknown command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, tc.args...)
			if r.code != ExitUsage || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, want %d with %q\n%s", r.code, ExitUsage, tc.want, r.stderr)
			}
		})
	}
}
