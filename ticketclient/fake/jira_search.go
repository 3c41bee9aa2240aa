package fake

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// jqlClause is one condition of the JQL subset the fake understands:
// labels = "x", labels in ("x", "y"), statusCategory = Done.
var (
	jqlLabelEq = regexp.MustCompile(`^labels\s*=\s*"([^"]+)"$`)
	jqlLabelIn = regexp.MustCompile(`^labels\s+in\s*\(([^)]*)\)$`)
	jqlDone    = regexp.MustCompile(`^statusCategory\s*=\s*"?Done"?$`)
	jqlOrder   = regexp.MustCompile(`(?i)\s+ORDER\s+BY\s+(\w+)(\s+(ASC|DESC))?$`)
)

// jql parses the query into a filter and a sort. A clause it does not know
// is a 400 with Jira's message, never silently ignored (Jira does not
// ignore it either).
func parseJQL(q string) (func(*Issue) bool, string, bool, string) {
	order, desc := "", false
	if m := jqlOrder.FindStringSubmatch(q); m != nil {
		order, desc = m[1], strings.EqualFold(m[3], "DESC")
		q = q[:len(q)-len(m[0])]
	}
	var labels [][]string
	done := false
	for _, cl := range regexp.MustCompile(`\s+AND\s+`).Split(strings.TrimSpace(q), -1) {
		cl = strings.TrimSpace(cl)
		switch {
		case jqlLabelEq.MatchString(cl):
			labels = append(labels, []string{jqlLabelEq.FindStringSubmatch(cl)[1]})
		case jqlLabelIn.MatchString(cl):
			var set []string
			for _, v := range strings.Split(jqlLabelIn.FindStringSubmatch(cl)[1], ",") {
				set = append(set, strings.Trim(strings.TrimSpace(v), `"`))
			}
			labels = append(labels, set)
		case jqlDone.MatchString(cl):
			done = true
		default:
			return nil, "", false, "Error in the JQL Query: the clause '" + cl + "' is not understood."
		}
	}
	return func(is *Issue) bool {
		if done && !is.Done {
			return false
		}
		for _, set := range labels {
			if !slices.ContainsFunc(is.Labels, func(l string) bool {
				return slices.ContainsFunc(set, func(w string) bool { return strings.EqualFold(l, w) })
			}) {
				return false
			}
		}
		return true
	}, order, desc, ""
}

// search answers GET /search/jql (Cloud) and /search (Data Center).
func (j *Jira) search(w http.ResponseWriter, r *http.Request) {
	if j.NoSearchScope {
		jsonReply(w, http.StatusUnauthorized, map[string]any{"code": 401, "message": "Unauthorized; scope does not match"})
		return
	}
	if j.SearchDelay > 0 {
		select {
		case <-time.After(j.SearchDelay):
		case <-r.Context().Done():
			return
		}
	}
	q := r.URL.Query()
	match, order, desc, msg := parseJQL(q.Get("jql"))
	if msg != "" {
		jiraError(w, http.StatusBadRequest, msg)
		return
	}
	if order != "" && order != "resolutiondate" && order != "created" {
		jiraError(w, http.StatusBadRequest, "Error in the JQL Query: Field '"+order+"' does not exist or you do not have permission to view it.")
		return
	}
	limit := 50
	if v, err := strconv.Atoi(q.Get("maxResults")); err == nil && v > 0 {
		limit = v
	}
	fields := map[string]bool{}
	for _, f := range strings.Split(q.Get("fields"), ",") {
		fields[strings.TrimSpace(f)] = true
	}
	j.mu.Lock()
	var hits []*Issue
	for _, is := range j.issues {
		if !is.Hidden && match(is) {
			hits = append(hits, is)
		}
	}
	sort.Slice(hits, func(a, b int) bool {
		if order == "resolutiondate" && !hits[a].ResolutionDate.Equal(hits[b].ResolutionDate) {
			return hits[a].ResolutionDate.After(hits[b].ResolutionDate) == desc
		}
		return hits[a].Key < hits[b].Key
	})
	issues := []map[string]any{}
	for _, is := range hits[:min(limit, len(hits))] {
		f := map[string]any{}
		if fields["summary"] {
			f["summary"] = is.Summary
		}
		if fields["resolution"] {
			if is.Resolution != "" {
				f["resolution"] = map[string]string{"name": is.Resolution}
			} else {
				f["resolution"] = nil
			}
		}
		if fields["resolutiondate"] && !is.ResolutionDate.IsZero() {
			f["resolutiondate"] = is.ResolutionDate.UTC().Format("2006-01-02T15:04:05.000-0700")
		}
		if fields["comment"] {
			var cs []map[string]any
			for i, body := range is.Comments {
				cs = append(cs, map[string]any{"id": is.CommentIDs[i], "body": json.RawMessage(body)})
			}
			f["comment"] = map[string]any{"comments": cs, "total": len(cs), "maxResults": len(cs), "startAt": 0}
		}
		issues = append(issues, map[string]any{"id": is.ID, "key": is.Key, "fields": f})
	}
	j.mu.Unlock()
	if j.Cloud {
		jsonReply(w, 200, map[string]any{"issues": issues, "isLast": true})
		return
	}
	jsonReply(w, 200, map[string]any{"startAt": 0, "maxResults": limit, "total": len(hits), "issues": issues})
}

