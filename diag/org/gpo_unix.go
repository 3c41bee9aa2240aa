//go:build !windows

package orgcheck

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// sssdGPOCache is where sssd's AD provider keeps the GPOs it downloaded
// from SYSVOL, one directory per domain.
const sssdGPOCache = "/var/lib/sss/gpo_cache"

func readGPOState(context.Context) (gpoState, error) {
	return readSSSDGPO(defaultUnixPaths.SSSD, sssdGPOCache, time.Now())
}

// readSSSDGPO reports what is knowable about group policy on a Linux
// member: sssd applies only the logon-rights part of GPOs (access
// control), in the mode ad_gpo_access_control names, from the GPOs it
// cached at the last logon. It keeps no success or failure record, so
// this is evidence without a verdict.
func readSSSDGPO(sssdPath, cacheDir string, now time.Time) (gpoState, error) {
	st := gpoState{Details: map[string]any{}}
	data, err := os.ReadFile(sssdPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		st.Why = "No sssd configuration (" + sssdPath + "): group policy is applied by Windows and by sssd's AD provider only."
		return st, nil
	case errors.Is(err, fs.ErrPermission):
		st.Why = "Needs root: " + sssdPath + " is readable by root only, so sssd's group policy mode was not read."
		return st, nil
	case err != nil:
		return st, fmt.Errorf("org: read %s: %w", sssdPath, err)
	}
	ini := iniSections(data)
	var said []string
	for _, d := range splitList(ini["sssd"]["domains"]) {
		sec := ini["domain/"+strings.ToLower(d)]
		id := strings.ToLower(sec["id_provider"])
		access := strings.ToLower(firstNonEmpty(sec["access_provider"], id))
		if id != "ad" && access != "ad" {
			continue
		}
		dom := strings.ToLower(firstNonEmpty(sec["ad_domain"], d))
		st.Recorded = true
		row := map[string]any{"domain": dom, "access_provider": access}
		if access != "ad" {
			row["gpo"] = "not evaluated (access_provider is not ad)"
			said = append(said, "sssd does not evaluate the GPOs of "+dom+" (access_provider = "+access+")")
			st.Details["sssd_"+dom] = row
			continue
		}
		// sssd's default for the AD access provider since 1.14.
		mode := firstNonEmpty(strings.ToLower(sec["ad_gpo_access_control"]), "enforcing")
		row["ad_gpo_access_control"] = mode
		phrase := fmt.Sprintf("sssd applies the GPO logon rights of %s (%s)", dom, mode)
		n, newest, err := gpoCacheState(filepath.Join(cacheDir, dom))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			row["gpo_cache"] = "empty (no GPO downloaded yet)"
			phrase += ", no GPO cached yet"
		case errors.Is(err, fs.ErrPermission):
			row["gpo_cache"] = "not read (needs root)"
		case err != nil:
			row["gpo_cache"] = err.Error()
		default:
			row["gpo_cache_policies"] = n
			if !newest.IsZero() {
				row["gpo_cache_updated"] = newest.UTC().Format(time.RFC3339)
				phrase += fmt.Sprintf(", %d GPO(s) cached, last downloaded %s ago", n, now.Sub(newest).Round(time.Minute))
			}
		}
		said = append(said, phrase)
		st.Details["sssd_"+dom] = row
	}
	if !st.Recorded {
		st.Why = "sssd has no AD domain (" + sssdPath + "): no group policy is applied on this machine."
		return st, nil
	}
	st.Why = strings.Join(said, "; ") + "."
	return st, nil
}

// gpoCacheState counts the GPO directories sssd cached for a domain and
// when the newest file in them changed.
func gpoCacheState(dir string) (int, time.Time, error) {
	pols, err := os.ReadDir(filepath.Join(dir, "Policies"))
	if err != nil {
		return 0, time.Time{}, err
	}
	var newest time.Time
	n := 0
	for _, p := range pols {
		if !p.IsDir() {
			continue
		}
		n++
		_ = filepath.WalkDir(filepath.Join(dir, "Policies", p.Name()), func(_ string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if fi, err := d.Info(); err == nil && fi.ModTime().After(newest) {
				newest = fi.ModTime()
			}
			return nil
		})
	}
	return n, newest, nil
}
