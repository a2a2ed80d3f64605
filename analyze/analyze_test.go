package analyze

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heaptrace/heaptrace/format"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func analyzeFile(t *testing.T, path string, opts Options) *Report {
	t.Helper()
	r, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rep, err := Run(r, filepath.Base(path), opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func checkGrowth(t *testing.T, g []Point, limit int, r *Report) {
	t.Helper()
	if len(g) > limit || len(g) < 2 {
		t.Fatalf("%d growth points, want 2..%d", len(g), limit)
	}
	found := false
	for i, p := range g {
		if i > 0 && p.Seq <= g[i-1].Seq {
			t.Fatalf("growth points out of order at %d: %v", i, g[i-1:i+1])
		}
		if p.Seq == r.PeakSeq && p.Bytes == r.PeakBytes {
			found = true
		}
	}
	if !found {
		t.Errorf("the peak (%d at #%d) is not among the growth points", r.PeakBytes, r.PeakSeq)
	}
	if last := g[len(g)-1]; last.Bytes != r.FinalBytes {
		t.Errorf("last growth point %v, want final bytes %d", last, r.FinalBytes)
	}
}

func TestDownsampler(t *testing.T) {
	for _, tc := range []struct {
		name   string
		points int
		curve  func(i int) int64
		n      int
	}{
		{"ramp", 10, func(i int) int64 { return int64(i) }, 1000},
		{"four points", 4, func(i int) int64 { return int64(i % 7 * (i % 13)) }, 1000},
		{"five points", 5, func(i int) int64 { return int64(1000 - i) }, 1000},
		{"spike", 8, func(i int) int64 {
			if i == 777 {
				return 1e9
			}
			return int64(i % 10)
		}, 5000},
		{"few", 100, func(i int) int64 { return int64(i * i) }, 7},
		{"sawtooth", 20, func(i int) int64 { return int64(i % 97) }, 100000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDownsampler(tc.points)
			var peak Point
			for i := 0; i < tc.n; i++ {
				v := tc.curve(i)
				d.Add(uint64(i+1), v)
				if v > peak.Bytes {
					peak = Point{uint64(i + 1), v}
				}
			}
			pts := d.Points()
			if len(pts) > tc.points {
				t.Errorf("%d points, limit %d", len(pts), tc.points)
			}
			if tc.n <= tc.points && len(pts) != tc.n {
				t.Errorf("%d samples gave %d points; want them all", tc.n, len(pts))
			}
			has := func(p Point) bool {
				for _, q := range pts {
					if q == p {
						return true
					}
				}
				return false
			}
			if !has(peak) || !has(Point{1, tc.curve(0)}) || !has(Point{uint64(tc.n), tc.curve(tc.n - 1)}) {
				t.Errorf("peak %v, first or last missing from %v", peak, pts)
			}
		})
	}
}

func TestAnomaliesDoNotStopTheAnalysis(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.arrow")
	f, _ := os.Create(path)
	w, err := format.NewWriter(f, format.Header{Meta: format.Meta{Workload: "bad"}, Types: []string{format.NoType, "int"}, Sites: []string{format.UnknownSite}})
	if err != nil {
		t.Fatal(err)
	}
	var b format.Batch
	b.Append(1, format.OpAlloc, format.LayerObject, 1, 32, 32, 0x10, 0)
	b.Append(2, format.OpFree, format.LayerObject, 1, 32, 32, 0x20, 0) // never allocated
	b.Append(3, format.OpFree, format.LayerObject, 1, 32, 32, 0x10, 0)
	b.Append(4, format.OpFree, format.LayerObject, 1, 32, 32, 0x10, 0) // freed twice
	b.Append(5, format.OpAlloc, format.LayerObject, 1, 28, 32, 0x30, 0)
	if err := w.Write(&b); err != nil {
		t.Fatal(err)
	}
	w.Close()
	f.Close()
	r := analyzeFile(t, path, Options{})
	if r.AnomalyCount != 2 || r.Anomalies[0].Seq != 2 || r.Anomalies[1].Seq != 4 {
		t.Fatalf("anomalies %+v, want events #2 and #4", r.Anomalies)
	}
	if !strings.Contains(r.Anomalies[0].Message, "0x20") || r.FinalBytes != 28 || r.PeakBytes != 32 {
		t.Errorf("report %+v", r)
	}
}

func TestGrowthOptionValidated(t *testing.T) {
	path := genFile(t, 1, genOptions{ops: 10})
	r, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := Run(r, "x", Options{Points: 3}); err == nil {
		t.Error("3 growth points accepted")
	}
}

func TestUnits(t *testing.T) {
	for _, tc := range []struct {
		n     int64
		bytes string
		count string
	}{
		{0, "0 B", "0"},
		{1023, "1023 B", "1,023"},
		{1024, "1 KiB", "1,024"},
		{1536, "1.5 KiB", "1,536"},
		{10 << 20, "10 MiB", "10,485,760"},
		{3<<30 + 1<<28, "3.25 GiB", "3,489,660,928"},
		{-2048, "-2 KiB", "-2,048"},
	} {
		if got := Bytes(tc.n); got != tc.bytes {
			t.Errorf("Bytes(%d) = %q, want %q", tc.n, got, tc.bytes)
		}
		if got := Count(tc.n); got != tc.count {
			t.Errorf("Count(%d) = %q, want %q", tc.n, got, tc.count)
		}
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output:\n%s", path, got)
	}
}

// Allocations made in set-up events are untraced, as objects that exist
// before tracemalloc.start(): they count nothing, freeing them counts
// nothing, and a realloc of one makes the new block traced.
func TestSetupEventsAreUntraced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "setup.arrow")
	f, _ := os.Create(path)
	w, err := format.NewWriter(f, format.Header{
		Meta:  format.Meta{Workload: "setup", SetupEvents: 2},
		Types: []string{format.NoType, "dict", "dict.keys"}, Sites: []string{format.UnknownSite},
	})
	if err != nil {
		t.Fatal(err)
	}
	var b format.Batch
	b.Append(1, format.OpAlloc, format.LayerObject, 1, 64, 64, 0x10, 0)       // set-up: the globals dict
	b.Append(2, format.OpAlloc, format.LayerObject, 2, 120, 128, 0x20, 0)     // set-up: its keys
	b.Append(3, format.OpAlloc, format.LayerObject, 2, 208, 208, 0x30, 0)     // the keys grow: new table...
	b.Append(4, format.OpFree, format.LayerObject, 2, 120, 128, 0x20, 0)      // ...the untraced old one goes
	b.Append(5, format.OpReallocFrom, format.LayerObject, 1, 64, 64, 0x10, 0) // an untraced block reallocated
	b.Append(6, format.OpReallocTo, format.LayerObject, 1, 80, 80, 0x40, 0)   // becomes traced
	b.Append(7, format.OpFree, format.LayerObject, 2, 208, 208, 0x30, 0)
	if err := w.Write(&b); err != nil {
		t.Fatal(err)
	}
	w.Close()
	f.Close()
	r := analyzeFile(t, path, Options{})
	if r.AnomalyCount != 0 || r.PeakBytes != 288 || r.FinalBytes != 80 || r.SetupEvents != 2 {
		t.Errorf("peak %d final %d anomalies %v setup %d; want 288, 80, none, 2", r.PeakBytes, r.FinalBytes, r.Anomalies, r.SetupEvents)
	}
}
