package jira

import (
	"strconv"
	"strings"

	"github.com/l2diag/l2diag/ticketclient"
)

// node is one ADF node. Only the node types ticket-apis.md lists are used,
// and text nodes are never empty (the ADF schema rejects them).
type node = map[string]any

func text(s string, marks ...string) node {
	n := node{"type": "text", "text": s}
	if len(marks) > 0 {
		var ms []node
		for _, m := range marks {
			ms = append(ms, node{"type": m})
		}
		n["marks"] = ms
	}
	return n
}

// paragraph drops empty text nodes; an all-empty paragraph has no content.
func paragraph(parts ...node) node {
	var content []node
	for _, p := range parts {
		if s, _ := p["text"].(string); p["type"] == "text" && s == "" {
			continue
		}
		content = append(content, p)
	}
	n := node{"type": "paragraph"}
	if len(content) > 0 {
		n["content"] = content
	}
	return n
}

// ADF renders the note as an Atlassian Document Format document (Cloud v3).
func ADF(n *ticketclient.Note) node {
	var content []node
	if t := strings.TrimSpace(n.Text); t != "" {
		for _, para := range strings.Split(t, "\n\n") {
			if para = strings.TrimSpace(para); para != "" {
				content = append(content, paragraph(text(para)))
			}
		}
	}
	if n.Title != "" {
		content = append(content, node{"type": "heading", "attrs": node{"level": 3}, "content": []node{text(n.Title)}})
	}
	if n.TellUser != "" {
		content = append(content, paragraph(text("What to tell the user: ", "strong"), text(n.TellUser)))
	}
	if n.Summary != "" {
		content = append(content, paragraph(text(n.Summary)))
	}
	if len(n.Problems) > 0 {
		var items []node
		for _, p := range n.Problems {
			item := []node{paragraph(text(strings.ToUpper(p.Status), "strong"), text(" "+p.Label+": "+orDash(p.Message)))}
			if p.Hint != "" {
				item = append(item, paragraph(text("hint: ", "em"), text(p.Hint)))
			}
			if p.Seen != "" {
				item = append(item, paragraph(text("seen: ", "em"), text(p.Seen)))
			}
			for _, k := range p.Known {
				item = append(item, paragraph(text("Known fix: ", "strong"), text(k)))
			}
			for _, sv := range p.Solved {
				item = append(item, paragraph(text("Solved before: ", "em"), text(sv)))
			}
			items = append(items, node{"type": "listItem", "content": item})
		}
		if n.More > 0 {
			items = append(items, node{"type": "listItem", "content": []node{paragraph(text("… and " + strconv.Itoa(n.More) + " more in the bundle"))}})
		}
		content = append(content, node{"type": "bulletList", "content": items})
	} else if n.Status != "" {
		content = append(content, paragraph(text("No problems found.")))
	}
	if len(n.Handoff) > 0 {
		content = append(content, node{"type": "heading", "attrs": node{"level": 4}, "content": []node{text("Hand-off")}})
		var items []node
		for _, l := range n.Handoff {
			items = append(items, node{"type": "listItem", "content": []node{paragraph(text(l))}})
		}
		content = append(content, node{"type": "bulletList", "content": items})
	}
	if n.BundleName != "" {
		content = append(content,
			paragraph(text("Bundle: "), text(n.BundleName, "code"), text(" ("+ticketclient.HumanBytes(n.BundleSize)+")")),
			paragraph(text("SHA-256: "), text(n.BundleSHA256, "code")))
	}
	if ref := n.RefLine(); ref != "" {
		content = append(content, paragraph(text(ref)))
	}
	return node{"type": "doc", "version": 1, "content": content}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
