//go:build !windows

package netproxy

// ReadOS reads the OS's proxy settings beyond the environment; on this
// platform the environment is what command-line programs honour.
func ReadOS() OSSettings { return OSSettings{} }
