package ticketclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Delivery is one job: files and a note for one ticket. Its progress fields
// are what the outbox persists, so a flush never repeats a finished step.
type Delivery struct {
	System string  `json:"system"`
	Key    string  `json:"key"`
	Files  []*File `json:"-"`
	Note   *Note   `json:"note,omitempty"`
	// Settings are the per-call choices of the system's flags (--table,
	// --comment-field), so a flush delivers as the first attempt would.
	Settings map[string]string `json:"settings,omitempty"`
	// Attached records the files already on the ticket, by name.
	Attached map[string]Attachment `json:"attached,omitempty"`
	// Commented is true once the server confirmed the note.
	Commented bool `json:"commented,omitempty"`
	// CheckExisting looks for each file, and for the note's marker among
	// the comments, on the ticket before the first upload or post: set for
	// outbox entries, whose earlier answer may have been lost.
	CheckExisting bool `json:"-"`
}

// Deliverer runs a Delivery against a Client with retries, the upload limit
// check and de-duplication.
type Deliverer struct {
	Client  Client
	Backoff Backoff
	// Sleep waits between attempts (tests replace it).
	Sleep func(ctx context.Context, d time.Duration) error
	// Say reports progress (stderr); may be nil.
	Say func(format string, args ...any)
	// Saved is called after every confirmed step (the outbox persists it).
	Saved func(*Delivery)
}

func (d *Deliverer) say(format string, args ...any) {
	if d.Say != nil {
		d.Say(format, args...)
	}
}

func (d *Deliverer) sleep(ctx context.Context, dur time.Duration) error {
	if d.Sleep != nil {
		return d.Sleep(ctx, dur)
	}
	return SleepCtx(ctx, dur)
}

func (d *Deliverer) saved(dl *Delivery) {
	if d.Saved != nil {
		d.Saved(dl)
	}
}

// Deliver looks the ticket up, refuses files above the upload limit before
// sending a byte, attaches each file once, and posts the note.
func (d *Deliverer) Deliver(ctx context.Context, dl *Delivery) (*Ticket, error) {
	c := d.Client
	t, err := c.Lookup(ctx, dl.Key)
	if err != nil {
		return nil, err
	}
	if t.Key != dl.Key {
		d.say("%s %s is now %s\n", c.Name(), dl.Key, t.Key)
	}
	if dl.Attached == nil {
		dl.Attached = map[string]Attachment{}
	}
	var pending []*File
	for _, f := range dl.Files {
		if _, ok := dl.Attached[f.Name]; !ok {
			pending = append(pending, f)
		}
	}
	if len(pending) > 0 {
		if err := d.checkLimits(ctx, pending); err != nil {
			return t, err
		}
	}
	for _, f := range pending {
		a, err := d.attach(ctx, t, f, dl.CheckExisting)
		if err != nil {
			return t, err
		}
		dl.Attached[f.Name] = *a
		d.saved(dl)
	}
	if dl.Note != nil && !dl.Commented {
		if err := d.comment(ctx, t, dl.Note, dl.CheckExisting); err != nil {
			return t, err
		}
		dl.Commented = true
		d.saved(dl)
	}
	return t, nil
}

func (d *Deliverer) checkLimits(ctx context.Context, files []*File) error {
	c := d.Client
	lim, err := c.Limits(ctx)
	if err != nil {
		// Permission to read the limit is not permission to attach; a
		// system that does not say is asked by uploading.
		if k, ok := KindOf(err); ok && k == KindAuth {
			return err
		}
		d.say("%s: upload limit unknown (%v); uploading anyway\n", c.Name(), err)
		return nil
	}
	if !lim.Enabled {
		return Errorf(KindTooLarge, c.Name(), "attach", "ask the admin to enable attachments, or use --ticket-system dir",
			"attachments are disabled on %s", c.Endpoint())
	}
	for _, f := range files {
		if lim.MaxBytes > 0 && f.Size > lim.MaxBytes {
			return Errorf(KindTooLarge, c.Name(), "attach "+f.Name,
				"shrink the bundle (l2diag run --only CATEGORY, or drop raw files) or ask the admin to raise the limit",
				"%s is %s (%d bytes), above the server's upload limit of %s (%d bytes)",
				f.Name, HumanBytes(f.Size), f.Size, HumanBytes(lim.MaxBytes), lim.MaxBytes)
		}
	}
	return nil
}

