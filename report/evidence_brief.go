package report

import (
	"fmt"
	"sort"
	"strings"
)

// briefKeys are the evidence entries hints point at ("its SANs (in the
// evidence)", "the last hop that answered"), in the order shown, with the
// words shown for them.
var briefKeys = []struct{ key, label string }{
	{"issuer", "issuer"},
	{"sans", "names"},
	{"not_after", "expires"},
	{"path", "path"},
	{"last_hop", "last hop"},
	{"note", "reports"},
	{"answers", "answers"},
	{"answer", "answer"},
	{"expected", "expected"},
	{"proxy", "proxy"},
}

// Limits of a brief: one line, not a dump.
const (
	briefItems = 5
	briefRunes = 160
)

// EvidenceBrief is the evidence of a finding that its hint refers to, as
// one short line ("issuer CN=Corp CA; names a.lab, b.lab; expires
// 2024-01-01T00:00:00Z"), or "" when it carries none of it.
func EvidenceBrief(f Finding) string {
	var parts []string
	for _, k := range briefKeys {
		v, ok := f.Evidence[k.key]
		if !ok || v == nil {
			continue
		}
		if k.key == "last_hop" && f.Evidence["path"] != nil {
			continue // the path ends with it
		}
		if s := briefValue(v); s != "" && s != "none" {
			parts = append(parts, k.label+" "+s)
		}
	}
	out := strings.Join(parts, "; ")
	if r := []rune(out); len(r) > briefRunes {
		out = string(r[:briefRunes-1]) + "…"
	}
	return out
}

func briefValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []string:
		return briefList(x)
	case []any:
		l := make([]string, len(x))
		for i, e := range x {
			l[i] = fmt.Sprint(e)
		}
		return briefList(l)
	case map[string]string:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = e
		}
		return briefValue(m)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		l := make([]string, len(keys))
		for i, k := range keys {
			l[i] = fmt.Sprintf("%s: %v", k, x[k])
		}
		return strings.Join(l, " | ")
	}
	return fmt.Sprint(v)
}

func briefList(l []string) string {
	if len(l) > briefItems {
		return strings.Join(l[:briefItems], ", ") + fmt.Sprintf(" and %d more", len(l)-briefItems)
	}
	return strings.Join(l, ", ")
}
