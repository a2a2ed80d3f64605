package analyze

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heaptrace/heaptrace/format"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// want is what a trace should analyse to, computed here from the events
// themselves, independently of the replay code under test.
type want struct {
	peak, final int64
	peakSeq     uint64
	layerPeak   [numLayers]int64
	layerFinal  [numLayers]int64
	allocs      map[string]int64
	allocBytes  map[string]int64
	finalLive   map[string]int64
	peakLive    map[string]int64
}

// gen writes a random but consistent trace and returns the expected report.
// Object-layer sizes are random; lower layers get their own events.
func gen(t *testing.T, seed int64, n int) (string, want) {
	t.Helper()
	rng := rand.New(rand.NewSource(seed))
	types := []string{format.NoType, "int", "list", "list.items", "dict.keys"}
	h := format.Header{
		Meta:  format.Meta{Profile: "cpython-3.11", Workload: fmt.Sprintf("random-%d", seed), ToolVersion: "test"},
		Types: types,
		Sites: []string{format.UnknownSite, "f (a.py:1)", "g (a.py:2)"},
	}
	path := filepath.Join(t.TempDir(), "t.arrow")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := format.NewWriter(f, h)
	if err != nil {
		t.Fatal(err)
	}
	w1 := want{allocs: map[string]int64{}, allocBytes: map[string]int64{}, finalLive: map[string]int64{}, peakLive: map[string]int64{}}
	type obj struct {
		size int64
		typ  uint16
	}
	live := map[uint64]obj{}
	var addrs []uint64
	var b format.Batch
	seq := uint64(0)
	emit := func(op format.Op, l format.Layer, typ uint16, size, block int64, addr uint64) {
		seq++
		b.Append(seq, op, l, typ, size, block, addr, uint32(rng.Intn(3)))
		if b.Len() == 1000 {
			if err := w.Write(&b); err != nil {
				t.Fatal(err)
			}
			b.Reset()
		}
	}
	var cur int64
	perType := map[string]int64{}
	lower := func(op format.Op, size int64) {
		l, block := format.LayerPymalloc, (size+15)&^15
		if size > 512 {
			l, block = format.LayerRaw, size+16
		}
		emit(op, l, 0, size, block, 0)
		w1.layerFinal[layerAllocator] += map[bool]int64{true: block, false: -block}[op == format.OpAlloc || op == format.OpReallocTo]
		w1.layerPeak[layerAllocator] = max(w1.layerPeak[layerAllocator], w1.layerFinal[layerAllocator])
	}
	check := func() {
		if cur > w1.peak {
			w1.peak, w1.peakSeq = cur, seq
			for k, v := range perType {
				w1.peakLive[k] = v
			}
		}
	}
	next := uint64(0x1000)
	for i := 0; i < n; i++ {
		switch r := rng.Intn(10); {
		case r < 5 || len(addrs) == 0:
			size := rng.Int63n(2000)
			typ := uint16(1 + rng.Intn(len(types)-1))
			if rng.Intn(20) == 0 {
				emit(format.OpAlloc, format.LayerOS, 0, 1<<20, 1<<20, 0)
				w1.layerFinal[layerOS] += 1 << 20
				w1.layerPeak[layerOS] = max(w1.layerPeak[layerOS], w1.layerFinal[layerOS])
			}
			lower(format.OpAlloc, size)
			next += 0x1000
			emit(format.OpAlloc, format.LayerObject, typ, size, 0, next)
			live[next] = obj{size, typ}
			addrs = append(addrs, next)
			cur += size
			w1.allocs[types[typ]]++
			w1.allocBytes[types[typ]] += size
			perType[types[typ]] += size
			check()
		case r < 8:
			k := rng.Intn(len(addrs))
			a := addrs[k]
			addrs[k] = addrs[len(addrs)-1]
			addrs = addrs[:len(addrs)-1]
			o := live[a]
			delete(live, a)
			lower(format.OpFree, o.size)
			emit(format.OpFree, format.LayerObject, o.typ, o.size, 0, a)
			cur -= o.size
			perType[types[o.typ]] -= o.size
		case r < 9:
			k := rng.Intn(len(addrs))
			a := addrs[k]
			o := live[a]
			size := rng.Int63n(2000)
			next += 0x1000
			emit(format.OpReallocFrom, format.LayerObject, o.typ, o.size, 0, a)
			emit(format.OpReallocTo, format.LayerObject, o.typ, size, 0, next)
			delete(live, a)
			live[next] = obj{size, o.typ}
			addrs[k] = next
			cur += size - o.size
			w1.allocBytes[types[o.typ]] += size
			perType[types[o.typ]] += size - o.size
			check()
		default:
			a := addrs[rng.Intn(len(addrs))]
			o := live[a]
			emit(format.OpCache, format.LayerObject, o.typ, o.size, 0, a)
			emit(format.OpReuse, format.LayerObject, o.typ, o.size, 0, a)
			emit(format.OpCall, format.LayerInterp, 0, 0, 0, 0)
			emit(format.OpReturn, format.LayerInterp, 0, 0, 0, 0)
		}
	}
	if b.Len() > 0 {
		if err := w.Write(&b); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	w1.final = cur
	w1.layerPeak[layerObjects], w1.layerFinal[layerObjects] = w1.peak, cur
	for k, v := range perType {
		w1.finalLive[k] = v
	}
	return path, w1
}

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

func TestRunAgainstIndependentTotals(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			path, w := gen(t, seed, 5000)
			r := analyzeFile(t, path, Options{})
			if r.PeakBytes != w.peak || r.PeakSeq != w.peakSeq || r.FinalBytes != w.final {
				t.Errorf("peak %d at #%d, final %d; want %d at #%d, %d", r.PeakBytes, r.PeakSeq, r.FinalBytes, w.peak, w.peakSeq, w.final)
			}
			for i, l := range r.Layers {
				if l.PeakBytes != w.layerPeak[i] || l.FinalBytes != w.layerFinal[i] {
					t.Errorf("layer %s: peak %d final %d; want %d %d", l.Layer, l.PeakBytes, l.FinalBytes, w.layerPeak[i], w.layerFinal[i])
				}
			}
			var sumFinal, sumPeak int64
			for _, ts := range r.ByType {
				if ts.Allocs != w.allocs[ts.Type] || ts.AllocBytes != w.allocBytes[ts.Type] ||
					ts.FinalLiveBytes != w.finalLive[ts.Type] || ts.PeakLiveBytes != w.peakLive[ts.Type] {
					t.Errorf("type %s: %+v; want allocs %d bytes %d peak %d final %d", ts.Type, ts,
						w.allocs[ts.Type], w.allocBytes[ts.Type], w.peakLive[ts.Type], w.finalLive[ts.Type])
				}
				sumFinal += ts.FinalLiveBytes
				sumPeak += ts.PeakLiveBytes
			}
			if sumFinal != r.FinalBytes || sumPeak != r.PeakBytes {
				t.Errorf("types sum to %d at the peak and %d at the end; totals %d and %d", sumPeak, sumFinal, r.PeakBytes, r.FinalBytes)
			}
			if r.AnomalyCount != 0 {
				t.Errorf("anomalies in a consistent trace: %v", r.Anomalies)
			}
			checkGrowth(t, r.Growth, 100, r)
		})
	}
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
	path, _ := gen(t, 1, 10)
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

// The text report of a fixed random trace, reviewed by eye once and kept
// as a golden file (go test ./analyze -update rewrites it).
func TestTextGolden(t *testing.T) {
	path, _ := gen(t, 42, 300)
	r := analyzeFile(t, path, Options{Points: 20})
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/random-42.txt", buf.Bytes())
	buf.Reset()
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/random-42.json", buf.Bytes())
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
