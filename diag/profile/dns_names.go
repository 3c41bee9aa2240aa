package profile

import (
	"fmt"
	"strings"

	"github.com/l2diag/l2diag/diag/target"
	"go.yaml.in/yaml/v3"
)

// DNSName is one entry of dns.names. In YAML it is either a plain name or
// a mapping that also says what the name must resolve to:
//
//   - www.example.com
//   - name: intranet.corp.example
//     expect: [10.20.0.5, 10.20.0.0/16]
//   - name: vpn-only.corp.example
//     expect_private: true
//
// The answer meets the expectation when at least one of its addresses is
// one of Expect or, with ExpectPrivate, is private (see target.Expectation).
type DNSName struct {
	Name string `yaml:"name"`
	// Expect lists addresses or prefixes the answer must contain one of.
	Expect []string `yaml:"expect,omitempty"`
	// ExpectPrivate: the answer must contain a private address (RFC 1918, ULA).
	ExpectPrivate bool `yaml:"expect_private,omitempty"`

	// line is where the entry starts and expectLines where each Expect
	// item is, for validation errors.
	line        int
	expectLines []int
}

// dnsNameKeys are the keys of a mapping entry, for the unknown-key error.
const dnsNameKeys = "name, expect and expect_private"

// UnmarshalYAML reads a plain name or a mapping. yaml.v3 does not carry
// KnownFields into a custom unmarshaler, so unknown keys are rejected here;
// the "line N:" prefix lets the profile loader name file, line and key.
func (n *DNSName) UnmarshalYAML(node *yaml.Node) error {
	*n = DNSName{line: node.Line}
	switch node.Kind {
	case yaml.ScalarNode:
		n.Name = node.Value
		return nil
	case yaml.MappingNode:
	default:
		return fmt.Errorf("line %d: a dns.names entry is a name, or a mapping with %s", node.Line, dnsNameKeys)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(node.Content); i += 2 {
		k, v := node.Content[i], node.Content[i+1]
		if seen[k.Value] {
			return fmt.Errorf("line %d: %s is given twice in this dns.names entry", k.Line, k.Value)
		}
		seen[k.Value] = true
		switch k.Value {
		case "name":
			if v.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: name is not a DNS name (use e.g. name: intranet.example.com)", v.Line)
			}
			n.Name = v.Value
		case "expect":
			items := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				items = v.Content
				n.Expect = []string{} // present but empty: validation says so
			}
			for _, it := range items {
				if it.Kind != yaml.ScalarNode {
					return fmt.Errorf("line %d: expect is not a list of addresses (use e.g. expect: [10.20.0.5])", it.Line)
				}
				n.Expect = append(n.Expect, it.Value)
				n.expectLines = append(n.expectLines, it.Line)
			}
		case "expect_private":
			if v.Kind != yaml.ScalarNode || v.Decode(&n.ExpectPrivate) != nil {
				return fmt.Errorf("line %d: expect_private: %q is not true or false", v.Line, v.Value)
			}
		default:
			return fmt.Errorf("line %d: unknown key %q (a dns.names entry takes %s)", k.Line, k.Value, dnsNameKeys)
		}
	}
	return nil
}

// MarshalYAML writes an entry without expectations as the plain name.
func (n DNSName) MarshalYAML() (any, error) {
	if len(n.Expect) == 0 && !n.ExpectPrivate {
		return n.Name, nil
	}
	type plain DNSName
	return plain(n), nil
}

// Expectation returns what the name must resolve to; unset when the entry
// says nothing. Validation has rejected entries that do not parse.
func (n DNSName) Expectation() target.Expectation {
	e := target.Expectation{Private: n.ExpectPrivate}
	for _, s := range n.Expect {
		if p, err := target.ParseExpected(s); err == nil {
			e.Prefixes = append(e.Prefixes, p)
		}
	}
	return e
}

// NameList returns the names of dns.names.
func (d DNS) NameList() []string {
	out := make([]string, 0, len(d.Names))
	for _, n := range d.Names {
		out = append(out, n.Name)
	}
	return out
}

// Expectations returns what the names with an expectation must resolve
// to, keyed by the lower-case name without a trailing dot.
func (d DNS) Expectations() map[string]target.Expectation {
	out := map[string]target.Expectation{}
	for _, n := range d.Names {
		if e := n.Expectation(); e.Set() {
			out[canonicalName(n.Name)] = e
		}
	}
	return out
}

func canonicalName(s string) string { return strings.ToLower(strings.TrimSuffix(s, ".")) }

func (p *Profile) validateDNSNames() error {
	first := map[string]int{}
	for i, n := range p.DNS.Names {
		line := n.line
		if line == 0 {
			line = p.Line("dns.names")
		}
		fail := func(line int, format string, args ...any) error {
			return &Error{Source: p.Source, Line: line, Key: "dns.names", Msg: fmt.Sprintf("entry %d: ", i+1) + fmt.Sprintf(format, args...)}
		}
		if n.Name == "" && (n.Expect != nil || n.ExpectPrivate) {
			return fail(line, "no name (an entry with expect or expect_private also needs name: NAME)")
		}
		if err := target.Name(n.Name); err != nil {
			return fail(line, "%v", err)
		}
		if n.Expect != nil && len(n.Expect) == 0 {
			return fail(line, "%s: expect is empty (list the addresses it must resolve to, or leave expect out)", n.Name)
		}
		for j, s := range n.Expect {
			if _, err := target.ParseExpected(s); err != nil {
				l := line
				if j < len(n.expectLines) {
					l = n.expectLines[j]
				}
				return fail(l, "%s: expect: %v", n.Name, err)
			}
		}
		key := canonicalName(n.Name)
		if k, dup := first[key]; dup {
			prev := p.DNS.Names[k]
			if n.Expectation().Set() || prev.Expectation().Set() {
				return fail(line, "%s is also entry %d; name it once, with its expectation", n.Name, k+1)
			}
			continue
		}
		first[key] = i
	}
	return nil
}
