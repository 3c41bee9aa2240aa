//go:build windows

package netcheck

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/windows"
)

var procWineGetVersion = windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version")

// underWine says whether this is wine rather than Windows: ntdll exports
// wine_get_version there.
func underWine() bool { return procWineGetVersion.Find() == nil }

// capNetRaw is CAP_NET_RAW's bit in /proc's capability masks.
const capNetRaw = 13

// icmpTraceGap says why no trace can see the routers on the way, or
// returns nil. Under wine without CAP_NET_RAW, wine sends ICMP (its raw
// ICMP sockets and IcmpSendEcho alike) through a Linux ping socket, which
// never receives the "time exceeded" routers send: every hop would look
// silent. Windows itself has no such gap.
func icmpTraceGap() error {
	if !underWine() {
		return nil
	}
	// The wine process is a Linux process; Z: is the Linux root.
	b, err := os.ReadFile(`Z:\proc\self\status`)
	if err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "CapEff:"); ok {
				if caps, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64); err == nil && caps&(1<<capNetRaw) != 0 {
					return nil
				}
			}
		}
	}
	return traceGapError{why: "wine without CAP_NET_RAW sends ICMP through Linux ping sockets, which never receive the routers' \"time exceeded\" replies a trace needs"}
}
