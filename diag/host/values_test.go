package hostcheck

import (
	"context"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// The host checks' figures must agree with what the system's own tools say.
func TestValuesAgreeWithSystemTools(t *testing.T) {
	requireLinux(t)
	p := testProfile(t)
	ctx := context.Background()

	t.Run("memory total is /proc/meminfo MemTotal and free -b", func(t *testing.T) {
		res := runCheck(t, ctx, IDMemory, p, 5*time.Second)
		got := res.Metrics["total_bytes"]
		b, err := os.ReadFile("/proc/meminfo")
		if err != nil {
			t.Fatal(err)
		}
		var kb float64
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
				kb, _ = strconv.ParseFloat(f[1], 64)
			}
		}
		if want := kb * 1024; got != want {
			t.Errorf("total_bytes = %.0f, /proc/meminfo says %.0f", got, want)
		}
		free := strings.Fields(strings.Split(command(t, "free", "-b"), "\n")[1])
		if want, _ := strconv.ParseFloat(free[1], 64); got != want {
			t.Errorf("total_bytes = %.0f, free -b says %.0f", got, want)
		}
	})

	t.Run("logical CPUs is nproc --all", func(t *testing.T) {
		q := testProfile(t)
		q.Host.CPU.Sample = profile.Default().Host.CPU.Sample
		res := runCheck(t, ctx, IDCPU, q, 5*time.Second)
		want, _ := strconv.ParseFloat(command(t, "nproc", "--all"), 64)
		if got := res.Metrics["logical_cpus"]; got != want {
			t.Errorf("logical_cpus = %v, nproc --all says %v", got, want)
		}
		if got := res.Metrics["sample_seconds"]; got != 1 {
			t.Errorf("sample_seconds = %v, want the profile's 1s", got)
		}
	})

	t.Run("uptime is /proc/uptime", func(t *testing.T) {
		res := runCheck(t, ctx, IDSystem, p, 5*time.Second)
		b, err := os.ReadFile("/proc/uptime")
		if err != nil {
			t.Fatal(err)
		}
		want, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
		// Both are read within the same second or two; gopsutil truncates.
		if got := res.Metrics["uptime_seconds"]; math.Abs(got-want) > 3 {
			t.Errorf("uptime_seconds = %v, /proc/uptime says %v", got, want)
		}
		host, _ := os.Hostname()
		if got := res.Details["hostname"]; got != host {
			t.Errorf("hostname = %v, want %s", got, host)
		}
		if got, want := res.Details["kernel"], command(t, "uname", "-r"); got != want {
			t.Errorf("kernel = %v, uname -r says %s", got, want)
		}
	})

	t.Run("root filesystem figures are df's", func(t *testing.T) {
		q := testProfile(t)
		q.Host.Disks.Mounts = []string{"/"}
		res := runCheck(t, ctx, IDDisks, q, 5*time.Second)
		row := fsRow(t, res, "/")
		df := strings.Fields(strings.Split(command(t, "df", "-B1", "--output=size,used,avail,itotal,iused", "/"), "\n")[1])
		num := func(s string) uint64 { n, _ := strconv.ParseUint(s, 10, 64); return n }
		if got, want := row["total_bytes"].(uint64), num(df[0]); got != want {
			t.Errorf("total_bytes = %d, df says %d", got, want)
		}
		// Used and free move while tests write; allow 64 MiB.
		for _, c := range []struct {
			name string
			got  uint64
			want uint64
		}{{"used_bytes", row["used_bytes"].(uint64), num(df[1])}, {"free_bytes", row["free_bytes"].(uint64), num(df[2])}} {
			if diff := math.Abs(float64(c.got) - float64(c.want)); diff > 64<<20 {
				t.Errorf("%s = %d, df says %d", c.name, c.got, c.want)
			}
		}
		if it, ok := row["inodes_total"].(uint64); ok && it != num(df[3]) {
			t.Errorf("inodes_total = %d, df says %s", it, df[3])
		}
	})
}

// fsRow returns the filesystems detail row of mount.
func fsRow(t testing.TB, res report.Result, mount string) map[string]any {
	t.Helper()
	rows, _ := res.Details["filesystems"].([]map[string]any)
	for _, r := range rows {
		if r["mount"] == mount {
			return r
		}
	}
	t.Fatalf("no row for %s", mount)
	return nil
}