// edit answers PUT /issue/{key}: only update.labels add/remove, as l2diag
// sends it; 204 on success.
func (j *Jira) edit(w http.ResponseWriter, key string, body []byte) {
	var req struct {
		Update map[string][]map[string]string `json:"update"`
		Fields map[string]any                 `json:"fields"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		jiraError(w, http.StatusBadRequest, "Unexpected character: "+err.Error())
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	is := j.issues[key]
	switch {
	case is == nil || is.Hidden:
		jiraError(w, http.StatusNotFound, "Issue does not exist or you do not have permission to see it.")
		return
	case j.NoEditPermission:
		jiraError(w, http.StatusForbidden, "You do not have permission to edit issues in this project.")
		return
	case len(req.Fields) > 0 || len(req.Update) != 1 || req.Update["labels"] == nil:
		j.t.Errorf("fake jira: edit of %s changes more than labels: %s", key, body)
		jiraError(w, http.StatusBadRequest, "unexpected edit")
		return
	case j.LabelsNotOnScreen:
		jsonReply(w, http.StatusBadRequest, map[string]any{"errorMessages": []string{},
			"errors": map[string]string{"labels": "Field 'labels' cannot be set. It is not on the appropriate screen, or unknown."}})
		return
	}
	for _, op := range req.Update["labels"] {
		if l, ok := op["add"]; ok {
			if strings.ContainsAny(l, " \t") {
				jsonReply(w, http.StatusBadRequest, map[string]any{"errorMessages": []string{},
					"errors": map[string]string{"labels": "The label '" + l + "' contains spaces which is invalid."}})
				return
			}
			if !slices.Contains(is.Labels, l) {
				is.Labels = append(is.Labels, l)
			}
		}
		if l, ok := op["remove"]; ok {
			is.Labels = slices.DeleteFunc(is.Labels, func(x string) bool { return x == l })
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// AddSolvedIssue stores a resolved issue with labels and a last comment
// (wiki text, or ADF text on Cloud), for searches.
func (j *Jira) AddSolvedIssue(key, summary, resolution string, resolved time.Time, labels []string, fix string) *Issue {
	is := j.AddIssue(key)
	j.mu.Lock()
	defer j.mu.Unlock()
	is.Summary, is.Resolution, is.ResolutionDate, is.Labels, is.Done = summary, resolution, resolved, labels, true
	if fix != "" {
		var body json.RawMessage
		if j.Cloud {
			body = mustJSON(map[string]any{"type": "doc", "version": 1, "content": []any{
				map[string]any{"type": "paragraph", "content": []any{map[string]any{"type": "text", "text": fix}}}}})
		} else {
			body = mustJSON(fix)
		}
		j.nextID++
		is.Comments = append(is.Comments, body)
		is.CommentIDs = append(is.CommentIDs, strconv.Itoa(j.nextID))
		is.CommentPublic = append(is.CommentPublic, false)
	}
	return is
}
