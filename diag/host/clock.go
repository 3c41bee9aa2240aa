package hostcheck

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/internal/sockerr"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

var clockSpec = diag.Spec{
	ID: IDClock, Category: diag.CategoryHost, Phase: diag.PhaseProbe,
	Finds:    "clock offset from the profile's NTP servers (SNTP) and the OS sync state",
	Findings: []diag.FindingSpec{FindingClockSkew, FindingClockSkewSevere, FindingNTPUnreachable, FindingLocalError, FindingNTPServerUnreachable, FindingNTPServerUnsynced, FindingClockUnsynced},
	Plan:     diag.Once(runClock),
}

// syncState is what the OS says about its clock; Known is false where the
// platform cannot tell (tri-state, not "unsynchronised").
type syncState struct {
	Known  bool
	Synced bool
	// Source names how it was read ("adjtimex", "w32tm").
	Source string
	// Detail is extra evidence (maximum error, the time source).
	Detail map[string]any
}

// clockCheck is host-clock with its OS probe replaceable in tests.
type clockCheck struct {
	cfg    profile.HostClock
	osSync func(ctx context.Context, env *diag.Env) syncState
}

func runClock(ctx context.Context, env *diag.Env) report.Result {
	c := clockCheck{cfg: env.Profile.Host.Clock, osSync: osClockSync}
	return c.run(ctx, env)
}

// queryMargin ends every NTP query this long before the check's own
// deadline, so all answers (mostly "no answer") are in when the check
// writes its result.
const queryMargin = 50 * time.Millisecond

// serverAnswer is one server's outcome.
type serverAnswer struct {
	reply sntpReply
	err   error
}

