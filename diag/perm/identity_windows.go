package permcheck

import (
	"context"
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// maxGroupLookups bounds account-name lookups of token groups: a domain
// SID lookup may ask a domain controller, and a token can hold hundreds.
const maxGroupLookups = 64

// Mandatory integrity level RIDs (winnt.h SECURITY_MANDATORY_*_RID).
var integrityNames = map[uint32]string{
	0x0000: "untrusted",
	0x1000: "low",
	0x2000: "medium",
	0x2100: "medium-plus",
	0x3000: "high",
	0x4000: "system",
	0x5000: "protected-process",
}

// currentIdentity reads the process token: user SID, groups, elevation
// and integrity level, which is what Windows checks ACLs against.
func currentIdentity(ctx context.Context) (identity, error) {
	tok := windows.GetCurrentProcessToken()
	tu, err := tok.GetTokenUser()
	if err != nil {
		return identity{}, fmt.Errorf("token user: %w", err)
	}
	id := identity{ID: tu.User.Sid.String(), User: accountName(tu.User.Sid), Elevated: tok.IsElevated()}
	if tg, err := tok.GetTokenGroups(); err == nil {
		id.Groups = []string{}
		for i, g := range tg.AllGroups() {
			if ctx.Err() != nil || i >= maxGroupLookups {
				id.Groups = append(id.Groups, fmt.Sprintf("... (%d more)", len(tg.AllGroups())-i))
				break
			}
			if g.Attributes&windows.SE_GROUP_ENABLED == 0 && g.Attributes&windows.SE_GROUP_USE_FOR_DENY_ONLY == 0 {
				continue
			}
			label := accountName(g.Sid)
			if g.Attributes&windows.SE_GROUP_USE_FOR_DENY_ONLY != 0 {
				label += " (deny-only)"
			}
			id.Groups = append(id.Groups, label)
		}
	}
	id.Integrity = integrityLevel(tok)
	if h, err := tok.GetUserProfileDirectory(); err == nil {
		id.Home = h
	}
	return id, nil
}

func accountName(sid *windows.SID) string {
	acc, dom, _, err := sid.LookupAccount("")
	if err != nil {
		return sid.String()
	}
	if dom != "" {
		return dom + `\` + acc
	}
	return acc
}

func integrityLevel(tok windows.Token) string {
	var n uint32
	_ = windows.GetTokenInformation(tok, windows.TokenIntegrityLevel, nil, 0, &n)
	if n == 0 {
		return ""
	}
	buf := make([]byte, n)
	if err := windows.GetTokenInformation(tok, windows.TokenIntegrityLevel, &buf[0], n, &n); err != nil {
		return ""
	}
	tml := (*windows.Tokenmandatorylabel)(unsafe.Pointer(&buf[0]))
	sid := tml.Label.Sid
	if sid.SubAuthorityCount() == 0 {
		return ""
	}
	rid := sid.SubAuthority(uint32(sid.SubAuthorityCount()) - 1)
	if s, ok := integrityNames[rid]; ok {
		return s
	}
	return fmt.Sprintf("%#x", rid)
}

func currentHome() string {
	if h, err := windows.GetCurrentProcessToken().GetUserProfileDirectory(); err == nil {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}
