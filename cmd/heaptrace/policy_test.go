package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// record --python and --allocator and the tunables: the trace's metadata
// names the profile, and its params the allocator and every tunable.
func TestRecordPolicy(t *testing.T) {
	script := writeScript(t, "p.py", "L = [str(i) for i in range(2000)]\nx = [i * 0.5 for i in range(300)]\n")
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{nil, []string{"profile:      cpython-3.11", `"allocator":"pymalloc"`, `"UsePymalloc":true`, `"ArenaSize":1048576`, `"float":100`}},
		{[]string{"--python", "3.13", "--allocator", "malloc"}, []string{"profile:      cpython-3.13", `"allocator":"malloc"`, `"UsePymalloc":false`}},
		{[]string{"--python", "3.12", "--arena-size", "256KiB", "--pool-size", "4KiB", "--float-free-list", "0", "--tuple-free-list", "5"},
			[]string{"profile:      cpython-3.12", `"ArenaSize":262144`, `"PoolSize":4096`, `"float":0`, `"tuple":5`, `"list":80`}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "p.arrow")
			code, _, stderr := heaptrace(t, append([]string{"record", script, "-o", out}, tc.args...)...)
			if code != 0 {
				t.Fatalf("record: exit %d: %s", code, stderr)
			}
			code, dump, stderr := heaptrace(t, "dump", out)
			if code != 0 {
				t.Fatalf("dump: exit %d: %s", code, stderr)
			}
			header, _, _ := strings.Cut(dump, "types:")
			for _, w := range tc.want {
				if !strings.Contains(header, w) {
					t.Errorf("header lacks %s:\n%s", w, header)
				}
			}
		})
	}
}

// A version, an allocator or a tunable that does not exist is a usage
// error naming the flag and, for names, listing the known ones.
func TestPolicyBadInput(t *testing.T) {
	script := writeScript(t, "p.py", "x = 1\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"record", script, "--python", "3.10"}, "--python 3.10: unknown version (known: 3.11, 3.12, 3.13)"},
		{[]string{"record", script, "--python", "python3"}, "known: 3.11, 3.12, 3.13"},
		{[]string{"record", script, "--allocator", "jemalloc"}, "--allocator jemalloc: unknown allocator (known: pymalloc, malloc)"},
		{[]string{"record", script, "--arena-size", "3000"}, "--arena-size 3000: need a power of two"},
		{[]string{"record", script, "--arena-size", "big"}, "--arena-size big: need a size"},
		{[]string{"record", script, "--arena-size", "2GiB"}, "--arena-size 2147483648: need a power of two, at most 1073741824 (1 GiB)"},
		{[]string{"record", script, "--arena-size", "16KiB"}, "--arena-size 16384: an arena must hold at least two pools of 16384 bytes"},
		{[]string{"record", script, "--pool-size", "1KiB"}, "--pool-size 1024: need a power of two of at least 4096"},
		{[]string{"record", script, "--pool-size", "1MiB"}, "--pool-size 1048576: an arena of 1048576 bytes must hold at least two such pools (raise --arena-size)"},
		{[]string{"record", script, "--dict-free-list", "-3"}, "--dict-free-list -3: need 0"},
		{[]string{"record", script, "--allocator", "malloc", "--pool-size", "8KiB"}, "--allocator malloc does not use it"},
		{[]string{"compare", script, "--python", "3.11,2.7"}, "--python 2.7: unknown version (known: 3.11, 3.12, 3.13)"},
		{[]string{"compare", script, "--python", ","}, "name a version"},
		{[]string{"compare", script, "--allocator", "mimalloc"}, "--allocator mimalloc: unknown allocator"},
	} {
		t.Run(strings.Join(tc.args[2:], " "), func(t *testing.T) {
			args := tc.args
			out := filepath.Join(t.TempDir(), "x.arrow")
			if args[0] == "record" {
				args = append(args, "-o", out)
			}
			code, _, stderr := heaptrace(t, args...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a trace file was left behind")
			}
		})
	}
}

// compare --python with several versions: each version's figures, the
// change from the first, and the live objects by type on each; a version
// not installed is compared on the model alone.
func TestCompareVersions(t *testing.T) {
	script := writeScript(t, "v.py", "words = ['w%d' % i for i in range(3000)]\nd = {w: len(w) for w in words}\n")
	code, out, stderr := heaptrace(t, "compare", "--python", "3.11,3.12,3.13", script)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"on 3.11, 3.12, 3.13 (allocator pymalloc)", "Change from", "| 3.12 ", "| 3.13 ", "| str ", "3.13 bytes", "change"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, js, stderr := heaptrace(t, "compare", "--python", "3.12,3.13", "--json", script)
	if code != 0 {
		t.Fatalf("--json: exit %d: %s", code, stderr)
	}
	for _, want := range []string{`"versions": [`, `"profile": "cpython-3.12"`, `"profile": "cpython-3.13"`, `"allocator": "pymalloc"`, `"by_type": [`} {
		if !strings.Contains(js, want) {
			t.Errorf("JSON lacks %q:\n%.2000s", want, js)
		}
	}
}

// analyze names the allocator; diff of traces recorded with different
// profiles or policies says so.
func TestAnalyzeAndDiffAcrossModels(t *testing.T) {
	script := writeScript(t, "m.py", "words = ['w%d' % i for i in range(2000)]\n")
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.arrow"), filepath.Join(dir, "b.arrow")
	if code, _, stderr := heaptrace(t, "record", script, "-o", a); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := heaptrace(t, "record", script, "-o", b, "--python", "3.12", "--allocator", "malloc"); code != 0 {
		t.Fatal(stderr)
	}
	code, out, stderr := heaptrace(t, "analyze", "summary", b)
	if code != 0 || !strings.Contains(out, "profile cpython-3.12, allocator malloc,") {
		t.Errorf("analyze: exit %d, %s\n%s", code, stderr, out)
	}
	code, out, stderr = heaptrace(t, "diff", a, b)
	if code != 0 {
		t.Fatalf("diff: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"profile cpython-3.11 and B with cpython-3.12", "allocator pymalloc and B with malloc"} {
		if !strings.Contains(out, want) {
			t.Errorf("diff lacks %q:\n%s", want, out)
		}
	}
	if code, _, stderr = heaptrace(t, "diff", "--json", a, b); code != 0 || !strings.Contains(stderr, "warning: A was recorded with profile cpython-3.11") {
		t.Errorf("diff --json: exit %d, stderr %q", code, stderr)
	}
}
