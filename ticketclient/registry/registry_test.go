package registry_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/ticketclient/registry"
)

// TestLoadConfig: each system decodes its own section and environment;
// a section no system owns, or an unknown key inside one, is an error
// naming it; SecretValues gathers every system's secrets, also those from
// files.
func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "client-secret")
	if err := os.WriteFile(secretFile, []byte("oauth-client-secret-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, file string
		env        map[string]string
		wantErr    string
		wantSecret []string
	}{
		{name: "sections and env", file: "jira:\n  url: https://jira.example\n  token: jira-pat-1\nservicenow:\n  url: https://sn.example\n  client_id: c1\n  client_secret_file: " + secretFile + "\n",
			env: map[string]string{"L2DIAG_SERVICENOW_PASSWORD": "sn-pw-2"}, wantSecret: []string{"jira-pat-1", "sn-pw-2", "oauth-client-secret-from-file"}},
		{name: "unknown section", file: "trello:\n  url: x\n", wantErr: `"trello"`},
		{name: "unknown key in a section", file: "servicenow:\n  tabel: x\n", wantErr: "tabel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "tickets.yaml")
			if err := os.WriteFile(p, []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			env := map[string]string{"L2DIAG_TICKET_CONFIG": p}
			for k, v := range tc.env {
				env[k] = v
			}
			cfg, err := registry.Systems().LoadConfig(func(k string) string { return env[k] })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := cfg.SecretValues()
			for _, s := range tc.wantSecret {
				if !slices.Contains(got, s) {
					t.Errorf("SecretValues = %q, lacks %q", got, s)
				}
			}
			if name, err := registry.Systems().Choose("", cfg, "INC0010001", p); err != nil || name != "servicenow" {
				t.Errorf("Choose = %q, %v; want servicenow for a ServiceNow number", name, err)
			}
		})
	}
}
