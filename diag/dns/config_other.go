//go:build !linux && !darwin && !windows

package dnscheck

// systemPaths assumes a Unix-like resolv.conf on other systems (the BSDs).
var systemPaths = Paths{
	ResolvConf: "/etc/resolv.conf",
	Hosts:      "/etc/hosts",
}

// systemConfig reads the configuration in effect.
func systemConfig(p Paths) (*Config, []rawFile, error) { return LoadConfigFiles(p) }
