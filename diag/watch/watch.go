package watch

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
)

// Clock gives the wall time (for display) and the monotonic time since
// the watch started (for every duration). Tests replace it.
type Clock interface {
	Now() (wall time.Time, mono time.Duration)
}

type realClock struct{ start time.Time }

func (c realClock) Now() (time.Time, time.Duration) {
	now := time.Now()
	return now.Round(0), now.Sub(c.start)
}

// SnapshotResult is what a snapshot at an event found.
type SnapshotResult struct {
	Status      string            `json:"status"`
	Conclusions []SnapshotCause   `json:"conclusions"`
	Report      any               `json:"-"`
	Files       map[string][]byte `json:"-"`
}

// SnapshotCause is one conclusion of a snapshot.
type SnapshotCause struct {
	Code     string `json:"code"`
	Headline string `json:"headline"`
}

// Config sets a watch up.
type Config struct {
	Targets []*Target
	Detect  DetectConfig
	// Timeout bounds one probe.
	Timeout time.Duration
	// SystemEvery is how often ReadSystem runs (nil: no system events).
	SystemEvery time.Duration
	ReadSystem  func() SystemState
	// Snapshot runs the one-shot checks at an event (nil: none), at most
	// once per SnapshotEvery.
	Snapshot      func(ctx context.Context, reason string) *SnapshotResult
	SnapshotEvery time.Duration
	// Samples receives every sample as a compact CSV line (nil: dropped).
	Samples io.Writer
	// Emit receives every record (SampleSummary, EventRecord,
	// SnapshotRecord, EndRecord), one at a time, in order.
	Emit func(rec any)
	// SummaryEvery is how often a SampleSummary per target is emitted.
	SummaryEvery time.Duration
	Clock        Clock
	// fallbackPorts for ping targets without ICMP permission.
	FallbackPorts []int
	// Trace measures the path to a target's address, hop by hop (nil: no
	// paths). It runs at the start and after each of the target's events
	// ends; a different path is a path-change event.
	Trace func(ctx context.Context, addr string) *Path
}

// Path is the hop-by-hop path to a target.
type Path struct {
	Hops    []string `json:"hops"` // addresses, "*" for a hop that did not answer
	Reached bool     `json:"reached"`
	Err     string   `json:"error,omitempty"`
}

// String is the path as "a > b > *".
func (p *Path) String() string {
	if p == nil || len(p.Hops) == 0 {
		return "(no hop answered)"
	}
	return strings.Join(p.Hops, " > ")
}

// Records: one JSON object per line with `--output json` (docs/watch.md).
type (
	// SampleSummary is a target's state over the last minute.
	SampleSummary struct {
		Type    string    `json:"type"`
		Time    time.Time `json:"time"`
		Target  string    `json:"target"`
		Probe   string    `json:"probe"`
		Role    string    `json:"role"`
		Up      bool      `json:"up"`
		Samples int       `json:"samples"`
		LossPct float64   `json:"loss_pct"`
		RTTAvg  float64   `json:"rtt_avg_ms"`
		RTTMax  float64   `json:"rtt_max_ms"`
		Outages int       `json:"outages"`
	}
	// EventRecord is an event's start or end.
	EventRecord struct {
		Type string    `json:"type"`
		Time time.Time `json:"time"`
		Event
	}
	// SnapshotRecord says a snapshot was taken and what it concluded.
	SnapshotRecord struct {
		Type   string    `json:"type"`
		Time   time.Time `json:"time"`
		N      int       `json:"n"`
		Reason string    `json:"reason"`
		SnapshotResult
	}
	// PathRecord is a target's path at the start or after a change.
	PathRecord struct {
		Type    string    `json:"type"`
		Time    time.Time `json:"time"`
		Target  string    `json:"target"`
		Changed bool      `json:"changed"`
		Path
	}
	// EndRecord closes the stream with the summary.
	EndRecord struct {
		Type       string    `json:"type"`
		Time       time.Time `json:"time"`
		DurationMS int64     `json:"duration_ms"`
		Status     string    `json:"status"`
		Summary    string    `json:"summary"`
		Outages    int       `json:"outages"`
		Events     int       `json:"events"`
	}
)

