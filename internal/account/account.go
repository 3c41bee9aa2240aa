// Package account says which account this process runs as and whether
// that is one of Windows' service accounts (SYSTEM, LocalService,
// NetworkService): Intune, SCCM and RMM agents run scripts that way, and
// then some checks describe that account, not the user at the desk.
package account

// Account is the account this process runs as.
type Account struct {
	// Name is the account as the OS names it (DOMAIN\user on Windows).
	Name string
	// Service names the Windows service account ("SYSTEM",
	// "LocalService", "NetworkService"); empty for any other account and
	// on other systems.
	Service string
}
