package orgcheck

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strings"
)

// membership is what the OS says about the machine's domain. Joined false
// with Unreadable set means "could not tell", never "not joined".
type membership struct {
	Joined bool
	// Domain is the DNS domain the DCs are looked up in (lower-case).
	Domain string
	// Realm is the Kerberos realm, when the source names one.
	Realm string
	// Source names where it was read ("sssd.conf", "krb5.conf and keytab",
	// "NetGetJoinInformation", "profile").
	Source string
	// Site and DC are what the OS's own DC locator returned (Windows).
	Site, DC string
	// Unreadable lists sources that exist but could not be read, with why.
	Unreadable []string
	// Seen is evidence that is not membership (a default_realm alone).
	Seen map[string]string
}

// unixPaths are the files the Unix reader looks at; tests point them at
// testdata.
type unixPaths struct {
	SSSD, Krb5, Keytab, SMB string
}

// iniSections parses an INI-style file (sssd.conf, smb.conf, krb5.conf's
// flat parts) into section -> key -> value, keys lower-case. krb5.conf's
// nested { } blocks are skipped: only [libdefaults]' flat keys are used.
func iniSections(data []byte) map[string]map[string]string {
	out := map[string]map[string]string{}
	sec := ""
	depth := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if strings.HasSuffix(line, "{") {
			depth++
			continue
		}
		if line == "}" {
			depth = max(0, depth-1)
			continue
		}
		if depth > 0 {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			sec = strings.ToLower(strings.TrimSpace(line[1 : len(line)-1]))
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		if out[sec] == nil {
			out[sec] = map[string]string{}
		}
		out[sec][strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	return out
}

// readUnixMembership reads sssd (realmd writes it on `realm join`),
// winbind's smb.conf and krb5.conf with the host keytab. Reading only:
// no command is run, nothing is changed.
func readUnixMembership(p unixPaths) membership {
	m := membership{Seen: map[string]string{}}
	read := func(path string) []byte {
		data, err := os.ReadFile(path)
		switch {
		case err == nil:
			return data
		case errors.Is(err, fs.ErrNotExist):
		default:
			m.Unreadable = append(m.Unreadable, path+": "+err.Error())
		}
		return nil
	}
	if data := read(p.SSSD); data != nil {
		ini := iniSections(data)
		for _, d := range splitList(ini["sssd"]["domains"]) {
			sec := ini["domain/"+strings.ToLower(d)]
			prov := strings.ToLower(sec["id_provider"])
			if prov != "ad" && prov != "ipa" && sec["ad_domain"] == "" && sec["krb5_realm"] == "" {
				continue // a local or LDAP-only domain is not a directory join
			}
			dom := firstNonEmpty(sec["ad_domain"], sec["ipa_domain"], d)
			m.Joined, m.Domain, m.Realm, m.Source = true, strings.ToLower(dom), strings.ToUpper(firstNonEmpty(sec["krb5_realm"], dom)), p.SSSD
			m.Seen["id_provider"] = prov
			return m
		}
	}
	if data := read(p.SMB); data != nil {
		g := iniSections(data)["global"]
		if strings.EqualFold(g["security"], "ads") && g["realm"] != "" {
			m.Joined, m.Realm, m.Domain, m.Source = true, strings.ToUpper(g["realm"]), strings.ToLower(g["realm"]), p.SMB
			return m
		}
	}
	if data := read(p.Krb5); data != nil {
		realm := iniSections(data)["libdefaults"]["default_realm"]
		if realm != "" {
			m.Seen["default_realm"] = realm
			// Debian's krb5-config writes a default_realm on any machine
			// that installed Kerberos tools: only a host keytab says the
			// machine itself holds an account in the realm.
			if _, err := os.Stat(p.Keytab); err == nil {
				m.Joined, m.Realm, m.Domain, m.Source = true, strings.ToUpper(realm), strings.ToLower(realm), p.Krb5+" and "+p.Keytab
			}
		}
	}
	return m
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
