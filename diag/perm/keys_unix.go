//go:build linux || darwin

package permcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
	"golang.org/x/sys/unix"
)

// fileInfo is one file the keys check looked at, for the report details.
type fileInfo struct {
	Path  string `json:"path"`
	Kind  string `json:"kind"`
	Mode  string `json:"mode,omitempty"`
	Owner string `json:"owner,omitempty"`
}

// privateKeyHeaders start the private key formats ssh reads. Only this
// much of a file is ever read; key material never enters the report.
var privateKeyHeaders = [][]byte{
	[]byte("-----BEGIN OPENSSH PRIVATE KEY-----"),
	[]byte("-----BEGIN RSA PRIVATE KEY-----"),
	[]byte("-----BEGIN DSA PRIVATE KEY-----"),
	[]byte("-----BEGIN EC PRIVATE KEY-----"),
	[]byte("-----BEGIN PRIVATE KEY-----"),
	[]byte("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
	[]byte("PuTTY-User-Key-File-"),
}

// keyHeaderLen is how many bytes of a file are read to recognise a key.
const keyHeaderLen = 64

func isPrivateKey(head []byte) bool {
	head = bytes.TrimLeft(head, " \t\r\n")
	for _, h := range privateKeyHeaders {
		if bytes.HasPrefix(head, h) {
			return true
		}
	}
	return false
}

func inspectKeys(ctx context.Context, env *diag.Env) (report.Result, error) {
	var res report.Result
	c := currentCred()
	home := currentHome()
	perm := env.Profile.Perm
	sshDir := perm.SSHDir
	if sshDir == "" {
		sshDir = "~/.ssh"
	}
	sshDir = expandHome(sshDir)
	res.SetDetail("ssh_dir", sshDir)
	var seen []fileInfo
	keys, exposed := 0, 0

	entries, err := os.ReadDir(sshDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		res.SetDetail("ssh_dir_exists", false)
	case err != nil:
		res.AddFinding(FindingKeyUnreadable.Finding(
			fmt.Sprintf("The SSH directory %s cannot be listed: %v.", sshDir, unwrapErr(err)),
			map[string]any{"path": sshDir}))
	default:
		for _, e := range entries {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			p := filepath.Join(sshDir, e.Name())
			var st unix.Stat_t
			if unix.Stat(p, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
				continue
			}
			fi := fileInfo{Path: p, Mode: modeString(uint32(st.Mode)), Owner: userName(int(st.Uid))}
			name := e.Name()
			switch {
			case name == "authorized_keys" || name == "authorized_keys2":
				fi.Kind = "authorized_keys"
				seen = append(seen, fi)
				strictModes(&res, p, home, c)
				continue
			case name == "config":
				fi.Kind = "config"
				seen = append(seen, fi)
				if uint32(st.Mode)&0o022 != 0 || (int(st.Uid) != c.uid && st.Uid != 0) {
					res.AddFinding(FindingSSHStrictModes.Finding(
						fmt.Sprintf("ssh refuses %s (\"Bad owner or permissions\"): %s %s, writable by group or others or owned by another user.", p, fi.Mode, fi.Owner),
						map[string]any{"path": p, "mode": fi.Mode, "owner": fi.Owner}))
					setHint(&res, fmt.Sprintf("`chmod 600 %s` (owned by the user).", shellQuote(p)))
				}
				continue
			case strings.HasSuffix(name, ".pub") || strings.HasPrefix(name, "known_hosts"):
				continue
			}
			head, rerr := readHead(p, keyHeaderLen)
			if rerr != nil {
				if strings.HasPrefix(name, "id_") && errors.Is(rerr, fs.ErrPermission) {
					fi.Kind = "private-key"
					seen = append(seen, fi)
					res.AddFinding(FindingKeyUnreadable.Finding(
						fmt.Sprintf("%s cannot read its key %s (%s %s:%s).", userName(c.uid), p, fi.Mode, fi.Owner, groupName(int(st.Gid))),
						map[string]any{"path": p, "mode": fi.Mode, "owner": fi.Owner}))
					setHint(&res, fmt.Sprintf("As root: `chown %s %s && chmod 600 %s`.", userName(c.uid), shellQuote(p), shellQuote(p)))
				}
				continue
			}
			if !isPrivateKey(head) {
				continue
			}
			fi.Kind = "private-key"
			seen = append(seen, fi)
			keys++
			if uint32(st.Mode)&0o077 != 0 {
				exposed++
				res.AddFinding(FindingKeyExposed.Finding(
					fmt.Sprintf("Private key %s is %s (%s:%s): group or others may access it; ssh refuses to use it.", p, fi.Mode, fi.Owner, groupName(int(st.Gid))),
					map[string]any{"path": p, "mode": fi.Mode, "owner": fi.Owner, "group": groupName(int(st.Gid))}))
				setHint(&res, fmt.Sprintf("`chmod 600 %s`; if other users could read it, replace the key and remove its public half from every authorized_keys.", shellQuote(p)))
			}
		}
	}

	creds := 0
	for _, cf := range perm.CredentialFiles {
		p := expandHome(cf)
		var st unix.Stat_t
		if unix.Stat(p, &st) != nil {
			continue
		}
		creds++
		fi := fileInfo{Path: p, Kind: "credential", Mode: modeString(uint32(st.Mode)), Owner: userName(int(st.Uid))}
		seen = append(seen, fi)
		if uint32(st.Mode)&0o004 != 0 && st.Mode&unix.S_IFMT == unix.S_IFREG {
			res.AddFinding(FindingCredentialExposed.Finding(
				fmt.Sprintf("Credential file %s is %s: every user of this machine may read it.", p, fi.Mode),
				map[string]any{"path": p, "mode": fi.Mode, "owner": fi.Owner}))
			setHint(&res, fmt.Sprintf("`chmod 600 %s`, and rotate the secrets in it.", shellQuote(p)))
		}
	}
	if seen == nil {
		seen = []fileInfo{}
	}
	res.SetDetail("files", seen)
	// Names avoid "key" and "credential": the bundle scrubber takes such JSON
	// keys for secrets and blocks the bundle.
	res.SetMetric("ssh_identities", float64(keys))
	res.SetMetric("listed_files_present", float64(creds))
	res.Summary = fmt.Sprintf("%d private key(s) in %s, %d exposed; %d of %d listed credential file(s) present.", keys, sshDir, exposed, creds, len(perm.CredentialFiles))
	return res, nil
}

// setHint makes the last finding's hint the concrete command.
func setHint(res *report.Result, hint string) {
	res.Findings[len(res.Findings)-1].Hint = hint
}

// strictModes applies sshd's StrictModes test (safe_path in OpenSSH's
// misc.c) to authorized_keys: the file and every directory up to the
// home must be owned by the user or root and not writable by group or
// others.
func strictModes(res *report.Result, file, home string, c cred) {
	p := file
	for {
		var st unix.Stat_t
		if unix.Stat(p, &st) != nil {
			return
		}
		if (int(st.Uid) != c.uid && st.Uid != 0) || uint32(st.Mode)&0o022 != 0 {
			mode := modeString(uint32(st.Mode))
			owner := userName(int(st.Uid))
			res.AddFinding(FindingSSHStrictModes.Finding(
				fmt.Sprintf("sshd ignores %s because %s is %s %s:%s (writable by group or others, or owned by another user).", file, p, mode, owner, groupName(int(st.Gid))),
				map[string]any{"file": file, "path": p, "mode": mode, "owner": owner}))
			setHint(res, fmt.Sprintf("`chmod go-w %s`, owned by %s (`chown %s %s`).", shellQuote(p), userName(c.uid), userName(c.uid), shellQuote(p)))
		}
		if p == home || p == "/" || p == filepath.Dir(p) {
			return
		}
		p = filepath.Dir(p)
	}
}

func readHead(path string, n int) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|unix.O_NONBLOCK|unix.O_NOFOLLOW, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	m, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:m], nil
}

func unwrapErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
