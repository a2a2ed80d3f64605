package driver

import "testing"

// The default bound is half of what the machine gives this process, and
// never 0 (no bound).
func TestDefaultMaxMemory(t *testing.T) {
	if m := DefaultMaxMemory(); m <= 0 {
		t.Errorf("DefaultMaxMemory() = %d, want a positive bound", m)
	} else if mm := machineMemory(); mm > 0 && m != mm/2 {
		t.Errorf("DefaultMaxMemory() = %d, want half of %d", m, mm)
	}
}
