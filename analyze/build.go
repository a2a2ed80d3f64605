// This file builds the reports from the replay's state at the end of the
// trace.

package analyze

import (
	"fmt"
	"math"
	"math/bits"
	"sort"
	"strings"

	"github.com/heaptrace/heaptrace/format"
)

func (p *replay) report(name string, h format.Header, truncated bool) *Report {
	p.mergeLower()
	if p.atPeak {
		p.snapshot()
	}
	r := &Report{
		Trace: name, SetupEvents: h.Meta.SetupEvents, Workload: h.Meta.Workload, Profile: h.Meta.Profile, FormatVersion: h.Meta.FormatVersion,
		Allocator: allocatorOf(h.Meta.Params), params: h.Meta.Params,
		Truncated: truncated, Events: p.events,
		PeakBytes: p.peak[layerObjects], PeakSeq: p.peakAt[layerObjects], FinalBytes: p.cur[layerObjects],
		Allocs: p.allocs, Frees: p.frees, Reallocs: p.reallocs, ParkedBytes: p.parked,
		Growth: p.growth.Points(), Anomalies: p.anoms, AnomalyCount: p.nAnoms,
		Filters:  Filters{Type: p.opts.Type, Site: p.opts.Site, Top: p.opts.Top, MatchedAllocs: p.matched},
		Warnings: p.warnings(),
		Bounded:  p.bounded,
	}
	for l := 0; l < numLayers; l++ {
		r.Layers = append(r.Layers, LayerStats{Layer: layerLabels[l], PeakBytes: p.peak[l], PeakSeq: p.peakAt[l], FinalBytes: p.cur[l]})
	}
	for i, t := range p.byType.t {
		if t.allocs == 0 && t.reallocs == 0 && t.allocBytes == 0 && t.live == 0 {
			continue
		}
		r.ByType = append(r.ByType, TypeStats{Type: p.types[i], Allocs: t.allocs, Frees: t.frees, AllocBytes: t.allocBytes, PeakLiveBytes: t.peak, FinalLiveBytes: t.live})
	}
	sort.SliceStable(r.ByType, func(i, j int) bool {
		a, b := r.ByType[i], r.ByType[j]
		if a.PeakLiveBytes != b.PeakLiveBytes {
			return a.PeakLiveBytes > b.PeakLiveBytes
		}
		return a.AllocBytes > b.AllocBytes
	})
	if r.ByType == nil {
		r.ByType = []TypeStats{}
	}
	if r.Growth == nil {
		r.Growth = []Point{}
	}
	if r.Anomalies == nil {
		r.Anomalies = []Anomaly{}
	}

	if p.sitesOn {
		r.allSites = []SiteRow{}
		for i, t := range p.bySite.t {
			if t.allocs+t.reallocs+t.reuses != 0 || t.live != 0 || t.peak != 0 {
				r.allSites = append(r.allSites, siteRow(p.sites[i], t))
			}
		}
	}
	var end endState
	if p.want&(repLeaks|repLifetimes) != 0 {
		end = p.endState()
	}
	if p.want&repSummary != 0 {
		r.Reports.Summary = p.summary(r)
	}
	if p.want&repTypes != 0 {
		r.Reports.Types = p.typesReport()
	}
	if p.want&repPeak != 0 {
		r.Reports.Peak = p.peakReport(r)
	}
	if p.want&repGrowth != 0 {
		r.Reports.Growth = p.growthReport(r)
	}
	if p.want&repLeaks != 0 {
		r.Reports.Leaks = p.leaksReport(end)
	}
	if p.want&repSites != 0 {
		r.Reports.Sites = p.sitesReport(r)
	}
	if p.want&repSizes != 0 {
		r.Reports.Sizes = p.sizesReport()
	}
	if p.want&repLifetimes != 0 {
		r.Reports.Lifetimes = p.lifetimesReport(end)
	}
	if p.want&repFragmentation != 0 {
		r.Reports.Fragmentation = p.fragReport()
	}
	return r
}

