package analyze

import (
	"encoding/json"
	"math/rand"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/heaptrace/heaptrace/format"
)

// boundedReportNames are the reports a bounded replay computes.
var boundedReportNames = []string{"summary", "types", "peak", "growth", "sizes", "fragmentation"}

// reportJSON returns r's JSON as a generic value, without what tells a
// bounded replay from a full one: its flag, its warning, the peak's sites
// and the objects that keep arenas mapped.
func reportJSON(t *testing.T, r *Report) map[string]any {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	delete(v, "bounded")
	delete(v, "warnings")
	peak := v["reports"].(map[string]any)["peak"].(map[string]any)
	delete(peak, "by_site")
	delete(peak, "omitted_sites")
	delete(peak, "sites_unknown")
	// the object that keeps an arena mapped is found among the live ones
	if frag, ok := v["reports"].(map[string]any)["fragmentation"].(map[string]any); ok {
		for _, a := range frag["held_arenas"].([]any) {
			for _, k := range []string{"block", "block_bytes", "type", "site"} {
				delete(a.(map[string]any), k)
			}
		}
	}
	return v
}

// A bounded replay gives the figures of a full one for every report it
// computes, on consistent traces of every shape the generator makes: it
// takes what a free ends from the row, and a consistent trace's free rows
// repeat their allocation's size, block and type.
func TestBoundedAgreesWithFullReplay(t *testing.T) {
	for _, tc := range []struct {
		name string
		seed int64
		o    genOptions
		opts Options
	}{
		{"plain", 1, genOptions{ops: 3000}, Options{}},
		{"setup", 2, genOptions{ops: 3000, setup: 400}, Options{}},
		{"drained", 3, genOptions{ops: 4000, drain: true}, Options{}},
		{"small batches", 4, genOptions{ops: 2000, batch: 7, max: 50}, Options{}},
		{"type filter", 5, genOptions{ops: 3000}, Options{Type: "list*"}},
		{"few points", 6, genOptions{ops: 5000}, Options{Points: 6, Top: 2}},
		{"small requests served raw", 7, genOptions{ops: 3000, rawSmall: true}, Options{}},
	} {
		path := genFile(t, tc.seed, tc.o)
		// without the sizes report, the object layer replays in one pass
		// (countBounded), which must agree too
		noSizes := []string{"summary", "types", "peak", "growth", "fragmentation"}
		for _, reports := range [][]string{boundedReportNames, noSizes} {
			t.Run(tc.name+"/"+strings.Join(reports, ","), func(t *testing.T) {
				boundedAgrees(t, path, tc.opts, reports)
			})
		}
	}
}

// boundedAgrees checks that the bounded replay of the trace at path gives
// the full replay's reports.
func boundedAgrees(t *testing.T, path string, opts Options, reports []string) {
	t.Helper()
	full, bounded := opts, opts
	full.Reports, bounded.Reports = reports, reports
	bounded.Bounded = true
	want := analyzeFile(t, path, full)
	got := analyzeFile(t, path, bounded)
	if !got.Bounded || got.Reports.Peak == nil || !got.Reports.Peak.SitesUnknown || len(got.Reports.Peak.BySite) != 0 {
		t.Errorf("bounded report: bounded %v, peak %+v: want it marked, with no sites", got.Bounded, got.Reports.Peak)
	}
	if len(got.Warnings) == 0 || !strings.Contains(got.Warnings[0], "--bounded") {
		t.Errorf("warnings %q: want one saying the replay was bounded", got.Warnings)
	}
	if w, g := reportJSON(t, want), reportJSON(t, got); !reflect.DeepEqual(w, g) {
		wj, _ := json.MarshalIndent(w, "", " ")
		gj, _ := json.MarshalIndent(g, "", " ")
		t.Errorf("bounded replay differs from the full one:\nfull:\n%s\nbounded:\n%s", wj, gj)
	}
}

