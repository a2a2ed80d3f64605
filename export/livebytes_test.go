package export

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/heaptrace/heaptrace/format"
)

// liveObjectBytes, the memory a live object is counted for against
// --max-memory, is at least what one costs in replay.live, measured: the
// heap the map takes for about a million objects, just past its growth
// thresholds and not.
func TestLiveObjectBytes(t *testing.T) {
	for _, n := range []int{917_505, 1 << 20, 1<<20 + 1, 1_500_000} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		live := map[uint64]liveObject{}
		for i := range n {
			live[0x7f0000000000+uint64(i)*16] = liveObject{size: int64(i), tally: int32(i)}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		per := float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
		runtime.KeepAlive(live)
		t.Logf("%d objects: %.1f bytes each", n, per)
		if per > liveObjectBytes {
			t.Errorf("%d live objects take %.1f bytes each, over liveObjectBytes (%d)", n, per, liveObjectBytes)
		}
	}
}

// An export that replays each live object stops, with an error that says
// what to do, when the live objects would take more than MaxMemory:
// analyze's pass or the export's own replay, whichever is over first;
// the row formats need no such memory and ignore the bound.
func TestMaxMemory(t *testing.T) {
	dir := t.TempDir()
	path := genTrace(t, dir, 1, genOptions{ops: 6000})
	live := int64(analyzeFile(t, path).Reports.Types.Total.FinalLiveObjects)
	if live < 100 {
		t.Fatalf("%d objects live at the end: too few to test with", live)
	}
	for _, f := range []Format{Pprof, SVG, HTML} {
		_, err := Export(path, filepath.Join(dir, "out."+f.String()), Options{Format: f, MaxMemory: 1 << 10})
		for _, want := range []string{"export gen-1.arrow: event #", "objects are live", "over --max-memory 1 KiB", "Parquet, CSV and JSON lines"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %v: want it to say %q", f, err, want)
			}
		}
	}
	if _, err := Export(path, filepath.Join(dir, "out.csv"), Options{Format: CSV, MaxMemory: 1 << 10}); err != nil {
		t.Errorf("csv: %v", err)
	}

	// the export's own replay, with analyze's pass done
	r, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p := newReplay(r.Header(), true)
	p.name, p.limit = "gen-1.arrow", live*liveObjectBytes/2
	if _, err := p.run(r, nil, nil, nil); err == nil || !strings.Contains(err.Error(), "export gen-1.arrow: event #") {
		t.Errorf("replay with a limit of %d bytes for %d live objects: %v", p.limit, live, err)
	}
}
