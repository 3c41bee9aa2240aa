package ticketclient

import (
	"regexp"
	"strings"
)

// JiraKeyForm is the accepted form of a Jira issue key, for messages.
const JiraKeyForm = "PROJECT-NUMBER, e.g. SUP-123 (project: a letter, then up to 9 letters, digits or _)"

// ServiceNowKeyForm is the accepted form of a ServiceNow number.
const ServiceNowKeyForm = "a prefix of 2 to 10 letters and 4 to 15 digits, e.g. INC0010001, RITM0010002, INC12345678 or a custom prefix such as HRC0001234"

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

// snNumberRE is a record number: instances choose their prefixes and
// number lengths (7 digits by default, more once they run out).
var snNumberRE = regexp.MustCompile(`^([A-Z]{2,10})([0-9]{4,15})$`)

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
// the table its prefix suggests: tables (the config) first, then
// ServiceNowTables; "" for a prefix neither knows (the record is then
// looked up on task, whose sys_class_name names its table).
func ParseServiceNowNumber(system, number string, tables map[string]string) (num, table string, err error) {
	n := strings.ToUpper(strings.TrimSpace(number))
	m := snNumberRE.FindStringSubmatch(n)
	if m == nil {
		return "", "", Errorf(KindConfig, system, "ticket number", "use "+ServiceNowKeyForm,
			"%q is not a ServiceNow number", number)
	}
	if t, ok := tables[m[1]]; ok {
		return n, t, nil
	}
	return n, ServiceNowTables[m[1]], nil
}

// LooksLikeServiceNow reports whether key has a ServiceNow number's shape,
// for choosing the system when none is configured.
func LooksLikeServiceNow(key string) bool {
	_, _, err := ParseServiceNowNumber("", key, nil)
	return err == nil
}
