package render

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/report/internal/sample"
)

// chromiumTimeout bounds one headless Chromium run; a cold start on a CI
// machine takes a few seconds.
const chromiumTimeout = 60 * time.Second

func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	t.Skip("chromium not installed (.ci/run installs Debian's chromium)")
	return ""
}

// runChromium renders page in headless Chromium with extra flags and
// returns stdout and stderr.
func runChromium(t *testing.T, bin, page string, extra ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), chromiumTimeout)
	defer cancel()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0", "--hide-scrollbars"}
	args = append(args, extra...)
	args = append(args, "file://"+page)
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", extra, err, errb.String())
	}
	return out.String(), errb.String()
}

// consoleErrors picks the console and page errors out of Chromium's log.
func consoleErrors(log string) []string {
	var errs []string
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, "CONSOLE") || strings.Contains(l, "Uncaught") || strings.Contains(l, "Refused to") || strings.Contains(l, "net::ERR_") {
			errs = append(errs, l)
		}
	}
	return errs
}

// TestHTMLInChromium renders report.html in a real headless Chromium: no
// console errors, the key elements in the DOM, and screenshots at desktop
// and phone width (kept in $L2DIAG_SCREENSHOT_DIR when set).
func TestHTMLInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	bin := chromium(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var b bytes.Buffer
	if err := HTML(&b, sample.Report(), Options{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, log := runChromium(t, bin, page, "--dump-dom")
	if errs := consoleErrors(log); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
	for _, want := range []string{`id="overview"`, `id="run-status"`, `id="likely-cause"`, `id="problems"`,
		`id="cat-net"`, `id="cat-dns"`, `id="cat-host"`, `id="chart-rtt"`, `id="chart-http-phases"`, `id="chart-usage"`,
		"The DNS server 10.20.0.53 does not answer", "<rect",
		// The round trips have an absolute scale with the threshold drawn.
		`class="threshold"`, "0–300 ms"} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered DOM lacks %s", want)
		}
	}
	for _, size := range []struct{ name, window string }{{"desktop", "1280,1600"}, {"phone", "390,1600"}} {
		shot := filepath.Join(dir, "report-"+size.name+".png")
		_, log := runChromium(t, bin, page, "--window-size="+size.window, "--screenshot="+shot)
		if errs := consoleErrors(log); len(errs) > 0 {
			t.Errorf("console errors (%s):\n%s", size.name, strings.Join(errs, "\n"))
		}
		data, err := os.ReadFile(shot)
		if err != nil || !bytes.HasPrefix(data, []byte("\x89PNG")) || len(data) < 10000 {
			t.Fatalf("screenshot %s: %d bytes, %v", size.name, len(data), err)
		}
		if keep := os.Getenv("L2DIAG_SCREENSHOT_DIR"); keep != "" {
			_ = os.WriteFile(filepath.Join(keep, filepath.Base(shot)), data, 0o644)
		}
	}
}
