package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeScript(t *testing.T, name, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Scripts that cannot start: file:line:col, exit 2, no trace file.
func TestScriptThatCannotStart(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"syntax", "x = 1\nif x\n    y = 2\n", []string{"bad.py:2:", "expected ':'"}},
		{"indent", "x = 1\n  y = 2\n", []string{"bad.py:2:"}},
		{"unsupported with", "with open('f') as f:\n    pass\n", []string{"bad.py:1:1: unsupported: with statement"}},
		{"unsupported async", "async def f():\n    pass\n", []string{"bad.py:1:1: unsupported:"}},
		{"python 2 print", "print 'hello'\n", []string{"bad.py:1:"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			script := writeScript(t, "bad.py", tc.src)
			out := filepath.Join(t.TempDir(), "bad.arrow")
			code, _, stderr := heaptrace(t, "record", script, "-o", out)
			if code != 2 {
				t.Errorf("exit %d, want 2; stderr %q", code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a trace file was left behind")
			}
		})
	}
}

// Runtime errors: a Python traceback with the script's lines, exit 1, and
// a complete, valid trace of what ran.
func TestScriptRuntimeErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"NameError", "x = [1, 2]\ny = x + z\n", []string{`line 2, in <module>`, "y = x + z", "NameError: name 'z' is not defined"}},
		{"TypeError", "def f(a):\n    return a + 'x'\nf(1)\n", []string{"line 3, in <module>", "line 2, in f", "TypeError: unsupported operand type(s) for +: 'int' and 'str'"}},
		{"IndexError", "L = [1]\nprint(L[5])\n", []string{"IndexError: list index out of range"}},
		{"KeyError", "d = {'a': 1}\nd['b']\n", []string{"KeyError: 'b'"}},
		{"ZeroDivisionError", "n = 0\nx = 10 // n\n", []string{"ZeroDivisionError: integer division or modulo by zero"}},
		{"RecursionError", "def f(n):\n    return f(n + 1)\nf(0)\n", []string{"RecursionError: maximum recursion depth exceeded", "line 2, in f"}},
		{"import", "import os\n", []string{"ModuleNotFoundError: No module named 'os'"}},
		{"raise", "raise ValueError('bad value')\n", []string{"ValueError: bad value"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			script := writeScript(t, "boom.py", tc.src)
			out := filepath.Join(t.TempDir(), "boom.arrow")
			code, _, stderr := heaptrace(t, "record", script, "-o", out)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !strings.Contains(stderr, "Traceback (most recent call last):") {
				t.Errorf("no traceback in %q", stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			checkCompleteTrace(t, out)
		})
	}
}

func checkCompleteTrace(t *testing.T, path string) map[string]any {
	t.Helper()
	code, js, stderr := heaptrace(t, "analyze", "--json", path)
	if code != 0 {
		t.Fatalf("analyze of the trace: exit %d: %s", code, stderr)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	if rep["truncated"] != false || rep["anomaly_count"].(float64) != 0 {
		t.Errorf("trace truncated=%v anomalies=%v", rep["truncated"], rep["anomalies"])
	}
	return rep
}

// Runaway scripts stop cleanly with a valid trace.
func TestScriptLimits(t *testing.T) {
	loop := "L = []\nwhile True:\n    L.append(str(len(L)) * 10)\n"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"max-events", []string{"--max-events", "5000"}, "stopped after 5000 events"},
		{"timeout", []string{"--timeout", "300ms"}, "stopped after 300ms"},
		{"heap-limit", []string{"--heap-limit", "1MiB"}, "MemoryError"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			script := writeScript(t, "loop.py", loop)
			out := filepath.Join(t.TempDir(), "loop.arrow")
			code, _, stderr := heaptrace(t, append([]string{"record", script, "-o", out}, tc.args...)...)
			if code != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr, tc.want)
			}
			rep := checkCompleteTrace(t, out)
			if tc.name == "heap-limit" && rep["peak_bytes"].(float64) > 1<<20 {
				t.Errorf("peak %v over the 1 MiB limit", rep["peak_bytes"])
			}
		})
	}
	code, _, stderr := heaptrace(t, "record", writeScript(t, "x.py", "pass\n"), "--heap-limit", "lots")
	if code != 2 || !strings.Contains(stderr, "--heap-limit") {
		t.Errorf("bad --heap-limit: exit %d %q", code, stderr)
	}
}

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"", 0, true}, {"1048576", 1 << 20, true}, {"64MiB", 64 << 20, true}, {"1.5GB", 1.5e9, true},
		{"512k", 512 << 10, true}, {"10 mb", 10e6, true}, {"-1", 0, false}, {"lots", 0, false}, {"1e30", 0, false},
	} {
		got, err := parseSize(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("parseSize(%q) = %d, %v; want %d, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestCompare(t *testing.T) {
	script := writeScript(t, "c.py", "L = [i * 2 for i in range(1000)]\nd = {str(i): i for i in range(100)}\n")
	code, out, stderr := heaptrace(t, "compare", script)
	if code == 1 && strings.Contains(stderr, "python") {
		t.Skipf("no CPython to compare with: %s", stderr)
	}
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"peak traced bytes", "final traced bytes", "live allocations", "| list ", "| dict "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code, _, stderr := heaptrace(t, "compare", writeScript(t, "bad.py", "if x\n")); code != 2 || !strings.Contains(stderr, "bad.py:1:") {
		t.Errorf("syntax error: exit %d, %q", code, stderr)
	}
}

// --check verifies the model's invariants after every request of a run.
func TestRecordCheck(t *testing.T) {
	script := writeScript(t, "small.py", "L = []\nfor i in range(300):\n    L.append({'k': str(i), 'v': [i] * (i % 5)})\n    if i % 4 == 0:\n        L.pop(0)\ns = {x % 17 for x in range(200)}\n")
	out := filepath.Join(t.TempDir(), "c.arrow")
	if code, _, stderr := heaptrace(t, "record", script, "-o", out, "--check"); code != 0 {
		t.Errorf("record --check: exit %d: %s", code, stderr)
	}
	if code, _, stderr := heaptrace(t, "record", "--workload", "fragmentation", "--scale", "3000", "-o", out, "--check"); code != 0 {
		t.Errorf("record --check of a synthetic workload: exit %d: %s", code, stderr)
	}
}

// FuzzParseSize: any text gives a size or an error, never a panic, and a
// size is never negative.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"", "0", "64MiB", "1.5GB", "512k", "10 mb", "-1", "lots", "1e30", "NaN", "Inf", "0x10", "1e-9kib"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseSize(s)
		if err == nil && n < 0 {
			t.Errorf("parseSize(%q) = %d", s, n)
		}
	})
}