// warnings says when the filters match nothing, and why.
func (p *replay) warnings() []string {
	w := []string{}
	if p.bounded {
		w = append(w, "--bounded: each free's size and type are its row's, not checked against its allocation; the leaks, sites and lifetimes reports, the peak's sites and the objects that keep arenas mapped are left out")
	}
	if p.matched > 0 || (p.opts.Type == "" && p.opts.Site == "") {
		return w
	}
	anyTrue := func(b []bool) bool {
		for _, x := range b {
			if x {
				return true
			}
		}
		return false
	}
	switch {
	case p.typeOK != nil && !anyTrue(p.typeOK):
		w = append(w, fmt.Sprintf("--type %q matches no type of this trace (its types: %s)", p.opts.Type, strings.Join(p.types[1:], ", ")))
	case p.siteOK != nil && !anyTrue(p.siteOK):
		w = append(w, fmt.Sprintf("--site %q matches no site of this trace", p.opts.Site))
	default:
		w = append(w, fmt.Sprintf("the filters (%s) match no allocation", p.filterText()))
	}
	return w
}

func (p *replay) filterText() string {
	var f []string
	if p.opts.Type != "" {
		f = append(f, fmt.Sprintf("--type %q", p.opts.Type))
	}
	if p.opts.Site != "" {
		f = append(f, fmt.Sprintf("--site %q", p.opts.Site))
	}
	return strings.Join(f, " ")
}

// top returns how many of n rows a table shows.
func (p *replay) top(n int) int {
	if p.opts.Top > 0 && n > p.opts.Top {
		return p.opts.Top
	}
	return n
}

func (p *replay) lastSeq() uint64 {
	if p.events == 0 {
		return 0
	}
	return p.firstSeq + p.events - 1
}

func (p *replay) summary(r *Report) *SummaryReport {
	return &SummaryReport{
		Events: p.events, FirstSeq: p.firstSeq, LastSeq: p.lastSeq(), SetupEvents: p.setup,
		Calls: p.calls, MaxDepth: p.maxDepth, Collections: p.collections,
		Allocs: p.allocs, Frees: p.frees, Reallocs: p.reallocs, Caches: p.caches, Reuses: p.reuses,
		AllocBytes: p.allocBytes, ParkedBytes: p.parked, Layers: r.Layers,
	}
}

func (p *replay) typesReport() *TypesReport {
	rep := &TypesReport{Rows: []TypeRow{}}
	var rows []TypeRow
	for i, t := range p.byType.t {
		if t.allocs == 0 && t.reallocs == 0 && t.reuses == 0 && t.live == 0 && t.peak == 0 {
			continue
		}
		row := TypeRow{
			Type: p.types[i], Allocs: t.allocs, Reallocs: t.reallocs, Frees: t.frees, Reuses: t.reuses,
			AllocBytes: t.allocBytes, AllocBlockBytes: t.allocBlock,
			PeakLiveObjects: t.peakN, PeakLiveBytes: t.peak, PeakLiveBlockBytes: t.peakBlock,
			FinalLiveObjects: t.liveN, FinalLiveBytes: t.live, FinalLiveBlock: t.liveBlock,
		}
		if n := t.allocs + t.reallocs; n > 0 {
			row.MeanSize = t.allocBytes / n
		}
		rows = append(rows, row)
		tt := &rep.Total
		tt.Allocs += row.Allocs
		tt.Reallocs += row.Reallocs
		tt.Frees += row.Frees
		tt.Reuses += row.Reuses
		tt.AllocBytes += row.AllocBytes
		tt.AllocBlockBytes += row.AllocBlockBytes
		tt.PeakLiveObjects += row.PeakLiveObjects
		tt.PeakLiveBytes += row.PeakLiveBytes
		tt.PeakLiveBlockBytes += row.PeakLiveBlockBytes
		tt.FinalLiveObjects += row.FinalLiveObjects
		tt.FinalLiveBytes += row.FinalLiveBytes
		tt.FinalLiveBlock += row.FinalLiveBlock
	}
	rep.Total.Type = "total"
	if n := rep.Total.Allocs + rep.Total.Reallocs; n > 0 {
		rep.Total.MeanSize = rep.Total.AllocBytes / n
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.PeakLiveBytes != b.PeakLiveBytes {
			return a.PeakLiveBytes > b.PeakLiveBytes
		}
		if a.AllocBytes != b.AllocBytes {
			return a.AllocBytes > b.AllocBytes
		}
		return a.Type < b.Type
	})
	n := p.top(len(rows))
	rep.Rows = append(rep.Rows, rows[:n]...)
	rep.Omitted = len(rows) - n
	return rep
}