func (c clockCheck) run(ctx context.Context, env *diag.Env) report.Result {
	ctx, cancel := withMargin(ctx)
	defer cancel()

	syncCh := make(chan syncState, 1)
	go func() { syncCh <- c.osSync(ctx, env) }()

	// Every server at once, each within query_timeout and the deadline:
	// with no route out, each fails at once or at its timeout, and the
	// check still ends in time to say so.
	type indexed struct {
		i int
		a serverAnswer
	}
	ch := make(chan indexed, len(c.cfg.NTPServers))
	qbase, qbaseCancel := withEnd(ctx, queryMargin)
	defer qbaseCancel()
	for i, s := range c.cfg.NTPServers {
		go func() {
			qctx, qcancel := context.WithTimeout(qbase, c.cfg.QueryTimeout.D())
			defer qcancel()
			r, err := querySNTP(qctx, s)
			ch <- indexed{i, serverAnswer{r, err}}
		}()
	}
	answers := make([]serverAnswer, len(c.cfg.NTPServers))
	for i, s := range c.cfg.NTPServers {
		// Replaced when the query reports; a query still running at the
		// deadline (a goroutine starved on a loaded machine) stays this.
		answers[i] = serverAnswer{sntpReply{Server: s}, errors.New("no answer before the check's deadline")}
	}
wait:
	for range answers {
		select {
		case x := <-ch:
			answers[x.i] = x.a
		case <-ctx.Done():
			break wait
		}
	}
	var res report.Result

	var usable []sntpReply
	var unreachable []string
	var servers []map[string]any
	local := 0 // unreachable because this machine refused the socket
	for _, a := range answers {
		row := map[string]any{"server": a.reply.Server, "address": a.reply.Addr}
		servers = append(servers, row)
		var ue *unsyncedError
		switch {
		case a.err == nil:
			usable = append(usable, a.reply)
			row["offset_ms"] = diag.Millis(a.reply.Offset)
			row["rtt_ms"] = diag.Millis(a.reply.RTT)
			row["stratum"] = a.reply.Stratum
			row["ref_id"] = a.reply.RefID
		case errors.As(a.err, &ue):
			row["error"] = a.err.Error()
			res.AddFinding(FindingNTPServerUnsynced.Finding(fmt.Sprintf("%s answered, but %s.", a.reply.Server, a.err),
				map[string]any{"server": a.reply.Server, "address": a.reply.Addr, "stratum": a.reply.Stratum, "ref_id": a.reply.RefID}))
		default:
			row["error"] = a.err.Error()
			unreachable = append(unreachable, a.reply.Server+": "+a.err.Error())
			if sockerr.IsLocal(a.err) {
				local++
			}
		}
	}
	res.SetDetail("servers", servers)
	answered := len(answers) - len(unreachable)
	noneReachable := len(answers) > 0 && answered == 0
	switch {
	case len(answers) == 0, noneReachable:
		// Judged below, with the OS's sync state.
	default:
		for _, a := range answers {
			var ue *unsyncedError
			if a.err != nil && !errors.As(a.err, &ue) {
				res.AddFinding(FindingNTPServerUnreachable.Finding(fmt.Sprintf("NTP server %s did not answer: %v.", a.reply.Server, a.err),
					map[string]any{"server": a.reply.Server, "address": a.reply.Addr, "error": a.err.Error()}))
			}
		}
	}

	offsetText := "Clock offset not measured"
	if ref, ok := reference(usable); ok {
		res.SetMetric("offset_seconds", ref.Offset.Seconds())
		res.SetMetric("rtt_seconds", ref.RTT.Seconds())
		res.SetDetail("reference", ref.Server)
		abs := ref.Offset.Abs()
		ev := map[string]any{"offset_ms": diag.Millis(ref.Offset), "server": ref.Server, "rtt_ms": diag.Millis(ref.RTT)}
		msg := fmt.Sprintf("This clock is %s %s %s.", abs.Round(time.Millisecond), aheadBehind(ref.Offset), ref.Server)
		switch {
		case abs > c.cfg.OffsetFail.D():
			ev["threshold"] = c.cfg.OffsetFail.String()
			res.AddFinding(FindingClockSkewSevere.Finding(msg, ev))
		case abs > c.cfg.OffsetWarn.D():
			ev["threshold"] = c.cfg.OffsetWarn.String()
			res.AddFinding(FindingClockSkew.Finding(msg, ev))
		}
		offsetText = fmt.Sprintf("Clock %s %s %s", abs.Round(time.Millisecond), aheadBehind(ref.Offset), ref.Server)
		if abs < time.Millisecond {
			offsetText = "Clock within 1ms of " + ref.Server
		}
	} else if len(c.cfg.NTPServers) == 0 {
		offsetText = "No NTP servers in the profile"
	}

	var st syncState
	select {
	case st = <-syncCh:
	case <-ctx.Done():
	}
	osText := "OS sync state unknown"
	switch {
	case !st.Known:
		res.SetDetail("os_synchronized", "unknown")
	case st.Synced:
		res.SetDetail("os_synchronized", true)
		osText = "OS says synchronised"
	default:
		res.SetDetail("os_synchronized", false)
		osText = "OS says not synchronised"
		ev := map[string]any{"source": st.Source}
		for k, v := range st.Detail {
			ev[k] = v
		}
		res.AddFinding(FindingClockUnsynced.Finding(fmt.Sprintf("The OS (%s) says the clock is not synchronised with a time source.", st.Source), ev))
	}
	if st.Detail != nil {
		res.SetDetail("os_sync", st.Detail)
	}
	if noneReachable {
		offsetText = "No NTP server reachable"
		switch {
		case local == len(unreachable):
			// Nothing was sent: not a verdict about NTP or the network.
			offsetText = "Offset not measured (a local socket error)"
			res.AddFinding(FindingLocalError.Finding("This machine could not open a socket to query NTP: "+strings.Join(unreachable, "; ")+".",
				map[string]any{"servers": c.cfg.NTPServers, "errors": unreachable}))
		case st.Known && st.Synced:
			// Managed networks block public NTP and sync machines to their
			// own servers (Windows: the domain controllers). The OS keeps
			// time; only our measurement is missing: not a fault.
			res.SetDetail("ntp_errors", unreachable)
			offsetText += " (offset not measured; the OS syncs to its own time source)"
		default:
			res.AddFinding(FindingNTPUnreachable.Finding("No NTP server reachable: "+strings.Join(unreachable, "; ")+".",
				map[string]any{"servers": c.cfg.NTPServers, "errors": unreachable}))
		}
	}
	res.Summary = fmt.Sprintf("%s; %s.", offsetText, osText)
	return res
}

// reference picks the reply whose offset is judged: the median offset of
// three or more (one wrong server cannot move it), else the reply with the
// shortest round trip (its offset has the smallest error bound).
func reference(rs []sntpReply) (sntpReply, bool) {
	if len(rs) == 0 {
		return sntpReply{}, false
	}
	s := append([]sntpReply(nil), rs...)
	if len(s) >= 3 {
		sort.Slice(s, func(i, j int) bool { return s[i].Offset < s[j].Offset })
		return s[len(s)/2], true
	}
	sort.Slice(s, func(i, j int) bool { return s[i].RTT < s[j].RTT })
	return s[0], true
}

// aheadBehind words the sign of an offset (server minus local).
func aheadBehind(off time.Duration) string {
	if off > 0 {
		return "behind"
	}
	return "ahead of"
}
