package netcheck

import (
	"context"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/net/loss"
	"github.com/l2diag/l2diag/diag/profile"
)

// measure runs the loss measurement: a phase at interval, stopped early
// by the sequential test, then, when a fifth or more of the echoes were
// lost but some came back, a slower phase to tell a target that limits
// its reply rate (a router's control-plane policing) from a lossy path.
func measure(ctx context.Context, pp profile.NetPing, interval time.Duration, run func(*phase) (sample, error)) (pingStats, error) {
	test := loss.ForThreshold(pp.LossWarnPct)
	ph := newPhase(pp, test, interval, pp.Count, time.Now().Add(sendWindow(pp.Count, interval)))
	ph.minSent = min(pp.Count, rateLimitEchoes)
	s1, err := run(ph)
	var st pingStats
	st.add(s1, test)
	if err != nil || s1.sendErr != nil {
		st.SendErr = s1.sendErr
		return st, err
	}
	n, lost := s1.run.Judged()
	if !pp.StopEarly || st.Verdict != loss.Lossy || lost == n || 100*lost < rateLimitMinLossPct*n {
		return st, nil
	}
	slow := backoffInterval(s1, interval)
	if budget(ctx, time.Hour) < backoffWall+minLossWait {
		return st, nil
	}
	count := max(1, min(pp.Count, int(backoffWall/slow)+1))
	ph2 := newPhase(pp, test, slow, count, time.Now().Add(backoffWall))
	// The second phase stops as soon as it is decided, without waiting
	// for what is on its way: what it adds to the first is the
	// comparison, not a complete count. Run to its end, it waits: its
	// last echoes are the evidence that the loss went away.
	ph2.stopEarly, ph2.drainAtEnd = true, true
	// It is over once even a clean rest could not show the loss went away.
	ph2.settled = func(n2, lost2 int) bool {
		return lost2 > 0 && loss.FewerLost(n, lost, count, lost2) >= rateLimitP
	}
	s2, err := run(ph2)
	if err != nil {
		return st, nil // the first phase stands
	}
	n2, lost2 := s2.run.Judged()
	if loss.FewerLost(n, lost, n2, lost2) < rateLimitP {
		// The loss went away when asked more slowly: judge the slow
		// phase alone, and say what the fast one saw.
		var rl pingStats
		rl.add(s2, test)
		rl.Phases = append(st.Phases, rl.Phases...)
		rl.Total += st.Total
		rl.Answered += st.Answered
		rl.rtts = append(rl.rtts, st.rtts...)
		rl.Min, rl.Avg, rl.Max, rl.Std = rttStats(rl.rtts)
		rl.RateLimited = true
		return rl, nil
	}
	st.add(s2, test)
	return st, nil
}

// add folds a phase into the stats: counts, round trips and the verdict
// over every echo judged so far.
func (st *pingStats) add(s sample, test loss.Test) {
	n, lost := s.run.Judged()
	v := s.verdict
	if v == loss.Undecided {
		v = test.Final(n, lost)
	}
	st.Phases = append(st.Phases, phaseInfo{IntervalMS: diag.Millis(s.interval), Sent: s.run.Sent(), Judged: n, Lost: lost, Verdict: v.String()})
	st.Sent += n
	st.Recv += n - lost
	st.Total += s.run.Sent()
	st.Answered += len(s.rtts)
	st.Loss = loss.Wilson(st.Sent, st.Sent-st.Recv)
	st.Verdict = test.Final(st.Sent, st.Sent-st.Recv)
	if len(st.Phases) == 1 && s.verdict != loss.Undecided {
		st.Verdict = s.verdict
	}
	st.rtts = append(st.rtts, s.rtts...)
	rtts := st.rtts
	if len(rtts) > 0 {
		st.Min, st.Avg, st.Max, st.Std = rttStats(rtts)
	}
}

// backoffInterval is the second phase's interval: two thirds of the
// rate replies came back at once the loss began (a token bucket answers
// its burst, then its rate), at least twice the first interval and no
// slower than maxBackoffInterval.
func backoffInterval(s sample, interval time.Duration) time.Duration {
	slow := 2 * interval
	firstLost := -1
	for i := range s.sentAt {
		if s.run.Fate(i) == loss.Lost {
			firstLost = i
			break
		}
	}
	if firstLost >= 0 {
		answered := 0
		for i := firstLost; i < len(s.sentAt); i++ {
			if s.run.Fate(i) == loss.Answered {
				answered++
			}
		}
		if span := s.sentAt[len(s.sentAt)-1].Sub(s.sentAt[firstLost]); answered > 0 && span > 0 {
			slow = max(slow, 3*span/time.Duration(2*answered))
		}
	}
	return min(slow, maxBackoffInterval)
}

// sendWindow is how long count probes interval apart may take to send:
// a quarter more than on paper, as timers slip on a busy machine.
func sendWindow(count int, interval time.Duration) time.Duration {
	return time.Duration(count) * interval * 5 / 4
}
