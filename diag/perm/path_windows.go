package permcheck

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unsafe"

	"github.com/l2diag/l2diag/diag/target"
	"golang.org/x/sys/windows"
)

// File access rights (winnt.h) requested for r, w and x. The generic
// file rights include SYNCHRONIZE and READ_CONTROL, as opening a file does.
const (
	fileGenericRead    = 0x00120089
	fileGenericWrite   = 0x00120116
	fileGenericExecute = 0x001200A0
	fileAllAccess      = 0x001F01FF
)

var winRights = map[string]uint32{"r": fileGenericRead, "w": fileGenericWrite, "x": fileGenericExecute}

// icaclsRight is the icacls grant that covers each access.
var icaclsRight = map[string]string{"r": "(R)", "w": "(M)", "x": "(RX)"}

type genericMapping struct {
	GenericRead, GenericWrite, GenericExecute, GenericAll uint32
}

var (
	modAdvapi32     = windows.NewLazySystemDLL("advapi32.dll")
	procAccessCheck = modAdvapi32.NewProc("AccessCheck")
)

// accessCheck asks Windows whether tok gets desired from sd: group
// membership, deny entries, integrity level and privileges all count.
func accessCheck(sd *windows.SECURITY_DESCRIPTOR, tok windows.Token, desired uint32) (granted uint32, ok bool, err error) {
	mapping := genericMapping{fileGenericRead, fileGenericWrite, fileGenericExecute, fileAllAccess}
	privs := make([]byte, 256)
	privLen := uint32(len(privs))
	var status int32
	r, _, e := procAccessCheck.Call(
		uintptr(unsafe.Pointer(sd)), uintptr(tok), uintptr(desired), uintptr(unsafe.Pointer(&mapping)),
		uintptr(unsafe.Pointer(&privs[0])), uintptr(unsafe.Pointer(&privLen)),
		uintptr(unsafe.Pointer(&granted)), uintptr(unsafe.Pointer(&status)))
	if r == 0 {
		return 0, false, fmt.Errorf("AccessCheck: %w", e)
	}
	return granted, status != 0, nil
}

// impersonationToken duplicates the process token for AccessCheck, which
// needs an impersonation token.
func impersonationToken() (windows.Token, error) {
	var proc windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_QUERY|windows.TOKEN_DUPLICATE, &proc); err != nil {
		return 0, fmt.Errorf("open process token: %w", err)
	}
	defer proc.Close()
	var dup windows.Token
	if err := windows.DuplicateTokenEx(proc, windows.TOKEN_QUERY|windows.TOKEN_IMPERSONATE, nil, windows.SecurityImpersonation, windows.TokenImpersonation, &dup); err != nil {
		return 0, fmt.Errorf("duplicate token: %w", err)
	}
	return dup, nil
}

