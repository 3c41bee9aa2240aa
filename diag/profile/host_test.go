package profile

import (
	"strings"
	"testing"
	"time"
)

func TestHostDefaults(t *testing.T) {
	h := Default().Host
	checks := []struct {
		name      string
		got, want any
	}{
		{"uptime_warn", h.System.UptimeWarn.D(), 30 * 24 * time.Hour},
		{"cpu.sample", h.CPU.Sample.D(), time.Second},
		{"cpu.usage_warn", h.CPU.UsageWarn, Percent(90)},
		{"cpu.load_per_core_warn", h.CPU.LoadPerCoreWarn, 2.0},
		{"memory.available_warn", h.Memory.AvailableWarn, Percent(10)},
		{"memory.available_fail", h.Memory.AvailableFail, Percent(3)},
		{"memory.swap_used_warn", h.Memory.SwapUsedWarn, Percent(80)},
		{"disks.used_warn", h.Disks.UsedWarn, Percent(90)},
		{"disks.used_fail", h.Disks.UsedFail, Percent(97)},
		{"disks.min_free", h.Disks.MinFree, Size(1 << 30)},
		{"disks.inodes_warn", h.Disks.InodesWarn, Percent(90)},
		{"disks.inodes_fail", h.Disks.InodesFail, Percent(97)},
		{"disks.writable", strings.Join(h.Disks.Writable, " "), "/ /home /tmp /var C:"},
		{"processes.top", h.Processes.Top, 5},
		{"processes.zombies_warn", h.Processes.ZombiesWarn, 10},
		{"processes.memory_hog", h.Processes.MemoryHog, Percent(50)},
		{"clock.servers", len(h.Clock.NTPServers), 2},
		{"clock.query_timeout", h.Clock.QueryTimeout.D(), time.Second},
		{"clock.offset_warn", h.Clock.OffsetWarn.D(), time.Second},
		{"clock.offset_fail", h.Clock.OffsetFail.D(), 5 * time.Minute},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestHostOverrides(t *testing.T) {
	f := writeProfile(t, "name: x\nhost:\n  disks:\n    used_warn: 80\n    min_free: 512MiB\n    mounts: [/srv]\n  system:\n    uptime_warn: 2w\n  clock:\n    ntp_servers: ['127.0.0.1:1123', '[::1]:123', ntp.example.com]\n")
	p, err := Load(f)
	if err != nil {
		t.Fatal(err)
	}
	h := p.Host
	if h.Disks.UsedWarn != 80 || h.Disks.MinFree != 512<<20 || len(h.Disks.Mounts) != 1 || h.System.UptimeWarn.D() != 14*24*time.Hour {
		t.Errorf("overrides not applied: %+v", h)
	}
	if h.Disks.UsedFail != 97 || h.CPU.Sample.D() != time.Second {
		t.Errorf("defaults lost: %+v", h)
	}
	if len(h.Clock.NTPServers) != 3 {
		t.Errorf("ntp_servers = %v, want the 3 named (a list replaces the default)", h.Clock.NTPServers)
	}
}

func TestHostProfileErrors(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		wantLine int
		wantKey  string
		wantMsg  string
	}{
		{"negative percent", "name: x\nhost:\n  disks:\n    used_warn: -5%\n", 4, "host.disks.used_warn", "between 0% and 100%"},
		{"percent above 100", "name: x\nhost:\n  cpu:\n    usage_warn: 150\n", 4, "host.cpu.usage_warn", "between 0% and 100%"},
		{"percent wrong unit", "name: x\nhost:\n  memory:\n    available_warn: 2GiB\n", 4, "host.memory.available_warn", "not a percentage"},
		{"size wrong unit", "name: x\nhost:\n  disks:\n    min_free: 10%\n", 4, "host.disks.min_free", "not a size"},
		{"size without unit", "name: x\nhost:\n  disks:\n    min_free: 1024\n", 4, "host.disks.min_free", "not a size"},
		{"negative size", "name: x\nhost:\n  disks:\n    min_free: -1GiB\n", 4, "host.disks.min_free", "negative"},
		{"duration without unit", "name: x\nhost:\n  clock:\n    offset_warn: 1\n", 4, "host.clock.offset_warn", "not a duration"},
		{"duration wrong unit", "name: x\nhost:\n  clock:\n    offset_fail: 5%\n", 4, "host.clock.offset_fail", "not a duration"},
		{"negative duration", "name: x\nhost:\n  clock:\n    query_timeout: -2s\n", 4, "host.clock.query_timeout", "positive"},
		{"period wrong unit", "name: x\nhost:\n  system:\n    uptime_warn: 30 days\n", 4, "host.system.uptime_warn", "not a duration"},
		{"negative period", "name: x\nhost:\n  system:\n    uptime_warn: -3d\n", 4, "host.system.uptime_warn", "positive"},
		{"cpu sample too short", "name: x\nhost:\n  cpu:\n    sample: 0s\n", 4, "host.cpu.sample", "out of range"},
		{"cpu sample above check timeout", "name: x\ncheck_timeout: 5s\nhost:\n  cpu:\n    sample: 6s\n", 5, "host.cpu.sample", "check_timeout"},
		{"negative load", "name: x\nhost:\n  cpu:\n    load_per_core_warn: -1\n", 4, "host.cpu.load_per_core_warn", "positive"},
		{"load wrong type", "name: x\nhost:\n  cpu:\n    load_per_core_warn: high\n", 4, "", "high"},
		{"warn above fail", "name: x\nhost:\n  disks:\n    used_warn: 98%\n", 4, "host.disks.used_warn", "above used_fail"},
		{"memory fail above warn", "name: x\nhost:\n  memory:\n    available_fail: 20%\n", 4, "host.memory.available_fail", "above available_warn"},
		{"offset warn above fail", "name: x\nhost:\n  clock:\n    offset_warn: 10m\n", 4, "host.clock.offset_warn", "above offset_fail"},
		{"bad ntp port", "name: x\nhost:\n  clock:\n    ntp_servers: ['ntp.example.com:99999']\n", 4, "host.clock.ntp_servers", "port"},
		{"bad ntp host", "name: x\nhost:\n  clock:\n    ntp_servers: ['ntp server']\n", 4, "host.clock.ntp_servers", "not a host"},
		{"top out of range", "name: x\nhost:\n  processes:\n    top: 0\n", 4, "host.processes.top", "1 to 50"},
		{"bad glob", "name: x\nhost:\n  services:\n    ignore: ['[']\n", 4, "host.services.ignore", "not a valid pattern"},
		{"unknown host key", "name: x\nhost:\n  disks:\n    used_warning: 90\n", 4, "used_warning", "unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProfileError(t, writeProfile(t, tt.content), tt.wantLine, tt.wantKey, tt.wantMsg)
		})
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in      string
		want    Size
		wantErr bool
	}{
		{"1GiB", 1 << 30, false},
		{"512MiB", 512 << 20, false},
		{"2GB", 2e9, false},
		{"1.5G", 3 << 29, false},
		{"100 KiB", 100 << 10, false},
		{"0", 0, false},
		{"1024", 0, true},
		{"1 GB/s", 0, true},
		{"GiB", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSize(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseSize(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}
