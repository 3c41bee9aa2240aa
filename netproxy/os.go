package netproxy

// OSSettings are the operating system's proxy settings.
type OSSettings struct {
	// User is the interactive user's WinINET settings (Internet
	// Options; what Edge, Chrome and most desktop programs use).
	User *Settings
	// Machine is the machine's WinHTTP settings (netsh winhttp), used by
	// services and programs running as SYSTEM.
	Machine *Settings
	// Applies is the one this process would use: "wininet" or "winhttp".
	Applies string
	// Why says why Applies was chosen.
	Why string
	// Errors are settings that could not be read.
	Errors []string
}

// Effective returns the settings that apply (nil when none).
func (o OSSettings) Effective() *Settings {
	if o.Applies == "winhttp" {
		return o.Machine
	}
	return o.User
}
