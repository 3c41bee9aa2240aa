package triage

import (
	"cmp"
	"container/heap"
	"slices"

	"github.com/l2diag/l2diag/report"
)

// candidate is a cause a rule proposes, with the problem observations
// (indexes into View.obs) it explains.
type candidate struct {
	spec        Spec
	m           Match
	rule, order int // the rule's place in the table, the match's in its rule
	conf        int
	status      report.Status
	explains    []int
	// background: every piece of evidence comes from a built-in
	// background probe, none from a target the user named.
	background bool
}

// confRank orders confidences; an unset one counts as medium, as in the
// conclusion.
func confRank(c Confidence) int {
	switch c {
	case High:
		return 3
	case Low:
		return 1
	}
	return 2
}

// selectCauses picks the smallest set of candidates that explains every
// problem some candidate explains (greedy set cover, the usual
// approximation): repeatedly the candidate that explains the most problems
// not yet explained, the surer one on a tie, then the lower layer (rule
// order). A candidate left with nothing new to explain is dropped: its
// findings are consequences of a cause already chosen. A candidate that
// explains no problem at all (an explanation of status ok, a note) is kept.
//
// The greedy step is lazy: a candidate's count only falls as others are
// chosen, so it is recounted only when it reaches the top of the heap.
// That keeps the selection at O(n log n) for n candidates, instead of a
// rescan of all of them per choice.
func selectCauses(cands []candidate, nobs int) []candidate {
	covered := make([]bool, nobs)
	var chosen []candidate
	h := &candHeap{cands: cands}
	for i := range cands {
		if len(cands[i].explains) == 0 {
			chosen = append(chosen, cands[i])
			continue
		}
		h.items = append(h.items, candItem{i, len(cands[i].explains)})
	}
	heap.Init(h)
	for h.Len() > 0 {
		top := heap.Pop(h).(candItem)
		c := &cands[top.c]
		left := 0
		for _, i := range c.explains {
			if !covered[i] {
				left++
			}
		}
		if left == 0 {
			continue
		}
		if left < top.left {
			heap.Push(h, candItem{top.c, left})
			continue
		}
		for _, i := range c.explains {
			covered[i] = true
		}
		chosen = append(chosen, *c)
	}
	return chosen
}

// candItem is a candidate in the heap with the count it had when last
// counted.
type candItem struct{ c, left int }

type candHeap struct {
	cands []candidate
	items []candItem
}

func (h *candHeap) Len() int { return len(h.items) }
func (h *candHeap) Less(i, j int) bool {
	a, b := h.items[i], h.items[j]
	if a.left != b.left {
		return a.left > b.left
	}
	ca, cb := &h.cands[a.c], &h.cands[b.c]
	if ca.conf != cb.conf {
		return ca.conf > cb.conf
	}
	// Candidates are appended in rule order, then match order.
	return a.c < b.c
}
func (h *candHeap) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *candHeap) Push(x any)    { h.items = append(h.items, x.(candItem)) }
func (h *candHeap) Pop() any {
	n := len(h.items)
	it := h.items[n-1]
	h.items = h.items[:n-1]
	return it
}

// rank orders the chosen causes for the report: conclusions about what
// the user asked about (flags, the profile's own targets, paths, this
// machine) before those drawn only from the built-in background probes;
// then the more severe, the surer, the one explaining more; then the lower
// layer.
func rank(cs []candidate) {
	slices.SortStableFunc(cs, func(a, b candidate) int {
		if a.background != b.background {
			if a.background {
				return 1
			}
			return -1
		}
		if d := b.status.Severity() - a.status.Severity(); d != 0 {
			return d
		}
		if d := b.conf - a.conf; d != 0 {
			return d
		}
		if d := len(b.explains) - len(a.explains); d != 0 {
			return d
		}
		return cmp.Or(a.rule-b.rule, a.order-b.order)
	})
}
