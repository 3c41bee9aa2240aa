package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/fake"
)

// TestConcurrentFlushesDeliverOnce runs two real `ticket outbox flush`
// processes at once (a scheduled flush and a manual one) against the Jira
// fake, whose uploads are slow enough for them to overlap: every entry
// reaches the ticket exactly once and the two together report each once.
func TestConcurrentFlushesDeliverOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	const queued = 4
	f := fake.NewJira(t, true)
	f.Fault = func(w http.ResponseWriter, r *http.Request, op string) bool {
		if op == "attach" {
			time.Sleep(300 * time.Millisecond)
		}
		return false
	}
	ca := writeCA(t, f.Server.Certificate().Raw)
	outbox := filepath.Join(t.TempDir(), "outbox")
	ob := &ticketclient.Outbox{Dir: outbox}
	for i := range queued {
		p := bundleFile(t, "l2diag-pc0"+strconv.Itoa(i)+".zip", 2000+i)
		file, err := ticketclient.OpenFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ob.Add(&ticketclient.Delivery{System: "jira", Key: "SUP-123", Files: []*ticketclient.File{file}}, errors.New("503")); err != nil {
			t.Fatal(err)
		}
	}
	home := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"L2DIAG_OUTBOX=" + outbox, "L2DIAG_JIRA_URL=" + f.Server.URL, "L2DIAG_JIRA_USER=" + f.User,
		"L2DIAG_JIRA_TOKEN=" + f.Token}
	bin := l2diagBinary(t)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type result struct {
		code   int
		stderr string
	}
	results := make([]result, 2)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			cmd := exec.CommandContext(ctx, bin, "ticket", "outbox", "flush", "--ca-file", ca)
			cmd.Env = env
			var errOut bytes.Buffer
			cmd.Stderr = &errOut
			err := cmd.Run()
			results[i].stderr = errOut.String()
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				results[i].code = ee.ExitCode()
			} else if err != nil {
				results[i].code = -1
			}
		})
	}
	wg.Wait()

	total := 0
	summary := regexp.MustCompile(`delivered (\d+) of (\d+)`)
	for i, r := range results {
		if r.code != 0 {
			t.Errorf("flush %d: exit %d\n%s", i, r.code, r.stderr)
		}
		m := summary.FindStringSubmatch(r.stderr)
		if m == nil {
			t.Errorf("flush %d printed no summary:\n%s", i, r.stderr)
			continue
		}
		n, _ := strconv.Atoi(m[1])
		total += n
	}
	if got := f.Issue("SUP-123").Attachments; len(got) != queued {
		var names []string
		for _, a := range got {
			names = append(names, a.Name)
		}
		t.Errorf("the ticket has %d attachments, want %d (each once): %v\nflush 1:\n%s\nflush 2:\n%s", len(got), queued, names, results[0].stderr, results[1].stderr)
	}
	if total != queued {
		t.Errorf("the flushes report %d delivered together, want %d", total, queued)
	}
	if left, _ := ob.List(); len(left) != 0 {
		t.Errorf("%d entries left in the outbox", len(left))
	}
}
