package redact

import "testing"

func TestSecretNamedCountsAreNotSecrets(t *testing.T) {
	tests := []struct {
		line string
		keep bool
	}{
		{`  "private_keys": 2,`, true},
		{`  "api_keys": 0`, true},
		{`  "private_key": false`, true},
		{`  "password": "hunter2hunter2"`, false},
		{`password=Sup3rS3cret!`, false},
		{`  "token": 123456789012`, false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			s := NewScrubber(nil, nil)
			got := s.String(tt.line)
			if (got == tt.line) != tt.keep {
				t.Errorf("scrub(%q) = %q, keep = %v", tt.line, got, tt.keep)
			}
		})
	}
}

func TestMarkdownEscapedMaskIsMasked(t *testing.T) {
	// report.md escapes the mask; the re-scan must still see it as masked.
	for _, line := range []string{`  - api_key: \*\*\*; more`, `password=***`, `Authorization: Bearer ***`} {
		s := NewScrubber(nil, nil)
		if got := s.String(line); got != line {
			t.Errorf("scrub(%q) = %q, want it unchanged", line, got)
		}
	}
}