// walkPath on Windows: every component must exist (traversal itself is
// not checked: SeChangeNotifyPrivilege, "bypass traverse checking", is
// granted to everyone by default); the path's own ACL is judged by
// AccessCheck for the current token.
func walkPath(ctx context.Context, p target.Path, tr *tracker) (*walk, error) {
	id, _ := currentIdentity(ctx)
	w := &walk{user: id.User, elevated: id.Elevated}
	abs, err := filepath.Abs(p.Path)
	if err != nil {
		return nil, fmt.Errorf("perm: path %s: %w", p.Path, err)
	}
	vol := filepath.VolumeName(abs)
	cur := vol + `\`
	rest := strings.Split(strings.TrimPrefix(abs[len(vol):], `\`), `\`)
	prefixes := []string{cur}
	for _, r := range rest {
		if r == "" {
			continue
		}
		cur = filepath.Join(cur, r)
		prefixes = append(prefixes, cur)
	}
	var last os.FileInfo
	for _, pre := range prefixes {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		tr.at(pre)
		fi, err := os.Stat(pre)
		if errors.Is(err, fs.ErrNotExist) {
			w.missing = pre
			w.missingWhy = fmt.Sprintf("%s has no entry %q", filepath.Dir(pre), filepath.Base(pre))
			return w, nil
		}
		if err != nil && last != nil && !last.IsDir() {
			w.missing = pre
			w.missingWhy = fmt.Sprintf("%s is not a directory", filepath.Dir(pre))
			return w, nil
		}
		c := component{Path: pre, Type: "dir"}
		if fi != nil && !fi.IsDir() {
			c.Type = "file"
		}
		if sd, err := windows.GetNamedSecurityInfo(pre, windows.SE_FILE_OBJECT, windows.OWNER_SECURITY_INFORMATION|windows.GROUP_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION); err == nil {
			if o, _, err := sd.Owner(); err == nil && o != nil {
				c.Owner = accountName(o)
			}
			c.ACL = []string{sd.String()}
		}
		w.comps = append(w.comps, c)
		last = fi
	}
	w.resolved = abs
	sd, err := windows.GetNamedSecurityInfo(abs, windows.SE_FILE_OBJECT, windows.OWNER_SECURITY_INFORMATION|windows.GROUP_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION|windows.LABEL_SECURITY_INFORMATION)
	if err != nil {
		return nil, fmt.Errorf("perm: read the ACL of %s: %w", abs, err)
	}
	tok, err := impersonationToken()
	if err != nil {
		return nil, fmt.Errorf("perm: %w", err)
	}
	defer tok.Close()
	comp := w.comps[len(w.comps)-1]
	readOnlyAttr := false
	if pp, err := windows.UTF16PtrFromString(abs); err == nil {
		if a, err := windows.GetFileAttributes(pp); err == nil {
			readOnlyAttr = a&windows.FILE_ATTRIBUTE_READONLY != 0 && a&windows.FILE_ATTRIBUTE_DIRECTORY == 0
		}
	}
	for _, l := range []string{"r", "w", "x"} {
		if !strings.Contains(p.Access.String(), l) {
			continue
		}
		granted, ok, err := accessCheck(sd, tok, winRights[l])
		if err != nil {
			return nil, fmt.Errorf("perm: %s: %w", abs, err)
		}
		if ok && l == "w" && readOnlyAttr {
			ok = false
			w.denials = append(w.denials, denial{
				spec: FindingPathReadOnly, access: l, component: comp, reason: "readonly-attribute",
				why:  "the file has the read-only attribute, which refuses writes whatever the ACL grants",
				hint: fmt.Sprintf("`attrib -R \"%s\"` if it should be writable.", abs),
			})
		} else if !ok {
			// A denied AccessCheck zeroes the granted mask; asking for
			// MAXIMUM_ALLOWED says what the token does get.
			if most, _, err := accessCheck(sd, tok, windows.MAXIMUM_ALLOWED); err == nil {
				granted = most
			}
			w.denials = append(w.denials, denial{
				spec: FindingPathWinDenied, access: l, component: comp, reason: "acl",
				why:  fmt.Sprintf("its ACL grants this token %s of the %s requested%s", rightsWords(granted), rightsWords(winRights[l]), aclEntriesFor(sd)),
				hint: fmt.Sprintf("`icacls \"%s\" /grant \"%s\":%s`, or add the user to a group the ACL allows; `icacls \"%s\"` lists the entries.", abs, w.user, icaclsRight[l], abs),
			})
		}
		w.verdicts = append(w.verdicts, verdict{Access: l, Allowed: ok})
	}
	return w, nil
}

func rightsWords(mask uint32) string {
	if mask == 0 {
		return "no rights"
	}
	var out []string
	for _, r := range []struct {
		bit  uint32
		name string
	}{{0x1, "read data"}, {0x2, "write data"}, {0x4, "append"}, {0x20, "execute/traverse"}, {0x10000, "delete"}, {0x40000, "change permissions"}} {
		if mask&r.bit != 0 {
			out = append(out, r.name)
		}
	}
	if len(out) == 0 {
		return fmt.Sprintf("%#x", mask)
	}
	return strings.Join(out, ", ")
}

// aclEntriesFor summarises the DACL's deny entries, the usual surprise.
func aclEntriesFor(sd *windows.SECURITY_DESCRIPTOR) string {
	dacl, _, err := sd.DACL()
	if err != nil || dacl == nil {
		return ""
	}
	var deny []string
	for i := uint32(0); i < uint32(dacl.AceCount); i++ {
		var ace *windows.ACCESS_ALLOWED_ACE
		if windows.GetAce(dacl, i, &ace) != nil {
			continue
		}
		if ace.Header.AceType == windows.ACCESS_DENIED_ACE_TYPE {
			sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
			deny = append(deny, fmt.Sprintf("deny %s: %s", accountName(sid), rightsWords(uint32(ace.Mask))))
		}
	}
	if len(deny) == 0 {
		return ""
	}
	return " (" + strings.Join(deny, "; ") + ")"
}
