package analyze

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heaptrace/heaptrace/format"
)

// row is one event of a hand-written trace; seq is its position.
type row struct {
	op    format.Op
	layer format.Layer
	typ   uint16
	size  int64
	block int64
	addr  uint64
	site  uint32
}

var (
	handTypes = []string{format.NoType, "int", "list", "arena"}
	handSites = []string{format.UnknownSite, "f (a.py:1)", "g (a.py:2)"}
)

// handTrace writes rows as a trace and returns its path.
func handTrace(t *testing.T, rows []row) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hand.arrow")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := format.NewWriter(f, format.Header{Meta: format.Meta{Workload: "hand"}, Types: handTypes, Sites: handSites})
	if err != nil {
		t.Fatal(err)
	}
	var b format.Batch
	for i, r := range rows {
		b.Append(uint64(i+1), r.op, r.layer, r.typ, r.size, r.block, r.addr, r.site)
	}
	if err := w.Write(&b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

func obj(op format.Op, addr uint64, size int64, site uint32) row {
	return row{op, format.LayerObject, 1, size, (size + 15) &^ 15, addr, site}
}

// Temporary allocations as heaptrack defines them: freed by the very next
// allocation-related event, with no other allocation (or free) between.
func TestTemporaryAllocations(t *testing.T) {
	const a, b = 0x1000, 0x2000
	call := row{op: format.OpCall, layer: format.LayerInterp, site: 2}
	ret := row{op: format.OpReturn, layer: format.LayerInterp, site: 2}
	lower := row{format.OpAlloc, format.LayerPymalloc, 1, 8, 16, 0x3000, 1}
	for _, tc := range []struct {
		name string
		rows []row
		want int64
	}{
		{"alloc then free", []row{obj(format.OpAlloc, a, 8, 1), obj(format.OpFree, a, 8, 1)}, 1},
		{"another alloc between", []row{obj(format.OpAlloc, a, 8, 1), obj(format.OpAlloc, b, 8, 1), obj(format.OpFree, a, 8, 1)}, 0},
		{"the later of two", []row{obj(format.OpAlloc, a, 8, 1), obj(format.OpAlloc, b, 8, 1), obj(format.OpFree, b, 8, 1), obj(format.OpFree, a, 8, 1)}, 1},
		{"another free between", []row{obj(format.OpAlloc, b, 8, 1), obj(format.OpAlloc, a, 8, 1), obj(format.OpFree, b, 8, 1), obj(format.OpFree, a, 8, 1)}, 0},
		{"calls and lower layers do not count", []row{obj(format.OpAlloc, a, 8, 1), call, lower, ret, obj(format.OpFree, a, 8, 1)}, 1},
		{"a realloc is not a free", []row{obj(format.OpAlloc, a, 8, 1), obj(format.OpReallocFrom, a, 8, 1), obj(format.OpReallocTo, b, 16, 1)}, 0},
		{"freed right after its realloc", []row{obj(format.OpAlloc, a, 8, 1), obj(format.OpReallocFrom, a, 8, 1), obj(format.OpReallocTo, b, 16, 1), obj(format.OpFree, b, 16, 1)}, 1},
		{"parked, then freed", []row{obj(format.OpAlloc, a, 8, 1), obj(format.OpCache, a, 8, 1), obj(format.OpFree, a, 8, 1)}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := analyzeFile(t, handTrace(t, tc.rows), Options{Reports: []string{"lifetimes", "sites"}})
			if got := r.Reports.Lifetimes.Temporary; got != tc.want {
				t.Errorf("%d temporary, want %d", got, tc.want)
			}
			var bySite int64
			for _, s := range r.Reports.Lifetimes.TemporaryBy {
				bySite += s.Temporary
			}
			if bySite != tc.want {
				t.Errorf("%d temporary by site, want %d", bySite, tc.want)
			}
		})
	}
}

