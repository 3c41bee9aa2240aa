package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/internal/userfile"
	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/bundle"
	"github.com/l2diag/l2diag/report/redact"
	"github.com/l2diag/l2diag/ticketclient/registry"
	"github.com/spf13/cobra"
)

// bundleOptions are run's bundle flags.
type bundleOptions struct {
	Path   string
	No     bool
	Redact bool

	// dir is set by validate when Path names an existing directory: the
	// bundle gets its default name inside it.
	dir string
	// getenv finds the fallback folders (the data directory, ProgramData)
	// and the system folders a bundle does not go into.
	getenv func(string) string
}

func addBundleFlags(cmd *cobra.Command, o *bundleOptions) {
	f := cmd.Flags()
	f.StringVar(&o.Path, "bundle", "", "write the bundle to `PATH` (a .zip file, or a directory for the default name)")
	f.BoolVar(&o.No, "no-bundle", false, "do not write a bundle")
	f.BoolVar(&o.Redact, "redact", false, "replace hostnames, usernames, IP and MAC addresses, e-mail addresses and serials in the bundle with pseudonyms (the mapping stays beside the bundle)")
}

// validate checks the bundle's destination before anything runs, so a
// typo costs no run.
func (o *bundleOptions) validate() error {
	if o.No && o.Path != "" {
		return usageErrorf("--bundle and --no-bundle exclude each other")
	}
	if o.No && o.Redact {
		return usageErrorf("--redact needs a bundle; drop --no-bundle")
	}
	if o.Path == "" {
		return nil
	}
	if st, err := os.Stat(o.Path); err == nil && st.IsDir() {
		o.dir = o.Path
	}
	dir := o.dir
	if dir == "" {
		dir = filepath.Dir(o.Path)
		if err := userfile.CheckReplaceable(o.Path); err != nil {
			return usageErrorf("--bundle: %v", err)
		}
		if o.Redact {
			if err := userfile.CheckReplaceable(bundle.RedactionMapPath(o.Path)); err != nil {
				return usageErrorf("--bundle: the redaction map: %v", err)
			}
		}
	}
	if err := dirWritable(dir); err != nil {
		return usageErrorf("--bundle: %v", err)
	}
	return nil
}

// dirWritable proves dir accepts a new file by creating and removing one.
func dirWritable(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("directory %s does not exist", dir)
		}
		return fmt.Errorf("directory %s is not accessible: %w", dir, errors.Unwrap(err))
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	f, err := os.CreateTemp(dir, ".l2diag-probe-*")
	if err != nil {
		return fmt.Errorf("directory %s is not writable: %w", dir, errors.Unwrap(err))
	}
	name := f.Name()
	_ = f.Close()
	_ = os.Remove(name)
	return nil
}

// afterRunBundle writes the run's bundle and returns its path ("" when none).
// rep is the run's report, outRep what og made of it for every output.
func afterRunBundle(ios *IOStreams, o *runOptions, rep, outRep *report.Report, og *bundle.Outgoing, out *diag.Outcome, log *lockedBuffer) (string, error) {
	bo := &o.Bundle
	if bo.No {
		return "", nil
	}
	dst, note, err := bo.destinationNote(rep, out.Started)
	if err != nil {
		return "", &BundleError{Err: err}
	}
	if note != "" {
		fmt.Fprintf(ios.ErrOut, "l2diag: %s\n", shownPath(og, note))
	}
	in := &bundle.Input{
		Report:      outRep,
		Artifacts:   out.Evidence.Items(),
		Facts:       out.Facts.Snapshot(),
		Log:         log.Bytes(),
		CommandLine: maskArgs(o.argsLine),
		EndedAt:     out.Started.Add(out.Duration).UTC(),
	}
	info, err := bundle.Write(dst, in, bundle.Options{Outgoing: og})
	if err != nil {
		return "", &BundleError{Err: err}
	}
	fmt.Fprintf(ios.ErrOut, "l2diag: bundle written to %s (%s, sha256 %s)\n", shownPath(og, info.Path), humanBytes(info.Size), info.SHA256[:16])
	if len(info.Truncated) > 0 {
		fmt.Fprintf(ios.ErrOut, "l2diag: bundle: %d file(s) cut to their tail to stay within the caps: %s\n", len(info.Truncated), strings.Join(info.Truncated, ", "))
	}
	if len(info.StaleRemoved) > 0 {
		fmt.Fprintf(ios.ErrOut, "l2diag: removed %d temporary file(s) of earlier interrupted runs: %s\n", len(info.StaleRemoved), shownPath(og, strings.Join(info.StaleRemoved, ", ")))
	}
	if info.MapPath != "" {
		fmt.Fprintf(ios.ErrOut, "l2diag: redaction map written to %s (keep it on this machine; do not attach it)\n", shownPath(og, info.MapPath))
	}
	return info.Path, nil
}

