package fake

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// searchFields are the columns the fake's tables have, per table; a query
// part naming another field is silently ignored, as ServiceNow does (the
// inconvenient part: a misspelt field widens the query instead of failing).
var searchFields = map[string][]string{
	"incident":     {"number", "state", "short_description", "close_code", "close_notes", "resolved_at", "work_notes", "comments", "sys_updated_on"},
	"problem":      {"number", "state", "short_description", "known_error", "workaround", "cause_notes", "fix_notes", "sys_updated_on"},
	"kb_knowledge": {"number", "short_description", "text", "workflow_state", "sys_updated_on"},
}

var searchOps = []string{"STARTSWITH", "LIKE", "!=", "IN", "="}

// cond is one parsed condition; an OR group holds several.
type cond struct{ field, op, value string }

// search answers an encoded query on a table: conditions joined by ^ (AND)
// and ^OR (binding tighter), ORDERBY/ORDERBYDESC, sysparm_limit and
// sysparm_fields.
func (s *ServiceNow) search(w http.ResponseWriter, r *http.Request, table, query string) {
	if s.SearchDelay > 0 {
		select {
		case <-time.After(s.SearchDelay):
		case <-r.Context().Done():
			return
		}
	}
	known := append(slices.Clone(searchFields[table]), s.CustomFields...)
	var groups [][]cond
	order, desc := "", false
	for _, part := range strings.Split(query, "^") {
		switch {
		case strings.HasPrefix(part, "ORDERBYDESC"):
			order, desc = strings.TrimPrefix(part, "ORDERBYDESC"), true
			continue
		case strings.HasPrefix(part, "ORDERBY"):
			order = strings.TrimPrefix(part, "ORDERBY")
			continue
		}
		or := strings.HasPrefix(part, "OR") && len(groups) > 0
		c, ok := parseCond(strings.TrimPrefix(part, "OR"))
		if !or {
			c, ok = parseCond(part)
		}
		if !ok || !slices.Contains(known, c.field) {
			continue // ignored, silently
		}
		if or {
			groups[len(groups)-1] = append(groups[len(groups)-1], c)
		} else {
			groups = append(groups, []cond{c})
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var hits []*Record
	for _, rec := range s.records {
		if rec.Table != table {
			continue
		}
		all := true
		for _, g := range groups {
			if !slices.ContainsFunc(g, func(c cond) bool { return c.holds(rec) }) {
				all = false
				break
			}
		}
		if all {
			hits = append(hits, rec)
		}
	}
	sort.Slice(hits, func(a, b int) bool {
		va, vb := hits[a].value(order), hits[b].value(order)
		if va != vb {
			return (va > vb) == desc
		}
		return hits[a].Number < hits[b].Number
	})
	if n, err := strconv.Atoi(r.URL.Query().Get("sysparm_limit")); err == nil && n < len(hits) {
		hits = hits[:n]
	}
	res := []map[string]string{}
	fields := strings.Split(r.URL.Query().Get("sysparm_fields"), ",")
	for _, rec := range hits {
		row := map[string]string{}
		for _, f := range fields {
			if f = strings.TrimSpace(f); f != "" && f != "work_notes" && f != "comments" {
				row[f] = rec.value(f)
			}
		}
		res = append(res, row)
	}
	jsonReply(w, 200, map[string]any{"result": res})
}

func parseCond(part string) (cond, bool) {
	i := strings.IndexFunc(part, func(r rune) bool { return !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
	if i <= 0 {
		return cond{}, false
	}
	for _, op := range searchOps {
		if strings.HasPrefix(part[i:], op) {
			return cond{part[:i], op, part[i+len(op):]}, true
		}
	}
	return cond{}, false
}

// value is a field of the record as the Table API stores it.
func (rec *Record) value(f string) string {
	switch f {
	case "number":
		return rec.Number
	case "sys_id":
		return rec.SysID
	case "work_notes":
		return strings.Join(rec.WorkNotes, "\n")
	case "comments":
		return strings.Join(rec.Comments, "\n")
	}
	return rec.Fields[f]
}

func (c cond) holds(rec *Record) bool {
	v := rec.value(c.field)
	switch c.op {
	case "LIKE":
		return strings.Contains(strings.ToLower(v), strings.ToLower(c.value))
	case "STARTSWITH":
		return strings.HasPrefix(strings.ToLower(v), strings.ToLower(c.value))
	case "IN":
		return slices.Contains(strings.Split(c.value, ","), v)
	case "!=":
		return v != c.value
	}
	return v == c.value
}

// AddSolved stores a record for searches with its fields.
func (s *ServiceNow) AddSolved(table, number string, fields map[string]string, workNotes ...string) *Record {
	rec := s.AddRecord(table, number)
	s.mu.Lock()
	defer s.mu.Unlock()
	rec.Fields, rec.WorkNotes = fields, workNotes
	return rec
}

// hasColumn reports whether the table has the field (as the fake models it).
func (s *ServiceNow) hasColumn(table, field string) bool {
	return slices.Contains(searchFields[table], field) || slices.Contains(s.CustomFields, field)
}
