package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/diag/watch"
	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/bundle"
	"github.com/l2diag/l2diag/report/render"
)

// watchView renders the watch: JSON lines with --output json; otherwise
// event lines, and on a terminal a live block per target redrawn in place
// (plain summary lines every minute when not a terminal).
type watchView struct {
	mu      sync.Mutex
	ios     *IOStreams
	json    bool
	live    bool
	og      *bundle.Outgoing
	targets []*watch.Target
	last    map[string]watch.SampleSummary
	drawn   int
	enc     *json.Encoder
}

func newWatchView(ios *IOStreams, g *GlobalOptions, og *bundle.Outgoing, targets []*watch.Target) *watchView {
	v := &watchView{ios: ios, json: g.format == render.FormatJSON, og: og, targets: targets, last: map[string]watch.SampleSummary{}}
	v.live = !v.json && ios.StdoutTTY
	v.enc = json.NewEncoder(ios.Out)
	return v
}

func (v *watchView) summaryEvery() time.Duration {
	if v.live {
		return 2 * time.Second
	}
	if v.json {
		return 10 * time.Second
	}
	return time.Minute
}

// clean passes a line through the run's outgoing filter (secrets, and
// pseudonyms with --redact) and drops control characters.
func (v *watchView) clean(s string) string {
	return report.PrintableLine(v.og.String(s))
}

func (v *watchView) header(dur time.Duration) {
	if v.json {
		return
	}
	until := "until Ctrl-C"
	if dur > 0 {
		until = "for " + dur.String() + " (Ctrl-C ends it earlier)"
	}
	fmt.Fprintf(v.ios.ErrOut, "l2diag: watching %d target(s) %s; the bundle is written at the end.\n", len(v.targets), until)
	for _, t := range v.targets {
		line := fmt.Sprintf("  %s — %s every %s", t.Name, t.Method, t.Interval)
		if t.Degraded {
			line += " (no ICMP permission: timed TCP connects instead)"
		}
		fmt.Fprintln(v.ios.ErrOut, v.clean(line))
	}
}

func (v *watchView) emit(rec any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if r, ok := rec.(watch.EventRecord); ok {
		v.og.LearnSSID(r.SSIDs...)
	}
	if v.json {
		data, err := json.Marshal(rec)
		if err != nil {
			return
		}
		_, _ = fmt.Fprintln(v.ios.Out, v.og.String(string(data)))
		return
	}
	switch r := rec.(type) {
	case watch.SampleSummary:
		v.last[r.Target] = r
		if v.live {
			v.redraw()
		} else if r.Samples > 0 {
			fmt.Fprintf(v.ios.Out, "%s  %s\n", r.Time.Local().Format("15:04:05"), v.clean(summaryLine(r)))
		}
	case watch.EventRecord:
		v.erase()
		fmt.Fprintf(v.ios.Out, "%s  %s\n", r.Time.Local().Format("15:04:05"), v.clean(eventLine(r)))
		v.redraw()
	case watch.SnapshotRecord:
		v.erase()
		line := fmt.Sprintf("snapshot %d (%s): %s", r.N, r.Reason, strings.ToUpper(r.Status))
		for i, c := range r.Conclusions {
			if i == 2 {
				line += fmt.Sprintf("; %d more", len(r.Conclusions)-2)
				break
			}
			line += "; " + c.Headline
		}
		fmt.Fprintf(v.ios.Out, "%s  %s\n", r.Time.Local().Format("15:04:05"), v.clean(line))
		v.redraw()
	case watch.PathRecord:
		v.erase()
		line := "path to " + r.Target + ": " + r.Path.String()
		switch {
		case r.Err != "":
			line = "path to " + r.Target + ": not traced (" + r.Err + ")"
		case r.Changed:
			line = "path to " + r.Target + " changed: " + r.Path.String()
		case !r.Reached:
			line += " (the target did not answer the trace)"
		}
		fmt.Fprintf(v.ios.Out, "%s  %s\n", r.Time.Local().Format("15:04:05"), v.clean(line))
		v.redraw()
	case watch.EndRecord:
		v.erase()
	}
}

func eventLine(r watch.EventRecord) string {
	who := r.Target
	if who == "" {
		who = "this machine"
	}
	if r.Type == "event-start" {
		return fmt.Sprintf("✗ %-14s %s: %s", r.Kind, who, r.Detail)
	}
	d := ""
	if r.DurationMS != nil {
		d = " after " + (time.Duration(*r.DurationMS) * time.Millisecond).Round(100*time.Millisecond).String()
	}
	if r.End != nil && r.Start.Equal(*r.End) {
		return "" + fmt.Sprintf("  %-14s %s: done", r.Kind, who)
	}
	return fmt.Sprintf("✓ %-14s %s%s: %s", "end "+r.Kind, who, d, r.EndDetail)
}