// destination decides where the bundle goes: --bundle, else the current
// directory, unless it is not writable or a system folder (a script run
// as SYSTEM by Intune, SCCM or an RMM tool starts in C:\Windows\System32;
// a service on Linux in /); then the first of fallbackDirs that takes a
// file. It says on stderr (through note) where it went instead and why.
func (o *bundleOptions) destination(rep *report.Report, started time.Time) (string, error) {
	dst, _, err := o.destinationNote(rep, started)
	return dst, err
}

func (o *bundleOptions) destinationNote(rep *report.Report, started time.Time) (dst, note string, err error) {
	host := rep.Host.Hostname
	if o.Redact {
		host = "redacted"
	}
	name := defaultBundleName(host, started)
	switch {
	case o.dir != "":
		return filepath.Join(o.dir, name), "", nil
	case o.Path != "":
		return o.Path, "", nil
	}
	cwd, err := os.Getwd()
	why := "the current directory cannot be read"
	if err == nil {
		why = "the current directory " + cwd + " is a system folder"
		if !isSystemDir(cwd, o.getenv) {
			werr := dirWritable(cwd)
			if werr == nil {
				return filepath.Join(cwd, name), "", nil
			}
			why = "the current directory is not writable (" + werr.Error() + ")"
		}
	}
	var tried []string
	for _, dir := range fallbackDirs(o.getenv) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			tried = append(tried, err.Error())
			continue
		}
		if err := dirWritable(dir); err != nil {
			tried = append(tried, err.Error())
			continue
		}
		return filepath.Join(dir, name), why + "; the bundle goes to " + dir, nil
	}
	return "", "", fmt.Errorf("bundle: %s and no fallback directory takes a file (%s); pass --bundle PATH", why, strings.Join(tried, "; "))
}

// fallbackDirs are where a bundle goes when the working directory will not
// do, in order: the user's data directory (unless it lies in a system
// folder, as SYSTEM's profile does), on Windows %ProgramData%\l2diag,
// then the temp directory, so a finished run is never lost.
func fallbackDirs(getenv func(string) string) []string {
	var out []string
	if d, err := userDataDir(getenv); err == nil && !isSystemDir(d, getenv) {
		out = append(out, d)
	}
	if runtime.GOOS == "windows" {
		if pd := getenv("ProgramData"); pd != "" {
			out = append(out, filepath.Join(pd, "l2diag"))
		}
	}
	return append(out, filepath.Join(os.TempDir(), "l2diag"))
}

