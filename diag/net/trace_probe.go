package netcheck

import (
	"context"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
)

// prober sends one trace probe with a TTL; what comes back arrives on the
// channel it was made with.
type prober interface {
	send(ttl, probe int) error
	close()
}

// probeAnswer is an answer to one probe: who sent it, and whether it is
// the destination itself (echo reply, port unreachable).
type probeAnswer struct {
	ttl, probe int
	from       string
	note       string
	reached    bool
	at         time.Time
}

// probeKey packs TTL and probe number into an echo sequence number.
func probeKey(ttl, probe int) int { return ttl<<4 | probe }

// runProbes sends every TTL's probes at once and collects answers until
// the timeout, or earlier once the destination answered and every hop
// before it did: 30 hops cost one timeout, not 30.
//
// Halfway through, hops that stayed silent up to the first silent hop
// after the last one that answered get one more probe: routers rate-limit
// the ICMP errors they send to one source (Linux: a burst of 6, then one a
// second), so with several traces at once a silent hop may only have been
// throttled, and naming it "the last hop" would be wrong.
func runProbes(ctx context.Context, tp profile.NetTrace, p prober, answers <-chan probeAnswer) ([]hop, int, error) {
	wait := budget(ctx, tp.Timeout.D())
	hops := make([]hop, tp.MaxHops)
	sentAt := map[int]time.Time{}
	rtts := make([][]time.Duration, tp.MaxHops)
	send := func(ttl, probe int) error {
		sentAt[probeKey(ttl, probe)] = time.Now()
		hops[ttl-1].Sent++
		return p.send(ttl, probe)
	}
	for ttl := 1; ttl <= tp.MaxHops; ttl++ {
		hops[ttl-1].TTL = ttl
		for pr := 0; pr < tp.Probes; pr++ {
			if err := send(ttl, pr); err != nil {
				return nil, 0, err
			}
		}
	}
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	retry := time.NewTimer(wait / 2)
	defer retry.Stop()
	reachedAt := 0
	seen := map[int]bool{}
loop:
	for {
		select {
		case a := <-answers:
			k := probeKey(a.ttl, a.probe)
			t0, ok := sentAt[k]
			if !ok || seen[k] || a.ttl < 1 || a.ttl > tp.MaxHops {
				continue
			}
			seen[k] = true
			h := &hops[a.ttl-1]
			h.Address = a.from
			h.Received++
			rtts[a.ttl-1] = append(rtts[a.ttl-1], a.at.Sub(t0))
			if a.note != "" {
				h.Note = a.note
			}
			if a.reached && (reachedAt == 0 || a.ttl < reachedAt) {
				reachedAt = a.ttl
			}
			if reachedAt > 0 && allAnswered(hops[:reachedAt-1]) {
				break loop
			}
		case <-retry.C:
			last := 0
			for i, h := range hops {
				if h.Received > 0 {
					last = i + 1
				}
			}
			if reachedAt > 0 {
				last = reachedAt - 1
			}
			for ttl := 1; ttl <= min(last+1, tp.MaxHops); ttl++ {
				if hops[ttl-1].Received == 0 {
					_ = send(ttl, tp.Probes)
				}
			}
		case <-deadline.C:
			break loop
		case <-ctx.Done():
			break loop
		}
	}
	p.close()
	for i := range hops {
		hops[i].LossPct = float64(hops[i].Sent-hops[i].Received) / float64(hops[i].Sent) * 100
		if len(rtts[i]) > 0 {
			_, avg, _, _ := rttStats(rtts[i])
			hops[i].RTTms = diag.Millis(avg)
		}
	}
	return trimHops(hops, reachedAt), reachedAt, nil
}

func allAnswered(hs []hop) bool {
	for _, h := range hs {
		if h.Received == 0 {
			return false
		}
	}
	return true
}

// trimHops cuts the hops after the destination, or all but one of the
// trailing silent hops (they only say "nothing beyond").
func trimHops(hops []hop, reachedAt int) []hop {
	if reachedAt > 0 {
		return hops[:reachedAt]
	}
	last := 0
	for i, h := range hops {
		if h.Address != "" {
			last = i + 1
		}
	}
	return hops[:min(last+1, len(hops))]
}
