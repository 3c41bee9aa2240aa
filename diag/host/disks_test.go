package hostcheck

import (
	"slices"
	"testing"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/shirou/gopsutil/v4/disk"
)

func TestSelectMounts(t *testing.T) {
	parts := []disk.PartitionStat{
		{Device: "/dev/sda1", Mountpoint: "/", Fstype: "ext4", Opts: []string{"rw"}},
		{Device: "proc", Mountpoint: "/proc", Fstype: "proc", Opts: []string{"rw"}},
		{Device: "sysfs", Mountpoint: "/sys", Fstype: "sysfs", Opts: []string{"rw"}},
		{Device: "/dev/sda1", Mountpoint: "/var/lib/docker/x", Fstype: "ext4", Opts: []string{"rw", "bind"}},
		{Device: "/dev/sda2", Mountpoint: "/home", Fstype: "btrfs", Opts: []string{"rw"}},
		{Device: "/dev/sda2", Mountpoint: "/home/snapshots", Fstype: "btrfs", Opts: []string{"rw"}},
		{Device: "/dev/loop3", Mountpoint: "/snap/core/1", Fstype: "squashfs", Opts: []string{"ro"}},
		{Device: "tmpfs", Mountpoint: "/run", Fstype: "tmpfs", Opts: []string{"rw"}},
		{Device: "srv:/export", Mountpoint: "/mnt/share", Fstype: "nfs4", Opts: []string{"rw"}},
		{Device: "/dev/sdb1", Mountpoint: "/media/usb", Fstype: "vfat", Opts: []string{"rw"}},
	}
	tests := []struct {
		name string
		cfg  profile.HostDisks
		want []string
	}{
		{"real filesystems once", profile.HostDisks{}, []string{"/", "/home", "/run", "/mnt/share", "/media/usb"}},
		{"exclude pattern", profile.HostDisks{Exclude: []string{"/media/*"}}, []string{"/", "/home", "/run", "/mnt/share"}},
		{"exclude fstype", profile.HostDisks{ExcludeFstypes: []string{"tmpfs", "nfs4"}}, []string{"/", "/home", "/media/usb"}},
		{"explicit mounts of any type", profile.HostDisks{Mounts: []string{"/proc", "/home/"}}, []string{"/proc", "/home"}},
		{"explicit missing mount", profile.HostDisks{Mounts: []string{"/data"}}, []string{"/data (missing)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range selectMounts(parts, tt.cfg) {
				name := s.Part.Mountpoint
				if s.Missing {
					name += " (missing)"
				}
				got = append(got, name)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
