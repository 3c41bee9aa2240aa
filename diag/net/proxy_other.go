//go:build !windows

package netcheck

import "context"

// osProxies reads OS-level proxy settings beyond the environment; on this
// platform the environment is what command-line programs honour.
func osProxies(context.Context) (ok, invalid []proxySetting, noProxy string) {
	return nil, nil, ""
}
