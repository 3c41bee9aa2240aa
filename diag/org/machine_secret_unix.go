//go:build !windows

package orgcheck

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/messages"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// runMachineAccount does what `kinit -k 'HOST$'` does: an AS exchange for
// the machine account with the host keytab's key. A DC that accepts it
// shares the secret; one that answers "pre-authentication failed" has
// another password for the account (changed by a rejoin elsewhere, a
// restored snapshot, or a reset in AD): the machine must be rejoined.
func runMachineAccount(ctx context.Context, env *diag.Env, mi machineInput) report.Result {
	path, from := keytabPath(defaultUnixPaths, os.Getenv)
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if !mi.Joined {
			return diag.Skipped(fmt.Sprintf("No host keytab (%s, %s): this machine holds no account in %s to verify.", path, from, mi.Realm))
		}
		return diag.Skipped(fmt.Sprintf("No host keytab at %s (%s): the machine secret is kept elsewhere (winbind's secrets.tdb) and was not verified.", path, from))
	case errors.Is(err, fs.ErrPermission):
		return diag.Skipped(fmt.Sprintf("Needs root: the host keytab %s is readable by root only, so the machine account's secret was not verified (run l2diag with sudo).", path))
	case err != nil:
		return diag.Errored(fmt.Errorf("org: read the host keytab: %w", err))
	}
	kt := keytab.New()
	if err := kt.Unmarshal(data); err != nil {
		return diag.Errored(fmt.Errorf("org: host keytab %s: %w", path, err))
	}
	acct, kvno, etypes := machinePrincipal(kt, mi.Realm)
	if acct == "" {
		return diag.Skipped(fmt.Sprintf("The host keytab %s holds no machine account (NAME$) of realm %s.", path, mi.Realm))
	}
	if len(mi.KDCs) == 0 {
		return diag.Skipped("No domain controller answered on TCP 88 (see org-domain): the machine account's secret was not verified.")
	}
	details := map[string]any{"keytab": path, "keytab_kvno": kvno, "keytab_etypes": etypes}
	timeout := env.Profile.Org.Timeout.D()
	var lastErr error
	for _, kdc := range mi.KDCs[:min(2, len(mi.KDCs))] {
		rep, err := asExchange(ctx, kt, acct, mi.Realm, kdc, 2*timeout)
		o := secretOutcome{Via: "kerberos AS exchange with the host keytab", Account: acct + "@" + mi.Realm, DC: kdc.String(), Details: details}
		if err == nil {
			o.InSync, o.Reason = true, "accepted"
			details["dc_kvno"] = rep.EncPart.KVNO
			return judgeSecret(o)
		}
		c, network := classifyKDCError(err.Error())
		if network {
			lastErr = err
			continue
		}
		o.Stale, o.Missing, o.Reason = c.Stale, c.Missing, c.Reason
		if !o.Stale && !o.Missing {
			// The KDC answered something that is not about the secret
			// (clock skew, no common encryption type): no verdict.
			out := diag.Errored(fmt.Errorf("org: the machine account's secret was not verified: %s answered %s", kdc, c.Reason))
			out.Details = map[string]any{"keytab": path, "keytab_kvno": kvno, "dc": kdc.String(), "kdc_error": c.Reason}
			return out
		}
		return judgeSecret(o)
	}
	return diag.Errored(fmt.Errorf("org: no DC completed the AS exchange for %s: %w", acct, lastErr))
}

// asExchange runs one AS exchange with kdc over TCP (port 88 is what
// org-domain saw open). gokrb5 has no context and its own 5 s socket
// deadlines, so the exchange runs aside and is abandoned at timeout.
func asExchange(ctx context.Context, kt *keytab.Keytab, acct, realm string, kdc netip.Addr, timeout time.Duration) (messages.ASRep, error) {
	cfg := config.New()
	cfg.LibDefaults.DefaultRealm = realm
	cfg.LibDefaults.DNSLookupKDC = false
	cfg.LibDefaults.DNSLookupRealm = false
	cfg.LibDefaults.UDPPreferenceLimit = 1
	cfg.Realms = []config.Realm{{Realm: realm, KDC: []string{netip.AddrPortFrom(kdc, 88).String()}}}
	cl := client.NewWithKeytab(acct, realm, kt, cfg, client.DisablePAFXFAST(true))
	type result struct {
		rep messages.ASRep
		err error
	}
	ch := make(chan result, 1)
	go func() {
		req, err := messages.NewASReqForTGT(realm, cfg, cl.Credentials.CName())
		if err != nil {
			ch <- result{err: err}
			return
		}
		rep, err := cl.ASExchange(realm, req, 0)
		ch <- result{rep, err}
	}()
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	select {
	case r := <-ch:
		return r.rep, r.err
	case <-tctx.Done():
		return messages.ASRep{}, fmt.Errorf("org: AS exchange with %s: no answer in %s", kdc, timeout)
	}
}

// machinePrincipal finds the machine account in the keytab: a one-part
// principal ending in $ in realm (what realm join, adcli and net ads
// write), with its highest KVNO and the encryption types held for it.
func machinePrincipal(kt *keytab.Keytab, realm string) (acct string, kvno uint32, etypes []string) {
	for _, e := range kt.Entries {
		if len(e.Principal.Components) != 1 || !strings.HasSuffix(e.Principal.Components[0], "$") || !strings.EqualFold(e.Principal.Realm, realm) {
			continue
		}
		v := e.KVNO
		if v == 0 {
			v = uint32(e.KVNO8)
		}
		switch {
		case acct == "" || v > kvno:
			acct, kvno, etypes = e.Principal.Components[0], v, nil
		case v < kvno:
			continue
		}
		if n := etypeName(e.Key.KeyType); !slices.Contains(etypes, n) {
			etypes = append(etypes, n)
		}
	}
	return acct, kvno, etypes
}

// etypeName names an encryption type as krb5.conf does; of its aliases
// the longest (aes256-cts-hmac-sha1-96 over aes256-cts), so the name is
// the same every run.
func etypeName(id int32) string {
	best := ""
	for name, v := range etypeID.ETypesByName {
		if v == id && (len(name) > len(best) || len(name) == len(best) && name < best) {
			best = name
		}
	}
	if best == "" {
		return strconv.Itoa(int(id))
	}
	return best
}

// keytabPath is where the host keytab is, and why: KRB5_KTNAME (as MIT
// Kerberos), sssd's krb5_keytab, krb5.conf's default_keytab_name, else
// /etc/krb5.keytab.
func keytabPath(p unixPaths, getenv func(string) string) (path, from string) {
	strip := func(s string) string { return strings.TrimPrefix(strings.TrimPrefix(s, "FILE:"), "WRFILE:") }
	if v := getenv("KRB5_KTNAME"); v != "" {
		return strip(v), "KRB5_KTNAME"
	}
	if data, err := os.ReadFile(p.SSSD); err == nil {
		for sec, kv := range iniSections(data) {
			if strings.HasPrefix(sec, "domain/") && kv["krb5_keytab"] != "" {
				return strip(kv["krb5_keytab"]), p.SSSD
			}
		}
	}
	if data, err := os.ReadFile(p.Krb5); err == nil {
		if v := iniSections(data)["libdefaults"]["default_keytab_name"]; v != "" {
			return strip(v), p.Krb5
		}
	}
	return p.Keytab, "the default"
}
