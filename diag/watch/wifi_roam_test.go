package watch_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/l2diag/l2diag/diag/watch"
)

// TestRoamEventsAndStorm runs the watch with a system reader that
// reports the Wi-Fi flapping between two access points every reading:
// each flap is a wifi-roam event carrying from/to, every JSON line
// satisfies docs/watch-schema.json, and the verdict names the storm.
func TestRoamEventsAndStorm(t *testing.T) {
	var n atomic.Int64
	read := func() watch.SystemState {
		i := n.Add(1)
		ap := watch.WiFiAP{SSID: "CorpWLAN", BSSID: "3c:37:86:5e:aa:01", SignalDBm: -71, SignalKnown: true}
		if i%2 == 0 {
			ap = watch.WiFiAP{SSID: "CorpWLAN", BSSID: "3c:37:86:5e:aa:02", SignalDBm: -69, SignalKnown: true}
		}
		return watch.SystemState{WiFiAPs: map[string]watch.WiFiAP{"wlan0": ap}}
	}
	var mu sync.Mutex
	var lines [][]byte
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	res := watch.Run(ctx, watch.Config{SystemEvery: 40 * time.Millisecond, ReadSystem: read, Timeout: 10 * time.Millisecond,
		Emit: func(r any) {
			b, err := json.Marshal(r)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			lines = append(lines, b)
			mu.Unlock()
		}})
	roams := 0
	for _, e := range res.Events {
		if e.Kind != watch.KindWiFiRoam {
			t.Errorf("unexpected event %s: %s", e.Kind, e.Detail)
			continue
		}
		roams++
		if e.Roam == nil || e.Roam.Interface != "wlan0" || e.Roam.FromBSSID == e.Roam.ToBSSID || e.Roam.ToSignalDBm == nil {
			t.Errorf("roam event without its from/to: %+v", e)
		}
	}
	if roams < 4 {
		t.Fatalf("%d roam events, want at least 4 (one per reading)", roams)
	}
	if res.Summary.Status != "warn" || len(res.Summary.RoamStorms) != 1 || !strings.Contains(res.Summary.Text, "roaming storm: wlan0 roamed") {
		t.Errorf("summary %s %q, want warn naming the roaming storm", res.Summary.Status, res.Summary.Text)
	}
	sch := lineSchema(t)
	sawRoam := false
	for _, l := range lines {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(l)))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("line does not validate against docs/watch-schema.json: %v\n%s", err, l)
		}
		sawRoam = sawRoam || strings.Contains(string(l), `"roam":{"interface":"wlan0"`)
	}
	if !sawRoam {
		t.Errorf("no JSON line carries the roam object")
	}
}
