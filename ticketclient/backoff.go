package ticketclient

import (
	"math/rand/v2"
	"slices"
	"time"
)

// Backoff is the retry policy: capped exponential backoff with full jitter,
// so many clients that failed together do not come back together.
type Backoff struct {
	Attempts int           // total attempts, 4 when zero
	Base     time.Duration // first delay, 500ms when zero
	Cap      time.Duration // longest delay, 20s when zero
	// MaxWait is the longest Retry-After honoured in-process (2m when zero);
	// beyond it the delivery goes to the outbox instead of blocking the user.
	MaxWait time.Duration
}

func (b Backoff) attempts() int {
	if b.Attempts <= 0 {
		return 4
	}
	return b.Attempts
}

func (b Backoff) maxWait() time.Duration {
	if b.MaxWait <= 0 {
		return 2 * time.Minute
	}
	return b.MaxWait
}

// Delay is the wait before attempt n (n ≥ 1): the server's Retry-After when
// it sent one, else a random duration up to min(Cap, Base·2^(n-1)).
func (b Backoff) Delay(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return retryAfter
	}
	base, capd := b.Base, b.Cap
	if base <= 0 {
		base = 500 * time.Millisecond
	}
	if capd <= 0 {
		capd = 20 * time.Second
	}
	d := base << min(n-1, 16)
	d = slices.Min([]time.Duration{d, capd})
	// Full jitter, but never below a tenth of the step so a retry is not
	// fired back at an overloaded server at once.
	return d/10 + time.Duration(rand.Int64N(int64(d-d/10)+1))
}