// liveRows returns the rows of ts with something live at the peak,
// largest first, cut to the top, and how many were left out.
func (p *replay) liveRows(ts []tally, names []string) ([]LiveRow, int) {
	rows := []LiveRow{}
	for i, t := range ts {
		if t.peakN == 0 && t.peak == 0 {
			continue
		}
		rows = append(rows, LiveRow{Name: names[i], Objects: t.peakN, Bytes: t.peak, BlockBytes: t.peakBlock})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Bytes != rows[j].Bytes {
			return rows[i].Bytes > rows[j].Bytes
		}
		return rows[i].Name < rows[j].Name
	})
	n := p.top(len(rows))
	return rows[:n], len(rows) - n
}

func (p *replay) peakReport(r *Report) *PeakReport {
	rep := &PeakReport{Seq: p.peakAt[layerObjects], Bytes: p.peak[layerObjects]}
	for l, ls := range r.Layers {
		pl := PeakLayer{Layer: ls.Layer, PeakBytes: ls.PeakBytes, PeakSeq: ls.PeakSeq, FinalBytes: ls.FinalBytes, Parts: []Part{}}
		switch l {
		case layerObjects:
			pl.Parts = append(pl.Parts, Part{"traced", ls.PeakBytes})
		case layerAllocator:
			pl.Parts = append(pl.Parts, Part{"pymalloc", p.allocPeakParts[0]}, Part{"raw", p.allocPeakParts[1]})
		case layerOS:
			pl.Parts = append(pl.Parts, Part{"arenas", p.osPeakParts[0]}, Part{"other", p.osPeakParts[1]})
		}
		rep.Layers = append(rep.Layers, pl)
	}
	rep.ByType, rep.OmittedTypes = p.liveRows(p.byType.t, p.types)
	rep.BySite, rep.OmittedSites = p.liveRows(p.bySite.t, p.sites)
	rep.SitesUnknown = p.bounded
	return rep
}

func (p *replay) growthReport(r *Report) *GrowthReport {
	rep := &GrowthReport{Points: r.Growth, ByType: []TypeGrowth{}, Samples: p.growth.Samples(), Limit: p.opts.Points}
	var rows []TypeGrowth
	for i, d := range p.typeGrowth {
		if d == nil {
			continue
		}
		g := TypeGrowth{Type: p.types[i], FinalBytes: p.byType.t[i].live, Points: d.Points()}
		for _, pt := range g.Points {
			if pt.Bytes > g.PeakBytes {
				g.PeakBytes, g.PeakSeq = pt.Bytes, pt.Seq
			}
		}
		rows = append(rows, g)
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].PeakBytes != rows[j].PeakBytes {
			return rows[i].PeakBytes > rows[j].PeakBytes
		}
		return rows[i].Type < rows[j].Type
	})
	n := p.top(len(rows))
	rep.ByType = append(rep.ByType, rows[:n]...)
	rep.Omitted = len(rows) - n
	return rep
}

// endState is what one walk over the live objects at the end finds.
type endState struct {
	groups      map[uint64]*leakGroup // site<<16 | type
	parkedN     int64
	parkedBytes int64
	liveByType  []int64 // objects in use (not parked), per type
}

type leakGroup struct {
	row    LeakRow
	stacks map[uint32]int64
}

func (p *replay) endState() endState {
	e := endState{groups: map[uint64]*leakGroup{}, liveByType: make([]int64, len(p.types))}
	for _, o := range p.live.all() {
		if o.skip {
			continue
		}
		if o.parked {
			e.parkedN++
			e.parkedBytes += o.size
			continue
		}
		e.liveByType[o.typ]++
		k := uint64(o.site)<<16 | uint64(o.typ)
		g := e.groups[k]
		if g == nil {
			g = &leakGroup{row: LeakRow{Site: p.sites[o.site], Type: p.types[o.typ]}, stacks: map[uint32]int64{}}
			e.groups[k] = g
		}
		g.row.Objects++
		g.row.Bytes += o.size
		g.row.BlockBytes += o.block
		if p.stacksOn {
			g.stacks[o.stack] += o.size
		}
	}
	return e
}

