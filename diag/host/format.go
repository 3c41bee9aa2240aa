package hostcheck

import (
	"fmt"
	"math"
	"time"
)

// span formats a long duration as days and hours ("12d 4h", "3h 12m").
func span(d time.Duration) string {
	d = d.Round(time.Minute)
	days := int(d / (24 * time.Hour))
	h := int(d % (24 * time.Hour) / time.Hour)
	m := int(d % time.Hour / time.Minute)
	switch {
	case days > 0:
		return fmt.Sprintf("%dd %dh", days, h)
	case h > 0:
		return fmt.Sprintf("%dh %dm", h, m)
	default:
		return fmt.Sprintf("%dm", m)
	}
}

// round1 rounds to one decimal, for metrics and messages.
func round1(f float64) float64 { return math.Round(f*10) / 10 }

// pct returns part/total as a percentage, 0 when total is 0.
func pct(part, total uint64) float64 {
	if total == 0 {
		return 0
	}
	return float64(part) / float64(total) * 100
}