// Result is what a finished watch hands back for the bundle.
type Result struct {
	Start     time.Time
	Duration  time.Duration
	Targets   []*Target
	Stats     []TargetStats
	Events    []*Event
	Snapshots []SnapshotEntry
	Summary   Summary
	// Paths are the paths traced, per target name, in order.
	Paths map[string][]PathRecord
}

// SnapshotEntry is one snapshot with its reason and time.
type SnapshotEntry struct {
	N      int
	Time   time.Time
	Reason string
	Result *SnapshotResult
}

// TargetStats are a target's totals over the whole watch.
type TargetStats struct {
	Samples, Lost, Local int
	RTTSum               time.Duration
	RTTMax               time.Duration
	Outages              int
	Down                 time.Duration
	Longest              time.Duration
}

// maxEvents bounds the events kept in memory; a flapping link over a day
// must not grow the watch without bound. Later events are counted only.
const maxEvents = 5000

type watcher struct {
	cfg      Config
	clock    Clock
	start    time.Time
	det      []*detector
	stats    []TargetStats
	minute   [][]Sample
	events   []*Event
	dropped  int
	open     map[string]*Event // key: target id + kind, or link name + kind
	nextID   int
	samples  *bufio.Writer
	snapN    int
	lastSnap time.Duration
	snapBusy bool
	snaps    []SnapshotEntry
	snapCh   chan SnapshotEntry
	emit     func(any)
	pathCh   chan PathRecord
	paths    map[string][]PathRecord
	tracing  map[string]bool
	traceCtx context.Context
	ending   bool
}

// Run watches until ctx ends and returns what it saw. Every probe has its
// deadline; a target whose probe is still out when the next is due gets
// the next one in parallel (up to a few), so one slow answer never stalls
// the timeline.
func Run(ctx context.Context, cfg Config) *Result {
	w := &watcher{cfg: cfg, clock: cfg.Clock, open: map[string]*Event{}, snapCh: make(chan SnapshotEntry, 1),
		pathCh: make(chan PathRecord, 16), paths: map[string][]PathRecord{}, tracing: map[string]bool{}}
	if w.clock == nil {
		w.clock = realClock{start: time.Now()}
	}
	w.emit = cfg.Emit
	if w.emit == nil {
		w.emit = func(any) {}
	}
	if cfg.Samples != nil {
		w.samples = bufio.NewWriterSize(cfg.Samples, 32<<10)
		fmt.Fprintf(w.samples, "# l2diag watch samples v1: target id, monotonic ms since start, round trip us (-1 lost, -2 local error)\n")
	}
	w.start, _ = w.clock.Now()
	for _, t := range cfg.Targets {
		w.det = append(w.det, newDetector(cfg.Detect, t.Interval))
	}
	w.stats = make([]TargetStats, len(cfg.Targets))
	w.minute = make([][]Sample, len(cfg.Targets))

	sampleCh := make(chan Sample, 64)
	var wg sync.WaitGroup
	probeCtx, stopProbes := context.WithCancel(ctx)
	for _, t := range cfg.Targets {
		wg.Go(func() { w.probeLoop(probeCtx, t, sampleCh) })
	}
	var sysTick, sumTick <-chan time.Time
	var lastSys SystemState
	var lastWall time.Time
	var lastMono time.Duration
	if cfg.ReadSystem != nil && cfg.SystemEvery > 0 {
		lastSys = cfg.ReadSystem()
		lastWall, lastMono = w.clock.Now()
		tk := time.NewTicker(cfg.SystemEvery)
		defer tk.Stop()
		sysTick = tk.C
	}
	if cfg.SummaryEvery > 0 {
		tk := time.NewTicker(cfg.SummaryEvery)
		defer tk.Stop()
		sumTick = tk.C
	}
	snapCtx, stopSnaps := context.WithCancel(context.Background())
	defer stopSnaps()
	// The initial snapshot records the state before anything happened.
	w.maybeSnapshot(snapCtx, "start of the watch")
	w.traceCtx = snapCtx
	for _, t := range cfg.Targets {
		w.maybeTrace(t)
	}

loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case s := <-sampleCh:
			w.onSample(s)
		case <-sysTick:
			wall, mono := w.clock.Now()
			if gap := (wall.Sub(lastWall) - (mono - lastMono)); gap > 2*time.Second || gap < -2*time.Second ||
				mono-lastMono > 5*cfg.SystemEvery+5*time.Second {
				w.onGap(wall, mono, lastWall, gap, mono-lastMono)
			}
			lastWall, lastMono = wall, mono
			st := cfg.ReadSystem()
			w.onSystem(snapCtx, diffSystem(lastSys, st), wall, mono)
			lastSys = st
		case <-sumTick:
			w.emitSummaries()
		case e := <-w.snapCh:
			w.onSnapshot(e)
		case p := <-w.pathCh:
			w.onPath(p)
		}
	}
	stopProbes()
	wg.Wait()
	// Drain what the probes delivered before they stopped.
	for {
		select {
		case s := <-sampleCh:
			w.onSample(s)
			continue
		default:
		}
		break
	}
	if w.snapBusy {
		select {
		case e := <-w.snapCh:
			w.onSnapshot(e)
		case <-time.After(5 * time.Second):
			stopSnaps()
		}
	}
	wall, mono := w.clock.Now()
	w.ending = true
	for i, d := range w.det {
		for _, e := range d.closeAll(mono, wall) {
			w.onEdge(cfg.Targets[i], e)
		}
	}
	for _, ev := range w.open {
		w.end(ev, wall, mono, "still going when the watch ended")
	}
	if w.samples != nil {
		_ = w.samples.Flush()
	}
	for {
		select {
		case p := <-w.pathCh:
			w.onPath(p)
			continue
		default:
		}
		break
	}
	res := &Result{Start: w.start, Duration: mono, Targets: cfg.Targets, Stats: w.stats, Events: w.events, Snapshots: w.snaps, Paths: w.paths}
	res.Summary = Summarize(res)
	w.emit(EndRecord{Type: "end", Time: wall.UTC(), DurationMS: mono.Milliseconds(), Status: res.Summary.Status,
		Summary: res.Summary.Text, Outages: res.Summary.Outages, Events: len(w.events) + w.dropped})
	return res
}

