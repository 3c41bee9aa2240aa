package permcheck

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Capability bits (linux/capability.h) that matter to l2diag's checks.
const (
	capDacOverride   = 1
	capDacReadSearch = 2
	capNetBind       = 10
	capNetAdmin      = 12
	capNetRaw        = 13
	capSysAdmin      = 21
)

var capNames = []struct {
	bit  uint
	name string
}{
	{capDacOverride, "CAP_DAC_OVERRIDE"},
	{capDacReadSearch, "CAP_DAC_READ_SEARCH"},
	{capNetBind, "CAP_NET_BIND_SERVICE"},
	{capNetAdmin, "CAP_NET_ADMIN"},
	{capNetRaw, "CAP_NET_RAW"},
	{capSysAdmin, "CAP_SYS_ADMIN"},
}

// procStatus reads fields of /proc/self/status.
func procStatus() map[string]string {
	out := map[string]string{}
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return out
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok {
			out[k] = strings.TrimSpace(v)
		}
	}
	return out
}

// capEff returns the effective capability set, and whether it was
// readable: capget(2) (cheap, once per path walk), else /proc/self/status.
func capEff() (uint64, bool) {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err == nil {
		return uint64(data[1].Effective)<<32 | uint64(data[0].Effective), true
	}
	v, ok := procStatus()["CapEff"]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(v, 16, 64)
	return n, err == nil
}

func dacCaps(uid int) (override, readSearch bool) {
	caps, ok := capEff()
	if !ok {
		return uid == 0, uid == 0
	}
	return caps&(1<<capDacOverride) != 0, caps&(1<<capDacReadSearch) != 0
}

// readUmask reads the umask without changing it (Linux 4.7+ shows it in
// /proc/self/status; setting and restoring it would race with other checks).
func readUmask() (uint32, bool) {
	v, ok := procStatus()["Umask"]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(v, 8, 32)
	return uint32(n), err == nil
}

// pingGroupRangeFile is where the kernel says which groups may open ICMP
// datagram sockets ("1 0", the kernel default, admits nobody).
const pingGroupRangeFile = "/proc/sys/net/ipv4/ping_group_range"

func platformIdentity(id *identity, c cred) {
	if caps, ok := capEff(); ok {
		id.Capabilities = []string{}
		for _, cn := range capNames {
			if caps&(1<<cn.bit) != 0 {
				id.Capabilities = append(id.Capabilities, cn.name)
			}
		}
		raw := caps&(1<<capNetRaw) != 0
		id.RawSockets = &raw
	}
	if data, err := os.ReadFile(pingGroupRangeFile); err == nil {
		f := strings.Fields(string(data))
		if len(f) == 2 {
			lo, err1 := strconv.ParseInt(f[0], 10, 64)
			hi, err2 := strconv.ParseInt(f[1], 10, 64)
			if err1 == nil && err2 == nil {
				id.PingGroupRange = fmt.Sprintf("%d %d", lo, hi)
				admitted := false
				for g := range c.groups {
					if int64(g) >= lo && int64(g) <= hi {
						admitted = true
					}
				}
				id.PingAdmitted = &admitted
			}
		}
	}
}
