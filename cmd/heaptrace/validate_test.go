package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateAndRepair(t *testing.T) {
	dir := t.TempDir()
	good := record(t, "dict-churn", "2000")
	code, out, stderr := heaptrace(t, "validate", good)
	if code != 0 || !strings.Contains(out, "valid: every free matches") || !strings.Contains(out, "complete") {
		t.Errorf("valid trace: exit %d\n%s%s", code, out, stderr)
	}
	script := writeScript(t, "s.py", "d = {}\nfor i in range(3000):\n    d[str(i)] = [i] * (i % 7)\n    if i % 3 == 0:\n        del d[str(i // 2)]\n")
	traced := filepath.Join(dir, "s.arrow")
	if code, _, stderr := heaptrace(t, "record", script, "-o", traced, "--batch", "500"); code != 0 {
		t.Fatalf("record: %s", stderr)
	}
	if code, out, _ := heaptrace(t, "validate", traced); code != 0 {
		t.Errorf("a recorded script's trace is invalid:\n%s", out)
	}

	// cut short: readable, repairable into a complete file with the same events
	data, err := os.ReadFile(traced)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.arrow")
	os.WriteFile(cut, data[:len(data)*2/3], 0o644)
	code, out, _ = heaptrace(t, "validate", cut)
	if code != 0 || !strings.Contains(out, "cut short") {
		t.Errorf("cut trace: exit %d\n%s", code, out)
	}
	fixed := filepath.Join(dir, "fixed.arrow")
	code, out, stderr = heaptrace(t, "repair", cut, "-o", fixed)
	if code != 0 || !strings.Contains(out, "was cut short") {
		t.Fatalf("repair: exit %d\n%s%s", code, out, stderr)
	}
	code, out, _ = heaptrace(t, "validate", fixed)
	if code != 0 || !strings.Contains(out, "complete") {
		t.Errorf("repaired trace: exit %d\n%s", code, out)
	}
	cutEvents, _ := readAll(t, cut, nil)
	fixedEvents, truncated := readAll(t, fixed, nil)
	if cutEvents != fixedEvents || truncated || cutEvents == 0 {
		t.Errorf("repaired %d events (truncated %v) from a cut file of %d", fixedEvents, truncated, cutEvents)
	}
	if code, _, stderr := heaptrace(t, "repair", cut, "-o", fixed); code != 2 || !strings.Contains(stderr, "--force") {
		t.Errorf("repair over an existing file: exit %d %q", code, stderr)
	}

	// corrupt bytes in the middle of a batch: exit 2, naming file and batch
	bad := filepath.Join(dir, "bad.arrow")
	corrupt := append([]byte(nil), data...)
	for i := len(corrupt) / 2; i < len(corrupt)/2+64; i++ {
		corrupt[i] ^= 0xff
	}
	os.WriteFile(bad, corrupt, 0o644)
	code, _, stderr = heaptrace(t, "validate", bad)
	if code != 2 || !strings.Contains(stderr, "bad.arrow") {
		t.Errorf("corrupt trace: exit %d, %q", code, stderr)
	}
	code, _, stderr = heaptrace(t, "analyze", bad)
	if code == 0 || !strings.Contains(stderr, "bad.arrow") || strings.Contains(stderr, "panic") {
		t.Errorf("analyze of a corrupt trace: exit %d, %q", code, stderr)
	}
}
