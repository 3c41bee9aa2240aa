package diag

import (
	"math"
	"testing"
	"time"
)

func TestBytes(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   uint64
		want string
	}{
		{"zero", 0, "0 B"},
		{"below a KiB", 1023, "1023 B"},
		{"one KiB", 1024, "1.0 KiB"},
		{"one and a half GiB", 3 << 29, "1.5 GiB"},
		{"largest", math.MaxUint64, "16.0 EiB"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Bytes(tt.in); got != tt.want {
				t.Errorf("Bytes(%d) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMillis(t *testing.T) {
	if got, want := Millis(1500*time.Microsecond), 1.5; got != want {
		t.Errorf("Millis(1.5ms) = %v, want %v", got, want)
	}
}
