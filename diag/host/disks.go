package hostcheck

import (
	"context"
	"fmt"
	"os"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
	"github.com/shirou/gopsutil/v4/common"
	"github.com/shirou/gopsutil/v4/disk"
)

var disksSpec = diag.Spec{
	ID: IDDisks, Category: diag.CategoryHost, Phase: diag.PhaseProbe,
	Finds:    "every real filesystem: space, inodes, read-only, unresponsive network mounts",
	Findings: []diag.FindingSpec{FindingDiskFilling, FindingDiskFull, FindingInodesLow, FindingInodesExhausted, FindingDiskReadOnly, FindingDiskMissing, FindingDiskUnresponsive, FindingOSStalled},
	Plan:     diag.Once(runDisks),
}

// pseudoFstypes are filesystems without storage of their own (kernel
// interfaces) or full by design (squashfs snaps, ISO images): never checked
// unless host.disks.mounts names them.
var pseudoFstypes = []string{
	"autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs",
	"devpts", "devtmpfs", "efivarfs", "fusectl", "hugetlbfs", "mqueue", "nsfs",
	"proc", "pstore", "ramfs", "rpc_pipefs", "securityfs", "selinuxfs", "sysfs",
	"tracefs", "nfsd", "fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.portal", "fuse.snapfuse",
	"squashfs", "iso9660", "udf", "erofs", "cramfs",
	// macOS system volumes and Windows pseudo drives.
	"devfs", "nullfs", "autofs_nowait",
}

// readOnlyByDesign are filesystem types never expected writable.
var readOnlyByDesign = []string{"squashfs", "iso9660", "udf", "erofs", "cramfs"}

// mountSel is one filesystem the disks check looks at.
type mountSel struct {
	Part disk.PartitionStat
	// Missing is set for a host.disks.mounts entry that is not mounted.
	Missing bool
}

// selectMounts picks the filesystems to check from the mount table: the
// profile's mounts when it names some (any type), else every real
// filesystem once (bind mounts and repeats of a device skipped), minus the
// excluded patterns and types.
func selectMounts(parts []disk.PartitionStat, p profile.HostDisks) []mountSel {
	excluded := func(mp string) bool {
		for _, pat := range p.Exclude {
			if ok, _ := path.Match(pat, mp); ok {
				return true
			}
		}
		return false
	}
	// The last mount on a mount point hides the ones under it.
	byMount := map[string]disk.PartitionStat{}
	var order []string
	for _, pt := range parts {
		if _, seen := byMount[pt.Mountpoint]; !seen {
			order = append(order, pt.Mountpoint)
		}
		byMount[pt.Mountpoint] = pt
	}
	var out []mountSel
	if len(p.Mounts) > 0 {
		for _, mp := range p.Mounts {
			mp = cleanMount(mp)
			if pt, ok := byMount[mp]; ok {
				out = append(out, mountSel{Part: pt})
			} else {
				out = append(out, mountSel{Part: disk.PartitionStat{Mountpoint: mp}, Missing: true})
			}
		}
		return out
	}
	devices := map[string]bool{}
	for _, mp := range order {
		pt := byMount[mp]
		switch {
		case slices.Contains(pseudoFstypes, pt.Fstype), slices.Contains(p.ExcludeFstypes, pt.Fstype),
			slices.Contains(pt.Opts, "bind"), excluded(mp):
			continue
		}
		// The same block device mounted twice (btrfs subvolumes, a second
		// mount) has one set of figures: report it once.
		if strings.HasPrefix(pt.Device, "/dev/") {
			if devices[pt.Device] {
				continue
			}
			devices[pt.Device] = true
		}
		out = append(out, mountSel{Part: pt})
	}
	return out
}