// probeLoop probes one target every interval and delivers the samples in
// the order they were sent.
func (w *watcher) probeLoop(ctx context.Context, t *Target, out chan<- Sample) {
	pending := make(chan chan Sample, 4)
	go func() {
		for c := range pending {
			s := <-c
			select {
			case out <- s:
			case <-ctx.Done():
			}
		}
	}()
	defer close(pending)
	tk := time.NewTicker(t.Interval)
	defer tk.Stop()
	for {
		wall, mono := w.clock.Now()
		c := make(chan Sample, 1)
		select {
		case pending <- c:
			go func() {
				pctx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
				defer cancel()
				ok, rtt, why, local := t.prober.probe(pctx)
				c <- Sample{Target: t.ID, At: mono, Wall: wall, OK: ok, RTT: rtt, Err: why, Local: local}
			}()
		default:
			// Four probes out already: skip this one rather than pile up.
		}
		select {
		case <-ctx.Done():
			return
		case <-tk.C:
		}
	}
}

func (w *watcher) onSample(s Sample) {
	if s.Target < 0 || s.Target >= len(w.det) {
		return
	}
	st := &w.stats[s.Target]
	st.Samples++
	switch {
	case s.Local:
		st.Local++
	case !s.OK:
		st.Lost++
	default:
		st.RTTSum += s.RTT
		st.RTTMax = max(st.RTTMax, s.RTT)
	}
	m := append(w.minute[s.Target], s)
	for len(m) > 0 && s.At-m[0].At > time.Minute {
		m = m[1:]
	}
	w.minute[s.Target] = m
	if w.samples != nil {
		rtt := s.RTT.Microseconds()
		if s.Local {
			rtt = -2
		} else if !s.OK {
			rtt = -1
		}
		fmt.Fprintf(w.samples, "%d,%d,%d\n", s.Target, s.At.Milliseconds(), rtt)
	}
	t := w.cfg.Targets[s.Target]
	for _, e := range w.det[s.Target].add(s) {
		w.onEdge(t, e)
	}
}

