package report

import (
	"strings"
	"testing"
)

func TestEvidenceBrief(t *testing.T) {
	tests := []struct {
		name string
		ev   map[string]any
		want string
	}{
		{"certificate", map[string]any{"issuer": "CN=Corp CA", "sans": []string{"a.lab", "b.lab"}, "not_after": "2024-01-01T00:00:00Z", "subject": "CN=a.lab"},
			"issuer CN=Corp CA; names a.lab, b.lab; expires 2024-01-01T00:00:00Z"},
		{"certificate read from JSON", map[string]any{"sans": []any{"a", "b", "c", "d", "e", "f", "g"}}, "names a, b, c, d, e and 2 more"},
		{"trace: the path, not the last hop twice", map[string]any{"path": "10.0.0.1 > 10.9.0.1", "last_hop": "10.9.0.1", "note": "network unreachable"},
			"path 10.0.0.1 > 10.9.0.1; reports network unreachable"},
		{"trace without a path", map[string]any{"last_hop": "10.9.0.1"}, "last hop 10.9.0.1"},
		{"each server's answer", map[string]any{"answers": map[string]any{"10.0.0.54": "A 10.0.1.10", "10.0.0.53": "A 10.0.1.99"}},
			"answers 10.0.0.53: A 10.0.1.99 | 10.0.0.54: A 10.0.1.10"},
		{"no proxy is nothing to show", map[string]any{"proxy": "none"}, ""},
		{"nothing a hint refers to", map[string]any{"rtt_ms": 3}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EvidenceBrief(Finding{Evidence: tt.ev}); got != tt.want {
				t.Errorf("EvidenceBrief = %q, want %q", got, tt.want)
			}
		})
	}
	long := EvidenceBrief(Finding{Evidence: map[string]any{"path": strings.Repeat("10.0.0.1 > ", 40)}})
	if n := len([]rune(long)); n > briefRunes {
		t.Errorf("brief of %d runes, want at most %d", n, briefRunes)
	}
}