func summaryLine(r watch.SampleSummary) string {
	state := "up"
	if !r.Up {
		state = "DOWN"
	}
	return fmt.Sprintf("%-40s %-4s loss %5.1f%%  avg %7.2f ms  max %7.2f ms  outages %d", r.Target, state, r.LossPct, r.RTTAvg, r.RTTMax, r.Outages)
}

// erase removes the live block before other lines are printed.
func (v *watchView) erase() {
	if v.live && v.drawn > 0 {
		fmt.Fprintf(v.ios.Out, "\x1b[%dA\x1b[J", v.drawn)
		v.drawn = 0
	}
}

func (v *watchView) redraw() {
	if !v.live {
		return
	}
	v.erase()
	fmt.Fprintln(v.ios.Out, "— last minute —")
	for _, t := range v.targets {
		s, ok := v.last[t.Name]
		if !ok {
			s = watch.SampleSummary{Target: t.Name, Up: true}
		}
		fmt.Fprintln(v.ios.Out, v.clean(summaryLine(s)))
	}
	v.drawn = len(v.targets) + 1
}

// finish prints the verdict over time and the totals.
func (v *watchView) finish(res *watch.Result) {
	if v.json {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.erase()
	fmt.Fprintf(v.ios.Out, "\nWatched for %s: %s\n", res.Duration.Round(time.Second), v.clean(res.Summary.Text))
	for i, t := range res.Targets {
		fmt.Fprintf(v.ios.Out, "  %s\n", v.clean(targetTotals(t, res.Stats[i])))
	}
}

func targetTotals(t *watch.Target, st watch.TargetStats) string {
	probes := st.Samples - st.Local
	s := fmt.Sprintf("%s: %d probes, %d lost", t.Name, probes, st.Lost)
	if probes > 0 {
		s += fmt.Sprintf(" (%.1f%%)", float64(st.Lost)*100/float64(probes))
	}
	if ok := probes - st.Lost; ok > 0 {
		s += fmt.Sprintf(", mean %.2f ms, max %.2f ms", float64(st.RTTSum)/float64(ok)/1e6, float64(st.RTTMax)/1e6)
	}
	if st.Outages > 0 {
		s += fmt.Sprintf(", %d outage(s), %s down, longest %s", st.Outages, st.Down.Round(time.Second), st.Longest.Round(time.Second))
	}
	if st.Local > 0 {
		s += fmt.Sprintf(", %d probe(s) not sent (this machine's error)", st.Local)
	}
	return s
}

// watchReport turns a watch into the schema-1 report: one result per
// target with its totals and events, and the watch's verdict as the
// conclusion.
func watchReport(p *profile.Profile, res *watch.Result) *report.Report {
	rep := &report.Report{
		Tool: report.Tool{Name: "l2diag", Version: toolVersion()}, Host: hostInfo(), Profile: p.Name,
		StartedAt: res.Start.UTC().Truncate(time.Millisecond), DurationMS: res.Duration.Milliseconds(),
	}
	for i, t := range res.Targets {
		st := res.Stats[i]
		cat := "net"
		if t.Probe == watch.ProbeDNS {
			cat = "dns"
		}
		r := report.Result{Check: "watch-" + t.Probe, Category: cat, Target: t.Addr, Degraded: t.Degraded,
			Summary: targetTotals(t, st), DurationMS: res.Duration.Milliseconds()}
		r.SetMetric("probes", float64(st.Samples-st.Local))
		r.SetMetric("lost", float64(st.Lost))
		r.SetMetric("outages", float64(st.Outages))
		r.SetMetric("down_ms", float64(st.Down.Milliseconds()))
		if ok := st.Samples - st.Local - st.Lost; ok > 0 {
			r.SetMetric("rtt_ms_avg", float64(st.RTTSum)/float64(ok)/1e6)
			r.SetMetric("rtt_ms_max", float64(st.RTTMax)/1e6)
		}
		counts := map[string]int{}
		for _, e := range res.Events {
			if e.Target == t.Name {
				counts[e.Kind]++
			}
		}
		if n := counts[watch.KindOutage]; n > 0 {
			r.AddFinding(watch.FindingOutage.Finding(fmt.Sprintf("%d outage(s), %s down in all, the longest %s.", n,
				st.Down.Round(time.Second), st.Longest.Round(time.Second)),
				map[string]any{"outages": n, "down_ms": st.Down.Milliseconds(), "longest_ms": st.Longest.Milliseconds()}))
		}
		if n := counts[watch.KindLoss]; n > 0 {
			r.AddFinding(watch.FindingLoss.Finding(fmt.Sprintf("%d burst(s) of packet loss.", n), map[string]any{"bursts": n}))
		}
		if n := counts[watch.KindLatency]; n > 0 {
			r.AddFinding(watch.FindingLatency.Finding(fmt.Sprintf("%d spike(s) of round trip far above its baseline.", n), map[string]any{"spikes": n}))
		}
		if r.Status == "" {
			r.Status = report.StatusOK
		}
		rep.Results = append(rep.Results, r)
	}
	rep.Finish()
	if res.Summary.Status != "ok" {
		c := report.Conclusion{Code: watch.FindingIntermittent.Code, Status: report.Status(res.Summary.Status),
			Headline: res.Summary.Text, Confidence: "medium", Escalation: "network",
			NextStep: "Open the timeline (raw/watch/timeline.html in the bundle) and the snapshots taken at the events."}
		if len(res.Summary.Incidents) > 0 {
			c.Confidence = "high"
			c.Escalation, c.NextStep = ownerOf(res.Summary.Incidents)
		}
		for _, e := range res.Events {
			if len(c.Evidence) == 10 {
				break
			}
			c.Evidence = append(c.Evidence, fmt.Sprintf("%s %s %s", e.Kind, e.Target, e.Start.Format(time.RFC3339)))
		}
		rep.Conclusions = []report.Conclusion{c}
		if st := report.Status(res.Summary.Status); st.Severity() > rep.Status.Severity() {
			rep.Status = st
		}
	}
	return rep
}

// ownerOf names who should act on the watch's incidents, by where most
// of them sit.
func ownerOf(incs []watch.Incident) (string, string) {
	count := map[string]int{}
	top := incs[0].Locus
	for _, in := range incs {
		count[in.Locus]++
		if count[in.Locus] > count[top] {
			top = in.Locus
		}
	}
	switch top {
	case watch.LocusLink:
		return "resolve-here", "This machine's connection dropped (cable, Wi-Fi or VPN client): check the adapter, the Wi-Fi signal and the VPN client's log at the event times."
	case watch.LocusLocal:
		return "network", "The local network failed: give the network team the event times; check the Wi-Fi access point or the switch port and the gateway's log."
	case watch.LocusDNS:
		return "dns", "Give the DNS administrators the event times and the servers named."
	case watch.LocusTarget:
		return "application", "Only one target failed: give its owner the event times."
	case watch.LocusBeyond:
		return "network", "The fault is beyond the gateway: give the network team (or the provider) the event times; the gateway answered throughout."
	}
	return "network", "Watch again with the gateway included (the profile's net.ping.gateways) to place the fault."
}

// writeWatchBundle writes the bundle: the report, the samples, the events,
// the snapshots and the HTML timeline.
func writeWatchBundle(ios *IOStreams, o *watchOptions, res *watch.Result, rep, outRep *report.Report, og *bundle.Outgoing,
	samplesPath string, snaps map[int]*report.Report, logBuf *lockedBuffer) (string, error) {
	dst, err := o.run.Bundle.destination(rep, res.Start)
	if err != nil {
		return "", &BundleError{Err: err}
	}
	var arts []report.Artifact
	add := func(name string, data []byte) {
		arts = append(arts, report.Artifact{Name: "watch/" + name, Data: data})
	}
	if data, err := os.ReadFile(samplesPath); err == nil {
		add("samples.csv", data)
	}
	if f, err := os.Open(samplesPath); err == nil {
		var buf bytes.Buffer
		if watch.RenderTimeline(&buf, res, f) == nil {
			add("timeline.html", buf.Bytes())
		}
		_ = f.Close()
	}
	events, _ := json.MarshalIndent(res.Events, "", "  ")
	add("events.json", events)
	targets, _ := json.MarshalIndent(res.Targets, "", "  ")
	add("targets.json", targets)
	add("summary.txt", []byte(res.Summary.Text+"\n"))
	if len(res.Paths) > 0 {
		paths, _ := json.MarshalIndent(res.Paths, "", "  ")
		add("paths.json", paths)
	}
	for n, s := range snaps {
		if s == nil {
			continue
		}
		if data, err := json.MarshalIndent(s, "", "  "); err == nil {
			add(fmt.Sprintf("snapshot-%d.json", n), data)
		}
	}
	in := &bundle.Input{Report: outRep, Artifacts: arts, Log: logBuf.Bytes(), CommandLine: maskArgs(o.run.argsLine),
		EndedAt: res.Start.Add(res.Duration).UTC()}
	info, err := bundle.Write(dst, in, bundle.Options{Outgoing: og})
	if err != nil {
		return "", &BundleError{Err: err}
	}
	fmt.Fprintf(ios.ErrOut, "l2diag: bundle written to %s (%s, sha256 %s); the timeline is raw/watch/timeline.html in it\n",
		shownPath(og, info.Path), humanBytes(info.Size), info.SHA256[:16])
	if info.MapPath != "" {
		fmt.Fprintf(ios.ErrOut, "l2diag: redaction map written to %s (keep it on this machine; do not attach it)\n", shownPath(og, info.MapPath))
	}
	return info.Path, nil
}