// isSystemDir reports whether dir is a folder of the OS itself, where a
// bundle does not belong even when the process may write there. getenv
// reads where Windows is installed.
func isSystemDir(dir string, getenv func(string) string) bool {
	dir = filepath.Clean(dir)
	if runtime.GOOS == "windows" {
		for _, v := range []string{"SystemRoot", "windir", "ProgramFiles", "ProgramFiles(x86)"} {
			root := getenv(v)
			if root == "" {
				continue
			}
			root = strings.ToLower(filepath.Clean(root))
			d := strings.ToLower(dir)
			if d == root || strings.HasPrefix(d, root+`\`) {
				return true
			}
		}
		return false
	}
	if dir == "/" {
		return true
	}
	for _, root := range []string{"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc", "/boot", "/proc", "/sys", "/dev", "/System", "/Library"} {
		if dir == root || strings.HasPrefix(dir, root+"/") {
			return true
		}
	}
	return false
}

var unsafeNameChars = regexp.MustCompile(`[^A-Za-z0-9.-]+`)

// defaultBundleName is l2diag-<host>-<UTC timestamp>.zip.
func defaultBundleName(host string, t time.Time) string {
	host = strings.Trim(unsafeNameChars.ReplaceAllString(host, "_"), "._")
	if host == "" {
		host = "unknown"
	}
	return fmt.Sprintf("l2diag-%s-%s.zip", host, t.UTC().Format("20060102T150405Z"))
}

// userDataDir is where per-user data lives on each platform.
func userDataDir(getenv func(string) string) (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "l2diag"), nil
		}
	case "darwin":
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, "Library", "Application Support", "l2diag"), nil
		}
	default:
		if d := getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
			return filepath.Join(d, "l2diag"), nil
		}
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, ".local", "share", "l2diag"), nil
		}
	}
	return "", errors.New("no user data directory is known")
}

// environmentSecrets returns the values of environment variables whose
// names say they hold a secret, and the passwords of URLs in any variable
// (a proxy's in http_proxy), so they are masked wherever they appear.
func environmentSecrets(env []string) []string {
	var out []string
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || v == "" {
			continue
		}
		if redact.SecretName(k) {
			out = append(out, v)
		}
		out = append(out, redact.URLPasswords(v)...)
	}
	return out
}

// runSecrets are the known secret values a run masks in every output: the
// environment's and those of systems' configuration.
func runSecrets(env Env, systems registry.Set) []string {
	return append(environmentSecrets(env.Environ()), ticketSecrets(env.Getenv, systems)...)
}

// ticketSecrets returns the ticket systems' configured tokens and
// passwords (from the config file, the environment or secret files), so
// they are scrubbed from the bundle even when they show up somewhere
// unexpected. A configuration that does not load has nothing to give.
func ticketSecrets(getenv func(string) string, systems registry.Set) []string {
	cfg, err := systems.LoadConfig(getenv)
	if err != nil {
		return nil
	}
	return cfg.SecretValues()
}

// machineIdentity collects what identifies this machine and its user: the
// redactor replaces it and the re-scan proves it is gone. getenv reads the
// user names of the session.
func machineIdentity(rep *report.Report, facts *diag.Facts, getenv func(string) string) redact.Identity {
	var id redact.Identity
	if h := rep.Host.Hostname; h != "" {
		id.Hostnames = append(id.Hostnames, h)
	}
	if h, err := os.Hostname(); err == nil && h != rep.Host.Hostname {
		id.Hostnames = append(id.Hostnames, h)
	}
	if u, err := user.Current(); err == nil {
		name := u.Username
		if i := strings.LastIndexAny(name, `\`); i >= 0 {
			name = name[i+1:]
		}
		id.Usernames = append(id.Usernames, name)
	}
	for _, k := range []string{"SUDO_USER", "USER", "LOGNAME", "USERNAME"} {
		if v := getenv(k); v != "" {
			id.Usernames = append(id.Usernames, v)
		}
	}
	if ds, ok := diag.GetFact(facts, diag.FactSearchDomains); ok {
		id.Domains = append(id.Domains, ds...)
	}
	id.Domains = append(id.Domains, adDomains(rep)...)
	if as, ok := diag.GetFact(facts, diag.FactLocalAddrs); ok {
		for _, a := range as {
			if !a.IsLoopback() {
				id.Addrs = append(id.Addrs, a.String())
			}
		}
	}
	id.SSIDs = associatedSSIDs()
	if ifs, err := net.Interfaces(); err == nil {
		for _, ifc := range ifs {
			if len(ifc.HardwareAddr) == 6 {
				id.MACs = append(id.MACs, ifc.HardwareAddr.String())
			}
			addrs, _ := ifc.Addrs()
			for _, a := range addrs {
				if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() {
					id.Addrs = append(id.Addrs, ipn.IP.String())
				}
			}
		}
	}
	return id
}

// adDomains are the AD domain and forest the org checks name: not always
// a search domain (a laptop off the VPN, org.domain in the profile), and
// the DC, site and account names hang off them.
func adDomains(rep *report.Report) []string {
	var out []string
	add := func(v any) {
		if d, ok := v.(string); ok && strings.Contains(d, ".") {
			out = append(out, d)
		}
	}
	for _, r := range rep.Results {
		if r.Check != "org-domain" {
			continue
		}
		add(r.Details["domain"])
		add(r.Details["realm"])
		switch rows := r.Details["ldap_ping"].(type) {
		case []map[string]any:
			for _, row := range rows {
				add(row["forest"])
			}
		case []any:
			for _, row := range rows {
				if m, ok := row.(map[string]any); ok {
					add(m["forest"])
				}
			}
		}
	}
	return out
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// shownPath is how stderr names a local file (the bundle, its redaction
// map, a fallback directory). With --redact nothing on any output may
// name this machine or its user, stderr included (a remote-support tool
// may collect it): a path inside the working directory is shown relative
// to it ("./l2diag-redacted-….zip", which names no one and still finds
// the file), any other through the run's outgoing filter, which replaces
// the user and host names in it by their pseudonyms (the redaction map
// beside the bundle turns them back).
func shownPath(og *bundle.Outgoing, s string) string {
	if !og.Redacting() {
		return s
	}
	if cwd, err := os.Getwd(); err == nil && filepath.IsAbs(s) {
		if rel, err := filepath.Rel(cwd, s); err == nil && filepath.IsLocal(rel) {
			return "." + string(filepath.Separator) + rel
		}
	}
	return og.String(s)
}
