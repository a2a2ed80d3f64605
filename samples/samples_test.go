package samples

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestNames(t *testing.T) {
	names := Names()
	if len(names) < 14 {
		t.Fatalf("Names() = %d samples, want at least 14", len(names))
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("Names() not sorted: %v", names)
	}
	for _, n := range names {
		if !strings.HasSuffix(n, ".py") {
			t.Errorf("sample %q does not end in .py", n)
		}
		if _, err := Read(n); err != nil {
			t.Errorf("Read(%q): %v", n, err)
		}
	}
	if _, err := Read("no_such_sample.py"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Read of a missing sample: err = %v, want fs.ErrNotExist", err)
	}
}

// TestHeader checks that every sample opens with a header comment of 3 to 6
// lines.
func TestHeader(t *testing.T) {
	for _, n := range Names() {
		src, _ := Read(n)
		lines := strings.Split(string(src), "\n")
		c := 0
		for c < len(lines) && strings.HasPrefix(lines[c], "#") {
			c++
		}
		if c < 3 || c > 6 {
			t.Errorf("%s: header comment has %d lines, want 3 to 6", n, c)
		}
	}
}

func TestNoImports(t *testing.T) {
	for _, n := range Names() {
		src, _ := Read(n)
		for i, line := range strings.Split(string(src), "\n") {
			s := strings.TrimSpace(line)
			if strings.HasPrefix(s, "import ") || strings.HasPrefix(s, "from ") {
				t.Errorf("%s:%d: imports: %s", n, i+1, s)
			}
		}
	}
}

// TestDocListsEverySample keeps doc.go's list in step with the files.
func TestDocListsEverySample(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range Names() {
		if !bytes.Contains(doc, []byte("//\t"+n+" ")) {
			t.Errorf("doc.go does not list %s", n)
		}
	}
}

// TestRunUnderPython runs every embedded sample under the real python3: it
// must exit 0 and print something.
func TestRunUnderPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found on PATH; the samples are not run")
	}
	for _, n := range Names() {
		t.Run(n, func(t *testing.T) {
			t.Parallel()
			src, err := Read(n)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, py, "-I", "-")
			cmd.Stdin = bytes.NewReader(src)
			var stdout, stderr bytes.Buffer
			cmd.Stdout = &stdout
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("python3 %s: %v\n%s", n, err, stderr.String())
			}
			if strings.TrimSpace(stdout.String()) == "" {
				t.Errorf("python3 %s printed nothing", n)
			}
		})
	}
}
