package triage

// Evidence keys triage reads from findings whose checks declare their
// evidence (diag.FindingSpec.Evidence). Rules read them through these
// names, and evidenceReads says from which codes: TestEvidenceReadsDeclared
// fails when a check does not declare a key triage reads from it (a
// renamed key, or one no check emits, like the "mountpoint" triage once
// tried), and the checks' own tests fail when they emit a key they do not
// declare.
const (
	evAddress = "address"
	evFamily  = "family"
	evLastHop = "last_hop"
	evNote    = "note"
	evPathMTU = "path_mtu"
	evName    = "name"
	evAnswers = "answers"
	evServer  = "server"
	evDomain  = "domain"
	// dns.server-slow
	evRTTms       = "rtt_ms"
	evThresholdMS = "threshold_ms"
	evTries       = "tries"
	// dns.search-shadowed
	evAnsweredBy = "answered_by"
	evAddrs      = "addrs"
	evAlso       = "also"
	evAlsoAddrs  = "also_addrs"
)

// evidenceReads lists, per finding code, the declared keys triage reads.
var evidenceReads = map[string][]string{
	codeTCPOpen:           {evAddress, evFamily},
	codeTCPRefused:        {evAddress},
	codeTCPFiltered:       {evAddress, evFamily},
	codeTCPUnreachable:    {evAddress, evFamily},
	codeTraceStops:        {evLastHop, evNote},
	codeMTUBlackhole:      {evAddress, evPathMTU},
	codeDNSDisagree:       {evName, evAnswers},
	codeDNSServfail:       {evServer, evName},
	codeDNSTimeout:        {evServer, evName},
	codeDNSQueryRefused:   {evServer, evName},
	codeDNSNXDomain:       {evServer, evName},
	codeOrgDCNotFound:     {evDomain},
	codeDNSServerSlow:     {evRTTms, evThresholdMS, evTries},
	codeDNSSearchShadowed: {evName, evAnsweredBy, evAddrs, evAlso, evAlsoAddrs},
	codeOrgSRVPartial:     {evDomain},
}
