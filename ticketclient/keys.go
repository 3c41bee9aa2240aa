package ticketclient

import (
	"regexp"
	"strings"
)

// JiraKeyForm is the accepted form of a Jira issue key, for messages.
const JiraKeyForm = "PROJECT-NUMBER, e.g. SUP-123 (project: a letter, then up to 9 letters, digits or _)"

// ServiceNowKeyForm is the accepted form of a ServiceNow number.
const ServiceNowKeyForm = "PREFIX + 7 digits, e.g. INC0010001 (prefixes INC, RITM, REQ, SCTASK, CHG, CTASK, PRB)"

// jiraKeyRE is the tolerant issue-key pattern of ticket-apis.md (Data
// Center admins can widen the project pattern; _ is seen in the wild).
var jiraKeyRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,9}-[1-9][0-9]*$`)

// ServiceNowTables maps the default number prefixes to their tables.
// Instances can change prefixes; servicenow.tables in the config overrides.
var ServiceNowTables = map[string]string{
	"INC":    "incident",
	"RITM":   "sc_req_item",
	"REQ":    "sc_request",
	"SCTASK": "sc_task",
	"CHG":    "change_request",
	"CTASK":  "change_task",
	"PRB":    "problem",
}

var snNumberRE = regexp.MustCompile(`^([A-Z]{2,8})([0-9]{7,})$`)

// ParseJiraKey upper-cases and validates a Jira issue key.
func ParseJiraKey(system, key string) (string, error) {
	k := strings.ToUpper(strings.TrimSpace(key))
	if !jiraKeyRE.MatchString(k) {
		return "", Errorf(KindConfig, system, "ticket key", "use "+JiraKeyForm,
			"%q is not a Jira issue key", key)
	}
	return k, nil
}

// ParseServiceNowNumber validates a ServiceNow number and returns it with
// its table. tables overrides or extends ServiceNowTables; a number must
// have exactly 7 digits unless the instance's prefix table says otherwise.
func ParseServiceNowNumber(system, number string, tables map[string]string) (num, table string, err error) {
	n := strings.ToUpper(strings.TrimSpace(number))
	m := snNumberRE.FindStringSubmatch(n)
	bad := func() (string, string, error) {
		return "", "", Errorf(KindConfig, system, "ticket number", "use "+ServiceNowKeyForm,
			"%q is not a ServiceNow number", number)
	}
	if m == nil || len(m[2]) != 7 {
		return bad()
	}
	if t, ok := tables[m[1]]; ok {
		return n, t, nil
	}
	if t, ok := ServiceNowTables[m[1]]; ok {
		return n, t, nil
	}
	return bad()
}

// LooksLikeServiceNow reports whether key has a ServiceNow number's shape,
// for choosing the system when none is configured.
func LooksLikeServiceNow(key string) bool {
	_, _, err := ParseServiceNowNumber("", key, nil)
	return err == nil
}