// cleanMount drops a trailing separator except on "/", so "/srv/" and
// Windows' "C:\" match the mount table's "/srv" and "C:".
func cleanMount(mp string) string {
	if len(mp) > 1 {
		if t := strings.TrimRight(mp, `/\`); t != "" {
			return t
		}
	}
	return mp
}

// listed reports whether mp is one of the mount points in list.
func listed(list []string, mp string) bool {
	for _, l := range list {
		if cleanMount(l) == mp {
			return true
		}
	}
	return false
}

// diskUsage is statfs through gopsutil; tests replace it with one that
// blocks, as a dead network mount does.
var diskUsage = disk.UsageWithContext

// usageOf is one statfs answer.
type usageOf struct {
	i   int
	u   *disk.UsageStat
	err error
}

func runDisks(ctx context.Context, env *diag.Env) report.Result {
	ctx, cancel := withMargin(ctx)
	defer cancel()
	p := env.Profile.Host.Disks

	parts, err := guard(ctx, "the mount table", func(ctx context.Context) ([]disk.PartitionStat, error) { return disk.PartitionsWithContext(ctx, true) })
	if err != nil && len(parts) == 0 {
		return failed(err, "Could not read the mount table.")
	}
	// Only Linux has a mountinfo; elsewhere a stray /proc path (wine maps
	// the Linux host's) would put another machine's mounts in the bundle.
	if mi := hostPath(ctx, common.HostProcEnvKey, "/proc", "self", "mountinfo"); runtime.GOOS == "linux" && fileReadable(mi) {
		if b, rerr := readFileCtx(ctx, mi); rerr == nil {
			env.Evidence.AddFile("host/mountinfo", mi, b)
		}
	}
	sel := selectMounts(parts, p)

	// statfs on a dead network mount blocks in the kernel; ask every
	// filesystem at once so one dead share does not hide the others.
	ch := make(chan usageOf, len(sel))
	statfs := diskUsage
	asked := 0
	for i, s := range sel {
		if s.Missing {
			continue
		}
		asked++
		go func() {
			u, err := statfs(ctx, s.Part.Mountpoint)
			ch <- usageOf{i, u, err}
		}()
	}
	usage := make([]*disk.UsageStat, len(sel))
	errs := make([]error, len(sel))
collect:
	for range asked {
		select {
		case r := <-ch:
			usage[r.i], errs[r.i] = r.u, r.err
		case <-ctx.Done():
			break collect
		}
	}

	var res report.Result
	var rows []map[string]any
	worst := ""
	worstPct := -1.0
	for i, s := range sel {
		mp := s.Part.Mountpoint
		row := map[string]any{"mount": mp, "device": s.Part.Device, "fstype": s.Part.Fstype, "options": strings.Join(s.Part.Opts, ",")}
		rows = append(rows, row)
		ev := map[string]any{"mount": mp, "device": s.Part.Device, "fstype": s.Part.Fstype}
		if s.Missing {
			row["status"] = "missing"
			res.AddFinding(FindingDiskMissing.Finding(fmt.Sprintf("%s is listed in host.disks.mounts but nothing is mounted there.", mp), ev))
			continue
		}
		if listed(p.Writable, mp) && slices.Contains(s.Part.Opts, "ro") && !slices.Contains(readOnlyByDesign, s.Part.Fstype) {
			row["read_only"] = true
			res.AddFinding(FindingDiskReadOnly.Finding(fmt.Sprintf("%s (%s on %s) is mounted read-only.", mp, s.Part.Fstype, s.Part.Device), ev))
		}
		u := usage[i]
		switch {
		case u == nil && errs[i] == nil:
			row["status"] = "unresponsive"
			res.AddFinding(FindingDiskUnresponsive.Finding(fmt.Sprintf("%s (%s on %s) did not answer statfs before the deadline.", mp, s.Part.Fstype, s.Part.Device), ev))
			continue
		case errs[i] != nil:
			row["error"] = errs[i].Error()
			continue
		}
		judgeUsage(&res, p, s.Part, u, row)
		if u.UsedPercent > worstPct {
			worstPct, worst = u.UsedPercent, mp
		}
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a]["mount"].(string) < rows[b]["mount"].(string) })
	res.SetDetail("filesystems", rows)
	res.SetMetric("filesystems", float64(len(sel)))
	switch {
	case len(sel) == 0:
		res.Summary = "No real filesystem found to check."
	case worst != "":
		res.Summary = fmt.Sprintf("%d filesystem(s) checked; fullest is %s at %.0f%%.", len(sel), worst, worstPct)
	default:
		res.Summary = fmt.Sprintf("%d filesystem(s) checked; none answered with figures.", len(sel))
	}
	return res
}

// judgeUsage records one filesystem's figures and findings. The min_free
// floor only applies above used_warn, so a small filesystem (a 512 MiB
// /boot, a tmpfs) is not failed for being small.
func judgeUsage(res *report.Result, p profile.HostDisks, pt disk.PartitionStat, u *disk.UsageStat, row map[string]any) {
	mp := pt.Mountpoint
	row["total_bytes"], row["used_bytes"], row["free_bytes"] = u.Total, u.Used, u.Free
	row["used_percent"] = round1(u.UsedPercent)
	ev := map[string]any{"mount": mp, "device": pt.Device, "fstype": pt.Fstype, "used_percent": round1(u.UsedPercent), "free_bytes": u.Free, "total_bytes": u.Total}
	used := fmt.Sprintf("%s is %.1f%% full (%s free of %s).", mp, u.UsedPercent, diag.Bytes(u.Free), diag.Bytes(u.Total))
	switch {
	case u.Total == 0:
		// An empty or size-less filesystem has nothing to fill.
	case u.UsedPercent >= float64(p.UsedFail):
		ev["threshold"] = p.UsedFail.String()
		res.AddFinding(FindingDiskFull.Finding(used, ev))
	case u.UsedPercent >= float64(p.UsedWarn) && p.MinFree > 0 && u.Free < uint64(p.MinFree):
		ev["threshold"] = p.MinFree.String() + " free"
		res.AddFinding(FindingDiskFull.Finding(used+" Less than "+p.MinFree.String()+" left.", ev))
	case u.UsedPercent >= float64(p.UsedWarn):
		ev["threshold"] = p.UsedWarn.String()
		res.AddFinding(FindingDiskFilling.Finding(used, ev))
	}
	if u.InodesTotal == 0 {
		row["inodes"] = "n/a"
		return
	}
	row["inodes_total"], row["inodes_used"] = u.InodesTotal, u.InodesUsed
	row["inodes_used_percent"] = round1(u.InodesUsedPercent)
	iev := map[string]any{"mount": mp, "inodes_used_percent": round1(u.InodesUsedPercent), "inodes_free": u.InodesFree, "inodes_total": u.InodesTotal}
	imsg := fmt.Sprintf("%s has used %.1f%% of its inodes (%d of %d).", mp, u.InodesUsedPercent, u.InodesUsed, u.InodesTotal)
	switch {
	case u.InodesUsedPercent >= float64(p.InodesFail):
		iev["threshold"] = p.InodesFail.String()
		res.AddFinding(FindingInodesExhausted.Finding(imsg, iev))
	case u.InodesUsedPercent >= float64(p.InodesWarn):
		iev["threshold"] = p.InodesWarn.String()
		res.AddFinding(FindingInodesLow.Finding(imsg, iev))
	}
}

func fileReadable(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// readFileCtx reads a file under the context: a /proc file backed by a
// stuck driver (or a FIFO in a test) must not hold the check.
func readFileCtx(ctx context.Context, name string) ([]byte, error) {
	return guard(ctx, name, func(context.Context) ([]byte, error) { return os.ReadFile(name) })
}
