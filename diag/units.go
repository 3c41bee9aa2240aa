package diag

import (
	"fmt"
	"time"
)

// Millis is d in milliseconds with microsecond precision: the unit of every
// *_ms metric and evidence field, so reports from different checks compare.
func Millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Bytes formats a byte count with a binary unit, as df -h and free -h do
// ("512 B", "1.5 GiB"): the form of every size in a message or summary.
func Bytes(b uint64) string {
	const unit = 1024
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	div, exp := uint64(unit), 0
	for n := b / unit; n >= unit && exp < 5; n /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(b)/float64(div), "KMGTPE"[exp])
}
