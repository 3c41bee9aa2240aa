package ticketclient

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// lockDir holds one lock file per entry, beside the entries: a lock file
// inside the entry folder would keep Windows from removing the folder
// while the lock is held.
const lockDir = ".locks"

// ClaimedError says another process holds an entry's claim: it is
// delivering it now.
type ClaimedError struct {
	ID string
	// PID is the holder's process id as it wrote it, 0 when unknown.
	PID int
}

func (e *ClaimedError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("outbox: %s is being delivered by another process (pid %d)", e.ID, e.PID)
	}
	return fmt.Sprintf("outbox: %s is being delivered by another process", e.ID)
}

// ErrGone means the entry was delivered and removed by another process
// between listing and claiming it.
var ErrGone = errors.New("outbox: entry already delivered by another process")

// Claim is an exclusive hold on one entry, taken before delivering it and
// kept until the entry is removed or left for later, so two flushes (a
// scheduled one and a manual one) never deliver the same entry twice. It
// is an operating-system lock on an open file (flock on Unix, LockFileEx
// on Windows): when its process dies, even by SIGKILL, the system drops
// the lock, so a dead process's claim never blocks the next flush.
type Claim struct {
	// Entry is the entry as read after the claim was taken: the state
	// another process may have saved since it was listed.
	Entry *Entry
	path  string
	f     *os.File
}

// Claim takes the entry's claim without waiting. It returns a
// *ClaimedError when another process holds it and ErrGone when the entry
// no longer exists.
func (o *Outbox) Claim(e *Entry) (*Claim, error) {
	dir := filepath.Join(o.Dir, lockDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	path := filepath.Join(dir, e.ID+".lock")
	// The lock file of a removed entry is unlinked while locked; a process
	// that opened it before may then lock a file no longer at path. Lock,
	// then check path still names the locked file, else try again.
	for range 8 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("outbox: claim %s: %w", e.ID, err)
		}
		busy, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("outbox: claim %s: %w", e.ID, err)
		}
		if busy {
			f.Close()
			return nil, &ClaimedError{ID: e.ID, PID: holderPID(path)}
		}
		held, err1 := f.Stat()
		named, err2 := os.Stat(path)
		if err1 != nil || err2 != nil || !os.SameFile(held, named) {
			unlock(f)
			f.Close()
			continue
		}
		c := &Claim{path: path, f: f}
		if err := f.Truncate(0); err == nil {
			_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
		}
		fresh, err := o.load(e.ID)
		if err != nil {
			c.release(errors.Is(err, ErrGone))
			return nil, err
		}
		c.Entry = fresh
		return c, nil
	}
	return nil, fmt.Errorf("outbox: claim %s: its lock file keeps being replaced", e.ID)
}

// Release lets the entry go (it stays queued unless it was removed).
func (c *Claim) Release() {
	_, err := os.Stat(c.Entry.dir)
	c.release(errors.Is(err, os.ErrNotExist))
}

func (c *Claim) release(removed bool) {
	if c.f == nil {
		return
	}
	// Unlink while locked where the system allows it (Unix), so nobody
	// can take a claim on a name that is about to go; Windows refuses to
	// remove an open file, so there it goes after closing.
	gone := !removed || os.Remove(c.path) == nil
	unlock(c.f)
	c.f.Close()
	c.f = nil
	if !gone {
		_ = os.Remove(c.path)
	}
}

// holderPID reads the pid the claim's holder wrote, 0 when unknown.
func holderPID(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	return pid
}

// load reads one entry from disk.
func (o *Outbox) load(id string) (*Entry, error) {
	dir := filepath.Join(o.Dir, id)
	e, err := readEntry(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrGone
	}
	if err != nil {
		return nil, fmt.Errorf("outbox entry %s: %w", id, err)
	}
	return e, nil
}

// PruneLocks removes lock files left by entries that no longer exist (a
// process killed between removing an entry and its lock file), skipping
// any still held.
func (o *Outbox) PruneLocks() {
	dir := filepath.Join(o.Dir, lockDir)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, d := range ents {
		id, ok := strings.CutSuffix(d.Name(), ".lock")
		if !ok {
			continue
		}
		if _, err := os.Stat(filepath.Join(o.Dir, id)); !errors.Is(err, os.ErrNotExist) {
			continue
		}
		path := filepath.Join(dir, d.Name())
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		if busy, err := tryLock(f); err == nil && !busy {
			c := &Claim{path: path, f: f}
			c.release(true)
			continue
		}
		f.Close()
	}
}
