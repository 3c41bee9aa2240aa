package main

import (
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/watch"
	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/bundle"
	"github.com/l2diag/l2diag/report/redact"
	"github.com/l2diag/l2diag/report/render"
)

// TestWatchRedactsNetworksJoinedLater: with --redact, a Wi-Fi network the
// machine joins or roams on during the watch (unknown when the filter was
// made) leaves neither the JSON lines nor the text view; without --redact
// it is shown.
func TestWatchRedactsNetworksJoinedLater(t *testing.T) {
	ev := func(kind, detail string, ssids ...string) watch.EventRecord {
		return watch.EventRecord{Type: "event-start", Time: time.Unix(1_800_000_000, 0),
			Event: watch.Event{ID: 1, Kind: kind, Detail: detail, SSIDs: ssids}}
	}
	recs := []watch.EventRecord{
		ev(watch.KindWiFiNetwork, `wlan0 left Wi-Fi network "CorpWLAN" (02:00:00:00:00:01) for "Cafe Lumiere" (02:00:00:00:00:02)`, "CorpWLAN", "Cafe Lumiere"),
		ev(watch.KindWiFiRoam, `wlan0 roamed on "Cafe Lumiere" from 02:00:00:00:00:02 to 02:00:00:00:00:03`, "Cafe Lumiere"),
	}
	for _, redacting := range []bool{true, false} {
		for _, format := range []render.Format{render.FormatJSON, render.FormatText} {
			tf := newTestFactory(t, false)
			og := bundle.NewOutgoing(&report.Report{}, bundle.OutgoingOptions{Redact: redacting,
				Identity: redact.Identity{Hostnames: []string{"ws042"}, SSIDs: []string{"CorpWLAN"}}})
			v := newWatchView(tf.IO, &GlobalOptions{format: format}, og, nil)
			for _, r := range recs {
				v.emit(r)
			}
			out := tf.Out.String()
			if !strings.Contains(out, "wlan0") {
				t.Fatalf("redact=%v %s: the events are not shown:\n%s", redacting, format, out)
			}
			for _, name := range []string{"CorpWLAN", "Cafe Lumiere"} {
				if got := strings.Contains(out, name); got == redacting {
					t.Errorf("redact=%v %s: %q shown = %v:\n%s", redacting, format, name, got, out)
				}
			}
		}
	}
}
