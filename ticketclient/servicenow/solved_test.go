package servicenow_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/fake"
)

// solvedInstance holds resolved incidents, a known error and an article
// about cause.dns-wrong-answer, and records that must not come back.
func solvedInstance(t *testing.T) *fake.ServiceNow {
	f := fake.NewServiceNow(t)
	label := ticketclient.CauseLabel("cause.dns-wrong-answer")
	f.AddSolved("incident", "INC0000101", map[string]string{"state": "6", "short_description": "Intranet resolves wrongly", "close_code": "Solved (Permanently)",
		"close_notes": "Removed the VPN's DNS server", "resolved_at": "2026-10-01 08:00:00"}, "l2diag 1.0 on pc1: FAIL\n"+"l2diag causes: "+label)
	f.AddSolved("incident", "INC0000102", map[string]string{"state": "7", "short_description": "Wrong answer again", "close_code": "Solved (Workaround)",
		"close_notes": "flushdns", "resolved_at": "2026-11-01 09:30:00"}, "l2diag causes: "+label)
	// Open: the same cause, not solved yet.
	f.AddSolved("incident", "INC0000103", map[string]string{"state": "2", "short_description": "Still broken", "resolved_at": ""}, "l2diag causes: "+label)
	// Solved, another cause.
	f.AddSolved("incident", "INC0000104", map[string]string{"state": "6", "short_description": "Disk", "resolved_at": "2026-11-20 09:30:00"},
		"l2diag causes: "+ticketclient.CauseLabel("cause.disk-full"))
	f.AddSolved("problem", "PRB0000201", map[string]string{"known_error": "true", "short_description": "VPN client keeps DNS (cause.dns-wrong-answer)",
		"workaround": "Reconnect the VPN, then disconnect cleanly", "sys_updated_on": "2026-09-15 12:00:00"})
	f.AddSolved("problem", "PRB0000202", map[string]string{"known_error": "false", "short_description": "cause.dns-wrong-answer under analysis", "sys_updated_on": "2026-11-25 12:00:00"})
	f.AddSolved("kb_knowledge", "KB0000301", map[string]string{"workflow_state": "published", "short_description": "Fixing wrong DNS answers",
		"text": "<p>l2diag says cause.dns-wrong-answer when ...</p>", "sys_updated_on": "2026-10-20 10:00:00"})
	f.AddSolved("kb_knowledge", "KB0000302", map[string]string{"workflow_state": "draft", "short_description": "cause.dns-wrong-answer draft", "sys_updated_on": "2026-11-28 10:00:00"})
	return f
}

func keys(ts []report.SolvedTicket) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Key)
	}
	return strings.Join(out, ",")
}

func TestSearchSolved(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(*fake.ServiceNow)
		cause   string
		want    string
		wantErr string
	}{
		{"three most recent across incidents, articles, known errors", nil, "cause.dns-wrong-answer", "INC0000102,KB0000301,INC0000101", ""},
		{"zero results", nil, "cause.mtu-blackhole", "", ""},
		{"an account that may not read knowledge: the rest still answers", func(f *fake.ServiceNow) { f.NoRead = map[string]bool{"kb_knowledge": true} },
			"cause.dns-wrong-answer", "INC0000102,INC0000101,PRB0000201", "kb_knowledge"},
		{"an account that may read none", func(f *fake.ServiceNow) {
			f.NoRead = map[string]bool{"kb_knowledge": true, "incident": true, "problem": true}
		}, "cause.dns-wrong-answer", "", "incident"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := solvedInstance(t)
			if tt.setup != nil {
				tt.setup(f)
			}
			c := newClient(t, f, "").(ticketclient.Searcher)
			got, err := c.SearchSolved(context.Background(), tt.cause, ticketclient.SolvedLimit)
			if keys(got) != tt.want {
				t.Errorf("got %s, want %s", keys(got), tt.want)
			}
			if (err != nil) != (tt.wantErr != "") || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want one naming %q", err, tt.wantErr)
			}
			if tt.wantErr != "" {
				if k, _ := ticketclient.KindOf(err); k != ticketclient.KindAuth {
					t.Errorf("kind = %v, want auth", k)
				}
			}
		})
	}
	f := solvedInstance(t)
	got, _ := newClient(t, f, "").(ticketclient.Searcher).SearchSolved(context.Background(), "cause.dns-wrong-answer", ticketclient.SolvedLimit)
	if len(got) != 3 || got[0].Resolution != "Solved (Workaround): flushdns" || got[0].Kind != "incident" ||
		!got[0].ResolvedAt.Equal(time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC)) || !strings.Contains(got[0].URL, "incident.do?sysparm_query=number=INC0000102") {
		t.Errorf("first = %+v", got[0])
	}
}

// A slow instance: the search returns when its context ends, not when the
// instance answers.
func TestSearchSolvedHonoursDeadline(t *testing.T) {
	f := solvedInstance(t)
	f.SearchDelay = 10 * time.Second
	c := newClient(t, f, "").(ticketclient.Searcher)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	got, err := c.SearchSolved(ctx, "cause.dns-wrong-answer", 3)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("search took %s past a 300ms deadline", d)
	}
	if err == nil || len(got) != 0 {
		t.Errorf("got %v, %v; want an error and nothing", got, err)
	}
}

// With servicenow.cause_field the record's own field gets the labels too,
// and a resolved incident is found by it alone; a field the account may not
// write, or one the table lacks, answers 200 without storing: an error.
func TestMarkCausesInAField(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(*fake.ServiceNow)
		wantErr bool
	}{
		{"stored", func(f *fake.ServiceNow) {}, false},
		{"no write access", func(f *fake.ServiceNow) { f.SilentDrop = map[string]bool{"u_l2diag_causes": true} }, true},
		{"no such field", func(f *fake.ServiceNow) { f.CustomFields = nil }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fake.NewServiceNow(t)
			f.CustomFields = []string{"u_l2diag_causes"}
			rec := f.AddSolved("incident", "INC0000900", map[string]string{"state": "6", "short_description": "Labelled", "resolved_at": "2026-11-03 10:00:00",
				"u_l2diag_causes": "vip"})
			tt.setup(f)
			c := newClientWith(t, f, func(o *ticketclient.Options) { snConfig(o).CauseField = "u_l2diag_causes" })
			tk := &ticketclient.Ticket{Key: rec.Number, Table: rec.Table, ID: rec.SysID}
			err := c.(ticketclient.CauseMarker).MarkCauses(context.Background(), tk, []string{"cause.dns-down"})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				if k, _ := ticketclient.KindOf(err); k != ticketclient.KindAuth {
					t.Errorf("kind %v, want auth", k)
				}
				return
			}
			if got := f.Record("INC0000900").Fields["u_l2diag_causes"]; got != "vip l2diag-cause.dns-down" {
				t.Errorf("field = %q", got)
			}
			found, err := c.(ticketclient.Searcher).SearchSolved(context.Background(), "cause.dns-down", 3)
			if err != nil || keys(found) != "INC0000900" {
				t.Errorf("search by the field: %v, %v", keys(found), err)
			}
		})
	}
	// Without the setting nothing is written: the note carries the codes.
	f := fake.NewServiceNow(t)
	c := newClient(t, f, "")
	if err := c.(ticketclient.CauseMarker).MarkCauses(context.Background(), &ticketclient.Ticket{Key: "INC0010001"}, []string{"cause.dns-down"}); err != nil {
		t.Errorf("without cause_field: %v", err)
	}
}
