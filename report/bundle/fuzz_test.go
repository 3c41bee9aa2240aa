package bundle

import (
	"bytes"
	"testing"

	"github.com/l2diag/l2diag/report/diff"
	"github.com/l2diag/l2diag/report/redact"
	"github.com/l2diag/l2diag/report/render"
)

// FuzzReadBundle feeds the bundle reader arbitrary bytes: it must return a
// bundle or an error, never panic, and whatever it accepts must survive
// Verify, Facts, rendering and diff. The corpus is kept in
// testdata/fuzz/FuzzReadBundle; run with
//
//	go test ./report/bundle -run '^$' -fuzz FuzzReadBundle -fuzztime 60s -fuzzminimizetime 2s
//
// (Minimizing a 17 KB bundle input is slow; a short minimize time keeps
// the fuzzer executing.)
func FuzzReadBundle(f *testing.F) {
	var buf bytes.Buffer
	in := sampleInput()
	if _, _, err := writeBundle(&buf, in, Options{}, redact.NewScrubber(nil, nil), false); err != nil {
		f.Fatal(err)
	}
	good := buf.Bytes()
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[len(good)/2:])
	f.Add([]byte{})
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Read(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		_ = b.Verify()
		facts, _ := b.Facts()
		d := diff.Reports(b.Report, b.Report, facts, facts, diff.Options{})
		if !d.Empty() {
			t.Errorf("a bundle differs from itself: %+v", d)
		}
		var out bytes.Buffer
		_ = render.Text(&out, b.Report, render.Options{Verbose: true})
		_ = render.Markdown(&out, b.Report, render.Options{})
		_ = render.HTML(&out, b.Report, render.Options{})
	})
}