func (p *replay) leaksReport(e endState) *LeaksReport {
	rep := &LeaksReport{Rows: []LeakRow{}, ParkedObjects: e.parkedN, ParkedBytes: e.parkedBytes}
	rows := make([]LeakRow, 0, len(e.groups))
	for _, g := range e.groups {
		row := g.row
		var best uint32
		found := false
		for id, n := range g.stacks {
			if !found || n > g.stacks[best] || n == g.stacks[best] && id < best {
				best, found = id, true
			}
		}
		row.Stack = []string{}
		if found {
			row.Stack = p.stacks.labels(best, p.sites)
		}
		rows = append(rows, row)
		rep.Objects += row.Objects
		rep.Bytes += row.Bytes
		rep.BlockBytes += row.BlockBytes
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Bytes != b.Bytes {
			return a.Bytes > b.Bytes
		}
		if a.Site != b.Site {
			return a.Site < b.Site
		}
		return a.Type < b.Type
	})
	n := p.top(len(rows))
	rep.Rows = append(rep.Rows, rows[:n]...)
	rep.Omitted = len(rows) - n
	return rep
}

func siteRow(site string, t tally) SiteRow {
	return SiteRow{Site: site, Allocs: t.allocs + t.reallocs, AllocBytes: t.allocBytes, PeakLiveBytes: t.peak, FinalLiveBytes: t.live, Temporary: t.temp}
}

// ranked returns the top rows of rows by key, largest first, leaving out
// rows whose key is 0.
func (p *replay) ranked(rows []SiteRow, key func(SiteRow) int64) []SiteRow {
	out := []SiteRow{}
	for _, r := range rows {
		if key(r) > 0 {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return key(out[i]) > key(out[j]) })
	return out[:p.top(len(out))]
}

func (p *replay) sitesReport(r *Report) *SitesReport {
	rep := &SitesReport{PeakSeq: p.peakAt[layerObjects], AllocatedTotal: p.allocBytes}
	sites := append([]SiteRow(nil), r.allSites...)
	var stacks []SiteRow
	for i, t := range p.byStack.t {
		if i == 0 || t.allocs+t.reallocs+t.reuses == 0 && t.live == 0 && t.peak == 0 {
			continue
		}
		row := siteRow(p.sites[p.stacks.nodes[i].site], t)
		row.Stack = p.stacks.labels(uint32(i), p.sites)
		stacks = append(stacks, row)
	}
	// a stable order first, so that ties rank the same way every run
	byName := func(rows []SiteRow) {
		keys := make([]string, len(rows))
		for i, r := range rows {
			keys[i] = r.Site + "\x01" + strings.Join(r.Stack, "\x00")
		}
		sort.Sort(byKey{rows, keys})
	}
	byName(sites)
	byName(stacks)
	alloc := func(r SiteRow) int64 { return r.AllocBytes }
	peak := func(r SiteRow) int64 { return r.PeakLiveBytes }
	rep.Sites, rep.Stacks = len(sites), len(stacks)
	rep.ByAllocated, rep.ByPeak = p.ranked(sites, alloc), p.ranked(sites, peak)
	rep.StacksByAlloc, rep.StacksByPeak = p.ranked(stacks, alloc), p.ranked(stacks, peak)
	rep.OmittedSites = len(sites) - max(len(rep.ByAllocated), len(rep.ByPeak))
	rep.OmittedStacks = len(stacks) - max(len(rep.StacksByAlloc), len(rep.StacksByPeak))
	rep.OmittedSites = max(rep.OmittedSites, 0)
	rep.OmittedStacks = max(rep.OmittedStacks, 0)
	return rep
}

func (p *replay) sizesReport() *SizesReport {
	rep := &SizesReport{Classes: []SizeClass{}}
	names := [...]string{"free_list", "pymalloc", "raw"}
	for i, s := range p.served {
		s.By = names[i]
		rep.Served = append(rep.Served, s)
		rep.Requests += s.Requests
		rep.Bytes += s.Bytes
	}
	for c, s := range p.sizes {
		if s.Requests == 0 {
			continue
		}
		s.Min, s.Max = sizeClassRange(c)
		rep.Classes = append(rep.Classes, s)
	}
	return rep
}

