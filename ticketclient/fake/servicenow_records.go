package fake

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// lookup answers a Table API query by number. On task (the parent of
// incident, sc_req_item, sc_task, change_request and the custom task
// tables) it finds a record of any of them, and sys_class_name names the
// record's own table; on another table only that table's records.
func (s *ServiceNow) lookup(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	table := strings.TrimPrefix(r.URL.Path, "/api/now/table/")
	query := q.Get("sysparm_query")
	res := []map[string]string{}
	s.mu.Lock()
	defer s.mu.Unlock()
	if query == "" {
		// A listing without a query: any one record of the table.
		for _, rec := range s.records {
			if rec.Table == table || table == "task" {
				res = append(res, s.recordFields(rec, q))
				break
			}
		}
		jsonReply(w, 200, map[string]any{"result": res})
		return
	}
	if !strings.HasPrefix(query, "number=") {
		s.mu.Unlock()
		s.search(w, r, table, query)
		s.mu.Lock()
		return
	}
	num, ok := strings.CutPrefix(query, "number=")
	if !ok || strings.Contains(num, "^") {
		s.t.Errorf("fake servicenow: lookup query %q (want number=NUMBER)", query)
	}
	if rec := s.records[num]; rec != nil && (rec.Table == table || table == "task") {
		res = append(res, s.recordFields(rec, q))
	}
	jsonReply(w, 200, map[string]any{"result": res})
}

// readRecord answers GET /api/now/table/{table}/{sys_id}: 404 when the
// record is not in that table.
func (s *ServiceNow) readRecord(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(r.URL.Path, "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.bySysID(parts[4], parts[5])
	if rec == nil {
		snError(w, http.StatusNotFound, "No Record found", "Record doesn't exist or ACL restricts the record retrieval")
		return
	}
	jsonReply(w, 200, map[string]any{"result": s.recordFields(rec, r.URL.Query())})
}

// recordFields is a record as the Table API returns it, honouring
// sysparm_fields and sysparm_display_value. Journal fields (work_notes,
// comments) read as "" unless display values are asked for; then they
// hold the whole journal, newest entry first, each under a header line
// "DATE TIME - NAME (Work notes)", as the form shows it.
func (s *ServiceNow) recordFields(rec *Record, q url.Values) map[string]string {
	display := q.Get("sysparm_display_value") == "true" || q.Get("sysparm_display_value") == "all"
	journal := func(label string, entries []string) string {
		if !display {
			return ""
		}
		var b strings.Builder
		for i := len(entries) - 1; i >= 0; i-- {
			fmt.Fprintf(&b, "2025-01-01 10:%02d:00 - l2diag Integration (%s)\n%s\n\n", i%60, label, entries[i])
		}
		return b.String()
	}
	row := map[string]string{
		"sys_id": rec.SysID, "number": rec.Number, "short_description": "Printer share unreachable",
		"sys_class_name": rec.Table,
		"work_notes":     journal("Work notes", rec.WorkNotes),
		"comments":       journal("Additional comments", rec.Comments),
	}
	for k, v := range rec.Fields {
		if _, set := row[k]; !set {
			row[k] = v
		}
	}
	for _, k := range s.CustomFields {
		if _, set := row[k]; !set {
			row[k] = ""
		}
	}
	if f := q.Get("sysparm_fields"); f != "" {
		want := map[string]bool{}
		for _, k := range strings.Split(f, ",") {
			want[strings.TrimSpace(k)] = true
		}
		for k := range row {
			if !want[k] {
				delete(row, k)
			}
		}
	}
	return row
}