// Naming all reports (none) in a bounded replay gives the ones it can
// compute; naming one it cannot, or a filter or threshold on sites, is an
// error that says why.
func TestBoundedRefusesWhatNeedsEachObject(t *testing.T) {
	path := genFile(t, 1, genOptions{ops: 100})
	r := analyzeFile(t, path, Options{Bounded: true})
	if r.Reports.Leaks != nil || r.Reports.Sites != nil || r.Reports.Lifetimes != nil || r.Reports.Summary == nil || r.Reports.Fragmentation == nil {
		t.Errorf("bounded replay of every report: %+v, want all but leaks, sites and lifetimes", r.Reports)
	}
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Reports: []string{"summary", "leaks"}}, "the leaks report follows each live object"},
		{Options{Reports: []string{"lifetimes"}}, "the lifetimes report"},
		{Options{Reports: []string{"sites"}}, "the sites report"},
		{Options{Site: "a.py"}, "--site needs each object's allocation site"},
		{Options{Thresholds: []Threshold{mustThreshold(t, "site:a.py.peak>1KiB")}}, "needs each object's allocation site"},
	} {
		tc.opts.Bounded = true
		f, err := format.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Run(f, "x", tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "--bounded") {
			t.Errorf("%+v: error %v, want one saying %q", tc.opts, err, tc.want)
		}
		f.Close()
	}
}

// What a bounded replay can check, it checks: a reuse of a block that no
// cache parked.
func TestBoundedReuseOfBlockNotParked(t *testing.T) {
	rows := []row{
		obj(format.OpAlloc, 0x10, 32, 1),
		obj(format.OpCache, 0x10, 32, 1),
		obj(format.OpReuse, 0x10, 32, 2),
		obj(format.OpReuse, 0x10, 32, 2),
		obj(format.OpFree, 0x10, 32, 2),
	}
	r := analyzeFile(t, handTrace(t, rows), Options{Bounded: true})
	want := []Anomaly{{4, "reuse of 0x10, which is not parked on a free list"}}
	if !reflect.DeepEqual(r.Anomalies, want) {
		t.Errorf("anomalies %v, want %v", r.Anomalies, want)
	}
	if r.FinalBytes != 0 || r.ParkedBytes != 0 || r.Frees != 1 {
		t.Errorf("final %d, parked %d, frees %d: want 0, 0, 1", r.FinalBytes, r.ParkedBytes, r.Frees)
	}
}

// allocsOnly writes a trace of n allocations never freed: the live
// objects grow with the trace.
func allocsOnly(t *testing.T, n int) string {
	rows := make([]row, n)
	for i := range rows {
		rows[i] = obj(format.OpAlloc, 0x1000+uint64(i)*16, 16, 1)
	}
	return handTrace(t, rows)
}

// A trace whose live objects need more than Options.MaxMemory stops with
// an error that names the trace and the event, and offers the bounded
// replay, which then analyses it in the memory of an empty table.
func TestMaxMemoryStopsTheReplay(t *testing.T) {
	path := allocsOnly(t, 20000)
	goroutines := runtime.NumGoroutine()
	f, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(f, "big.arrow", Options{MaxMemory: 96 << 10})
	f.Close()
	// every report keeps births and stacks: a 96 KiB table holds 2048
	// slots of 48 bytes, at most half full, and the 1025th object would
	// make it grow
	for _, want := range []string{"analyze big.arrow: event #1025:", "1,025 objects are live", "a table for more would take 192 KiB, over --max-memory 96 KiB", "--bounded"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v: want it to say %q", err, want)
		}
	}
	// the pipeline's goroutines end with Run
	for i := 0; runtime.NumGoroutine() > goroutines && i < 100; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutines {
		t.Errorf("%d goroutines after Run, %d before", n, goroutines)
	}

	f, err = format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := newReplay(f.Header(), Options{MaxMemory: 64 << 10, Bounded: true})
	if err != nil {
		t.Fatal(err)
	}
	var b format.Batch
	for f.Next(&b) == nil {
		if err := p.batch(&b); err != nil {
			t.Fatal(err)
		}
	}
	if len(p.live.slots) != liveMinSlots || p.parkedAt.Len() != 0 {
		t.Errorf("bounded replay: live table of %d slots, %d parked: want %d and 0", len(p.live.slots), p.parkedAt.Len(), liveMinSlots)
	}
	if p.cur[layerObjects] != 20000*16 {
		t.Errorf("bounded replay: %d bytes live, want %d", p.cur[layerObjects], 20000*16)
	}
}

