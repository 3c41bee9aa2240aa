package profile

import (
	"fmt"
	"math"
	"net"
	"path"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Host is the profile's `host:` section: targets and thresholds of the host checks.
// The host category owns this file and its part of default.yaml. Every
// default is in default.yaml and documented in docs/host.md.
type Host struct {
	System    HostSystem    `yaml:"system"`
	CPU       HostCPU       `yaml:"cpu"`
	Memory    HostMemory    `yaml:"memory"`
	Disks     HostDisks     `yaml:"disks"`
	Processes HostProcesses `yaml:"processes"`
	Clock     HostClock     `yaml:"clock"`
	Services  HostServices  `yaml:"services"`
}

// HostSystem holds the thresholds of host-system.
type HostSystem struct {
	// UptimeWarn is the uptime above which a reboot (and the updates it
	// applies) is overdue. Default 30d.
	UptimeWarn Period `yaml:"uptime_warn"`
}

// HostCPU holds the thresholds of host-cpu.
type HostCPU struct {
	// Sample is how long CPU utilisation is measured. Default 1s.
	Sample Duration `yaml:"sample"`
	// UsageWarn is the utilisation over the sample that warns. Default 90%.
	UsageWarn Percent `yaml:"usage_warn"`
	// LoadPerCoreWarn is the 5-minute load average per logical CPU that
	// warns. Default 2.
	LoadPerCoreWarn float64 `yaml:"load_per_core_warn"`
}

// HostMemory holds the thresholds of host-memory.
type HostMemory struct {
	// AvailableWarn and AvailableFail: available memory as a share of the
	// total below which the check warns / fails. Defaults 10% / 3%.
	AvailableWarn Percent `yaml:"available_warn"`
	AvailableFail Percent `yaml:"available_fail"`
	// SwapUsedWarn is the share of swap in use that warns. Default 80%.
	SwapUsedWarn Percent `yaml:"swap_used_warn"`
}

// HostDisks holds the thresholds and the mount selection of host-disks.
type HostDisks struct {
	// UsedWarn and UsedFail: used space that warns / fails. Defaults 90% / 97%.
	UsedWarn Percent `yaml:"used_warn"`
	UsedFail Percent `yaml:"used_fail"`
	// MinFree fails a filesystem already above UsedWarn that has less than
	// this free. Default 1GiB.
	MinFree Size `yaml:"min_free"`
	// InodesWarn and InodesFail: used inodes that warn / fail. Defaults 90% / 97%.
	InodesWarn Percent `yaml:"inodes_warn"`
	InodesFail Percent `yaml:"inodes_fail"`
	// Mounts, when set, are the only mount points checked (of any type).
	Mounts []string `yaml:"mounts"`
	// Exclude lists mount point patterns (path.Match) never checked.
	Exclude []string `yaml:"exclude"`
	// ExcludeFstypes lists filesystem types skipped besides the built-in
	// pseudo filesystems.
	ExcludeFstypes []string `yaml:"exclude_fstypes"`
	// Writable lists mount points that must be mounted read-write.
	Writable []string `yaml:"writable"`
}

// HostProcesses holds the settings of host-processes.
type HostProcesses struct {
	// Top is how many processes are listed by CPU and by memory. Default 5.
	Top int `yaml:"top"`
	// ZombiesWarn is the number of zombie processes that warns. Default 10.
	ZombiesWarn int `yaml:"zombies_warn"`
	// MemoryHog is the share of total memory one process may hold before
	// it is reported. Default 50%.
	MemoryHog Percent `yaml:"memory_hog"`
}

// HostClock holds the NTP servers and thresholds of host-clock.
type HostClock struct {
	// NTPServers are queried with SNTP (HOST or HOST:PORT, port 123 by default).
	NTPServers []string `yaml:"ntp_servers"`
	// QueryTimeout bounds one server's name lookup and query. Default 1s:
	// a LAN or WAN SNTP round trip takes milliseconds, and a blocked server
	// must not hold the host category longer than its CPU sample.
	QueryTimeout Duration `yaml:"query_timeout"`
	// OffsetWarn and OffsetFail: clock offsets that warn / fail. Defaults
	// 1s / 5m (Kerberos' default tolerance).
	OffsetWarn Duration `yaml:"offset_warn"`
	OffsetFail Duration `yaml:"offset_fail"`
}

// HostServices holds the settings of host-services.
type HostServices struct {
	// Ignore lists unit/service name patterns (path.Match) whose failure is
	// not reported.
	Ignore []string `yaml:"ignore"`
	// Critical lists name patterns whose failure fails the check rather
	// than warns.
	Critical []string `yaml:"critical"`
}

// The bounds of settings that are not percentages.
const (
	minCPUSample = 100 * time.Millisecond
	maxCPUSample = 10 * time.Second
	maxTop       = 50
)

func (p *Profile) validateHost() error {
	h := &p.Host
	percents := []struct {
		key string
		v   Percent
	}{
		{"host.cpu.usage_warn", h.CPU.UsageWarn},
		{"host.memory.available_warn", h.Memory.AvailableWarn},
		{"host.memory.available_fail", h.Memory.AvailableFail},
		{"host.memory.swap_used_warn", h.Memory.SwapUsedWarn},
		{"host.disks.used_warn", h.Disks.UsedWarn},
		{"host.disks.used_fail", h.Disks.UsedFail},
		{"host.disks.inodes_warn", h.Disks.InodesWarn},
		{"host.disks.inodes_fail", h.Disks.InodesFail},
		{"host.processes.memory_hog", h.Processes.MemoryHog},
	}
	for _, pc := range percents {
		if pc.v < 0 || pc.v > 100 || math.IsNaN(float64(pc.v)) {
			return p.errorf(pc.key, "%s is not a percentage between 0%% and 100%%", pc.v)
		}
	}
	switch {
	case h.System.UptimeWarn <= 0:
		return p.errorf("host.system.uptime_warn", "%s is not a positive duration (use e.g. 30d or 720h)", h.System.UptimeWarn)
	case h.CPU.Sample.D() < minCPUSample || h.CPU.Sample.D() > maxCPUSample:
		return p.errorf("host.cpu.sample", "%s is out of range (use %s to %s; 1s is a good sample)", h.CPU.Sample, minCPUSample, maxCPUSample)
	case h.CPU.Sample >= p.CheckTimeout:
		return p.errorf("host.cpu.sample", "%s is not shorter than check_timeout (%s)", h.CPU.Sample, p.CheckTimeout)
	case !(h.CPU.LoadPerCoreWarn > 0) || math.IsInf(h.CPU.LoadPerCoreWarn, 0):
		return p.errorf("host.cpu.load_per_core_warn", "%v is not a positive load (use e.g. 2)", h.CPU.LoadPerCoreWarn)
	case h.Memory.AvailableFail > h.Memory.AvailableWarn:
		return p.errorf("host.memory.available_fail", "%s is above available_warn (%s); the fail level must be the lower one", h.Memory.AvailableFail, h.Memory.AvailableWarn)
	case h.Disks.UsedWarn > h.Disks.UsedFail:
		return p.errorf("host.disks.used_warn", "%s is above used_fail (%s)", h.Disks.UsedWarn, h.Disks.UsedFail)
	case h.Disks.InodesWarn > h.Disks.InodesFail:
		return p.errorf("host.disks.inodes_warn", "%s is above inodes_fail (%s)", h.Disks.InodesWarn, h.Disks.InodesFail)
	case h.Disks.MinFree < 0:
		return p.errorf("host.disks.min_free", "%s is negative (use e.g. 1GiB, or 0 to turn the floor off)", h.Disks.MinFree)
	case h.Processes.Top < 1 || h.Processes.Top > maxTop:
		return p.errorf("host.processes.top", "%d is out of range (use 1 to %d)", h.Processes.Top, maxTop)
	case h.Processes.ZombiesWarn < 1:
		return p.errorf("host.processes.zombies_warn", "%d is not a positive count (use e.g. 10)", h.Processes.ZombiesWarn)
	case h.Clock.QueryTimeout <= 0:
		return p.errorf("host.clock.query_timeout", "%s is not a positive duration (use e.g. 2s)", h.Clock.QueryTimeout)
	case h.Clock.OffsetWarn <= 0:
		return p.errorf("host.clock.offset_warn", "%s is not a positive duration (use e.g. 1s)", h.Clock.OffsetWarn)
	case h.Clock.OffsetFail <= 0:
		return p.errorf("host.clock.offset_fail", "%s is not a positive duration (use e.g. 5m)", h.Clock.OffsetFail)
	case h.Clock.OffsetWarn > h.Clock.OffsetFail:
		return p.errorf("host.clock.offset_warn", "%s is above offset_fail (%s)", h.Clock.OffsetWarn, h.Clock.OffsetFail)
	}
	for i, s := range h.Clock.NTPServers {
		if err := validNTPServer(s); err != nil {
			return p.errorf("host.clock.ntp_servers", "entry %d %q: %v", i+1, s, err)
		}
	}
	globs := []struct {
		key  string
		list []string
	}{
		{"host.disks.exclude", h.Disks.Exclude},
		{"host.services.ignore", h.Services.Ignore},
		{"host.services.critical", h.Services.Critical},
	}
	for _, g := range globs {
		for _, pat := range g.list {
			if _, err := path.Match(pat, ""); err != nil || pat == "" {
				return p.errorf(g.key, "%q is not a valid pattern (use * and ? like a shell)", pat)
			}
		}
	}
	for _, list := range []struct {
		key  string
		list []string
	}{{"host.disks.mounts", h.Disks.Mounts}, {"host.disks.writable", h.Disks.Writable}, {"host.disks.exclude_fstypes", h.Disks.ExcludeFstypes}} {
		for _, v := range list.list {
			if strings.TrimSpace(v) == "" {
				return p.errorf(list.key, "contains an empty entry")
			}
		}
	}
	return nil
}

// validNTPServer accepts HOST or HOST:PORT (IPv6 literals in brackets).
func validNTPServer(s string) error {
	host := s
	if h, port, err := net.SplitHostPort(s); err == nil {
		n, perr := strconv.Atoi(port)
		if perr != nil || n < 1 || n > 65535 {
			return fmt.Errorf("port %q is not 1 to 65535", port)
		}
		host = h
	}
	if host == "" || strings.ContainsAny(host, " /\t") {
		return fmt.Errorf("not a host name or address (use e.g. ntp.example.com or 192.0.2.1:123)")
	}
	return nil
}

// Percent is a share written as 90 or "90%" in YAML. Range is checked by
// validation so the error can name the key.
type Percent float64

func (v Percent) String() string { return strconv.FormatFloat(float64(v), 'g', -1, 64) + "%" }

// UnmarshalYAML parses 90, 90.5 or 90%; any other unit is an error.
func (v *Percent) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, "%")), 64)
	if err != nil || n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: %q is not a percentage (use e.g. 90 or 90%%)", n.Line, n.Value)
	}
	*v = Percent(f)
	return nil
}