func (w *watcher) onEdge(t *Target, e edge) {
	key := fmt.Sprintf("t%d/%s", t.ID, e.kind)
	if e.start {
		w.begin(key, t.Name, t.Role, e.kind, e.wall, e.at, e.detail)
		if e.kind == KindOutage {
			w.stats[t.ID].Outages++
		}
		w.maybeSnapshot(context.Background(), t.Name+": "+e.kind)
		return
	}
	if ev := w.open[key]; ev != nil {
		if e.kind == KindOutage {
			d := e.at - ev.startMono
			w.stats[t.ID].Down += d
			w.stats[t.ID].Longest = max(w.stats[t.ID].Longest, d)
		}
		w.end(ev, e.wall, e.at, e.detail)
		w.maybeTrace(t)
	}
}

func (w *watcher) begin(key, target, role, kind string, wall time.Time, mono time.Duration, detail string) *Event {
	return w.beginEvent(key, &Event{Target: target, Role: role, Kind: kind, Detail: detail}, wall, mono)
}

// beginEvent starts ev (its kind, target and detail set by the caller).
func (w *watcher) beginEvent(key string, ev *Event, wall time.Time, mono time.Duration) *Event {
	w.nextID++
	ev.ID, ev.Start, ev.startMono = w.nextID, wall.UTC(), mono
	if key != "" {
		w.open[key] = ev
	}
	if len(w.events) < maxEvents {
		w.events = append(w.events, ev)
	} else {
		w.dropped++
	}
	w.emit(EventRecord{Type: "event-start", Time: wall.UTC(), Event: *ev})
	return ev
}

func (w *watcher) end(ev *Event, wall time.Time, mono time.Duration, detail string) {
	for k, o := range w.open {
		if o == ev {
			delete(w.open, k)
		}
	}
	end := wall.UTC()
	d := max(mono-ev.startMono, 0).Milliseconds()
	ev.End, ev.DurationMS, ev.EndDetail = &end, &d, detail
	w.emit(EventRecord{Type: "event-end", Time: end, Event: *ev})
}

// onSystem turns changes of the machine into events: a link or VPN that
// goes down opens an event its coming back closes; other changes are
// instant (start and end at once).
func (w *watcher) onSystem(ctx context.Context, changes []change, wall time.Time, mono time.Duration) {
	for _, c := range changes {
		switch c.kind {
		case KindLinkDown, KindVPNDown, KindVPNUp:
			downKey := "link/" + c.target
			if c.up {
				if ev := w.open[downKey]; ev != nil {
					w.end(ev, wall, mono, c.detail)
				}
				if c.kind == KindVPNUp {
					w.instant(c.kind, c.detail, wall, mono)
				}
				continue
			}
			w.begin(downKey, "", "", c.kind, wall, mono, c.detail)
			w.maybeSnapshot(ctx, c.detail)
		default:
			ev := w.beginEvent("", &Event{Kind: c.kind, Detail: c.detail, Roam: c.roam, SSIDs: c.ssids}, wall, mono)
			w.end(ev, wall, mono, "")
			if c.kind != KindWiFiRoam { // routine while walking: a storm is judged over the events
				w.maybeSnapshot(ctx, c.detail)
			}
		}
	}
}

func (w *watcher) instant(kind, detail string, wall time.Time, mono time.Duration) {
	ev := w.begin("", "", "", kind, wall, mono, detail)
	w.end(ev, wall, mono, "")
}

// onGap records a stretch the watch did not see (suspend, a stalled
// process) or a clock step, and forgets the runs of samples so nothing
// is invented across it.
func (w *watcher) onGap(wall time.Time, mono time.Duration, lastWall time.Time, wallMinusMono, monoDelta time.Duration) {
	detail := fmt.Sprintf("the wall clock moved %s against the monotonic clock (suspend and resume, or a clock step): samples are not compared across it",
		wallMinusMono.Round(time.Second))
	if wallMinusMono <= 2*time.Second && wallMinusMono >= -2*time.Second {
		detail = fmt.Sprintf("the watch itself did not run for %s (the process was stalled)", monoDelta.Round(time.Second))
	}
	ev := w.begin("", "", "", KindGap, lastWall, mono, detail)
	w.end(ev, wall, mono, "")
	for _, d := range w.det {
		d.reset()
	}
}

