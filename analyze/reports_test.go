package analyze

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
)

// Every report, on generated traces, agrees with the oracle: figures
// computed from the raw rows by oracle_test.go, independently of the
// replay.
func TestReportsAgainstOracle(t *testing.T) {
	for _, tc := range []struct {
		name      string
		seed      int64
		opts      genOptions
		typ, site string
	}{
		{"plain", 1, genOptions{ops: 3000}, "", ""},
		{"drained", 8, genOptions{ops: 3000, drain: true}, "", ""},
		{"setup events", 2, genOptions{ops: 3000, setup: 60}, "", ""},
		{"tiny batches", 3, genOptions{ops: 1500, batch: 7}, "", ""},
		{"long", 4, genOptions{ops: 20000, drain: true}, "", ""},
		{"type filter", 5, genOptions{ops: 3000}, "list", ""},
		{"site filter", 6, genOptions{ops: 3000}, "", "a.py"},
		{"both filters", 7, genOptions{ops: 3000}, "str", "h (b.py"},
		{"small requests served raw", 9, genOptions{ops: 3000, rawSmall: true}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := genFile(t, tc.seed, tc.opts)
			o := runOracle(t, path, tc.typ, tc.site)
			// every report; then all but fragmentation, without which the
			// allocator and os layers are summed apart (lowerLayers.sums)
			noFrag := slices.DeleteFunc(slices.Clone(ReportNames), func(n string) bool { return n == "fragmentation" })
			for _, set := range []struct {
				name    string
				reports []string
			}{{"all", nil}, {"no fragmentation", noFrag}} {
				r := analyzeFile(t, path, Options{Type: tc.typ, Site: tc.site, Reports: set.reports})
				if len(o.anomalies) != 0 || r.AnomalyCount != 0 {
					t.Fatalf("anomalies in a consistent trace: oracle %v, report %v", o.anomalies, r.Anomalies)
				}
				for _, c := range []struct {
					name  string
					check func(*testing.T, *Report, *oracle)
				}{
					{"summary", checkSummary}, {"types", checkTypes}, {"peak", checkPeak}, {"growth", checkGrowthReport},
					{"leaks", checkLeaks}, {"sites", checkSites}, {"sizes", checkSizes}, {"lifetimes", checkLifetimes},
					{"fragmentation", checkFragmentation},
				} {
					if r.Reports.Fragmentation == nil && c.name == "fragmentation" {
						continue
					}
					t.Run(set.name+"/"+c.name, func(t *testing.T) { c.check(t, r, o) })
				}
			}
		})
	}
}

func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func checkSummary(t *testing.T, r *Report, o *oracle) {
	s := r.Reports.Summary
	eq(t, "events", s.Events, o.events)
	eq(t, "allocs", s.Allocs, o.allocs)
	eq(t, "frees", s.Frees, o.frees)
	eq(t, "reallocs", s.Reallocs, o.reallocs)
	eq(t, "caches", s.Caches, o.caches)
	eq(t, "reuses", s.Reuses, o.reuses)
	eq(t, "calls", s.Calls, o.calls)
	eq(t, "max depth", int64(s.MaxDepth), o.maxDepth)
	eq(t, "collections", s.Collections, o.collections)
	eq(t, "peak", r.PeakBytes, o.peak)
	eq(t, "peak seq", r.PeakSeq, o.peakSeq)
	eq(t, "final", r.FinalBytes, o.final)
	for i, l := range s.Layers {
		eq(t, l.Layer+" peak", l.PeakBytes, o.layerPeak[i])
		eq(t, l.Layer+" peak seq", l.PeakSeq, o.layerPeakSeq[i])
		eq(t, l.Layer+" final", l.FinalBytes, o.layerCur[i])
	}
	var parked int64
	for _, ob := range o.live {
		if ob.parked && !ob.skip {
			parked += ob.size
		}
	}
	eq(t, "parked", r.ParkedBytes, parked)
	// the by_type key of analyze --json
	for _, ts := range r.ByType {
		w := o.byType[ts.Type]
		eq(t, ts.Type+" allocs", ts.Allocs, w.allocs)
		eq(t, ts.Type+" alloc bytes", ts.AllocBytes, w.allocBytes)
		eq(t, ts.Type+" peak", ts.PeakLiveBytes, o.peakType[ts.Type].live)
		eq(t, ts.Type+" final", ts.FinalLiveBytes, w.live)
	}
	checkGrowth(t, r.Growth, 100, r)
}