func TestMaxMemoryValidated(t *testing.T) {
	f, err := format.Open(genFile(t, 1, genOptions{ops: 10}))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := Run(f, "x", Options{MaxMemory: -1}); err == nil || !strings.Contains(err.Error(), "--max-memory -1") {
		t.Errorf("MaxMemory -1: error %v", err)
	}
}

// A bounded replay keeps the objects parked on free lists, which CPython
// bounds; a trace that parks more than Options.MaxMemory holds stops too.
func TestBoundedParkedObjectsBounded(t *testing.T) {
	var rows []row
	for i := uint64(0); i < 200; i++ {
		rows = append(rows, obj(format.OpAlloc, 0x1000+16*i, 16, 1), obj(format.OpCache, 0x1000+16*i, 16, 1))
	}
	f, err := format.Open(handTrace(t, rows))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// 64 slots of 32 bytes at first; the 33rd parked object grows them
	_, err = Run(f, "parks.arrow", Options{Bounded: true, MaxMemory: 3 << 10})
	if err == nil || !strings.Contains(err.Error(), "event #66: 33 objects are parked on free lists, in a table of 4 KiB, over --max-memory 3 KiB") {
		t.Errorf("error %v", err)
	}
}

// The filters of parked and untraced addresses, and of untraced ones,
// never forget one that is there, and rebuild themselves as addresses come and go, so that they
// keep few bits for addresses gone.
func TestAddressFilters(t *testing.T) {
	tab := &objectTable{parkedAt: newAddrTable[liveHot](64), untraced: map[uint64]bool{}}
	for _, tc := range []struct {
		name     string
		add, del func(addr uint64)
		filter   *addrFilter
	}{
		{"parked", func(a uint64) { tab.parkedAt.put(a, liveHot{}); tab.noteParked(a) }, tab.parkedAt.del, &tab.special},
		{"untraced", func(a uint64) { tab.untraced[a] = true; tab.noteUntraced(a) }, func(a uint64) { delete(tab.untraced, a) }, &tab.untracedMay},
	} {
		rng := rand.New(rand.NewSource(1))
		held := map[uint64]bool{}
		for i := 0; i < 200000; i++ {
			addr := uint64(rng.Intn(1<<20)) * 16
			if held[addr] {
				tc.del(addr)
				delete(held, addr)
				continue
			}
			tc.add(addr)
			held[addr] = true
			if len(held) > 500 {
				for a := range held {
					tc.del(a)
					delete(held, a)
					break
				}
			}
		}
		for a := range held {
			if !tc.filter.mayHold(a) {
				t.Fatalf("%s: address %#x is held, and the filter says it is not", tc.name, a)
			}
		}
		if max := 2*len(held) + 64 + 1; tc.filter.set > max {
			t.Errorf("%s: filter has %d bits set for %d addresses held; want at most %d", tc.name, tc.filter.set, len(held), max)
		}
		misses := 0
		for i := 0; i < 10000; i++ {
			if a := uint64(1<<30 + i*16); tc.filter.mayHold(a) {
				misses++
			}
		}
		if misses > 500 {
			t.Errorf("%s: %d of 10000 addresses never added pass the filter; want few (%d bits of 65536 set)", tc.name, misses, tc.filter.set)
		}
	}
}
