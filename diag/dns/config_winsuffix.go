package dnscheck

import "strings"

// winSuffixes is what the Windows DNS client reads to build its suffix
// search list. Policy values win over local ones.
type winSuffixes struct {
	Primary, PolicyPrimary       string // Tcpip\Parameters Domain; DNSClient PrimaryDnsSuffix
	SearchList, PolicySearchList string // comma-separated lists
	Adapters                     []string
}

// searchList returns the suffix search list the Windows resolver uses and
// where it comes from: a configured list (group policy first) replaces
// everything else; otherwise the primary suffix, then each adapter's
// connection-specific suffix.
func (w winSuffixes) searchList() (list []string, primary, source string) {
	primary = strings.TrimSpace(w.PolicyPrimary)
	if primary == "" {
		primary = strings.TrimSpace(w.Primary)
	}
	for _, l := range []struct{ v, src string }{
		{w.PolicySearchList, `group policy (HKLM\SOFTWARE\Policies\Microsoft\Windows NT\DNSClient SearchList)`},
		{w.SearchList, `the suffix search list (Tcpip\Parameters SearchList)`},
	} {
		if out := splitSuffixes(l.v); len(out) > 0 {
			return out, primary, l.src
		}
	}
	add := func(s string) {
		s = strings.Trim(strings.TrimSpace(s), ".")
		if s != "" && !containsFold(list, s) {
			list = append(list, s)
		}
	}
	add(primary)
	for _, a := range w.Adapters {
		add(a)
	}
	return list, primary, "the primary DNS suffix and the adapters' suffixes"
}

func splitSuffixes(v string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if s = strings.Trim(s, "."); s != "" && !containsFold(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
