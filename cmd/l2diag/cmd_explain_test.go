package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/l2diag/l2diag/report/render"
)

// testCodes are a conclusion and two findings of one area.
func testCodes() []codeEntry {
	return []codeEntry{
		{Code: "cause.pipe-burst", Kind: "conclusion", Status: "fail", Title: "A pipe burst",
			Meaning: "Water where it should not be. The floor is wet.", WhatToDo: "Close the main valve.",
			Owner: "facilities", OwnerLabel: "the facilities team", Layer: "building",
			Causes: []string{"frost", "age"}, Why: "net.tap-dry and net.floor-wet together."},
		{Code: "net.floor-wet", Kind: "finding", Status: "warn", Meaning: "The floor is wet.", WhatToDo: "Find the leak."},
		{Code: "net.tap-dry", Kind: "finding", Status: "fail", Meaning: "No water comes out of the tap."},
	}
}

func TestExplainRun(t *testing.T) {
	tests := []struct {
		name    string
		word    string
		format  render.Format
		want    string // stdout, exactly
		wantErr string // a usage error's message, exactly
	}{
		{name: "every code", want: "3 codes (l2diag explain CODE explains one; l2diag explain WORD searches):\n" +
			"\nLikely causes (conclusions drawn from several findings)\n" +
			"  cause.pipe-burst                   fail  Water where it should not be.\n" +
			"\nNetwork\n" +
			"  net.floor-wet                      warn  The floor is wet.\n" +
			"  net.tap-dry                        fail  No water comes out of the tap.\n"},
		{name: "a conclusion, any case", word: " CAUSE.Pipe-Burst ", want: "cause.pipe-burst (conclusion, fail; layer: building; owner: facilities)\n\n" +
			"A pipe burst.\nWater where it should not be. The floor is wet.\n\nWho should fix it: the facilities team.\n" +
			"\nUsual causes:\n  - frost\n  - age\n" +
			"\nWhat to do: Close the main valve.\n\nWhy triage draws it: net.tap-dry and net.floor-wet together.\n"},
		{name: "a finding without a hint", word: "net.tap-dry", want: "net.tap-dry (fail)\nA finding: what a check saw.\n\nNo water comes out of the tap.\n"},
		{name: "a word in one code's text", word: "leak", want: "net.floor-wet (warn)\nA finding: what a check saw.\n\nThe floor is wet.\n\nWhat to do: Find the leak.\n"},
		{name: "a word in a code wins over text", word: "floor", want: "net.floor-wet (warn)\nA finding: what a check saw.\n\nThe floor is wet.\n\nWhat to do: Find the leak.\n"},
		{name: "an area", word: "net", want: "2 codes match \"net\" (l2diag explain CODE explains one):\n\nNetwork\n" +
			"  net.floor-wet                      warn  The floor is wet.\n" +
			"  net.tap-dry                        fail  No water comes out of the tap.\n"},
		{name: "json", word: "net.tap-dry", format: render.FormatJSON,
			want: `{"code":"net.tap-dry","kind":"finding","status":"fail","meaning":"No water comes out of the tap.","what_to_do":""}`},
		{name: "unknown code of a known area", word: "net.nope",
			wantErr: `unknown code "net.nope" (codes of net: net.floor-wet, net.tap-dry)`},
		{name: "nothing matches", word: "zebra",
			wantErr: `unknown code "zebra": no code matches it (codes look like dns.server-unreachable or cause.gateway-down; 'l2diag explain' lists them all)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forTerminalAndPipe(t, func(t *testing.T, tf *testFactory) {
				err := explainRun(&ExplainOptions{IO: tf.IO, Format: tt.format, Word: tt.word, Codes: testCodes})
				if tt.wantErr != "" {
					var ue *UsageError
					if !errors.As(err, &ue) || err.Error() != tt.wantErr {
						t.Fatalf("error = %v (%T), want the usage error %q", err, err, tt.wantErr)
					}
					if tf.Out.Len() != 0 {
						t.Errorf("stdout on a usage error: %q", tf.Out.String())
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				got := tf.Out.String()
				if tt.format == render.FormatJSON {
					got = compactJSON(t, got)
				}
				if got != tt.want {
					t.Errorf("stdout:\n%s\nwant:\n%s", got, tt.want)
				}
			})
		})
	}
}

// compactJSON drops the indentation, keeping the keys' order.
func compactJSON(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return b.String()
}
