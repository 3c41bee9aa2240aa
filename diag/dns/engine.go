package dnscheck

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/dns/internal/wire"
	"github.com/l2diag/l2diag/diag/internal/sockets"
	"github.com/l2diag/l2diag/report"
)

// engine runs and remembers every DNS query of one run. Checks that need
// the same answer share one query, and every planned query starts at once
// when the first dns check runs, so the category takes about one query
// timeout plus retries however many names, servers and checks there are,
// and whatever the runner's concurrency. Queries in flight are bounded by
// the process's socket budget (diag/internal/sockets), one socket each.
type engine struct {
	timeout time.Duration
	tries   int
	// nxLabel is this run's label that no zone has (dns-hijack, dns-search).
	nxLabel string

	mu sync.Mutex
	// until is the latest deadline of the checks waiting on the engine:
	// a query still waiting for a socket then is not worth sending.
	until   time.Time
	entries map[qkey]*entry
	order   []*entry
	planned []qkey
	once    sync.Once
}

// qkey identifies one question to one server over one transport.
type qkey struct {
	server netip.AddrPort
	name   string
	qtype  uint16
	via    wire.Transport
}

type entry struct {
	key  qkey
	done chan struct{}
	out  Outcome
	// asked is set once the query holds its socket and goes out; until
	// then a check that stops waiting was not answered by nobody, it
	// never asked.
	asked atomic.Bool
}

// Outcome is what one question to one server produced, after retries, the
// TCP fallback for a truncated answer and the CD retry after SERVFAIL.
type Outcome struct {
	Server    netip.AddrPort `json:"server"`
	Name      string         `json:"name"`
	Type      string         `json:"type"`
	Transport string         `json:"transport"`
	// Rcode is the final response code; empty when nothing answered.
	Rcode  string    `json:"rcode,omitempty"`
	Answer []wire.RR `json:"answer,omitempty"`
	AD     bool      `json:"ad,omitempty"`
	// Truncated: the UDP answer was truncated and retried over TCP;
	// TCPFallbackError says why that retry failed.
	Truncated        bool   `json:"truncated,omitempty"`
	TCPFallbackError string `json:"tcp_fallback_error,omitempty"`
	// CDRcode is the rcode of the retry with checking disabled after a
	// SERVFAIL: an answer there means DNSSEC validation is what failed.
	CDRcode   string    `json:"cd_rcode,omitempty"`
	CDAnswer  []wire.RR `json:"cd_answer,omitempty"`
	Error     string    `json:"error,omitempty"`
	ErrKind   string    `json:"error_kind,omitempty"`
	RTTms     float64   `json:"rtt_ms"`
	Tries     int       `json:"tries"`
	ElapsedMS float64   `json:"elapsed_ms"`
}

// Answered reports whether the server sent a response (of any rcode).
func (o Outcome) Answered() bool { return o.Rcode != "" }

// Local reports whether the query never reached the server because this
// machine could not send it (out of descriptors or socket buffers).
func (o Outcome) Local() bool { return o.ErrKind == string(wire.KindLocal) }

// Malformed reports whether something answered with a message that is not
// readable DNS: the server is up, its answer is broken.
func (o Outcome) Malformed() bool { return o.ErrKind == string(wire.KindMalformed) }

// localFinding reports a query this machine could not send.
func localFinding(o Outcome, ev map[string]any) report.Finding {
	return FindingLocalError.Finding(fmt.Sprintf("%s %s was not asked of %s: %s.", o.Name, o.Type, serverName(o.Server), o.Error), ev)
}

// HasData reports whether the server answered NOERROR with records of the type asked.
func (o Outcome) HasData() bool {
	if o.Rcode != wire.NoError {
		return false
	}
	for _, rr := range o.Answer {
		if rr.Type == o.Type {
			return true
		}
	}
	return false
}

// Data returns the rdata of the records of the type asked, sorted.
func (o Outcome) Data() []string {
	var out []string
	for _, rr := range o.Answer {
		if rr.Type == o.Type {
			out = append(out, rr.Data)
		}
	}
	sort.Strings(out)
	return out
}

func newEngine(timeout time.Duration, retries int) *engine {
	return &engine{timeout: timeout, tries: retries + 1, nxLabel: randomLabel(), entries: map[qkey]*entry{}}
}

// plan remembers queries to start together when the first check runs.
// Plans run one after another, but lock anyway.
func (e *engine) plan(keys ...qkey) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.planned = append(e.planned, keys...)
}

// startPlanned starts every planned query, once.
func (e *engine) startPlanned() {
	e.once.Do(func() {
		e.mu.Lock()
		keys := e.planned
		e.mu.Unlock()
		for _, k := range keys {
			e.start(k)
		}
	})
}

// start begins a query unless it is running or done, and returns its entry.
func (e *engine) start(k qkey) *entry {
	e.mu.Lock()
	defer e.mu.Unlock()
	if en, ok := e.entries[k]; ok {
		return en
	}
	en := &entry{key: k, done: make(chan struct{})}
	e.entries[k] = en
	e.order = append(e.order, en)
	go func() {
		defer close(en.done)
		// Every query in flight holds a socket from the process's budget
		// (RLIMIT_NOFILE): past it, socket() fails with EMFILE and a
		// healthy server would look silent. Waiting for one is bounded by
		// the checks that want the answer.
		n, err := e.socket()
		if err != nil {
			en.out = notAsked(k, "not asked before the checks' deadline: every socket this process may open was in use")
			return
		}
		defer sockets.Release(n)
		en.asked.Store(true)
		// The query runs on its own bounded clock, not the asking check's
		// context: another check may still want the answer.
		en.out = e.do(k)
	}()
	return en
}

