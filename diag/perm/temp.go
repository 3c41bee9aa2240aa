package permcheck

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/target"
	"github.com/l2diag/l2diag/report"
)

var tempSpec = diag.Spec{
	ID:       "perm-temp",
	Category: diag.CategoryPerm,
	Phase:    diag.PhaseProbe,
	Finds:    "whether the temp directory exists, is writable for this user, has the sticky bit, and has free space",
	Findings: []diag.FindingSpec{FindingTempMissing, FindingTempNotWritable, FindingTempNoSticky, FindingTempLowSpace},
	Plan:     planTemp,
}

// planTemp plans one check of the temp directory this process would use.
func planTemp(*diag.PlanInput) []diag.Instance {
	return []diag.Instance{{Target: os.TempDir(), Run: runTemp}}
}

// tempEnvVars are the variables that choose the temp directory, by OS.
var tempEnvVars = []string{"TMPDIR", "TMP", "TEMP"}

// space is what a file system has left for this user.
type space struct {
	availBytes, totalBytes uint64
	// freeInodes and totalInodes are 0 where the system does not say.
	freeInodes, totalInodes uint64
}

func runTemp(ctx context.Context, env *diag.Env) report.Result {
	dir := os.TempDir()
	var res report.Result
	ev := map[string]any{"dir": dir}
	for _, k := range tempEnvVars {
		if v, ok := os.LookupEnv(k); ok {
			ev[k] = v
		}
	}
	res.SetDetail("dir", dir)
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		why := "is not a directory"
		if err != nil {
			why = unwrapPathErr(err).Error()
		}
		ev["error"] = why
		res.AddFinding(FindingTempMissing.Finding(fmt.Sprintf("The temp directory %s is unusable: %s.", dir, why), ev))
		res.Summary = "No usable temp directory."
		return res
	}
	if m := modeText(fi); m != "" {
		res.SetDetail("mode", m)
	}

	f, err := os.CreateTemp(dir, ".l2diag-probe-*")
	if err == nil {
		_, err = f.Write([]byte("l2diag"))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		_ = os.Remove(f.Name())
	}
	if err != nil {
		ev["error"] = unwrapPathErr(err).Error()
		fd := FindingTempNotWritable.Finding(fmt.Sprintf("%s cannot create a file in the temp directory %s: %v.", currentUserName(), dir, unwrapPathErr(err)), ev)
		// Reuse the path walk to say which component refuses and why.
		if w, werr := walkPath(ctx, target.Path{Path: dir, Access: target.Access{Write: true, Exec: true}}, nil); werr == nil && len(w.denials) > 0 {
			d := w.denials[0]
			fd.Message += " " + denialMessage(target.Path{Path: dir}, w, d)
			ev["reason"] = d.reason
			ev["component"] = d.component.Path
			if d.hint != "" {
				fd.Hint = d.hint
			}
		}
		res.AddFinding(fd)
	}

	if stickyMissing(fi) {
		res.AddFinding(FindingTempNoSticky.Finding(
			fmt.Sprintf("The temp directory %s is %s: everyone may write it, and without the sticky bit anyone may delete or replace other users' files.", dir, fi.Mode()), ev))
		res.Findings[len(res.Findings)-1].Hint = fmt.Sprintf("`chmod +t %s` (usual mode 1777).", shellQuote(dir))
	}

	sp, err := tempSpace(dir)
	if err == nil && sp.totalBytes > 0 {
		pct := 100 * float64(sp.availBytes) / float64(sp.totalBytes)
		res.SetMetric("free_bytes", float64(sp.availBytes))
		res.SetMetric("free_percent", pct)
		lim := env.Profile.Perm.Temp
		var low []string
		if lim.MinFreeMB > 0 && sp.availBytes < uint64(lim.MinFreeMB)<<20 {
			low = append(low, fmt.Sprintf("below %d MiB", lim.MinFreeMB))
		}
		if lim.MinFreePercent > 0 && pct < lim.MinFreePercent {
			low = append(low, fmt.Sprintf("below %g%%", lim.MinFreePercent))
		}
		if sp.totalInodes > 0 {
			res.SetMetric("free_inodes", float64(sp.freeInodes))
			if sp.freeInodes == 0 {
				low = append(low, "no free inodes")
			}
		}
		if len(low) > 0 {
			sev := map[string]any{"dir": dir, "free_bytes": sp.availBytes, "total_bytes": sp.totalBytes, "free_percent": pct, "free_inodes": sp.freeInodes}
			res.AddFinding(FindingTempLowSpace.Finding(fmt.Sprintf("The temp directory %s has %s free (%.1f%%): %s.", dir, diag.Bytes(sp.availBytes), pct, joinAnd(low)), sev))
		}
		if res.Summary == "" && len(res.Findings) == 0 {
			res.Summary = fmt.Sprintf("%s is writable, %s free (%.0f%%).", dir, diag.Bytes(sp.availBytes), pct)
		}
	}
	if res.Summary == "" && len(res.Findings) > 0 {
		res.Summary = res.Findings[0].Message
	}
	return res
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := s[0]
	for _, x := range s[1 : len(s)-1] {
		out += ", " + x
	}
	return out + " and " + s[len(s)-1]
}
