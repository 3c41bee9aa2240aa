package netcheck

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"sync"

	"github.com/l2diag/l2diag/diag/net/loss"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// hopLoss is the loss measured to one hop's own address.
type hopLoss struct {
	est     loss.Estimate
	verdict loss.Verdict
	limited bool // the hop limits its reply rate
}

// measureHopLoss pings every answering hop's own address and the
// destination, all at once, with the ping check's loss measurement, as
// pathping does. Echoes to a router's address are answered by the
// router itself, not through its ICMP error path, so the rate limit
// routers put on "time exceeded" (Linux: about one a second per source)
// does not read as loss. It returns nil when ICMP is not permitted.
func measureHopLoss(ctx context.Context, pp profile.NetPing, hops []hop, dst netip.Addr) (map[string]hopLoss, error) {
	addrs := []netip.Addr{dst}
	for _, h := range hops {
		if a, err := netip.ParseAddr(h.Address); err == nil && !containsAddr(addrs, a) {
			addrs = append(addrs, a)
		}
	}
	method, err := pingMethod(dst)
	if err != nil || method == methodTCP {
		return nil, err
	}
	out := make(map[string]hopLoss, len(addrs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, a := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := measure(ctx, pp, pp.Interval.D(), func(ph *phase) (sample, error) {
				return echoPhase(ctx, ph, a, method)
			})
			if err != nil || st.Answered == 0 {
				return // a hop that does not answer echo says nothing about loss
			}
			mu.Lock()
			defer mu.Unlock()
			out[a.String()] = hopLoss{est: st.Loss, verdict: st.Verdict, limited: st.RateLimited}
		}()
	}
	wg.Wait()
	return out, nil
}

func containsAddr(list []netip.Addr, a netip.Addr) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// lossOrigin returns the index in hops of the hop where loss starts and
// persists: that hop and every later hop that answered echo, and the
// destination, are lossy. When only the destination loses (its last
// link) it returns the destination's index, or len(hops) when the trace
// did not reach it; -1 when the destination does not lose. Loss at a hop
// that does not carry on to the destination is not loss on the path: a
// router that is slow to answer echoes to itself drops nothing it
// forwards.
func lossOrigin(hops []hop, hl map[string]hopLoss, dst netip.Addr) int {
	d, ok := hl[dst.String()]
	if !ok || d.verdict != loss.Lossy || d.limited {
		return -1
	}
	origin := len(hops)
	for i := len(hops) - 1; i >= 0; i-- {
		if hops[i].Address == dst.String() {
			origin = i
			continue
		}
		h, ok := hl[hops[i].Address]
		if !ok {
			continue // silent to echo: says nothing either way
		}
		if h.verdict != loss.Lossy || h.limited {
			break
		}
		origin = i
	}
	return origin
}

// addHopLoss records each hop's echo loss in the hops and, when loss
// starts at a hop and persists to the destination, the finding that
// places it.
func addHopLoss(res *report.Result, hops []hop, hl map[string]hopLoss, dst netip.Addr) {
	for i := range hops {
		if h, ok := hl[hops[i].Address]; ok {
			hops[i].EchoLoss = h.est.String()
			hops[i].EchoLossPct = round1(h.est.Pct)
			hops[i].EchoVerdict = h.verdict.String()
			if h.limited {
				hops[i].EchoVerdict = "rate-limited"
			}
		}
	}
	o := lossOrigin(hops, hl, dst)
	if o < 0 {
		return
	}
	var path []string
	for _, h := range hops {
		if l, ok := hl[h.Address]; ok {
			path = append(path, fmt.Sprintf("%s %.0f%%", h.Address, l.est.Pct))
		}
	}
	d := hl[dst.String()]
	ev := map[string]any{"destination": dst.String(), "hop_losses": strings.Join(path, " > ")}
	for k, v := range lossEvidence(d.est, 0) {
		if k != "threshold_pct" {
			ev["destination_"+k] = v
		}
	}
	prev := "this machine"
	ev["after_hop"] = ""
	for i := o - 1; i >= 0; i-- {
		if hops[i].Address != "" {
			prev = fmt.Sprintf("hop %d (%s)", hops[i].TTL, hops[i].Address)
			ev["after_hop"], ev["after_hop_ttl"] = hops[i].Address, hops[i].TTL
			break
		}
	}
	var msg string
	if o == len(hops) || hops[o].Address == dst.String() {
		ev["from_hop"] = dst.String()
		msg = fmt.Sprintf("Loss to %s (%s) appears only at the destination: the hops before it answer without loss, so the last link or %s itself drops packets (after %s).", dst, d.est, dst, prev)
	} else {
		h := hops[o]
		ev["from_hop"], ev["from_hop_ttl"] = h.Address, h.TTL
		msg = fmt.Sprintf("Loss starts at hop %d (%s, %s) and persists to %s (%s): the link between %s and hop %d drops packets.", h.TTL, h.Address, hl[h.Address].est, dst, d.est, prev, h.TTL)
	}
	res.AddFinding(FindingTraceLossFrom.Finding(msg, ev))
	res.Summary += " " + msg
}