// An arena whose blocks were all freed but one is held by that block,
// which the report names; a fresh arena with one block is not held.
func TestArenaHeldByOneBlock(t *testing.T) {
	const arena = 0x7f0000001000 // not pool-aligned: the first pool is at ...4000
	const arena2 = arena + 0x200000
	blk := func(op format.Op, addr uint64) row { return row{op, format.LayerPymalloc, 1, 30, 32, addr, 1} }
	rows := []row{
		{format.OpAlloc, format.LayerOS, 3, 1 << 20, 1 << 20, arena, 0},
		blk(format.OpAlloc, arena+0x3030), obj(format.OpAlloc, arena+0x3030, 30, 1),
		blk(format.OpAlloc, arena+0x3050), obj(format.OpAlloc, arena+0x3050, 30, 2),
		blk(format.OpAlloc, arena+0x7030), obj(format.OpAlloc, arena+0x7030, 30, 1),
		blk(format.OpFree, arena+0x3030), obj(format.OpFree, arena+0x3030, 30, 1),
		blk(format.OpFree, arena+0x7030), obj(format.OpFree, arena+0x7030, 30, 1),
		{format.OpAlloc, format.LayerOS, 3, 1 << 20, 1 << 20, arena2, 0},
		blk(format.OpAlloc, arena2+0x3030), obj(format.OpAlloc, arena2+0x3030, 30, 1),
	}
	r := analyzeFile(t, handTrace(t, rows), Options{Reports: []string{"fragmentation"}})
	if r.AnomalyCount != 0 {
		t.Fatalf("anomalies: %v", r.Anomalies)
	}
	f := r.Reports.Fragmentation
	want := HeldArena{Arena: arena, Block: arena + 0x3050, BlockSize: 32, Type: "int", Site: "g (a.py:2)"}
	if f.End.Held != 1 || f.MaxHeld != 1 || len(f.Held) != 1 || f.Held[0] != want {
		t.Errorf("held %d (at most %d): %+v; want 1: %+v", f.End.Held, f.MaxHeld, f.Held, want)
	}
	if f.End.Arenas != 2 || f.End.PoolsUsed != 2 || f.End.BlockBytes != 64 || f.End.RequestedBytes != 60 || f.AtPeak.BlockBytes != 96 {
		t.Errorf("end %+v, at peak %+v", f.End, f.AtPeak)
	}
	// a block outside every arena is an anomaly, and the replay goes on
	rows = append(rows, blk(format.OpAlloc, 0x10))
	r = analyzeFile(t, handTrace(t, rows), Options{Reports: []string{"fragmentation"}})
	if r.AnomalyCount != 1 || !strings.Contains(r.Anomalies[0].Message, "in no mapped arena") {
		t.Errorf("anomalies %v", r.Anomalies)
	}
}

// Filters that match nothing say so; the figures are then empty, not wrong.
func TestFiltersMatchingNothing(t *testing.T) {
	path := genFile(t, 9, genOptions{ops: 300})
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Type: "lsit"}, `--type "lsit" matches no type of this trace (its types: int, str, list`},
		{Options{Type: "z*"}, `--type "z*" matches no type`},
		{Options{Site: "nowhere.py"}, `--site "nowhere.py" matches no site of this trace`},
		{Options{Site: "c.py"}, `the filters (--site "c.py") match no allocation`}, // a declared site no event uses
		{Options{Type: "int", Site: "c.py"}, `the filters (--type "int" --site "c.py") match no allocation`},
	} {
		r := analyzeFile(t, path, tc.opts)
		if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], tc.want) {
			t.Errorf("%+v: warnings %q, want %q", tc.opts, r.Warnings, tc.want)
		}
		if r.PeakBytes != 0 || r.Filters.MatchedAllocs != 0 || len(r.Reports.Leaks.Rows) != 0 {
			t.Errorf("%+v: peak %d, %d matched, %d leaks", tc.opts, r.PeakBytes, r.Filters.MatchedAllocs, len(r.Reports.Leaks.Rows))
		}
		var buf bytes.Buffer
		r.WriteText(&buf)
		if !strings.Contains(buf.String(), "warning: "+tc.want) {
			t.Errorf("the text does not carry the warning:\n%s", buf.String())
		}
	}
	if r := analyzeFile(t, path, Options{Type: "l*"}); len(r.Warnings) != 0 || r.Filters.MatchedAllocs == 0 {
		t.Errorf("a glob matching list and list.items: warnings %q, %d matched", r.Warnings, r.Filters.MatchedAllocs)
	}
}

func TestOptionsValidated(t *testing.T) {
	path := genFile(t, 1, genOptions{ops: 10})
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Points: 3}, "3 growth points"},
		{Options{Reports: []string{"leaks", "leek"}}, `unknown report "leek"`},
		{Options{Top: -1}, "--top -1"},
		{Options{Type: "[x"}, `--type "[x"`},
		{Options{Thresholds: []Threshold{mustThreshold(t, "growth>1%")}}, "compares two traces"},
	} {
		r, err := format.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Run(r, "x", tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.opts, err, tc.want)
		}
		r.Close()
	}
}

