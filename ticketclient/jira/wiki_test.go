package jira_test

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/fake"
	"github.com/l2diag/l2diag/ticketclient/jira"
)

// realStrings are what a note carries in the wild: Windows and UNC paths,
// Windows error texts, URLs with query strings, wildcard names, and text
// that happens to look like wiki markup.
var realStrings = []string{
	`C:\Users\ana\AppData\Local\Temp`,
	`\\fs01.corp.example\share$\Finance`,
	`\\?\C:\very\long\path`,
	`%USERPROFILE%\Desktop`,
	`System error 53 has occurred. The network path was not found. (0x80070035)`,
	`net use \\fs01\share /user:CORP\ana`,
	`https://intranet.corp.example/a_b/c-d?x=1&y=2#top`,
	`http://wpad.corp.example/wpad.dat`,
	`*.corp.example`,
	`/etc/resolv.conf`,
	`a -strike- b +ins+ c ~sub~ d ^sup^ e`,
	`{code} [link] a|b !warn! (x) (i) :) -- ---`,
	`??cite?? &#92; R&D`,
	`snake_case_name, tcp-connect, UTF-8, C++ and a_b_c`,
}

// allowedEffects are the formatting the note means to have; anything
// else (a line break, strike-through, a macro, a table cell, an emoticon)
// is text turned into markup.
var allowedEffects = map[string]bool{"heading": true, "list": true, "strong": true, "emphasis": true, "monospace": true, "link": true, "noformat": true}

// TestWikiShowsAsWritten: every real string, wherever the note carries
// it, shows verbatim on Data Center, with no formatting it did not ask for.
func TestWikiShowsAsWritten(t *testing.T) {
	for _, s := range realStrings {
		for _, where := range []string{"text", "multi-line text", "title", "summary", "label", "message", "hint", "known fix", "hand-off"} {
			t.Run(where+"/"+s, func(t *testing.T) {
				n := &ticketclient.Note{Title: "l2diag on pc042: FAIL", Status: "fail",
					Problems: []ticketclient.Problem{{Status: "fail", Label: "smb-share", Message: "unreachable"}}}
				p := &n.Problems[0]
				switch where {
				case "text":
					n.Text = s
				case "multi-line text":
					n.Text = "output:\n" + s + "\n  indented " + s
				case "title":
					n.Title = s
				case "summary":
					n.Summary = s
				case "label":
					p.Label = s
				case "message":
					p.Message = s
				case "hint":
					p.Hint = s
				case "known fix":
					p.Known = []string{s}
				case "hand-off":
					n.Handoff = []string{s}
				}
				wiki := jira.Wiki(n)
				got, effects := fake.RenderWiki(wiki)
				if !strings.Contains(got, s) {
					t.Errorf("Jira shows\n%s\nwhich lacks\n%s\n(sent %q)", got, s, wiki)
				}
				for e := range effects {
					if !allowedEffects[e] {
						t.Errorf("the markup has the effect %q (sent %q)", e, wiki)
					}
				}
			})
		}
	}
}

// TestRenderWikiModel: the renderer model sees the breakage the old
// backslash escaping caused, so the test above can fail.
func TestRenderWikiModel(t *testing.T) {
	for _, tc := range []struct{ in, want, effect string }{
		{`C:\\share`, "C:\nshare", "linebreak"},
		{`a -x- b`, "a x b", "strike"},
		{`{code}x`, "x", "macro"},
		{`see (x) now`, "see  now", "emoticon"},
		{`&#92;&#92;fs01`, `\\fs01`, ""},
		{`{{C:&#92;x}}`, `C:\x`, "monospace"},
	} {
		got, eff := fake.RenderWiki(tc.in)
		if got != tc.want || (tc.effect != "" && eff[tc.effect] == 0) {
			t.Errorf("RenderWiki(%q) = %q %v, want %q with %s", tc.in, got, eff, tc.want, tc.effect)
		}
	}
}
