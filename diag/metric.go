package diag

import "time"

// Millis is d in milliseconds with microsecond precision: the unit of every
// *_ms metric and evidence field, so reports from different checks compare.
func Millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
