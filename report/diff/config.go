package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// How much of a configuration value a diff carries: enough to read a
// server list or a route, never a multi-megabyte query log on one line.
const (
	// diffInline is the longest value (as JSON) compared and shown whole;
	// a longer one is compared leaf by leaf.
	diffInline = 160
	// diffValueMax clips one shown value.
	diffValueMax = 240
)

// volatileTokens mark keys whose values differ between any two runs of the
// same healthy machine: timings, TTLs counting down, retry counts, times.
var volatileTokens = map[string]bool{"ms": true, "us": true, "ns": true, "rtt": true, "elapsed": true, "duration": true,
	"latency": true, "jitter": true, "ttl": true, "tries": true, "attempts": true, "time": true, "timestamp": true, "uptime": true}

// volatileKey reports whether a key holds a measurement or a time rather
// than configuration: any of its snake_case words is one of
// volatileTokens, or it ends in _at (started_at).
func volatileKey(k string) bool {
	words := strings.Split(strings.ToLower(k), "_")
	if len(words) > 1 && words[len(words)-1] == "at" {
		return true
	}
	for _, w := range words {
		if volatileTokens[w] {
			return true
		}
	}
	return false
}

// identityKeys name the fields that tell the items of a list of objects
// apart (a DNS query by server, name, type and transport; an answer by
// name, type and data; a route by destination), so reordered lists match.
var identityKeys = []string{"check", "target", "server", "name", "type", "transport", "addr", "address", "host",
	"interface", "iface", "dst", "destination", "gateway", "path", "data"}

// configChanges compares one configuration value (a fact, or a detail of a
// result) between A and B. A short value changes as a whole; a long one is
// compared part by part, volatile keys left out, so the diff names the
// server that changed rather than printing the whole blob.
func configChanges(key string, a, b any) []ConfigChange {
	var out []ConfigChange
	diffRaw(key, rawJSON(a), rawJSON(b), &out)
	return out
}

// rawJSON encodes a value; absent (nil) is no JSON at all.
func rawJSON(v any) []byte {
	if v == nil {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		data, _ = json.Marshal(fmt.Sprint(v))
	}
	return data
}

// diffRaw walks the JSON of A and B together without decoding more than
// the part at hand: equal bytes are skipped, short values compare whole
// (volatile keys dropped), objects by key, lists of objects by identity
// (or position), long lists of scalars as sets. Memory stays near the size
// of the two documents, whatever their shape.
func diffRaw(path string, a, b []byte, out *[]ConfigChange) {
	a, b = bytes.TrimSpace(a), bytes.TrimSpace(b)
	if bytes.Equal(a, b) {
		return
	}
	ka, kb := jsonKind(a), jsonKind(b)
	if (ka == '{' || ka == '[') && ka == kb && !(shortJSON(a) && shortJSON(b)) {
		if ka == '{' {
			var ma, mb map[string]json.RawMessage
			if json.Unmarshal(a, &ma) == nil && json.Unmarshal(b, &mb) == nil {
				for _, k := range unionKeys(ma, mb) {
					if !volatileKey(k) {
						diffRaw(path+"."+k, ma[k], mb[k], out)
					}
				}
				return
			}
		} else {
			var la, lb []json.RawMessage
			if json.Unmarshal(a, &la) == nil && json.Unmarshal(b, &lb) == nil {
				diffList(path, la, lb, out)
				return
			}
		}
	}
	ta, tb := stableText(a), stableText(b)
	if ta != tb {
		*out = append(*out, ConfigChange{Key: path, From: clip(ta), To: clip(tb)})
	}
}

// jsonKind is the first byte of a JSON value ('{', '[', '"', ...; 0 when
// absent).
func jsonKind(raw []byte) byte {
	if len(raw) == 0 {
		return 0
	}
	return raw[0]
}

// shortJSON reports whether raw prints compactly in at most diffInline
// bytes.
func shortJSON(raw []byte) bool {
	if len(raw) <= diffInline {
		return true
	}
	if len(raw) > 8*diffInline {
		return false
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return false
	}
	return buf.Len() <= diffInline
}

// stableText prints a value compactly, keys sorted, volatile keys dropped
// at any depth; absent is "".
func stableText(raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	return jsonText(stable(v))
}

func diffList(path string, a, b []json.RawMessage, out *[]ConfigChange) {
	ia, ib := listIdentities(a), listIdentities(b)
	if ia == nil || ib == nil {
		for i := range max(len(a), len(b)) {
			var ea, eb json.RawMessage
			if i < len(a) {
				ea = a[i]
			}
			if i < len(b) {
				eb = b[i]
			}
			diffRaw(path+"["+strconv.Itoa(i)+"]", ea, eb, out)
		}
		return
	}
	byID := make(map[string]json.RawMessage, len(a))
	for i, e := range a {
		byID[ia[i]] = e
	}
	inB := make(map[string]bool, len(b))
	for i, e := range b {
		inB[ib[i]] = true
		diffRaw(path+"["+ib[i]+"]", byID[ib[i]], e, out)
	}
	for i, e := range a {
		if !inB[ia[i]] {
			diffRaw(path+"["+ia[i]+"]", e, nil, out)
		}
	}
}

// stable drops volatile keys from maps, at any depth.
func stable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			if !volatileKey(k) {
				m[k] = stable(e)
			}
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = stable(e)
		}
		return l
	}
	return v
}

// listIdentities returns a key for each item of the list: a scalar is its
// own key, an object the values of its identityKeys. It returns nil when
// some item has none or two items share one (then items match by
// position).
func listIdentities(l []json.RawMessage) []string {
	ids := make([]string, len(l))
	seen := make(map[string]bool, len(l))
	for i, e := range l {
		e = bytes.TrimSpace(e)
		var id string
		switch jsonKind(e) {
		case '[', 0:
			return nil
		case '{':
			var m map[string]json.RawMessage
			if json.Unmarshal(e, &m) != nil {
				return nil
			}
			var parts []string
			for _, k := range identityKeys {
				if v, ok := m[k]; ok {
					if t := scalarText(v); t != "" {
						parts = append(parts, t)
					}
				}
			}
			id = strings.Join(parts, " ")
		default:
			id = scalarText(e)
		}
		if id == "" || seen[id] {
			return nil
		}
		seen[id] = true
		ids[i] = id
	}
	return ids
}

// scalarText prints a JSON scalar plainly (a string without its quotes);
// "" for objects and lists.
func scalarText(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	switch jsonKind(raw) {
	case '{', '[', 0:
		return ""
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	return string(raw)
}

// clip shortens a long value to diffValueMax characters and says how long
// it was.
func clip(s string) string {
	if len(s) <= diffValueMax {
		return s
	}
	cut := diffValueMax
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", s[:cut], len(s))
}

// rawFactChanges compares facts as stored in raw/facts.json.
func rawFactChanges(a, b map[string]json.RawMessage) []ConfigChange {
	var out []ConfigChange
	for _, k := range unionKeys(a, b) {
		diffRaw(k, a[k], b[k], &out)
	}
	return out
}

// topKey is the fact or "result: detail" a change belongs to.
func topKey(k string) string {
	if i := strings.IndexAny(k, ".["); i >= 0 {
		return k[:i]
	}
	return k
}
