package bundle

import (
	"os"
	"path/filepath"
	"time"
)

// staleTempAge is how old a temporary bundle file must be before it counts
// as left behind: no bundle takes a day to write, so an older one belongs
// to a run that was killed (SIGKILL, power loss) before it could clean up.
const staleTempAge = 24 * time.Hour

// tempPattern names l2diag's temporary bundle and map files.
const tempPattern = ".l2diag-bundle-*.tmp"

// removeStaleTemps deletes the temporary files of earlier, killed runs in
// dir: named like ours, regular files, owned by this user, older than a
// day. Anything else — a younger file (a run still writing), another
// user's file, a directory or link of that name — is left alone. It
// returns the names removed.
func removeStaleTemps(dir string, now time.Time) []string {
	matches, err := filepath.Glob(filepath.Join(dir, tempPattern))
	if err != nil {
		return nil
	}
	var removed []string
	for _, p := range matches {
		fi, err := os.Lstat(p)
		if err != nil || !fi.Mode().IsRegular() || now.Sub(fi.ModTime()) < staleTempAge || !ownedByMe(fi) {
			continue
		}
		if err := os.Remove(p); err == nil {
			removed = append(removed, filepath.Base(p))
		}
	}
	return removed
}
