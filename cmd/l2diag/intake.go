package main

import (
	"net"
	"net/url"
	"runtime"
	"strconv"
	"strings"

	"github.com/l2diag/l2diag/report"
	"github.com/spf13/cobra"
)

// intakeOptions are run's flags for what the user reported (the
// non-interactive equivalent of l2diag ask).
type intakeOptions struct {
	Symptom, Since, Scope, Connection, Changed, Note string
}

func addIntakeFlags(cmd *cobra.Command, o *intakeOptions) {
	f := cmd.Flags()
	f.StringVar(&o.Symptom, "symptom", "", "what the user reports: "+choiceCodes(report.Symptoms)+" (runs that symptom's built-in profile unless --profile is given)")
	f.StringVar(&o.Since, "since", "", "since when, in the user's words (e.g. \"this morning\")")
	f.StringVar(&o.Scope, "scope", "", "who is affected: "+choiceCodes(report.Scopes))
	f.StringVar(&o.Connection, "connection", "", "how the machine is connected: "+choiceCodes(report.Connections))
	f.StringVar(&o.Changed, "changed", "", "what changed before it started, in the user's words")
	f.StringVar(&o.Note, "note", "", "anything else 2nd level should know")
	_ = cmd.RegisterFlagCompletionFunc("symptom", choiceCompletion(report.Symptoms))
	_ = cmd.RegisterFlagCompletionFunc("scope", choiceCompletion(report.Scopes))
	_ = cmd.RegisterFlagCompletionFunc("connection", choiceCompletion(report.Connections))
}

func choiceCodes(cs []report.Choice) string {
	codes := make([]string, len(cs))
	for i, c := range cs {
		codes[i] = c.Code
	}
	return strings.Join(codes, ", ")
}

func choiceCompletion(cs []report.Choice) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = c.Code + "\t" + c.Label
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// intake validates the flags and returns the recorded intake (nil when
// none was given).
func (o *intakeOptions) intake() (*report.Intake, error) {
	for _, x := range []struct {
		flag, v string
		cs      []report.Choice
	}{{"--symptom", o.Symptom, report.Symptoms}, {"--scope", o.Scope, report.Scopes}, {"--connection", o.Connection, report.Connections}} {
		if x.v != "" && report.Label(x.cs, x.v) == x.v {
			return nil, usageErrorf("%s: unknown value %q (use one of %s)", x.flag, x.v, choiceCodes(x.cs))
		}
	}
	in := &report.Intake{Symptom: o.Symptom, Since: clip(o.Since), Scope: o.Scope, Connection: o.Connection,
		Changed: clip(o.Changed), Note: clip(o.Note)}
	if in.Empty() {
		return nil, nil
	}
	return in, nil
}

// clip bounds free text: an intake is a few words, not a document.
func clip(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 500 {
		s = string(r[:500]) + "…"
	}
	return s
}

// subjectTargets turns what the user named (a URL, a share, a server, a
// printer) into run targets, by the symptom: an app URL is fetched, its
// name resolved and its port connected to; a share's server is resolved
// and connected to on SMB (445) and, on Windows, the share's path is
// checked; a printer's print ports are tried.
func subjectTargets(symptom, subject string, o *runOptions) error {
	s := strings.TrimSpace(subject)
	if s == "" {
		return nil
	}
	addHost := func(host string) {
		if net.ParseIP(host) == nil {
			o.DNSNames = append(o.DNSNames, host)
		}
	}
	switch {
	case strings.HasPrefix(s, `\\`) || strings.HasPrefix(strings.ToLower(s), "smb://"):
		host := strings.TrimPrefix(strings.TrimPrefix(s, `\\`), "smb://")
		host = strings.FieldsFunc(host, func(r rune) bool { return r == '\\' || r == '/' })[0]
		addHost(host)
		o.TCP = append(o.TCP, net.JoinHostPort(host, "445"))
		if runtime.GOOS == "windows" && strings.HasPrefix(s, `\\`) {
			o.Paths = append(o.Paths, s)
		}
	case strings.Contains(s, "://"):
		u, err := url.Parse(s)
		if err != nil || u.Hostname() == "" {
			return usageErrorf("%q is not a URL, share, server name or address (use e.g. https://erp.example.com/ or \\\\server\\share)", s)
		}
		if u.Scheme == "http" || u.Scheme == "https" {
			o.HTTP = append(o.HTTP, s)
		}
		port := u.Port()
		if port == "" {
			port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
		}
		addHost(u.Hostname())
		if port != "" {
			o.TCP = append(o.TCP, net.JoinHostPort(u.Hostname(), port))
		}
	case strings.HasPrefix(s, "/") || len(s) > 2 && s[1] == ':' && (s[2] == '\\' || s[2] == '/'):
		o.Paths = append(o.Paths, s)
	default:
		host, port, err := net.SplitHostPort(s)
		if err == nil {
			if _, perr := strconv.Atoi(port); perr != nil {
				return usageErrorf("%q: the port is not a number (use e.g. server:8443)", s)
			}
			addHost(host)
			o.TCP = append(o.TCP, s)
			return nil
		}
		if strings.ContainsAny(s, " \t/\\") {
			return usageErrorf("%q is not a URL, share, server name or address (use e.g. https://erp.example.com/, \\\\server\\share or server.example.com)", s)
		}
		addHost(s)
		o.Ping = append(o.Ping, s)
		switch symptom {
		case "printer":
			for _, p := range []string{"9100", "631", "515"} {
				o.TCP = append(o.TCP, net.JoinHostPort(s, p))
			}
		case "file-share":
			o.TCP = append(o.TCP, net.JoinHostPort(s, "445"))
		}
	}
	return nil
}

// intakeProfile is the profile a symptom runs unless --profile names one.
func intakeProfile(symptom, explicit string) string {
	if explicit != "" || symptom == "" {
		return explicit
	}
	return symptom
}
