package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/l2diag/l2diag/diag/registry"
	"github.com/l2diag/l2diag/diag/triage"
	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/render"
	"github.com/spf13/cobra"
)

// codeEntry is one code as explain shows it; the JSON form is what
// `explain --output json` prints.
type codeEntry struct {
	Code string `json:"code"`
	// Kind is "conclusion" (triage's likely cause) or "finding" (what a
	// check saw).
	Kind    string `json:"kind"`
	Status  string `json:"status"`
	Title   string `json:"title,omitempty"`
	Meaning string `json:"meaning"`
	// WhatToDo is the hint (findings) or the default next step
	// (conclusions).
	WhatToDo string `json:"what_to_do"`
	// Owner and OwnerLabel say who fixes a conclusion's cause.
	Owner      string   `json:"owner,omitempty"`
	OwnerLabel string   `json:"owner_label,omitempty"`
	Layer      string   `json:"layer,omitempty"`
	Causes     []string `json:"usual_causes,omitempty"`
	Why        string   `json:"why,omitempty"`
}

// allCodes is every code, conclusions first, each group sorted.
func allCodes() []codeEntry {
	var out []codeEntry
	for _, s := range triage.Specs() {
		out = append(out, codeEntry{Code: s.Code, Kind: "conclusion", Status: string(s.Status), Title: s.Title,
			Meaning: s.Meaning, WhatToDo: s.Fix, Owner: string(s.Escalation), OwnerLabel: report.OwnerLabel(string(s.Escalation)),
			Layer: s.Layer.String(), Causes: s.Causes, Why: s.Why})
	}
	var fs []codeEntry
	for _, f := range registry.Findings() {
		fs = append(fs, codeEntry{Code: f.Code, Kind: "finding", Status: string(f.Status), Meaning: f.Meaning, WhatToDo: f.Hint})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Code < fs[j].Code })
	return append(out, fs...)
}

// ExplainOptions are what `l2diag explain` works on.
type ExplainOptions struct {
	IO     *IOStreams
	Format render.Format
	// Word is the argument: a code, or a word to search for; empty lists
	// every code.
	Word string
	// Codes lists every code (allCodes).
	Codes func() []codeEntry
}

func newExplainCmd(f *Factory, g *GlobalOptions, runF func(*ExplainOptions) error) *cobra.Command {
	opts := &ExplainOptions{IO: f.IO, Codes: allCodes}
	return &cobra.Command{
		Use:   "explain [CODE|WORD]",
		Short: "Explain a finding or conclusion code: what it means and what to do",
		Long: `Explain a finding code (net.tcp-filtered: what a check saw) or a conclusion
code (cause.gateway-down: the likely cause triage drew from several
findings): what it means, who should fix it and what to do. Everything is
built in: no documentation or network is needed.

Without an argument, every code is listed, grouped. A WORD that is not a
code lists the codes it appears in (explain dns, explain certificate); when
only one matches, it is explained.`,
		Example: `  l2diag explain cause.gateway-down
  l2diag explain dns
  l2diag explain certificate
  l2diag explain --output json net.tcp-filtered`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeCodes,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Format = g.format
			if len(args) == 1 {
				opts.Word = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return explainRun(opts)
		},
	}
}

// explainRun explains opts.Word's code, or lists the codes it matches.
func explainRun(opts *ExplainOptions) error {
	all := opts.Codes()
	word := strings.TrimSpace(opts.Word)
	if word == "" {
		return writeCodeList(opts.IO, opts.Format, all, "")
	}
	for _, e := range all {
		if strings.EqualFold(e.Code, word) {
			return writeCode(opts.IO, opts.Format, e)
		}
	}
	matches := searchCodes(all, word)
	switch len(matches) {
	case 0:
		msg := fmt.Sprintf("unknown code %q", word)
		if area, _, ok := strings.Cut(word, "."); ok {
			var near []string
			for _, e := range all {
				if strings.HasPrefix(e.Code, area+".") {
					near = append(near, e.Code)
				}
			}
			if len(near) > 0 {
				return usageErrorf("%s (codes of %s: %s)", msg, area, strings.Join(near, ", "))
			}
		}
		return usageErrorf("%s: no code matches it (codes look like dns.server-unreachable or cause.gateway-down; 'l2diag explain' lists them all)", msg)
	case 1:
		return writeCode(opts.IO, opts.Format, matches[0])
	}
	return writeCodeList(opts.IO, opts.Format, matches, word)
}

