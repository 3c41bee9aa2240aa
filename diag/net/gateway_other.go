//go:build !linux && !windows && !darwin

package netcheck

import (
	"fmt"
	"runtime"
)

func routeSource(string) string { return "" }

func defaultRoutes() ([]defaultRoute, map[string][]byte, error) {
	return nil, nil, fmt.Errorf("reading the routing table is not supported on %s/%s", runtime.GOOS, runtime.GOARCH)
}
