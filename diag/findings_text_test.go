package diag

import (
	"errors"
	"testing"
)

func TestErrTextAndMessagePeriods(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"windows text", errors.New("connectex: No connection could be made because the target machine actively refused it."), "connectex: No connection could be made because the target machine actively refused it"},
		{"posix text", errors.New("connect: connection refused"), "connect: connection refused"},
		{"nil", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrText(tt.err); got != tt.want {
				t.Errorf("ErrText = %q, want %q", got, tt.want)
			}
		})
	}
	spec := FindingSpec{Code: "x.y", Status: "warn"}
	for msg, want := range map[string]string{
		"Connecting failed: Connection refused..": "Connecting failed: Connection refused.",
		"It waits...": "It waits...",
		"Plain.":      "Plain.",
	} {
		if got := spec.Finding(msg, nil).Message; got != want {
			t.Errorf("Finding(%q).Message = %q, want %q", msg, got, want)
		}
	}
}