func active(x *oTally) bool {
	return x.allocs+x.reallocs+x.reuses != 0 || x.live != 0
}

func checkTypes(t *testing.T, r *Report, o *oracle) {
	rep := r.Reports.Types
	n := 0
	for k, x := range o.byType {
		if active(x) || o.peakType[k].live != 0 {
			n++
		}
	}
	eq(t, "rows", len(rep.Rows), n)
	var total TypeRow
	for i, row := range rep.Rows {
		w, p := o.byType[row.Type], o.peakType[row.Type]
		got := [...]int64{row.Allocs, row.Reallocs, row.Frees, row.Reuses, row.AllocBytes, row.AllocBlockBytes,
			row.PeakLiveObjects, row.PeakLiveBytes, row.PeakLiveBlockBytes, row.FinalLiveObjects, row.FinalLiveBytes, row.FinalLiveBlock}
		want := [...]int64{w.allocs, w.reallocs, w.frees, w.reuses, w.allocBytes, w.allocBlock,
			p.liveN, p.live, p.liveBlock, w.liveN, w.live, w.liveBlock}
		eq(t, row.Type, got, want)
		if n := w.allocs + w.reallocs; n > 0 {
			eq(t, row.Type+" mean", row.MeanSize, w.allocBytes/n)
		}
		if i > 0 && row.PeakLiveBytes > rep.Rows[i-1].PeakLiveBytes {
			t.Errorf("rows not largest at the peak first: %v after %v", row, rep.Rows[i-1])
		}
		total.AllocBytes += row.AllocBytes
		total.PeakLiveBytes += row.PeakLiveBytes
		total.FinalLiveBytes += row.FinalLiveBytes
	}
	eq(t, "total allocated", rep.Total.AllocBytes, total.AllocBytes)
	eq(t, "total at peak", rep.Total.PeakLiveBytes, o.peak)
	eq(t, "total at end", rep.Total.FinalLiveBytes, o.final)
}

func checkPeak(t *testing.T, r *Report, o *oracle) {
	p := r.Reports.Peak
	eq(t, "seq", p.Seq, o.peakSeq)
	eq(t, "bytes", p.Bytes, o.peak)
	eq(t, "allocator parts", [2]int64{p.Layers[1].Parts[0].Bytes, p.Layers[1].Parts[1].Bytes}, [2]int64{o.pymallocAtPeak, o.rawAtPeak})
	eq(t, "os parts", [2]int64{p.Layers[2].Parts[0].Bytes, p.Layers[2].Parts[1].Bytes}, [2]int64{o.arenasAtOSPeak, o.otherAtOSPeak})
	for _, part := range []struct {
		rows []LiveRow
		want map[string]oTally
	}{{p.ByType, o.peakType}, {p.BySite, o.peakSite}} {
		var sum int64
		n := 0
		for _, x := range part.want {
			if x.liveN != 0 {
				n++
			}
		}
		eq(t, "rows", len(part.rows), n)
		for _, row := range part.rows {
			w := part.want[row.Name]
			eq(t, row.Name, [3]int64{row.Objects, row.Bytes, row.BlockBytes}, [3]int64{w.liveN, w.live, w.liveBlock})
			sum += row.Bytes
		}
		eq(t, "rows sum to the peak", sum, o.peak)
	}
}

func checkGrowthReport(t *testing.T, r *Report, o *oracle) {
	g := r.Reports.Growth
	checkGrowth(t, g.Points, 100, r)
	n := 0
	for _, m := range o.typeMax {
		if m > 0 {
			n++
		}
	}
	if len(g.ByType) < n {
		t.Errorf("%d type curves, want at least %d", len(g.ByType), n)
	}
	for _, tg := range g.ByType {
		eq(t, tg.Type+" peak", tg.PeakBytes, o.typeMax[tg.Type])
		eq(t, tg.Type+" final", tg.FinalBytes, o.byType[tg.Type].live)
		if len(tg.Points) == 0 || len(tg.Points) > 100 || tg.Points[len(tg.Points)-1].Bytes != tg.FinalBytes {
			t.Errorf("%s: %d points ending %v", tg.Type, len(tg.Points), tg.Points[len(tg.Points)-1:])
		}
	}
}

