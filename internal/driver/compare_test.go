package driver

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/heaptrace/heaptrace/internal/cpython"
	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
	"github.com/heaptrace/heaptrace/samples"
)

// Every bundled sample runs on the real CPython of every profile's
// version and on the model with that profile: the peak and final traced
// bytes must agree within 5% (the README lists the measured differences,
// most of them 0.0%). A version that is not installed is skipped.
func TestSamplesMatchCPython(t *testing.T) {
	for _, p := range pyobj.Profiles() {
		t.Run(p.Version, func(t *testing.T) { testSamplesMatchCPython(t, p) })
	}
}

func testSamplesMatchCPython(t *testing.T, p pyobj.Profile) {
	ip, err := cpython.Find(p.Version)
	if err != nil {
		t.Skipf("no CPython %s to compare with: %v", p.Version, err)
	}
	dir := t.TempDir()
	for _, name := range samples.Names() {
		t.Run(name, func(t *testing.T) {
			src, err := samples.Read(name)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, src, 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			c, err := Compare(ctx, ip, path, src, p, model.Config{})
			if err != nil {
				t.Fatal(err)
			}
			if c.CPythonError != "" || c.ModelError != "" {
				t.Errorf("errors: CPython %q, model %q", c.CPythonError, c.ModelError)
			}
			for _, m := range []string{"peak traced bytes", "final traced bytes"} {
				cm := c.Measure(m)
				if math.Abs(cm.DiffPercent) > 5 {
					t.Errorf("%s: model %d, CPython %d (%+.2f%%)", m, cm.Model, cm.CPython, cm.DiffPercent)
				}
				t.Logf("%s: model %d, CPython %d (%+.3f%%)", m, cm.Model, cm.CPython, cm.DiffPercent)
			}
		})
	}
}
