package netcheck

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

var traceSpec = diag.Spec{
	ID: "net-trace", Category: diag.CategoryNet, Phase: diag.PhaseFollowUp,
	Finds: "where the path to a failed ping/tcp target stops: hops with address, RTT and loss (parallel TTL probes)",
	Timeout: func(p *profile.Profile) diag.Duration {
		// The trace, then the echo loss of its hops (for lossy targets).
		return diag.Duration(p.Net.Trace.Timeout.D() + 500*time.Millisecond + pingDuration(p.Net.Ping))
	},
	Sockets:  traceSockets,
	Findings: []diag.FindingSpec{FindingTraceLastHop, FindingTraceReached, FindingTraceLossFrom, FindingTraceUnprivileged},
	Plan:     planTrace,
}

// planTrace plans a trace of each address a ping or TCP check found
// failing.
func planTrace(in *diag.PlanInput) []diag.Instance {
	if !in.Profile.Net.Trace.Enabled {
		return nil
	}
	var checks []diag.Instance
	lossy := lossyAddrs(in.Results)
	for _, a := range failedAddrs(in.Results) {
		hopLoss := slices.Contains(lossy, a)
		checks = append(checks, diag.Instance{Target: a.String(), Run: func(ctx context.Context, env *diag.Env) report.Result {
			return runTrace(ctx, env.Profile.Net.Trace, env.Profile.Net.Ping, a, hopLoss)
		}})
	}
	return checks
}