func (p *replay) lifetimesReport(e endState) *LifetimesReport {
	rep := &LifetimesReport{Temporary: p.temporary, TemporaryBytes: p.temporaryBytes, Allocs: p.allocs + p.reallocs,
		ByType: []LifetimeRow{}, Histogram: []LifetimeBin{}, TemporaryBy: []TemporaryRow{}}
	var rows []LifetimeRow
	var bins [65]int64
	for i := range p.lifes {
		l := &p.lifes[i]
		if l.n == 0 && e.liveByType[i] == 0 {
			continue
		}
		row := LifetimeRow{Type: p.types[i], Freed: l.n, Live: e.liveByType[i], Max: l.max, Temporary: p.byType.t[i].temp}
		if l.n > 0 {
			row.Mean = float64(int64(float64(l.sum)/float64(l.n)*100+0.5)) / 100
			row.P50 = min(l.quantile(0.5), l.max)
			row.P90 = min(l.quantile(0.9), l.max)
		}
		rep.Freed += l.n
		for b, n := range l.hist {
			if n > 0 {
				lo, _ := lifeBucketRange(b)
				bins[bits.Len64(lo)] += n
			}
		}
		rows = append(rows, row)
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Freed+rows[i].Live != rows[j].Freed+rows[j].Live {
			return rows[i].Freed+rows[i].Live > rows[j].Freed+rows[j].Live
		}
		return rows[i].Type < rows[j].Type
	})
	n := p.top(len(rows))
	rep.ByType = append(rep.ByType, rows[:n]...)
	rep.Omitted = len(rows) - n
	lo, hi := -1, -1
	for i, n := range bins {
		if n > 0 {
			if lo < 0 {
				lo = i
			}
			hi = i
		}
	}
	for i := lo; lo >= 0 && i <= hi; i++ {
		b := LifetimeBin{Count: bins[i]}
		if i > 0 {
			b.Min, b.Max = 1<<(i-1), 1<<(i-1)+(1<<(i-1)-1)
		}
		rep.Histogram = append(rep.Histogram, b)
	}
	var temp []TemporaryRow
	for i, t := range p.bySite.t {
		if t.temp > 0 {
			temp = append(temp, TemporaryRow{Site: p.sites[i], Allocs: t.allocs + t.reallocs, Temporary: t.temp, Bytes: t.tempBytes})
		}
	}
	sort.Slice(temp, func(i, j int) bool {
		if temp[i].Temporary != temp[j].Temporary {
			return temp[i].Temporary > temp[j].Temporary
		}
		return temp[i].Site < temp[j].Site
	})
	n = p.top(len(temp))
	rep.TemporaryBy = append(rep.TemporaryBy, temp[:n]...)
	rep.OmittedSites = len(temp) - n
	return rep
}

// quantile returns the top of the histogram bucket holding the q-th
// quantile of the lifetimes.
func (l *lifetimes) quantile(q float64) uint64 {
	rank := max(int64(math.Ceil(q*float64(l.n))), 1)
	var seen int64
	for b, n := range l.hist {
		seen += n
		if seen >= rank {
			_, hi := lifeBucketRange(b)
			return hi
		}
	}
	return l.max
}

func (p *replay) fragReport() *FragmentationReport {
	f := p.frag
	rep := &FragmentationReport{
		ArenaSize: f.arenaSize, PoolSize: f.poolSize,
		End: f.state(p.lastSeq()), AtPeak: withRatios(f.atPeak),
		MaxHeld: f.maxHeld, MaxHeldSeq: f.maxHeldSeq,
		RawMapped: p.otherCur, RawChunks: p.rawCur, RawPeakMap: p.otherPeak,
		Points: f.curve(), ArenasMapped: f.mapped, ArenasFreed: f.unmapped,
	}
	held := f.held(p)
	sort.Slice(held, func(i, j int) bool { return held[i].Arena < held[j].Arena })
	rep.Held = held[:p.top(len(held))]
	return rep
}

// byKey sorts rows by precomputed keys.
type byKey struct {
	rows []SiteRow
	keys []string
}

func (b byKey) Len() int           { return len(b.rows) }
func (b byKey) Less(i, j int) bool { return b.keys[i] < b.keys[j] }
func (b byKey) Swap(i, j int) {
	b.rows[i], b.rows[j] = b.rows[j], b.rows[i]
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
}
