//go:build !windows

package orgcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReadSSSDGPO(t *testing.T) {
	now := time.Date(2026, 11, 29, 22, 0, 0, 0, time.UTC)
	cache := t.TempDir()
	// sssd mirrors the SYSVOL path of each GPO it downloads.
	pol := filepath.Join(cache, "corp.example.com", "Policies", "{31B2F340-016D-11D2-945F-00C04FB984F9}", "Machine", "Microsoft", "Windows NT", "SecEdit")
	if err := os.MkdirAll(pol, 0o755); err != nil {
		t.Fatal(err)
	}
	inf := filepath.Join(pol, "GptTmpl.inf")
	if err := os.WriteFile(inf, []byte("[Privilege Rights]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(inf, now.Add(-2*time.Hour), now.Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	permissive := filepath.Join(t.TempDir(), "sssd.conf")
	if err := os.WriteFile(permissive, []byte("[sssd]\ndomains = corp.example.com\n[domain/corp.example.com]\nid_provider = ad\nad_gpo_access_control = permissive\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		sssd     string
		cache    string
		recorded bool
		contains []string
	}{
		{"realm join's sssd.conf, one GPO cached", filepath.Join("testdata", "sssd-ad.conf"), cache, true, []string{"sssd applies the GPO logon rights of corp.example.com (enforcing)", "1 GPO(s) cached, last downloaded 2h0m0s ago", "gpo_cache_policies:1"}},
		{"permissive, nothing cached yet", permissive, t.TempDir(), true, []string{"(permissive)", "no GPO cached yet"}},
		{"a local sssd domain", filepath.Join("testdata", "sssd-local.conf"), cache, false, []string{"no AD domain"}},
		{"no sssd", filepath.Join(t.TempDir(), "none.conf"), cache, false, []string{"No sssd configuration"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := readSSSDGPO(tt.sssd, tt.cache, now)
			if err != nil {
				t.Fatal(err)
			}
			got := st.Why + " " + fmt.Sprint(st.Details)
			if st.Recorded != tt.recorded {
				t.Errorf("recorded %v, want %v (%s)", st.Recorded, tt.recorded, got)
			}
			for _, w := range tt.contains {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			if len(st.Runs) != 0 {
				t.Errorf("sssd keeps no processing record, got runs %v", st.Runs)
			}
		})
	}
}