// socket takes one socket from the budget, waiting at most until the
// latest deadline of the checks asking.
func (e *engine) socket() (int, error) {
	e.mu.Lock()
	until := e.until
	e.mu.Unlock()
	if until.IsZero() {
		until = time.Now().Add(e.timeout * time.Duration(e.tries+2))
	}
	ctx, cancel := context.WithDeadline(context.Background(), until)
	defer cancel()
	return sockets.Acquire(ctx, 1)
}

// wait notes how long a check waits for answers.
func (e *engine) wait(ctx context.Context) {
	dl, ok := ctx.Deadline()
	if !ok {
		return
	}
	e.mu.Lock()
	if dl.After(e.until) {
		e.until = dl
	}
	e.mu.Unlock()
}

func notAsked(k qkey, why string) Outcome {
	return Outcome{Server: k.server, Name: wire.Fqdn(k.name), Type: wire.TypeName(k.qtype), Transport: string(k.via),
		Error: why, ErrKind: string(wire.KindLocal)}
}

// query asks one question and waits for the outcome or ctx's end.
func (e *engine) query(ctx context.Context, k qkey) Outcome {
	e.wait(ctx)
	e.startPlanned()
	en := e.start(k)
	select {
	case <-en.done:
		return en.out
	case <-ctx.Done():
		if !en.asked.Load() {
			return notAsked(k, "not asked before the check's deadline: every socket this process may open was in use")
		}
		return Outcome{Server: k.server, Name: k.name, Type: wire.TypeName(k.qtype), Transport: string(k.via),
			Error: "no outcome before the check's deadline", ErrKind: string(wire.KindTimeout)}
	}
}

// queryAll asks several questions at once and returns the outcomes in order.
func (e *engine) queryAll(ctx context.Context, keys []qkey) []Outcome {
	e.wait(ctx)
	e.startPlanned()
	for _, k := range keys {
		e.start(k)
	}
	out := make([]Outcome, len(keys))
	for i, k := range keys {
		out[i] = e.query(ctx, k)
	}
	return out
}

func (e *engine) exchange(q wire.Query) (*wire.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), e.timeout)
	defer cancel()
	return wire.Exchange(ctx, q)
}

// do runs one question to the end: retries on timeout, TCP after a
// truncated UDP answer, the CD retry after SERVFAIL.
func (e *engine) do(k qkey) Outcome {
	start := time.Now()
	o := e.ask(k)
	o.ElapsedMS = diag.Millis(time.Since(start))
	return o
}

func (e *engine) ask(k qkey) Outcome {
	o := Outcome{Server: k.server, Name: wire.Fqdn(k.name), Type: wire.TypeName(k.qtype), Transport: string(k.via)}
	q := wire.Query{Server: k.server, Name: k.name, Type: k.qtype, Via: k.via, RD: true}
	var resp *wire.Response
	var err error
	for o.Tries < e.tries {
		o.Tries++
		resp, err = e.exchange(q)
		// Only silence is worth another try; a rejection will not change.
		if err == nil || wire.Kind(err) != wire.KindTimeout {
			break
		}
	}
	if err != nil {
		o.Error = fmt.Sprintf("dns: query %s %s at %s over %s: %v", k.name, o.Type, k.server, k.via, err)
		o.ErrKind = string(wire.Kind(err))
		return o
	}
	o.RTTms = diag.Millis(resp.RTT)
	if resp.Truncated && k.via == wire.UDP {
		o.Truncated = true
		tq := q
		tq.Via = wire.TCP
		if tr, terr := e.exchange(tq); terr != nil {
			o.TCPFallbackError = terr.Error()
		} else {
			resp = tr
		}
	}
	o.Rcode, o.Answer, o.AD = resp.Rcode, resp.Answer, resp.AD
	if resp.Rcode == wire.ServFail {
		cq := q
		cq.CD = true
		if resp.Truncated {
			cq.Via = wire.TCP
		}
		if cr, cerr := e.exchange(cq); cerr == nil {
			o.CDRcode, o.CDAnswer = cr.Rcode, cr.Answer
		}
	}
	return o
}

// MarshalJSON writes the run's query log, so the facts in a bundle show
// every question asked and what came back.
func (e *engine) MarshalJSON() ([]byte, error) {
	e.mu.Lock()
	entries := append([]*entry(nil), e.order...)
	e.mu.Unlock()
	var out []Outcome
	for _, en := range entries {
		select {
		case <-en.done:
			out = append(out, en.out)
		default:
			out = append(out, Outcome{Server: en.key.server, Name: en.key.name, Type: wire.TypeName(en.key.qtype),
				Transport: string(en.key.via), Error: "still running"})
		}
	}
	return json.Marshal(map[string]any{"queries": out})
}
