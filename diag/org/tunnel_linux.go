package orgcheck

import (
	"os"
	"strings"
)

// tunnelKind reads what the kernel says the interface is: a tun/tap
// device has tun_flags, WireGuard and others name their DEVTYPE, PPP has
// link type 512. "" when sysfs says nothing tunnel-like.
func tunnelKind(name string) string {
	base := "/sys/class/net/" + name + "/"
	if data, err := os.ReadFile(base + "uevent"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "DEVTYPE="); ok {
				switch v {
				case "wireguard", "ppp", "vti", "vti6", "xfrm", "ipip", "gre":
					return v
				}
			}
		}
	}
	if _, err := os.Stat(base + "tun_flags"); err == nil {
		if strings.HasPrefix(name, "tap") {
			return "tap"
		}
		return "tun"
	}
	if data, err := os.ReadFile(base + "type"); err == nil && strings.TrimSpace(string(data)) == "512" {
		return "ppp"
	}
	return ""
}