// attach uploads f, retrying transient failures. After a failure that may
// have stored the file (a lost answer), it lists the ticket's attachments
// first and takes a match (same name and size, same hash where the system
// gives one) as delivered instead of uploading a duplicate.
func (d *Deliverer) attach(ctx context.Context, t *Ticket, f *File, checkFirst bool) (*Attachment, error) {
	c := d.Client
	maybeThere := checkFirst
	attempts := d.Backoff.attempts()
	var lastErr error
	for attempt := 1; attempt <= attempts; attempt++ {
		if maybeThere {
			list, err := c.Attachments(ctx, t)
			if err == nil {
				if a := match(list, f); a != nil {
					d.say("%s is already on %s (attachment %s); not uploading it again\n", f.Name, t.Key, a.ID)
					return a, nil
				}
			} else {
				// Without the list a new upload could duplicate: count it
				// as a failed attempt and try again later.
				lastErr = err
				if !retryable(err) || !d.wait(ctx, attempt, err) {
					return nil, err
				}
				continue
			}
		}
		a, err := c.Attach(ctx, t, f)
		if err == nil {
			return a, nil
		}
		lastErr = err
		var te *Error
		if errors.As(err, &te) && te.MaybeSent {
			maybeThere = true
		}
		if attempt == attempts || !retryable(err) || !d.wait(ctx, attempt, err) {
			break
		}
		d.say("%s: attaching %s failed (%v); retrying\n", c.Name(), f.Name, shortErr(err))
	}
	return nil, lastErr
}

// wait sleeps before the next attempt; false when waiting is pointless
// (context over, or the server asked for a longer pause than we block for).
func (d *Deliverer) wait(ctx context.Context, attempt int, err error) bool {
	var te *Error
	var ra time.Duration
	if errors.As(err, &te) {
		ra = te.RetryAfter
	}
	if ra > d.Backoff.maxWait() {
		return false
	}
	return d.sleep(ctx, d.Backoff.Delay(attempt, ra)) == nil
}

// comment posts the note, retrying transient failures. Like attach, after
// a failure that may have stored the comment (a lost answer), and before
// the first post when checkFirst is set, it lists the ticket's comments
// and takes one carrying the note's marker as delivered.
func (d *Deliverer) comment(ctx context.Context, t *Ticket, n *Note, checkFirst bool) error {
	c := d.Client
	marker := n.Marker()
	maybeThere := checkFirst
	attempts := d.Backoff.attempts()
	var lastErr error
	for attempt := 1; attempt <= attempts; attempt++ {
		if maybeThere {
			list, err := c.Comments(ctx, t, marker)
			switch {
			case err == nil:
				if cm := findMarker(list, marker); cm != nil {
					d.say("the note is already on %s (comment %s, %s); not posting it again\n", t.Key, cm.ID, marker)
					return nil
				}
			case isKind(err, KindAuth):
				// The account may not read what it writes (ServiceNow
				// journals, restricted comments). Waiting would not change
				// that and an outbox entry would stick forever: post, and
				// say so; the marker lets a person spot a duplicate.
				d.say("%s: cannot check whether the note is already on %s (%v); posting it with its marker %s, so a duplicate can be recognised\n",
					c.Name(), t.Key, shortErr(err), marker)
			default:
				// Without the list a new post could duplicate: count it as
				// a failed attempt and try again later.
				lastErr = err
				if attempt == attempts || !retryable(err) || !d.wait(ctx, attempt, err) {
					return err
				}
				continue
			}
		}
		err := c.Comment(ctx, t, n)
		if err == nil {
			return nil
		}
		lastErr = err
		var te *Error
		if errors.As(err, &te) && te.MaybeSent {
			maybeThere = true
		}
		if attempt == attempts || !retryable(err) || !d.wait(ctx, attempt, err) {
			break
		}
		d.say("%s: posting the note on %s failed (%v); retrying\n", c.Name(), t.Key, shortErr(err))
	}
	return lastErr
}

// findMarker returns the first comment whose text holds marker.
func findMarker(list []Comment, marker string) *Comment {
	if marker == "" {
		return nil
	}
	for i := range list {
		if strings.Contains(list[i].Text, marker) {
			return &list[i]
		}
	}
	return nil
}

func match(list []Attachment, f *File) *Attachment {
	for i := range list {
		a := &list[i]
		if a.Name != f.Name || a.Size != f.Size {
			continue
		}
		if a.SHA256 != "" && f.sha != "" && a.SHA256 != f.sha {
			continue
		}
		return a
	}
	return nil
}

func isKind(err error, k Kind) bool {
	got, ok := KindOf(err)
	return ok && got == k
}

func retryable(err error) bool {
	var te *Error
	return errors.As(err, &te) && te.Retryable
}

func shortErr(err error) string {
	var te *Error
	if errors.As(err, &te) && te.Err != nil {
		return te.Err.Error()
	}
	return fmt.Sprint(err)
}