func checkLeaks(t *testing.T, r *Report, o *oracle) {
	l := r.Reports.Leaks
	type key struct{ site, typ string }
	groups := map[key]*[3]int64{}
	stacks := map[key]map[string]int64{}
	var parkedN, parkedBytes int64
	for _, ob := range o.live {
		if ob.skip {
			continue
		}
		if ob.parked {
			parkedN++
			parkedBytes += ob.size
			continue
		}
		k := key{ob.site, ob.typ}
		if groups[k] == nil {
			groups[k] = &[3]int64{}
			stacks[k] = map[string]int64{}
		}
		groups[k][0]++
		groups[k][1] += ob.size
		groups[k][2] += ob.block
		stacks[k][ob.stack] += ob.size
	}
	eq(t, "rows", len(l.Rows), len(groups))
	eq(t, "parked", [2]int64{l.ParkedObjects, l.ParkedBytes}, [2]int64{parkedN, parkedBytes})
	eq(t, "leaked + parked = final", l.Bytes+l.ParkedBytes, o.final)
	for i, row := range l.Rows {
		k := key{row.Site, row.Type}
		w := groups[k]
		if w == nil {
			t.Errorf("row %v: nothing live there", row)
			continue
		}
		eq(t, row.Site+" "+row.Type, [3]int64{row.Objects, row.Bytes, row.BlockBytes}, *w)
		var most int64
		for _, n := range stacks[k] {
			most = max(most, n)
		}
		if n, ok := stacks[k][strings.Join(row.Stack, " < ")]; !ok || n != most {
			t.Errorf("%v: stack %q holds %d of the row, the largest stack %d", k, row.Stack, n, most)
		}
		if i > 0 && row.Bytes > l.Rows[i-1].Bytes {
			t.Errorf("rows not largest first")
		}
	}
}

func checkSiteRows(t *testing.T, what string, rows []SiteRow, all map[string]*oTally, peak map[string]oTally, key func(SiteRow) string, by func(SiteRow) int64) {
	t.Helper()
	n := 0
	for k, x := range all {
		if x := (SiteRow{AllocBytes: x.allocBytes, PeakLiveBytes: peak[k].live}); by(x) > 0 {
			n++
		}
	}
	eq(t, what+" rows", len(rows), n)
	for i, row := range rows {
		w := all[key(row)]
		if w == nil {
			t.Errorf("%s: %q allocated nothing", what, key(row))
			continue
		}
		eq(t, what+" "+key(row), [5]int64{row.Allocs, row.AllocBytes, row.PeakLiveBytes, row.FinalLiveBytes, row.Temporary},
			[5]int64{w.allocs + w.reallocs, w.allocBytes, peak[key(row)].live, w.live, w.temp})
		if i > 0 && by(row) > by(rows[i-1]) {
			t.Errorf("%s: not largest first at %d", what, i)
		}
	}
}

func checkSites(t *testing.T, r *Report, o *oracle) {
	s := r.Reports.Sites
	site := func(x SiteRow) string { return x.Site }
	stack := func(x SiteRow) string { return strings.Join(x.Stack, " < ") }
	alloc := func(x SiteRow) int64 { return x.AllocBytes }
	peak := func(x SiteRow) int64 { return x.PeakLiveBytes }
	checkSiteRows(t, "sites by allocated", s.ByAllocated, o.bySite, o.peakSite, site, alloc)
	checkSiteRows(t, "sites by peak", s.ByPeak, o.bySite, o.peakSite, site, peak)
	checkSiteRows(t, "stacks by allocated", s.StacksByAlloc, o.byStack, o.peakStack, stack, alloc)
	checkSiteRows(t, "stacks by peak", s.StacksByPeak, o.byStack, o.peakStack, stack, peak)
	for _, x := range s.StacksByAlloc {
		if x.Stack[0] != x.Site {
			t.Errorf("stack %q does not start at its site %q", x.Stack, x.Site)
		}
	}
	eq(t, "total allocated", s.AllocatedTotal, func() (n int64) {
		for _, x := range o.byType {
			n += x.allocBytes
		}
		return n
	}())
}

func checkSizes(t *testing.T, r *Report, o *oracle) {
	s := r.Reports.Sizes
	eq(t, "classes", len(s.Classes), len(o.sizes))
	for _, c := range s.Classes {
		w := o.sizes[oClassOf(c.Max)]
		if oClassOf(c.Min) != oClassOf(c.Max) {
			t.Errorf("class %d..%d spans two classes", c.Min, c.Max)
		}
		eq(t, fmt.Sprintf("class %d..%d", c.Min, c.Max), [4]int64{c.Requests, c.FreeList, c.Pymalloc, c.Raw}, w)
	}
	for i, sv := range s.Served {
		eq(t, sv.By, [2]int64{sv.Requests, sv.Bytes}, o.served[i])
	}
}

