//go:build windows

package orgcheck

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// gpoStateKey is where the Group Policy service records each scope's last
// processing: Machine for the computer, the user's SID for a user.
const gpoStateKey = `SOFTWARE\Microsoft\Windows\CurrentVersion\Group Policy\State`

// gpoCoreExtension is the "core engine" entry of the extension list, whose
// times and status are those of the whole processing run.
const gpoCoreExtension = "{00000000-0000-0000-0000-000000000000}"

// readGPOState reads the computer's and this user's last group policy
// processing from HKLM (readable by every user; read only, no gpupdate).
func readGPOState(context.Context) (gpoState, error) {
	st := gpoState{Details: map[string]any{}}
	run, ok, err := readGPORun("computer", gpoStateKey+`\Machine`)
	if err != nil {
		return st, err
	}
	if ok {
		st.Runs = append(st.Runs, run)
	}
	if tok := windows.GetCurrentProcessToken(); tok != 0 {
		if u, err := tok.GetTokenUser(); err == nil {
			sid := u.User.Sid.String()
			run, ok, err := readGPORun("user", gpoStateKey+`\`+sid)
			if err != nil {
				return st, err
			}
			if ok {
				st.Runs = append(st.Runs, run)
			}
		}
	}
	st.Recorded = len(st.Runs) > 0
	st.Why = `No group policy processing recorded (HKLM\` + gpoStateKey + `): the machine is not joined or policy never ran.`
	if st.Recorded {
		st.Why = `Group policy state read from HKLM\` + gpoStateKey + "."
	}
	return st, nil
}

// readGPORun reads one scope's core entry and each extension's status.
// ok is false when the scope has no record.
func readGPORun(scope, key string) (gpoRun, bool, error) {
	r := gpoRun{Scope: scope}
	core, err := registry.OpenKey(registry.LOCAL_MACHINE, key+`\Extension-List\`+gpoCoreExtension, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("org: could not read the group policy state (%s): %w", key, err)
	}
	defer core.Close()
	dword := func(k registry.Key, name string) uint32 {
		v, _, err := k.GetIntegerValue(name)
		if err != nil {
			return 0
		}
		return uint32(v)
	}
	r.End = fileTime(dword(core, "EndTimeHi"), dword(core, "EndTimeLo"))
	r.Start = fileTime(dword(core, "StartTimeHi"), dword(core, "StartTimeLo"))
	r.Status = dword(core, "Status")
	if r.Status != 0 {
		r.StatusText = strings.TrimSpace(windows.Errno(r.Status).Error())
	}
	list, err := registry.OpenKey(registry.LOCAL_MACHINE, key+`\Extension-List`, registry.ENUMERATE_SUB_KEYS)
	if err != nil {
		return r, true, nil
	}
	defer list.Close()
	names, _ := list.ReadSubKeyNames(-1)
	for _, n := range names {
		if n == gpoCoreExtension {
			continue
		}
		k, err := registry.OpenKey(list, n, registry.QUERY_VALUE)
		if err != nil {
			continue
		}
		if s := dword(k, "Status"); s != 0 {
			r.Failed = append(r.Failed, fmt.Sprintf("%s: %d", gpoExtensionName(n), s))
		}
		k.Close()
	}
	return r, true, nil
}

// gpoExtensions names the client-side extensions a technician recognises;
// others are shown by GUID.
var gpoExtensions = map[string]string{
	"{35378EAC-683F-11D2-A89A-00C04FBBCFA2}": "Registry (Administrative Templates)",
	"{827D319E-6EAC-11D2-A4EA-00C04F79F83A}": "Security",
	"{42B5FAAE-6536-11D2-AE5A-0000F87571E3}": "Scripts",
	"{25537BA6-77A8-11D2-9B6C-0000F8080861}": "Folder Redirection",
	"{C6DC5466-785A-11D2-84D0-00C04FB169F7}": "Software Installation",
	"{5794DAFD-BE60-433F-88A2-1A31939AC01F}": "Drive Maps",
	"{B087BE9D-ED37-454F-AF9C-04291E351182}": "Registry (Preferences)",
	"{E437BC1C-AA7D-11D2-A382-00C04F991E27}": "IP Security",
	"{0ACDD40C-75AC-47AB-BAA0-BF6DE7E7FE63}": "Wireless",
	"{AADCED64-746C-4633-A97C-D61349046527}": "Scheduled Tasks",
	"{17D89FEC-5C44-4972-B12D-241CAEF74509}": "Local Users and Groups",
	"{7150F9BF-48AD-4DA4-A49C-29EF4A8369BA}": "Files",
	"{6232C319-91AC-4931-9385-E70C2B099F0E}": "Folders",
	"{BC75B1ED-5833-4858-9BB8-CBF0B166DF9D}": "Printers",
}

func gpoExtensionName(guid string) string {
	if n, ok := gpoExtensions[strings.ToUpper(guid)]; ok {
		return n
	}
	return guid
}