// MarshalYAML writes v as "90%".
func (v Percent) MarshalYAML() (any, error) { return v.String(), nil }

// Size is a number of bytes written with a unit: 512MiB, 1GiB, 2GB, 1.5G.
type Size int64

var sizeUnits = []struct {
	suffix string
	mult   float64
}{
	// Longest suffixes first so "GiB" is not read as "B".
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	// Single letters are binary, as df and free print them.
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40},
	{"B", 1},
}

// ParseSize parses a size with a unit; "0" alone is accepted.
func ParseSize(s string) (Size, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	for _, u := range sizeUnits {
		num, ok := strings.CutSuffix(s, u.suffix)
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f*u.mult) > math.MaxInt64/2 {
			break
		}
		return Size(f * u.mult), nil
	}
	return 0, fmt.Errorf("%q is not a size (use e.g. 512MiB, 1GiB or 2GB)", s)
}

func (v Size) String() string {
	b := int64(v)
	neg := ""
	if b < 0 {
		neg, b = "-", -b
	}
	for _, u := range []struct {
		s string
		m int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if b >= u.m {
			return neg + strconv.FormatFloat(float64(b)/float64(u.m), 'f', -1, 64) + u.s
		}
	}
	return neg + strconv.FormatInt(b, 10) + "B"
}