func checkLifetimes(t *testing.T, r *Report, o *oracle) {
	l := r.Reports.Lifetimes
	liveN := map[string]int64{}
	for _, ob := range o.live {
		if !ob.skip && !ob.parked {
			liveN[ob.typ]++
		}
	}
	n, freed := 0, int64(0)
	for k := range o.byType {
		if len(o.lifetimes[k]) > 0 || liveN[k] > 0 {
			n++
		}
		freed += int64(len(o.lifetimes[k]))
	}
	eq(t, "rows", len(l.ByType), n)
	eq(t, "freed", l.Freed, freed)
	eq(t, "temporary", [2]int64{l.Temporary, l.TemporaryBytes}, [2]int64{o.temporary, o.temporaryBytes})
	for _, row := range l.ByType {
		vs := o.lifetimes[row.Type]
		eq(t, row.Type+" freed", row.Freed, int64(len(vs)))
		eq(t, row.Type+" live", row.Live, liveN[row.Type])
		eq(t, row.Type+" temporary", row.Temporary, o.byType[row.Type].temp)
		if len(vs) == 0 {
			continue
		}
		var sum, mx uint64
		for _, v := range vs {
			sum += v
			mx = max(mx, v)
		}
		eq(t, row.Type+" max", row.Max, mx)
		if math.Abs(row.Mean-float64(sum)/float64(len(vs))) > 0.006 {
			t.Errorf("%s mean %v, want %v", row.Type, row.Mean, float64(sum)/float64(len(vs)))
		}
		for _, q := range []struct {
			q   float64
			got uint64
		}{{0.5, row.P50}, {0.9, row.P90}} {
			exact := quantile(vs, q.q)
			if q.got < exact || float64(q.got) > float64(exact)*1.25 {
				t.Errorf("%s p%v = %d; exact %d: want a bound within 25%% over", row.Type, q.q*100, q.got, exact)
			}
		}
	}
	var hist []int64
	for _, vs := range o.lifetimes {
		for _, v := range vs {
			bin := 0
			for x := v; x > 0; x >>= 1 {
				bin++
			}
			for len(hist) <= bin {
				hist = append(hist, 0)
			}
			hist[bin]++
		}
	}
	var got int64
	for _, b := range l.Histogram {
		bin := 0
		for x := b.Min; x > 0; x >>= 1 {
			bin++
		}
		eq(t, fmt.Sprintf("lifetimes %d..%d", b.Min, b.Max), b.Count, hist[bin])
		got += b.Count
	}
	eq(t, "histogram total", got, freed)
	var temp []TemporaryRow
	for k, x := range o.bySite {
		if x.temp > 0 {
			temp = append(temp, TemporaryRow{Site: k, Allocs: x.allocs + x.reallocs, Temporary: x.temp, Bytes: x.tempBytes})
		}
	}
	sort.Slice(temp, func(i, j int) bool {
		if temp[i].Temporary != temp[j].Temporary {
			return temp[i].Temporary > temp[j].Temporary
		}
		return temp[i].Site < temp[j].Site
	})
	eq(t, "temporary by site", fmt.Sprint(l.TemporaryBy), fmt.Sprint(temp))
}

func checkFragmentation(t *testing.T, r *Report, o *oracle) {
	f := r.Reports.Fragmentation
	e := f.End
	eq(t, "end", [7]int64{e.Arenas, e.ArenaBytes, e.PoolsUsed, e.PoolBytes, e.BlockBytes, e.RequestedBytes, e.Held},
		[7]int64{o.arenasEnd, o.arenaBytesEnd, o.poolsUsedEnd, o.poolsUsedEnd * genPool, o.blockBytesEnd, o.requestedEnd, o.heldEnd})
	eq(t, "max held", f.MaxHeld, o.maxHeld)
	eq(t, "held list", int64(len(f.Held)), o.heldEnd)
	eq(t, "raw", [2]int64{f.RawMapped, f.RawChunks}, [2]int64{o.rawMappedEnd, o.rawChunksEnd})
	if n := len(f.Points); n == 0 || f.Points[n-1].BlockBytes != e.BlockBytes || f.Points[n-1].ArenaBytes != e.ArenaBytes {
		t.Errorf("curve of %d points does not end at the end state", n)
	}
}
