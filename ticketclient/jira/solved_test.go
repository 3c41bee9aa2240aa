package jira_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/fake"
)

func solvedSite(t *testing.T, cloud bool) *fake.Jira {
	f := fake.NewJira(t, cloud)
	label := ticketclient.CauseLabel("cause.port-filtered")
	day := func(d int) time.Time { return time.Date(2026, 10, d, 8, 0, 0, 0, time.UTC) }
	f.AddSolvedIssue("SUP-1", "8443 blocked in branch 12", "Fixed", day(1), []string{label}, "Firewall rule FW-77 added for 8443")
	f.AddSolvedIssue("SUP-2", "App port filtered", "Done", day(5), []string{label, "network"}, "")
	f.AddSolvedIssue("SUP-3", "Port filtered after change", "Fixed", day(9), []string{label}, "Rolled back change CHG-12")
	f.AddSolvedIssue("SUP-4", "Oldest one", "Fixed", day(2), []string{label}, "")
	hidden := f.AddSolvedIssue("SEC-1", "Restricted", "Fixed", day(20), []string{label}, "")
	hidden.Hidden = true
	open := f.AddSolvedIssue("SUP-5", "Not done yet", "", day(25), []string{label}, "")
	open.Done = false
	f.AddSolvedIssue("SUP-6", "Other cause", "Fixed", day(26), []string{ticketclient.CauseLabel("cause.disk-full")}, "")
	return f
}

func solvedKeys(ts []report.SolvedTicket) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Key)
	}
	return out
}

func TestSearchSolvedJQL(t *testing.T) {
	for _, cloud := range []bool{true, false} {
		name := map[bool]string{true: "cloud", false: "datacenter"}[cloud]
		t.Run(name, func(t *testing.T) {
			f := solvedSite(t, cloud)
			if v, err := fake.LoadValidator(); err == nil && cloud {
				f.Validate = v
			}
			c := newClient(t, f).(ticketclient.Searcher)
			got, err := c.SearchSolved(context.Background(), "cause.port-filtered", ticketclient.SolvedLimit)
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"SUP-3", "SUP-2", "SUP-4"}; !slices.Equal(solvedKeys(got), want) {
				t.Errorf("got %v, want %v (most recent Done issues the account may see)", solvedKeys(got), want)
			}
			if got[0].Resolution != "Fixed: Rolled back change CHG-12" || !strings.HasSuffix(got[0].URL, "/browse/SUP-3") ||
				!got[0].ResolvedAt.Equal(time.Date(2026, 10, 9, 8, 0, 0, 0, time.UTC)) {
				t.Errorf("first = %+v", got[0])
			}
			none, err := c.SearchSolved(context.Background(), "cause.mtu-blackhole", 3)
			if err != nil || len(none) != 0 {
				t.Errorf("zero results: got %v, %v", none, err)
			}
		})
	}
}

func TestSearchSolvedRefused(t *testing.T) {
	f := solvedSite(t, true)
	f.NoSearchScope = true
	_, err := newClient(t, f).(ticketclient.Searcher).SearchSolved(context.Background(), "cause.port-filtered", 3)
	if k, _ := ticketclient.KindOf(err); k != ticketclient.KindAuth {
		t.Errorf("err = %v (kind %v), want an auth error", err, k)
	}
}

func TestMarkCauses(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(*fake.Jira)
		wantKind ticketclient.Kind
		wantErr  bool
	}{
		{"labels added", nil, 0, false},
		{"labels not on the edit screen", func(f *fake.Jira) { f.LabelsNotOnScreen = true }, ticketclient.KindConfig, true},
		{"no edit permission", func(f *fake.Jira) { f.NoEditPermission = true }, ticketclient.KindAuth, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fake.NewJira(t, true)
			if v, err := fake.LoadValidator(); err == nil {
				f.Validate = v
			}
			is := f.AddIssue("SUP-9")
			is.Labels = []string{"vip"}
			if tt.setup != nil {
				tt.setup(f)
			}
			c := newClient(t, f)
			err := c.(ticketclient.CauseMarker).MarkCauses(context.Background(), &ticketclient.Ticket{Key: "SUP-9"}, []string{"cause.port-filtered", "cause.disk-full"})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				if k, _ := ticketclient.KindOf(err); k != tt.wantKind && !(tt.wantKind == ticketclient.KindConfig && k == ticketclient.KindUnavailable) {
					t.Errorf("kind = %v, want %v", k, tt.wantKind)
				}
				return
			}
			want := []string{"vip", "l2diag-cause.port-filtered", "l2diag-cause.disk-full"}
			if got := f.Issue("SUP-9").Labels; !slices.Equal(got, want) {
				t.Errorf("labels = %v, want %v", got, want)
			}
		})
	}
}