// UnmarshalYAML parses a size with a unit.
func (v *Size) UnmarshalYAML(n *yaml.Node) error {
	s, err := ParseSize(n.Value)
	if err != nil || n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: %q is not a size (use e.g. 512MiB, 1GiB or 2GB)", n.Line, n.Value)
	}
	*v = s
	return nil
}

// MarshalYAML writes v with a binary unit.
func (v Size) MarshalYAML() (any, error) { return v.String(), nil }

// Period is a long duration: a Go duration (720h) or whole days and weeks
// (30d, 2w), for thresholds like uptime that nobody writes in hours.
type Period time.Duration

// D returns v as a time.Duration.
func (v Period) D() time.Duration { return time.Duration(v) }

func (v Period) String() string {
	d := time.Duration(v)
	if d > 0 && d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	return d.String()
}

// UnmarshalYAML parses 30d, 2w or a Go duration.
func (v *Period) UnmarshalYAML(n *yaml.Node) error {
	bad := fmt.Errorf("line %d: %q is not a duration (use e.g. 30d, 2w or 720h)", n.Line, n.Value)
	tooLong := fmt.Errorf("line %d: %q is longer than %s, the most a profile duration may be", n.Line, n.Value, fmtDur(maxPeriod))
	if n.Kind != yaml.ScalarNode {
		return bad
	}
	s := strings.TrimSpace(n.Value)
	for _, u := range []struct {
		suffix string
		d      time.Duration
	}{{"d", 24 * time.Hour}, {"w", 7 * 24 * time.Hour}} {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			k, err := strconv.ParseInt(num, 10, 32)
			if err != nil {
				return bad
			}
			if k > int64(maxPeriod/u.d) {
				return tooLong
			}
			*v = Period(time.Duration(k) * u.d)
			return nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return bad
	}
	if d > maxPeriod {
		return tooLong
	}
	*v = Period(d)
	return nil
}

// maxPeriod bounds a Period: ten years is past any threshold (uptime,
// certificate or password age) worth checking.
const maxPeriod = 3650 * 24 * time.Hour
