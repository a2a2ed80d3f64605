package cpython

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// python311 returns the CPython 3.11 interpreter, or skips the test.
func python311(t *testing.T) Interpreter {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed: these tests measure the real CPython")
	}
	ip, err := Find("3.11")
	if err != nil {
		t.Skipf("the figures below are CPython 3.11's: %v", err)
	}
	return ip
}

// measure writes src to a file and measures it.
func measure(t *testing.T, ip Interpreter, src string) (*Measurement, error) {
	t.Helper()
	name := filepath.Join(t.TempDir(), "script.py")
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return ip.Measure(ctx, name)
}

func mustMeasure(t *testing.T, ip Interpreter, src string) *Measurement {
	t.Helper()
	m, err := measure(t, ip, src)
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	if m.Error != nil {
		t.Fatalf("%q raised %v", src, m.Error)
	}
	return m
}

func TestFigures(t *testing.T) {
	ip := python311(t)
	for _, tc := range []struct {
		src           string
		current, peak int64 // -1: not checked
		blocks        int
	}{
		// exec's function object (152 bytes) lives during the run only.
		{"", 0, 152, 0},
		// Reference §3: 100 floats and the list object on free lists.
		{"L=[i*0.5 for i in range(300)]; del L", 2456, -1, 101},
		// print's *args tuple is left on the tuple free list; the sink
		// itself leaves nothing.
		{"print('hi')", 48, 200, 1},
		{"print('hi')\nprint(12345, 'x', sep='-', end='', flush=True)", 104, -1, 2},
	} {
		m := mustMeasure(t, ip, tc.src)
		if m.Current != tc.current || (tc.peak >= 0 && m.Peak != tc.peak) || m.Blocks != tc.blocks {
			t.Errorf("%q: current %d peak %d blocks %d, want %d %d %d", tc.src, m.Current, m.Peak, m.Blocks, tc.current, tc.peak, tc.blocks)
		}
		if !strings.HasPrefix(m.Python, "3.11.") {
			t.Errorf("%q: python %q", tc.src, m.Python)
		}
	}
}

func TestByType(t *testing.T) {
	ip := python311(t)
	m := mustMeasure(t, ip, "x = [None]*1000\n")
	// The list only: None is not counted, nor anything of the harness.
	want := map[string]TypeSize{"list": {Count: 1, Bytes: 8056}}
	if !reflect.DeepEqual(m.ByType, want) {
		t.Errorf("by_type %v, want %v", m.ByType, want)
	}
	// 8056 + the one-item list [None] on the list free list.
	if m.Current != 8112 {
		t.Errorf("current %d, want 8112", m.Current)
	}

	m = mustMeasure(t, ip, `d = {"k" + str(i): i * 0.5 for i in range(3)}
def f(a, b=(1, 2)):
    return a
class C:
    pass
`)
	// d: the dict, its three str keys and three floats; f: the function,
	// its __defaults__ tuple ((1, 2),), the tuple (1, 2) and its two ints
	// (not its code, globals, builtins or name); C: a type, not counted.
	for name, want := range map[string]int{"dict": 1, "str": 3, "float": 3, "function": 1, "tuple": 2, "int": 2} {
		if got := m.ByType[name].Count; got != want {
			t.Errorf("%s: count %d, want %d (%v)", name, got, want, m.ByType)
		}
	}
	if _, ok := m.ByType["type"]; ok {
		t.Errorf("a class was counted: %v", m.ByType)
	}
}

