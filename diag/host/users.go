package hostcheck

// sessionUser is one logged-in user as the platform lists it.
type sessionUser struct {
	User     string
	Terminal string // tty, or the Windows station ("Console", "RDP-Tcp#0")
	Host     string
	Started  int64 // Unix seconds; 0 when the platform does not say
	// Console is true for the session at the physical console (Windows:
	// WTSGetActiveConsoleSessionId): the interactive user a technician
	// talks to.
	Console bool
	State   string // Windows: active, disconnected
}
