package permcheck

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
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
	if path, priv, ok := pingProgram(); ok {
		id.PingProgram = path + ": " + priv
		works := priv != pingNoPrivilege || (id.PingAdmitted != nil && *id.PingAdmitted) || (id.RawSockets != nil && *id.RawSockets)
		id.PingWorks = &works
	}
}

// pingNoPrivilege is pingProgram's answer for a ping without privilege.
const pingNoPrivilege = "none"

// pingPaths are where distributions install ping, tried after $PATH.
var pingPaths = []string{"/usr/bin/ping", "/bin/ping", "/usr/sbin/ping", "/sbin/ping"}

// pingProgram finds the system's ping and the privilege it carries of its
// own: "cap_net_raw" (file capability, Debian, Fedora), "setuid root"
// (older systems) or pingNoPrivilege. ok is false when there is no ping.
func pingProgram() (path, privilege string, ok bool) {
	candidates := pingPaths
	if p, err := exec.LookPath("ping"); err == nil {
		candidates = append([]string{p}, pingPaths...)
	}
	for _, p := range candidates {
		var st unix.Stat_t
		if err := unix.Stat(p, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
			continue
		}
		if st.Mode&unix.S_ISUID != 0 && st.Uid == 0 {
			return p, "setuid root", true
		}
		buf := make([]byte, 64)
		n, err := unix.Getxattr(p, "security.capability", buf)
		if err == nil && fileCapsNetRaw(buf[:n]) {
			return p, "cap_net_raw", true
		}
		return p, pingNoPrivilege, true
	}
	return "", "", false
}

// fileCapsNetRaw reports whether a security.capability attribute
// (struct vfs_cap_data, little endian: magic_etc, then permitted and
// inheritable words) grants CAP_NET_RAW in the permitted set: the program
// then holds it whoever runs it (iputils' ping raises it itself, so the
// effective flag is not needed).
func fileCapsNetRaw(b []byte) bool {
	if len(b) < 12 {
		return false
	}
	switch binary.LittleEndian.Uint32(b) & vfsCapRevisionMask {
	case vfsCapRevision1, vfsCapRevision2, vfsCapRevision3:
	default:
		return false
	}
	return binary.LittleEndian.Uint32(b[4:])&(1<<capNetRaw) != 0
}

// The revisions of struct vfs_cap_data (linux/capability.h).
const (
	vfsCapRevisionMask = 0xff000000
	vfsCapRevision1    = 0x01000000
	vfsCapRevision2    = 0x02000000
	vfsCapRevision3    = 0x03000000
)