func (w *watcher) maybeSnapshot(ctx context.Context, reason string) {
	if w.cfg.Snapshot == nil || w.snapBusy {
		return
	}
	_, mono := w.clock.Now()
	// The start's snapshot does not count: the first event always gets
	// its own, later ones at most one per SnapshotEvery.
	if w.snapN > 1 && mono-w.lastSnap < w.cfg.SnapshotEvery {
		return
	}
	w.snapN++
	w.lastSnap, w.snapBusy = mono, true
	n := w.snapN
	wall, _ := w.clock.Now()
	go func() {
		r := w.cfg.Snapshot(ctx, reason)
		w.snapCh <- SnapshotEntry{N: n, Time: wall.UTC(), Reason: reason, Result: r}
	}()
}

func (w *watcher) onSnapshot(e SnapshotEntry) {
	w.snapBusy = false
	if e.Result == nil {
		return
	}
	w.snaps = append(w.snaps, e)
	w.emit(SnapshotRecord{Type: "snapshot", Time: e.Time, N: e.N, Reason: e.Reason, SnapshotResult: *e.Result})
}

func (w *watcher) emitSummaries() {
	wall, _ := w.clock.Now()
	for i, t := range w.cfg.Targets {
		w.emit(w.summaryOf(i, t, wall))
	}
}

// Summaries returns each target's last-minute state (for a live view).
func (w *watcher) summaryOf(i int, t *Target, wall time.Time) SampleSummary {
	s := SampleSummary{Type: "sample-summary", Time: wall.UTC(), Target: t.Name, Probe: t.Probe, Role: t.Role, Outages: w.stats[i].Outages}
	var lost, ok int
	var sum, hi time.Duration
	for _, x := range w.minute[i] {
		switch {
		case x.Local:
		case !x.OK:
			lost++
		default:
			ok++
			sum += x.RTT
			hi = max(hi, x.RTT)
		}
	}
	s.Samples = lost + ok
	if s.Samples > 0 {
		s.LossPct = round1(float64(lost) * 100 / float64(s.Samples))
	}
	if ok > 0 {
		s.RTTAvg, s.RTTMax = msf(sum/time.Duration(ok)), msf(hi)
	}
	if m := w.minute[i]; len(m) > 0 {
		s.Up = m[len(m)-1].OK
	}
	return s
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

func msf(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Millisecond)*100) / 100 }

// maybeTrace traces the path to a target beyond the gateway, one trace per
// target at a time, in the background.
func (w *watcher) maybeTrace(t *Target) {
	if w.cfg.Trace == nil || w.ending || t.Role != RoleTarget || (t.Probe != ProbePing && t.Probe != ProbeTCP) || w.tracing[t.Name] {
		return
	}
	w.tracing[t.Name] = true
	ctx := w.traceCtx
	go func() {
		p := w.cfg.Trace(ctx, t.Addr)
		wall, _ := w.clock.Now()
		if p == nil {
			p = &Path{Err: "not traced"}
		}
		select {
		case w.pathCh <- PathRecord{Type: "path", Time: wall.UTC(), Target: t.Name, Path: *p}:
		case <-ctx.Done():
		}
	}()
}

// onPath records a path and reports a change against the last one.
func (w *watcher) onPath(p PathRecord) {
	w.tracing[p.Target] = false
	prev := w.paths[p.Target]
	if p.Err == "" && len(prev) > 0 {
		last := prev[len(prev)-1]
		if last.Err == "" && !slices.Equal(last.Hops, p.Hops) {
			p.Changed = true
			wall, mono := w.clock.Now()
			w.instant(KindPathChange, "path to "+p.Target+": "+last.Path.String()+" → "+p.Path.String(), wall, mono)
		}
	}
	if len(prev) < 50 {
		w.paths[p.Target] = append(prev, p)
	}
	w.emit(p)
}
