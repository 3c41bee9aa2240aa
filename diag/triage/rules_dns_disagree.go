package triage

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// DNS servers that disagree about a name are a curiosity until something
// by that name fails; when the address a failing check connected to is one
// server's answer and another server gives a different one, the wrong
// answer is the cause and the unreachable host only its consequence.

func ruleDNSDisagree(v *View) []Match {
	var out []Match
	for _, o := range v.Find(codeDNSDisagree) {
		name := hostOf(o.Ev(evName))
		answers := serverAnswers(o)
		m := Match{Confidence: Low, Status: o.Status, Evidence: []Obs{o}, Headline: fmt.Sprintf("%s: the DNS servers give different answers.", name)}
		if name == "" {
			m.Headline = message([]Obs{o})
		}
		// Checks by that name that reached nothing, and the address they tried.
		var failed []Obs
		used := ""
		for _, f := range byNameFailures(v, name) {
			failed = append(failed, f)
			if a := f.EvHost(evAddress); a != "" && used == "" {
				used = a
			}
		}
		wrong, right := splitAnswers(answers, used)
		if len(failed) > 0 && len(wrong) > 0 && len(right) > 0 {
			rightAddr := right[0].addrs[0]
			m.Confidence, m.Status = High, report.StatusFail
			m.Evidence = append(m.Evidence, failed...)
			// The checks by name, and the follow-ups (trace, ping) to
			// the wrong address they were sent to.
			m.Explains = anyOf(byName(name), sameHost(used))
			m.Hosts = []string{name, used}
			where := fmt.Sprintf("%s %s it is at %s", dnsSubject(servers(right)), verb(servers(right), "says", "say"), rightAddr)
			if up := hostAnswers(v, rightAddr); len(up) > 0 {
				where = fmt.Sprintf("the service answers at %s, where %s %s it is", rightAddr, dnsSubject(servers(right)), verb(servers(right), "says", "say"))
				m.Cites = up[:1]
			}
			m.Headline = fmt.Sprintf("%s resolves to the wrong address: %s %s %s, which does not answer; %s.",
				name, dnsSubject(servers(wrong)), verb(servers(wrong), "answers", "answer"), used, where)
			m.NextStep = fmt.Sprintf("Give the DNS administrators the name and each server's answer (in the evidence): %s must give %s, or be removed from this machine's DNS servers. Until then, put %s first.",
				list(servers(wrong)), rightAddr, list(servers(right)))
		}
		out = append(out, m)
	}
	return out
}

// byNameFailures returns the unanswered connections of checks by name.
func byNameFailures(v *View, name string) []Obs {
	if name == "" {
		return nil
	}
	var out []Obs
	for _, o := range v.OnHosts(name) {
		if o.Host == name && slices.Contains(unreachableCodes, o.Code) {
			out = append(out, o)
		}
	}
	return out
}

// serverAnswer is one DNS server's addresses for a name.
type serverAnswer struct {
	server string
	addrs  []string
}

// serverAnswers reads the evidence "answers" (server → "A 10.0.0.1; AAAA
// (none)") of a consistency finding, in server order.
func serverAnswers(o Obs) []serverAnswer {
	if o.Finding == nil {
		return nil
	}
	raw := map[string]string{}
	switch m := o.Finding.Evidence[evAnswers].(type) {
	case map[string]string:
		raw = m
	case map[string]any:
		for k, v := range m {
			raw[k] = fmt.Sprint(v)
		}
	}
	var out []serverAnswer
	for s, text := range raw {
		a := serverAnswer{server: hostOf(s)}
		for _, tok := range strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == ';' || r == ',' }) {
			if ip, err := netip.ParseAddr(tok); err == nil {
				a.addrs = append(a.addrs, ip.String())
			}
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].server < out[j].server })
	return out
}

// splitAnswers divides the servers into those that gave the address used
// and those whose addresses do not include it.
func splitAnswers(as []serverAnswer, used string) (wrong, right []serverAnswer) {
	if used == "" {
		return nil, nil
	}
	for _, a := range as {
		switch {
		case slices.Contains(a.addrs, used):
			wrong = append(wrong, a)
		case len(a.addrs) > 0:
			right = append(right, a)
		}
	}
	return wrong, right
}

// servers returns the server names of answers.
func servers(as []serverAnswer) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.server)
	}
	return out
}