func TestScriptException(t *testing.T) {
	ip := python311(t)
	src := "d = {\"a\": 1}\nx = [1, 2, 3]\ny = d[\"b\"]\nz = 1\n"
	m, err := measure(t, ip, src)
	if err != nil {
		t.Fatal(err)
	}
	want := ScriptError{Type: "KeyError", Message: "'b'", Line: 3}
	if m.Error == nil || *m.Error != want {
		t.Fatalf("error %v, want %v", m.Error, want)
	}
	// The dict (64 + a 120-byte keys table), the list (56 + 32), and
	// KeyError's 1-tuple of arguments on the tuple free list: the
	// exception itself, its traceback and frames are freed.
	if m.Current != 320 || m.Blocks != 5 {
		t.Errorf("current %d blocks %d, want 320 5", m.Current, m.Blocks)
	}
	if m.ByType["list"] != (TypeSize{Count: 1, Bytes: 88}) {
		t.Errorf("by_type %v", m.ByType)
	}
	// The same as when the script catches the exception and drops it: the
	// harness's description of the error leaves nothing counted.
	caught := mustMeasure(t, ip, "d = {\"a\": 1}\nx = [1, 2, 3]\ntry:\n    y = d[\"b\"]\nexcept KeyError:\n    pass\n")
	if caught.Current != m.Current || caught.Blocks != m.Blocks {
		t.Errorf("caught: current %d blocks %d, uncaught %d %d", caught.Current, caught.Blocks, m.Current, m.Blocks)
	}
}

func TestDeterministic(t *testing.T) {
	ip := python311(t)
	src := `class P:
    def __init__(self, x):
        self.x = x
pts = [P(i * 0.5) for i in range(50)]
s = {"k%d" % i for i in range(200)}
d = {str(i): [i] for i in range(300)}
del d["7"]
t = tuple(sorted(s, key=len, reverse=True))
print(len(s), pts[3].x, sep=":")
`
	first := mustMeasure(t, ip, src)
	for i := 0; i < 2; i++ {
		if m := mustMeasure(t, ip, src); !reflect.DeepEqual(m, first) {
			t.Fatalf("run %d: %+v, first run %+v", i+2, m, first)
		}
	}
}

func TestSyntaxError(t *testing.T) {
	ip := python311(t)
	m, err := measure(t, ip, "x = 1\ny = (\n")
	var se *ScriptError
	if err == nil || !errors.As(err, &se) {
		t.Fatalf("got %v, %v; want a *ScriptError", m, err)
	}
	if se.Type != "SyntaxError" || se.Line != 2 {
		t.Errorf("error %v, want a SyntaxError on line 2", se)
	}
	if !strings.Contains(err.Error(), "script.py") {
		t.Errorf("error %q does not name the script", err)
	}
}

func TestMeasureErrors(t *testing.T) {
	ip := python311(t)
	ctx := context.Background()
	if _, err := ip.Measure(ctx, "/nonexistent/missing.py"); err == nil || !strings.Contains(err.Error(), "missing.py") {
		t.Errorf("missing script: %v", err)
	}
	bad := ip
	bad.Path = "/nonexistent/python3"
	if _, err := measure(t, bad, ""); err == nil || !strings.Contains(err.Error(), "/nonexistent/python3") {
		t.Errorf("missing python: %v", err)
	}
	name := filepath.Join(t.TempDir(), "loop.py")
	if err := os.WriteFile(name, []byte("while True:\n    pass\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	if _, err := ip.Measure(ctx, name); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout: %v", err)
	}
}

func TestFind(t *testing.T) {
	if _, err := Find("3"); err == nil {
		t.Error(`Find("3") succeeded`)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed")
	}
	for _, v := range []string{"3.11", "3.12", "3.13"} {
		ip, err := Find(v)
		if err != nil {
			t.Logf("%s: %v", v, err)
			continue
		}
		if !strings.HasPrefix(ip.Version, v+".") {
			t.Errorf("Find(%s): version %s", v, ip.Version)
		}
		m := mustMeasure(t, ip, "")
		if m.Python != ip.Version || m.Current != 0 {
			t.Errorf("Find(%s): empty script on %s: %+v", v, ip.Version, m)
		}
	}
}

func TestNewest(t *testing.T) {
	names := []string{"2.7.18", "3.12.1", "3.12.10", "3.12.2", "3.12-dev", "3.13.0t", "3.13.0", "3.1.5"}
	for minor, want := range map[string]string{"3.12": "3.12.10", "3.13": "3.13.0", "3.1": "3.1.5", "3.9": ""} {
		if got := newest(names, minor); got != want {
			t.Errorf("newest(%s) = %q, want %q", minor, got, want)
		}
	}
}
