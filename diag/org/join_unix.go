//go:build !windows

package orgcheck

import "context"

// osMembership reads the Unix configuration files; macOS's own AD binding
// (dsconfigad) is not read, its Kerberos configuration is.
func osMembership(context.Context) (membership, error) {
	return readUnixMembership(defaultUnixPaths), nil
}

var defaultUnixPaths = unixPaths{
	SSSD:   "/etc/sssd/sssd.conf",
	Krb5:   "/etc/krb5.conf",
	Keytab: "/etc/krb5.keytab",
	SMB:    "/etc/samba/smb.conf",
}