// failedAddrs returns the addresses of ping and tcp targets that failed
// in a way a trace can explain: something was sent and nothing (or an
// ICMP error) came back. Names that did not resolve and destinations
// without a route are left out: there is no path to trace.
func failedAddrs(results []report.Result) []netip.Addr {
	var out []netip.Addr
	add := func(s string) {
		a, err := netip.ParseAddr(s)
		if err != nil {
			ap, err := netip.ParseAddrPort(s)
			if err != nil {
				return
			}
			a = ap.Addr()
		}
		if !a.IsLoopback() && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	for _, r := range results {
		if r.Status != report.StatusFail && r.Status != report.StatusWarn {
			continue
		}
		switch r.Check {
		case "net-ping":
			for _, f := range r.Findings {
				if f.Code == FindingPingNoAnswer.Code || f.Code == FindingGatewayDown.Code || f.Code == FindingPingTCPNoAnswer.Code || f.Code == FindingPingLoss.Code {
					if s, ok := r.Details["address"].(string); ok {
						add(s)
					}
				}
			}
		case "net-tcp":
			for _, f := range r.Findings {
				if f.Evidence["state"] == string(stateNoRoute) {
					continue
				}
				if f.Code == FindingTCPFiltered.Code || f.Code == FindingTCPUnreachable.Code || f.Code == FindingTCPRefused.Code {
					if s, ok := f.Evidence["address"].(string); ok {
						add(s)
					}
				}
			}
		}
	}
	return out
}

// lossyAddrs returns the addresses of ping targets that answer but lose
// echoes: their trace also measures each hop's loss to place it.
func lossyAddrs(results []report.Result) []netip.Addr {
	var out []netip.Addr
	for _, r := range results {
		if r.Check != "net-ping" || !slices.ContainsFunc(r.Findings, func(f report.Finding) bool { return f.Code == FindingPingLoss.Code }) {
			continue
		}
		if s, ok := r.Details["address"].(string); ok {
			if a, err := netip.ParseAddr(s); err == nil {
				out = append(out, a)
			}
		}
	}
	return out
}

// hop is one TTL of a trace, as shown in details.hops.
type hop struct {
	TTL      int     `json:"ttl"`
	Address  string  `json:"address"` // empty: no answer ("*")
	Sent     int     `json:"sent"`
	Received int     `json:"received"`
	LossPct  float64 `json:"loss_pct"`
	RTTms    float64 `json:"rtt_ms,omitempty"`
	// Note is set when the hop sent an ICMP error other than time
	// exceeded ("host unreachable", "administratively prohibited").
	Note string `json:"note,omitempty"`
	// EchoLoss is the loss of echoes to the hop's own address ("30% ±
	// 12% (15 of 50 lost)"), measured like net-ping when the target
	// loses packets; EchoVerdict is "loss", "no-loss" or "rate-limited".
	EchoLoss    string  `json:"echo_loss,omitempty"`
	EchoLossPct float64 `json:"echo_loss_pct,omitempty"`
	EchoVerdict string  `json:"echo_verdict,omitempty"`
}

// traceResult is what a tracer found.
type traceResult struct {
	hops    []hop
	reached bool
	method  string
}

func runTrace(ctx context.Context, tp profile.NetTrace, pp profile.NetPing, dst netip.Addr, hopLoss bool) report.Result {
	var res report.Result
	tr, err := trace(ctx, tp, dst)
	if err != nil {
		var gap traceGapError
		if errors.As(err, &gap) {
			res.Degraded = true
			res.Summary = fmt.Sprintf("Not traced: %s; no verdict about the path.", gap.why)
			res.AddFinding(FindingTraceUnprivileged.Finding(res.Summary, map[string]any{"error": gap.Error()}))
			return res
		}
		if isPermission(err) {
			res.Degraded = true
			res.Summary = "Not traced: this user may not open the sockets a trace needs."
			res.AddFinding(FindingTraceUnprivileged.Finding(res.Summary, map[string]any{"error": rootCause(err)}))
			return res
		}
		if isNoRoute(err) {
			res.Summary = fmt.Sprintf("Not traced: there is no route to %s.", dst)
			res.Status = report.StatusSkipped
			return res
		}
		return diag.Errored(fmt.Errorf("net: trace %s: %w", dst, err))
	}
	res.SetDetail("method", tr.method)
	if tr.method != "icmp-echo" {
		res.Degraded = true // UDP probes: a destination may drop them yet answer ping
	}
	res.SetDetail("hops", tr.hops)
	res.SetMetric("hops", float64(len(tr.hops)))
	last := -1
	for i, h := range tr.hops {
		if h.Address != "" {
			last = i
		}
	}
	var path []string
	for _, h := range tr.hops {
		path = append(path, cmpOr(h.Address, "*"))
	}
	ev := map[string]any{"destination": dst.String(), "path": strings.Join(path, " > ")}
	switch {
	case tr.reached && hopLoss:
		res.Summary = fmt.Sprintf("The path reaches %s in %d hops; the target answers, but loses packets.", dst, len(tr.hops))
		res.AddFinding(FindingTraceReached.Finding(res.Summary, ev))
	case tr.reached:
		res.Summary = fmt.Sprintf("The path reaches %s in %d hops: routing works, the target itself does not answer as asked.", dst, len(tr.hops))
		res.AddFinding(FindingTraceReached.Finding(res.Summary, ev))
	case last < 0:
		res.Summary = fmt.Sprintf("No hop on the way to %s answered, not even the first router.", dst)
		ev["last_hop"] = ""
		res.AddFinding(FindingTraceLastHop.Finding(res.Summary, ev))
	default:
		h := tr.hops[last]
		ev["last_hop"], ev["last_hop_ttl"] = h.Address, h.TTL
		res.SetMetric("last_hop_ttl", float64(h.TTL))
		res.Summary = fmt.Sprintf("The path to %s stops after hop %d (%s): nothing answered beyond it.", dst, h.TTL, h.Address)
		if h.Note != "" {
			res.Summary = fmt.Sprintf("The path to %s stops at hop %d (%s), which reports %s.", dst, h.TTL, h.Address, h.Note)
			ev["note"] = h.Note
		}
		res.AddFinding(FindingTraceLastHop.Finding(res.Summary, ev))
	}
	if hopLoss && last >= 0 {
		if hl, err := measureHopLoss(ctx, pp, tr.hops, dst); err == nil && hl != nil {
			addHopLoss(&res, tr.hops, hl, dst)
			res.SetDetail("hops", tr.hops)
		}
	}
	return res
}
