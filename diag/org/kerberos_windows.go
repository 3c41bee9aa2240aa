package orgcheck

// ccacheLocation on Windows: the tickets are in LSA, not a file; reading
// them (LsaCallAuthenticationPackage, KerbQueryTicketCacheMessage) is not
// built, so the check says so instead of guessing.
func ccacheLocation() (kind, path string) { return "LSA", "logon session" }
