package bundle

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/internal/sample"
	"github.com/l2diag/l2diag/report/redact"
)

// TestRedactedBundleHasNoIdentity writes a redacted bundle full of the
// machine's identifiers and asserts none survives anywhere in the zip,
// while the mapping beside it translates back.
func TestRedactedBundleHasNoIdentity(t *testing.T) {
	in := sampleInput()
	in.Artifacts = append(in.Artifacts,
		report.Artifact{Name: "net/ip-addr", Command: "ip addr", ExitCode: sample.ExitCode(0), Data: []byte("2: eth0: <UP>\n    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n    inet 10.20.30.40/24 brd 10.20.30.255\n    inet6 fd00:1234::40/64\n")},
		report.Artifact{Name: "host/hostname", Source: "/etc/hostname", Data: []byte("ws042\n")},
		report.Artifact{Name: "host/product_serial", Source: "/sys/class/dmi/id/product_serial", Data: []byte("PF2ABC12\n")},
		report.Artifact{Name: "perm/home-alice", Command: "ls -l /home/alice", Data: []byte("-rw------- 1 alice alice 12 notes.txt\n")},
	)
	in.Log = []byte("user=alice host=ws042.corp.example.com addr=10.20.30.40 mail=alice@corp.example.com\n")
	in.Report.Results[0].SetDetail("mac", "52:54:00:12:34:56")
	in.Report.Results[0].SetDetail("serial_number", "PF2ABC12")
	path, info := writeSample(t, in, Options{Redact: true, Identity: testIdentity()})
	if info.MapPath == "" || !strings.HasSuffix(info.MapPath, ".redaction-map.json") {
		t.Fatalf("MapPath = %q", info.MapPath)
	}
	assertAbsent(t, path, []string{"ws042", "corp.example.com", "alice", "10.20.30.40", "fd00:1234::40", "52:54:00:12:34:56", "PF2ABC12"})
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !b.Manifest.Redacted {
		t.Error("manifest does not say redacted")
	}
	for _, f := range b.Files() {
		if strings.Contains(f, "redaction") {
			t.Errorf("the mapping is inside the bundle: %s", f)
		}
	}
	data, err := os.ReadFile(info.MapPath)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(info.MapPath)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("map mode %o, want 600", st.Mode().Perm())
	}
	var m struct {
		Mappings map[string]map[string]string `json:"mappings"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	pseudo := m.Mappings["ipv4"]["10.20.30.40"]
	if pseudo == "" {
		t.Fatalf("mapping has no 10.20.30.40: %s", data)
	}
	raw, _ := b.ReadFile("raw/net/ip-addr")
	if !strings.Contains(string(raw), pseudo) {
		t.Errorf("raw/net/ip-addr does not use the mapped pseudonym %s:\n%s", pseudo, raw)
	}
	if u := m.Mappings["usernames"]["alice"]; u == "" {
		t.Errorf("mapping has no alice: %s", data)
	}
}

// TestNoSecretReachesTheBundle seeds every place a secret can hide (report
// strings, details, evidence, raw files, the log, the command line, facts)
// and asserts none of the values is anywhere in the zip.
func TestNoSecretReachesTheBundle(t *testing.T) {
	in := sampleInput()
	rep := in.Report
	rep.Results[0].Summary = "proxy http://bob:" + sample.FakeURLPass + "@proxy:3128 used"
	rep.Results[1].SetDetail("env", map[string]any{"JIRA_TOKEN": sample.FakeJiraToken, "list": []any{"Authorization: Bearer " + sample.FakeBearer}})
	rep.Results[2].Findings = append(rep.Results[2].Findings, report.Finding{Code: "x.y", Status: report.StatusWarn, Message: "jwt " + sample.FakeJWT, Evidence: map[string]any{"password": sample.FakeDBPass}})
	rep.Conclusions[0].NextStep = "token " + sample.FakeGitHub
	in.Artifacts = append(in.Artifacts,
		report.Artifact{Name: "env.txt", Command: "env", ExitCode: sample.ExitCode(0), Data: []byte("HOME=/root\nMY_APP_SECRET=" + sample.FakeEnvSecret + "\napiKey=fakeApiKeyValue77\n")},
		report.Artifact{Name: "ssh/id_rsa", Source: "/root/.ssh/id_rsa", Data: []byte("-----BEGIN RSA PRIVATE KEY-----\n" + sample.FakeKeyBody + "\n-----END RSA PRIVATE KEY-----\n")},
		report.Artifact{Name: "app.yaml", Data: []byte("db:\n  password: \"" + sample.FakeDBPass + "\"\n")},
	)
	in.Log = []byte("level=DEBUG msg=request url=https://svc:" + sample.FakeURLPass + "@jira.example.com/ auth=\"Bearer " + sample.FakeBearer + "\"\n")
	in.CommandLine = []string{"l2diag", "run", "--http", "https://u:" + sample.FakeURLPass + "@h/"}
	in.Facts["proxy"] = "http://bob:" + sample.FakeURLPass + "@proxy:3128"
	env := []string{"JIRA_API_TOKEN=" + sample.FakeJiraToken, "MY_APP_SECRET=" + sample.FakeEnvSecret}
	var secrets []string
	for _, kv := range env {
		_, v, _ := strings.Cut(kv, "=")
		secrets = append(secrets, v)
	}
	path, _ := writeSample(t, in, Options{Secrets: secrets})
	assertAbsent(t, path, sample.AllFakeSecrets)
}

// assertAbsent fails when any of values occurs in any file of the zip.
func assertAbsent(t *testing.T, path string, values []string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		for _, v := range values {
			if strings.Contains(strings.ToLower(string(data)), strings.ToLower(v)) {
				t.Errorf("%s contains %q", f.Name, v)
			}
		}
	}
}

// TestRescanBlocks proves the re-scan stops a bundle in which a secret
// survived: a literal that only the re-scan knows.
func TestRescanBlocks(t *testing.T) {
	in := sampleInput()
	in.Artifacts = append(in.Artifacts, report.Artifact{Name: "odd.txt", Data: []byte("line one\nvalue " + sample.FakeEnvSecret + "\n")})
	dir := t.TempDir()
	dst := filepath.Join(dir, "b.zip")
	// Write with a scrubber that does not know the literal, re-scan with
	// options that do.
	f, err := createTemp(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cw := &countWriter{w: f}
	if _, _, err := writeBundle(cw, in, Options{}, redact.NewScrubber(nil, nil), false); err != nil {
		t.Fatal(err)
	}
	err = rescanBundle(f, cw.n, Options{Secrets: []string{sample.FakeEnvSecret}}, nil)
	var leak *LeakError
	if !errors.As(err, &leak) || !errors.Is(err, ErrBundleBlocked) {
		t.Fatalf("rescan = %v, want a LeakError", err)
	}
	if leak.File != "raw/odd.txt" || leak.Line != 2 || leak.Class != redact.ClassKnownSecret {
		t.Errorf("leak = %+v, want raw/odd.txt line 2 %s", leak, redact.ClassKnownSecret)
	}
	if strings.Contains(err.Error(), sample.FakeEnvSecret) {
		t.Errorf("the error shows the secret: %v", err)
	}
	_ = dst
}

// TestWriteFactsFormat: the streamed facts file reads exactly as the
// encoder wrote it before (indented by two, keys sorted, no HTML escapes).
func TestWriteFactsFormat(t *testing.T) {
	facts := map[string]any{
		"dns_servers": []string{"10.20.0.53:53"},
		"proxy":       "",
		"nested":      map[string]any{"b": []any{1, "<x>", map[string]any{}}, "a": []any{}},
		"zero":        map[string]any{},
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(facts); err != nil {
		t.Fatal(err)
	}
	for _, in := range []map[string]any{facts, {}} {
		var got bytes.Buffer
		if err := writeFacts(&got, in, redact.NewScrubber(nil, nil)); err != nil {
			t.Fatal(err)
		}
		w := want.String()
		if len(in) == 0 {
			w = "{}\n"
		}
		if got.String() != w {
			t.Errorf("got\n%s\nwant\n%s", got.String(), w)
		}
	}
}

// testIdentity is the identity of the machine sample.Report ran on.
func testIdentity() redact.Identity {
	return redact.Identity{
		Hostnames: []string{"ws042.corp.example.com"},
		Domains:   []string{"corp.example.com"},
		Usernames: []string{"alice", "root"},
		Addrs:     []string{"10.20.30.40", "fd00:1234::40"},
		MACs:      []string{"52:54:00:12:34:56"},
	}
}

// TestRedactedJSONArtifactAfterEscapes: a raw file that is JSON as Go
// writes it (a watch snapshot: "<" as \u003c, line breaks as \n) is
// redacted line by line; a name, address or MAC right after an escape is
// replaced like any other, and the file stays valid JSON. Before, the
// escape's letters made "\nws042" and "\u003c10.20.30.40" look like parts
// of longer words, so they went out, and "\u003calice@…" lost its escape.
func TestRedactedJSONArtifactAfterEscapes(t *testing.T) {
	in := sampleInput()
	snap, err := json.Marshal(map[string]string{
		"out":  "line\nws042 up\n10.20.30.40\n52:54:00:12:34:56",
		"from": "Alice <alice@corp.example.com> on <ws042.corp.example.com> at <10.20.30.40>",
	})
	if err != nil {
		t.Fatal(err)
	}
	in.Artifacts = append(in.Artifacts, report.Artifact{Name: "watch/snapshot-1.json", Data: append(snap, '\n')})
	path, _ := writeSample(t, in, Options{Redact: true, Identity: testIdentity()})
	assertAbsent(t, path, []string{"ws042", "corp.example.com", "alice", "10.20.30.40", "52:54:00:12:34:56"})
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	data, err := b.ReadFile("raw/watch/snapshot-1.json")
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]string
	if err := json.Unmarshal(data, &back); err != nil {
		t.Errorf("the redacted snapshot is no longer JSON: %v\n%s", err, data)
	}
}
