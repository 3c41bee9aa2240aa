//go:build !windows

package orgcheck

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/keytab"
)

func TestMachinePrincipal(t *testing.T) {
	kt := keytab.New()
	add := func(princ, realm string, kvno uint8, et int32) {
		t.Helper()
		if err := kt.AddEntry(princ, realm, "secret", time.Unix(0, 0), kvno, et); err != nil {
			t.Fatal(err)
		}
	}
	add("host/pc1.corp.example", "CORP.EXAMPLE", 3, etypeID.AES256_CTS_HMAC_SHA1_96)
	add("PC1$", "CORP.EXAMPLE", 2, etypeID.AES256_CTS_HMAC_SHA1_96)
	add("PC1$", "CORP.EXAMPLE", 3, etypeID.AES256_CTS_HMAC_SHA1_96)
	add("PC1$", "CORP.EXAMPLE", 3, etypeID.RC4_HMAC)
	add("OTHER$", "OTHER.EXAMPLE", 9, etypeID.AES128_CTS_HMAC_SHA1_96)
	// Round trip through the file format, as the check reads it.
	b, err := kt.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	read := keytab.New()
	if err := read.Unmarshal(b); err != nil {
		t.Fatal(err)
	}
	acct, kvno, etypes := machinePrincipal(read, "corp.example")
	if acct != "PC1$" || kvno != 3 || !slices.Equal(etypes, []string{"aes256-cts-hmac-sha1-96", "arcfour-hmac-md5"}) {
		t.Errorf("got %q kvno %d %v; want PC1$ kvno 3 [aes256-cts-hmac-sha1-96 arcfour-hmac-md5]", acct, kvno, etypes)
	}
	if acct, _, _ := machinePrincipal(read, "ELSEWHERE"); acct != "" {
		t.Errorf("a realm without a machine principal gave %q", acct)
	}
}

func TestKeytabPath(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sssd := write("sssd.conf", "[sssd]\ndomains = corp.example\n[domain/corp.example]\nid_provider = ad\nkrb5_keytab = /etc/sssd/corp.keytab\n")
	krb5 := write("krb5.conf", "[libdefaults]\n default_realm = CORP.EXAMPLE\n default_keytab_name = FILE:/etc/krb5/host.keytab\n")
	none := filepath.Join(dir, "missing")
	env := func(v string) func(string) string { return func(string) string { return v } }
	tests := []struct {
		name       string
		p          unixPaths
		env        string
		path, from string
	}{
		{"KRB5_KTNAME first", unixPaths{SSSD: sssd, Krb5: krb5, Keytab: "/etc/krb5.keytab"}, "FILE:/tmp/kt", "/tmp/kt", "KRB5_KTNAME"},
		{"sssd's krb5_keytab", unixPaths{SSSD: sssd, Krb5: krb5, Keytab: "/etc/krb5.keytab"}, "", "/etc/sssd/corp.keytab", sssd},
		{"krb5.conf's default_keytab_name", unixPaths{SSSD: none, Krb5: krb5, Keytab: "/etc/krb5.keytab"}, "", "/etc/krb5/host.keytab", krb5},
		{"the default", unixPaths{SSSD: none, Krb5: none, Keytab: "/etc/krb5.keytab"}, "", "/etc/krb5.keytab", "the default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, from := keytabPath(tt.p, env(tt.env))
			if path != tt.path || from != tt.from {
				t.Errorf("got %s (%s), want %s (%s)", path, from, tt.path, tt.from)
			}
		})
	}
}