// searchCodes finds the codes whose code, area or words contain word.
func searchCodes(all []codeEntry, word string) []codeEntry {
	w := strings.ToLower(word)
	var byCode, byText []codeEntry
	for _, e := range all {
		area, _, _ := strings.Cut(e.Code, ".")
		switch {
		case strings.Contains(strings.ToLower(e.Code), w) || area == w:
			byCode = append(byCode, e)
		case strings.Contains(strings.ToLower(e.Meaning+" "+e.Title+" "+e.WhatToDo), w):
			byText = append(byText, e)
		}
	}
	if len(byCode) > 0 {
		return byCode
	}
	return byText
}

func writeCode(ios *IOStreams, format render.Format, e codeEntry) error {
	if format == render.FormatJSON {
		return writeJSON(ios, e)
	}
	var b strings.Builder
	if e.Kind == "conclusion" {
		fmt.Fprintf(&b, "%s (conclusion, %s; layer: %s; owner: %s)\n\n", e.Code, e.Status, e.Layer, e.Owner)
		if e.Title != "" {
			fmt.Fprintf(&b, "%s.\n", e.Title)
		}
		fmt.Fprintf(&b, "%s\n\nWho should fix it: %s.\n", e.Meaning, e.OwnerLabel)
		if len(e.Causes) > 0 {
			b.WriteString("\nUsual causes:\n")
			for _, c := range e.Causes {
				fmt.Fprintf(&b, "  - %s\n", c)
			}
		}
		fmt.Fprintf(&b, "\nWhat to do: %s\n\nWhy triage draws it: %s\n", e.WhatToDo, e.Why)
	} else {
		fmt.Fprintf(&b, "%s (%s)\nA finding: what a check saw.\n\n%s\n", e.Code, e.Status, e.Meaning)
		if e.WhatToDo != "" {
			fmt.Fprintf(&b, "\nWhat to do: %s\n", e.WhatToDo)
		}
	}
	_, err := fmt.Fprint(ios.Out, b.String())
	return err
}

// writeCodeList lists codes grouped by area, one line each.
func writeCodeList(ios *IOStreams, format render.Format, es []codeEntry, word string) error {
	if format == render.FormatJSON {
		return writeJSON(ios, es)
	}
	var b strings.Builder
	if word != "" {
		fmt.Fprintf(&b, "%d codes match %q (l2diag explain CODE explains one):\n", len(es), word)
	} else {
		fmt.Fprintf(&b, "%d codes (l2diag explain CODE explains one; l2diag explain WORD searches):\n", len(es))
	}
	area := ""
	for _, e := range es {
		a, _, _ := strings.Cut(e.Code, ".")
		if a != area {
			area = a
			fmt.Fprintf(&b, "\n%s\n", areaTitle(a))
		}
		fmt.Fprintf(&b, "  %-34s %-5s %s\n", e.Code, e.Status, firstSentence(e.Meaning))
	}
	_, err := fmt.Fprint(ios.Out, b.String())
	return err
}

var areaTitles = map[string]string{
	"cause": "Likely causes (conclusions drawn from several findings)", "check": "The run itself",
	"net": "Network", "dns": "DNS", "host": "This machine", "perm": "Permissions", "watch": "Watch (over time)",
}

func areaTitle(a string) string {
	if t, ok := areaTitles[a]; ok {
		return t
	}
	return a
}

// firstSentence shortens a meaning to its first sentence for a list.
func firstSentence(s string) string {
	for i := 0; i+2 < len(s) && i < 110; i++ {
		// A sentence ends at ". " before a capital ("e.g. a" does not).
		if s[i] == '.' && s[i+1] == ' ' && s[i+2] >= 'A' && s[i+2] <= 'Z' {
			return s[:i+1]
		}
	}
	if r := []rune(s); len(r) > 110 {
		return string(r[:109]) + "…"
	}
	return s
}

// completeCodes completes explain's argument with every code.
func completeCodes(_ *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, e := range allCodes() {
		if strings.HasPrefix(e.Code, prefix) {
			out = append(out, e.Code+"\t"+firstSentence(e.Meaning))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