func mustThreshold(t testing.TB, s string) Threshold {
	t.Helper()
	th, err := ParseThreshold(s)
	if err != nil {
		t.Fatal(err)
	}
	return th
}

// Frees that do not match allocations are anomalies with their event
// number; a second free is told from a free of an address never allocated.
func TestFreeAnomalies(t *testing.T) {
	rows := []row{
		obj(format.OpAlloc, 0x10, 32, 1),
		obj(format.OpFree, 0x20, 32, 1),
		obj(format.OpFree, 0x10, 32, 1),
		obj(format.OpFree, 0x10, 32, 1),
		obj(format.OpReuse, 0x30, 32, 1),
		{op: format.OpReturn, layer: format.LayerInterp},
		obj(format.OpAlloc, 0x40, 16, 1),
	}
	r := analyzeFile(t, handTrace(t, rows), Options{})
	want := []Anomaly{
		{2, "free of 0x20, which is not allocated"},
		{4, "free of 0x10, which was freed already at event #3"},
		{5, "reuse of 0x30, which is not allocated"},
		{6, "return without a call"},
	}
	if r.AnomalyCount != len(want) {
		t.Fatalf("%d anomalies %v, want %v", r.AnomalyCount, r.Anomalies, want)
	}
	for i, a := range r.Anomalies {
		if a != want[i] {
			t.Errorf("anomaly %d: %v, want %v", i, a, want[i])
		}
	}
	if r.FinalBytes != 16 || r.PeakBytes != 32 {
		t.Errorf("final %d peak %d after the anomalies, want 16 and 32", r.FinalBytes, r.PeakBytes)
	}
	var buf bytes.Buffer
	r.WriteText(&buf)
	if !strings.Contains(buf.String(), "#4: free of 0x10, which was freed already at event #3") {
		t.Errorf("text lacks the anomaly:\n%s", buf.String())
	}
}

// The progress bar draws on a terminal once the analysis takes a moment,
// and never on anything else.
func TestProgress(t *testing.T) {
	path := genFile(t, 3, genOptions{ops: 2000, batch: 100})
	run := func(p *Progress) {
		r, err := format.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if _, err := Run(r, "x", Options{Reports: []string{"summary"}, Progress: p.Update}); err != nil {
			t.Fatal(err)
		}
		p.Done()
	}
	var buf bytes.Buffer
	run(NewProgress(&buf, "x")) // not a terminal
	if buf.Len() != 0 {
		t.Errorf("progress drawn on a buffer: %q", buf.String())
	}
	run(newProgress(&buf, "gen-3.arrow", true, 0)) // a terminal, no delay
	if !strings.Contains(buf.String(), "gen-3.arrow") || !strings.Contains(buf.String(), "/43)") {
		t.Errorf("no progress bar drawn: %q", buf.String())
	}
	buf.Reset()
	p := newProgress(&buf, "cut.arrow", true, 0) // a cut-short file: a spinner and a count
	p.Update(1, -1)
	p.Update(2, -1)
	p.Done()
	if !strings.Contains(buf.String(), "cut.arrow") {
		t.Errorf("no spinner drawn: %q", buf.String())
	}
	buf.Reset()
	run(newProgress(&buf, "x", true, 1<<40)) // a terminal, a trace read in a moment
	if buf.Len() != 0 {
		t.Errorf("progress drawn for a quick trace: %q", buf.String())
	}
}

// A trace without events, and one with only lower-layer events, print
// every report without failing.
func TestEmptyTraces(t *testing.T) {
	for _, rows := range [][]row{
		nil,
		{{format.OpAlloc, format.LayerOS, 3, 1 << 20, 1 << 20, 0x7f0000000000, 0}},
	} {
		r := analyzeFile(t, handTrace(t, rows), Options{})
		var buf bytes.Buffer
		if err := r.WriteText(&buf); err != nil {
			t.Fatal(err)
		}
		for _, name := range ReportNames {
			if err := r.WriteCSV(&buf, name); err != nil {
				t.Error(err)
			}
		}
		if err := r.WriteJSON(&buf); err != nil {
			t.Error(err)
		}
		if r.PeakBytes != 0 || r.Events != uint64(len(rows)) {
			t.Errorf("peak %d, %d events", r.PeakBytes, r.Events)
		}
	}
}
