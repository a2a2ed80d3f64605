// This file defines Run and the replay core: one pass over a trace that
// keeps the live objects, the per-layer totals, and the tallies per type,
// site and call stack that the reports are built from.

package analyze

import (
	"fmt"
	"path"
	"strings"

	"github.com/heaptrace/heaptrace/format"
)

// Options tune an analysis. The zero value asks for every report with
// every row.
type Options struct {
	// Points bounds each growth curve; 0 means 100. At least 4.
	Points int
	// MaxAnomalies bounds the anomalies listed (all are counted); 0 means 20.
	MaxAnomalies int
	// Reports names the reports to compute (ReportNames); none means all.
	// Reports asked for together share one pass over the trace.
	Reports []string
	// Top bounds the rows of each report's tables; 0 means all.
	Top int
	// Type keeps only the object-layer allocations of this type: a name
	// ("list.items") or a glob ("list*", "dict.?eys").
	Type string
	// Site keeps only the object-layer allocations whose site contains
	// this text ("words.py:12", "count_words").
	Site string
	// Thresholds are --fail-if conditions checked on this trace alone
	// (Report.Thresholds); a change (a percentage, growth) is an error
	// here, as it needs two traces (Diff).
	Thresholds []Threshold
	// Progress, if set, is called after each batch with the batches read
	// and the batches in the file (-1 when unknown: a cut-short file).
	Progress func(done, total int)
	// MaxMemory bounds the memory of the live objects' table, in bytes (0:
	// no bound). A trace whose live objects need more stops the analysis
	// with an error that names the event, rather than the machine running
	// out of memory: a trace of a billion allocations never freed would
	// need tens of gigabytes.
	MaxMemory int64
	// Bounded replays the object layer without the live objects: what a
	// free ends is its row's own size, block and type (a free row repeats
	// its allocation's), so the memory is bounded whatever the trace. The
	// reports that follow each object (leaks, sites, lifetimes), the
	// peak's sites and the objects that keep arenas mapped (fragmentation)
	// are not known, the --site filter cannot apply (a free row's site is
	// where the free happened), and frees are not checked against
	// allocations.
	Bounded bool
}

// Report is the analysis of one trace. Its JSON form is documented in the
// README ("analyze --json" and "analyze reports"): the keys up to
// anomaly_count are the summary that every analysis computes; Reports
// holds the reports asked for.
type Report struct {
	Trace         string       `json:"trace"`
	SetupEvents   uint64       `json:"setup_events"`
	Workload      string       `json:"workload"`
	Profile       string       `json:"profile"`
	Allocator     string       `json:"allocator"`
	FormatVersion int          `json:"format_version"`
	Truncated     bool         `json:"truncated"`
	Events        uint64       `json:"events"`
	PeakBytes     int64        `json:"peak_bytes"`
	PeakSeq       uint64       `json:"peak_seq"`
	FinalBytes    int64        `json:"final_bytes"`
	Allocs        int64        `json:"allocs"`
	Frees         int64        `json:"frees"`
	Reallocs      int64        `json:"reallocs"`
	ParkedBytes   int64        `json:"parked_bytes"`
	Layers        []LayerStats `json:"layers"`
	ByType        []TypeStats  `json:"by_type"`
	Growth        []Point      `json:"growth"`
	Anomalies     []Anomaly    `json:"anomalies"`
	AnomalyCount  int          `json:"anomaly_count"`
	Filters       Filters      `json:"filters"`
	Warnings      []string     `json:"warnings"`
	Reports       Reports      `json:"reports"`
	// Thresholds are the --fail-if results, when there are any.
	Thresholds []ThresholdResult `json:"thresholds,omitempty"`
	// Bounded says the object layer was replayed from the rows alone
	// (Options.Bounded).
	Bounded bool `json:"bounded,omitempty"`

	// params is the trace's heaptrace.params, for modelWarnings.
	params string

	// allSites is every site's row, for thresholds and Diff; nil when
	// no report asked for sites.
	allSites []SiteRow
}

// LayerStats is the peak and final bytes of one layer of the heap:
// "objects" (requested bytes: tracemalloc's figures), "allocator"
// (pymalloc blocks and malloc chunks in use) and "os" (bytes mapped).
type LayerStats struct {
	Layer      string `json:"layer"`
	PeakBytes  int64  `json:"peak_bytes"`
	PeakSeq    uint64 `json:"peak_seq"`
	FinalBytes int64  `json:"final_bytes"`
}

// TypeStats is one object type's share of the object layer.
type TypeStats struct {
	Type           string `json:"type"`
	Allocs         int64  `json:"allocs"`
	Frees          int64  `json:"frees"`
	AllocBytes     int64  `json:"alloc_bytes"`
	PeakLiveBytes  int64  `json:"peak_live_bytes"`
	FinalLiveBytes int64  `json:"final_live_bytes"`
}

// Anomaly is an event that does not fit the ones before it, such as a free
// of an address that is not allocated. The analysis goes on past it.
type Anomaly struct {
	Seq     uint64 `json:"seq"`
	Message string `json:"message"`
}

const (
	layerObjects = iota
	layerAllocator
	layerOS
	numLayers
)

var layerLabels = [numLayers]string{"objects", "allocator", "os"}

// liveObject is one live allocation at the object layer.
type liveObject struct {
	size, block int64
	birth       uint64 // the alloc or reuse that made the object; a realloc keeps it
	site, stack uint32
	typ         uint16
	parked      bool // on a free list: allocated, but no object uses it
	skip        bool // left out by the filters
}

// tally is what the replay counts for one type, site or call stack.
type tally struct {
	allocs, reallocs, frees, reuses int64
	allocBytes, allocBlock          int64
	live, liveBlock, liveN          int64
	peak, peakBlock, peakN          int64 // live, as at the object layer's peak
	temp, tempBytes                 int64 // temporary allocations
	dirty                           bool  // live changed since the last peak snapshot
}

// tallies is a table of tallies with the list of those changed since the
// last peak snapshot, so that a snapshot costs what changed, not the
// table's size.
type tallies struct {
	t     []tally
	dirty []uint32
}

// at returns the tally of i, growing the table to hold it: the call
// stacks' table is interned on another goroutine, and grows as it goes.
func (ts *tallies) at(i uint32) *tally {
	if int(i) >= len(ts.t) {
		ts.t = append(ts.t, make([]tally, int(i)+1-len(ts.t))...)
	}
	return &ts.t[i]
}

func (ts *tallies) touch(i uint32) *tally {
	t := &ts.t[i]
	if !t.dirty {
		t.dirty = true
		ts.dirty = append(ts.dirty, i)
	}
	return t
}

func (ts *tallies) snapshot() {
	for _, i := range ts.dirty {
		t := &ts.t[i]
		t.peak, t.peakBlock, t.peakN = t.live, t.liveBlock, t.liveN
		t.dirty = false
	}
	ts.dirty = ts.dirty[:0]
}

// lifetimes are one type's object lifetimes, in events.
type lifetimes struct {
	n, sum int64
	max    uint64
	hist   [lifeBuckets]int64
}

// recentFrees remembers the last frees so that a second free of an
// address can be told from a free of one never allocated; it is read
// only when an anomaly is found.
const recentFrees = 1024

type freed struct {
	addr, seq uint64
}

// replay holds the state of one pass over a trace. Its memory is the live
// objects, the type, site and stack tables, and bounded curves: never the
// events.
type replay struct {
	opts  Options
	want  reportSet
	types []string
	sites []string

	byType                  tallies
	cur                     [numLayers]int64
	peak                    [numLayers]int64
	peakAt                  [numLayers]uint64
	atPeak                  bool // the object layer is at a new peak and the snapshot is pending
	parked, parkedN         int64
	allocs, frees, reallocs int64
	caches, reuses          int64
	allocBytes              int64
	events, firstSeq        uint64
	growth                  *Downsampler
	matched                 int64 // allocations that pass the filters

	// per site and call stack, when a report needs them
	sitesOn bool
	sizesOn bool // the sizes report: requests by size class and server
	bySite  tallies
	byStack tallies

	*lowerLayers         // the allocator and os layers: see lower.go
	*objectTable         // the live objects and call stacks: see objects.go
	rec          records // batch's, when it replays on one goroutine

	lastLowerAddr             uint64
	lastLowerLayer            format.Layer
	lastAlloc                 uint64 // the address of the last object-layer allocation...
	lastAllocOK               bool   // ...if no free or other allocation came after it
	temporary, temporaryBytes int64

	typeGrowth []*Downsampler // per type, when the growth report is on
	lifes      []lifetimes    // per type, when the lifetimes report is on
	sizes      [numSizeClasses]SizeClass
	served     [3]Served
}

// Run replays the trace r to its end and returns its report. A trace cut
// short is analysed up to its last complete batch (Report.Truncated).
func Run(r *format.Reader, name string, opts Options) (*Report, error) {
	p, err := newReplay(r.Header(), opts)
	if err != nil {
		return nil, err
	}
	p.objectTable.name = name
	total := r.NumBatches()
	done := 0
	table, count := p.objectTable.batch, p.upper
	if p.bounded {
		// the table's stage counts too, and leaves no records
		table, count = func(b *format.Batch, _ *records) error { return p.countBounded(b) }, nil
	}
	err = pipeline(r, p.lowerLayers.batch, table, func(b *format.Batch, rec *records) {
		if count != nil {
			count(b, rec)
		}
		done++
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
	})
	if err != nil {
		return nil, err
	}
	rep := p.report(name, r.Header(), r.Truncated())
	if len(opts.Thresholds) > 0 {
		if rep.Thresholds, err = CheckThresholds(opts.Thresholds, nil, rep); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

func newReplay(h format.Header, opts Options) (*replay, error) {
	if opts.Points == 0 {
		opts.Points = 100
	}
	if opts.Points < 4 {
		return nil, fmt.Errorf("analyze: %d growth points: need at least 4", opts.Points)
	}
	if opts.MaxAnomalies == 0 {
		opts.MaxAnomalies = 20
	}
	if opts.Top < 0 {
		return nil, fmt.Errorf("analyze: --top %d: need 0 (all) or more", opts.Top)
	}
	want, err := parseReports(opts.Reports)
	if err != nil {
		return nil, err
	}
	if opts.MaxMemory < 0 {
		return nil, fmt.Errorf("analyze: --max-memory %d: need 0 (no bound) or more", opts.MaxMemory)
	}
	if opts.Bounded {
		if want, err = boundedReports(want, opts); err != nil {
			return nil, err
		}
	}
	if opts.Type != "" {
		if _, err := path.Match(opts.Type, ""); err != nil {
			return nil, fmt.Errorf("analyze: --type %q: %v", opts.Type, err)
		}
	}
	p := &replay{
		opts:        opts,
		want:        want,
		types:       h.Types,
		sites:       h.Sites,
		byType:      tallies{t: make([]tally, len(h.Types))},
		growth:      NewDownsampler(opts.Points),
		lowerLayers: &lowerLayers{arenaType: indexOf(h.Types, "arena"), maxAnoms: opts.MaxAnomalies},
		objectTable: &objectTable{
			types:    h.Types,
			maxAnoms: opts.MaxAnomalies,
			setup:    h.Meta.SetupEvents,
			untraced: map[uint64]bool{},
		},
	}
	p.sitesOn = want&(repPeak|repSites|repLifetimes|repLeaks) != 0 && !opts.Bounded
	for _, t := range opts.Thresholds {
		if t.Percent || t.Metric == "growth" {
			return nil, fmt.Errorf("--fail-if '%s': a change (a percentage or growth) compares two traces: use heaptrace diff A B", t.Expr)
		}
		p.sitesOn = p.sitesOn || strings.HasPrefix(t.Scope, "site:")
	}
	p.stacksOn = want&(repSites|repLeaks) != 0
	p.sizesOn = want&repSizes != 0
	if p.sitesOn {
		p.bySite.t = make([]tally, len(h.Sites))
	}
	if p.stacksOn {
		p.stacks = newStackTable()
		p.byStack.t = make([]tally, 1, 64) // grown by at as stacks appear
	}
	if want&repGrowth != 0 {
		p.typeGrowth = make([]*Downsampler, len(h.Types))
	}
	if want&repLifetimes != 0 {
		p.lifes = make([]lifetimes, len(h.Types))
	}
	// births are for the lifetimes report, call stacks for sites and leaks:
	// without them, a live object's slot is 32 bytes instead of 48
	p.live = newLiveTableKeep(p.lifes != nil || p.stacksOn)
	p.live.limit = opts.MaxMemory
	if p.bounded = opts.Bounded; p.bounded {
		p.parkedAt = newAddrTable[liveHot](64)
	}
	if want&repFragmentation != 0 {
		p.frag = newFragReplay(h.Meta.Params, opts.Points)
	}
	if opts.Type != "" {
		p.typeOK = make([]bool, len(h.Types))
		for i, t := range h.Types {
			p.typeOK[i], _ = path.Match(opts.Type, t)
		}
		p.siteOK = nil
	}
	if opts.Site != "" {
		p.siteOK = make([]bool, len(h.Sites))
		for i, s := range h.Sites {
			p.siteOK[i] = strings.Contains(s, opts.Site)
		}
	}
	return p, nil
}

// batch replays b on one goroutine: its allocator and os layers, its
// object table, then the counting.
func (p *replay) batch(b *format.Batch) error {
	p.lowerLayers.batch(b)
	if p.bounded {
		return p.countBounded(b)
	}
	if err := p.objectTable.batch(b, &p.rec); err != nil {
		return err
	}
	p.upper(b, &p.rec)
	return nil
}

// upper counts the object-layer rows of b, given rec, the object table's
// resolved records of them; Run calls it on a goroutine of its own, after
// the object table's. Rows are numbered from b.Seq[0], as there.
func (p *replay) upper(b *format.Batch, rec *records) {
	if b.Len() == 0 {
		return
	}
	first := b.Seq[0]
	if p.events == 0 {
		p.firstSeq = first
	}
	p.events += uint64(b.Len())
	k := 0
	var cold liveCold
	for i, op := range b.Op {
		switch b.Layer[i] {
		case format.LayerObject:
			if rec.cold != nil {
				cold = rec.cold[k]
			}
			p.object(&rec.res[k], cold, first+uint64(i), op, b.Type[i], b.Size[i], b.Block[i], b.Addr[i], b.Site[i])
			k++
		case format.LayerPymalloc, format.LayerRaw:
			if p.sizesOn && (op == format.OpAlloc || op == format.OpReallocTo) {
				p.lastLowerAddr, p.lastLowerLayer = b.Addr[i], b.Layer[i]
			}
		}
	}
}

// object counts one object-layer row, r being what the object table
// found of it, and oc the birth and call stack of r.old.
func (p *replay) object(r *resolved, oc liveCold, seq uint64, op format.Op, typ uint16, size, block int64, addr uint64, site uint32) {
	switch r.kind {
	case rowIgnored:
		return
	case rowUntracedFree:
		p.lastAllocOK = false
		return
	}
	switch op {
	case format.OpAlloc, format.OpReallocTo:
		if r.kind == rowReplaced && !r.old.skip {
			p.release(&r.old, oc.stack, seq, false)
		}
		p.lastAlloc, p.lastAllocOK = addr, true
		if r.skip {
			return
		}
		o := liveHot{size: size, block: block, site: site, typ: typ}
		p.countAlloc(op, typ, size, block)
		if p.sitesOn {
			s := &p.bySite.t[site]
			s.allocs++
			s.allocBytes += size
			s.allocBlock += block
		}
		if p.stacksOn {
			s := p.byStack.at(r.stack)
			s.allocs++
			s.allocBytes += size
			s.allocBlock += block
		}
		if p.sizesOn {
			p.request(size, addr)
		}
		p.acquire(&o, r.stack, seq)
		p.growth.Add(seq, p.cur[layerObjects])
	case format.OpFree, format.OpReallocFrom:
		temp := op == format.OpFree && p.lastAllocOK && p.lastAlloc == addr
		p.lastAllocOK = false
		if r.kind == rowMissing || r.old.skip {
			return
		}
		old := &r.old
		if op == format.OpFree {
			p.frees++
			p.byType.t[old.typ].frees++
			if p.sitesOn {
				p.bySite.t[old.site].frees++
			}
			if p.lifes != nil && !old.parked {
				p.lifetime(old.typ, seq-oc.birth)
			}
			if temp && !old.parked {
				p.temporary++
				p.temporaryBytes += old.size
				t := &p.byType.t[old.typ]
				t.temp++
				t.tempBytes += old.size
				if p.sitesOn {
					s := &p.bySite.t[old.site]
					s.temp++
					s.tempBytes += old.size
				}
				if p.stacksOn {
					s := &p.byStack.t[oc.stack]
					s.temp++
					s.tempBytes += old.size
				}
			}
		}
		p.release(old, oc.stack, seq, op == format.OpFree)
		if op == format.OpFree {
			p.growth.Add(seq, p.cur[layerObjects])
		}
	case format.OpCache:
		if r.kind == rowMissing || r.old.parked || r.old.skip {
			return
		}
		p.caches++
		p.parked += r.old.size
		p.parkedN++
		if p.lifes != nil {
			p.lifetime(r.old.typ, seq-oc.birth)
		}
	case format.OpReuse:
		if r.kind == rowMissing {
			return
		}
		// a new object in the parked block, made here
		old := &r.old
		if !old.skip {
			// the new object's acquire samples the type's curve at this
			// event; the old type's, if it differs, is sampled here
			p.release(old, oc.stack, seq, r.skip || old.typ != typ)
		}
		if r.skip {
			return
		}
		o := liveHot{size: old.size, block: old.block, site: site, typ: typ}
		p.reuses++
		p.byType.t[typ].reuses++
		if p.sitesOn {
			p.bySite.t[site].reuses++
		}
		if p.stacksOn {
			p.byStack.at(r.stack)
		}
		if p.sizesOn {
			p.fromFreeList(o.size)
		}
		p.acquire(&o, r.stack, seq)
	}
}

// countAlloc counts an allocation (op is alloc or realloc_to) of size
// bytes in a block of block bytes, of type typ.
func (p *replay) countAlloc(op format.Op, typ uint16, size, block int64) {
	p.matched++
	t := &p.byType.t[typ]
	if op == format.OpAlloc {
		p.allocs++
		t.allocs++
	} else {
		p.reallocs++
		t.reallocs++
	}
	p.allocBytes += size
	t.allocBytes += size
	t.allocBlock += block
}

// acquire adds a live object's bytes to the object layer.
func (p *replay) acquire(o *liveHot, stack uint32, seq uint64) {
	if p.atPeak && o.size <= 0 {
		p.snapshot() // the peak stays where it was: keep its contents
	}
	p.cur[layerObjects] += o.size
	t := p.byType.touch(uint32(o.typ))
	t.live += o.size
	t.liveBlock += o.block
	t.liveN++
	if p.sitesOn {
		s := p.bySite.touch(o.site)
		s.live += o.size
		s.liveBlock += o.block
		s.liveN++
	}
	if p.stacksOn {
		s := p.byStack.touch(stack)
		s.live += o.size
		s.liveBlock += o.block
		s.liveN++
	}
	if p.cur[layerObjects] > p.peak[layerObjects] {
		p.peak[layerObjects], p.peakAt[layerObjects] = p.cur[layerObjects], seq
		p.atPeak = true
	}
	if p.typeGrowth != nil {
		p.typeSample(o.typ, seq, t.live)
	}
}

// release takes a live object's bytes off the object layer. sample is
// false for the first half of a realloc, so that the curves do not show
// a dip that tracemalloc never sees.
func (p *replay) release(o *liveHot, stack uint32, seq uint64, sample bool) {
	if p.atPeak {
		p.snapshot()
	}
	if o.parked {
		p.parked -= o.size
		p.parkedN--
	}
	p.cur[layerObjects] -= o.size
	t := p.byType.touch(uint32(o.typ))
	t.live -= o.size
	t.liveBlock -= o.block
	t.liveN--
	if p.sitesOn {
		s := p.bySite.touch(o.site)
		s.live -= o.size
		s.liveBlock -= o.block
		s.liveN--
	}
	if p.stacksOn {
		s := p.byStack.touch(stack)
		s.live -= o.size
		s.liveBlock -= o.block
		s.liveN--
	}
	if p.typeGrowth != nil && sample {
		p.typeSample(o.typ, seq, t.live)
	}
}

func (p *replay) typeSample(typ uint16, seq uint64, live int64) {
	d := p.typeGrowth[typ]
	if d == nil {
		d = NewDownsampler(p.opts.Points)
		p.typeGrowth[typ] = d
	}
	if !d.addToTail(seq, live) {
		d.addBucket(seq, live)
	}
}

// snapshot records the live bytes of each type, site and stack changed
// since the last snapshot, as they are at the object layer's peak. It
// runs just before the first decrease after a new peak, so a run of
// increases costs one snapshot, and each snapshot costs the entries that
// changed since the one before: O(events) in all.
func (p *replay) snapshot() {
	p.byType.snapshot()
	if p.sitesOn {
		p.bySite.snapshot()
	}
	if p.stacksOn {
		p.byStack.snapshot()
	}
	p.atPeak = false
}

const (
	servedFreeList = iota
	servedPymalloc
	servedRaw
)

// request counts an allocation request of size bytes for the sizes
// report: served by pymalloc or the raw allocator, whichever allocated
// the address just before (by size when no lower layer is recorded).
func (p *replay) request(size int64, addr uint64) {
	var by int
	switch {
	case p.lastLowerAddr == addr && p.lastLowerLayer == format.LayerPymalloc:
		by = servedPymalloc
	case p.lastLowerAddr == addr:
		by = servedRaw
	case size > 0 && size <= 512:
		by = servedPymalloc
	default:
		by = servedRaw
	}
	p.served[by].Requests++
	p.served[by].Bytes += size
	c := &p.sizes[sizeClassOf(size)]
	c.Requests++
	c.Bytes += size
	if by == servedPymalloc {
		c.Pymalloc++
	} else {
		c.Raw++
	}
}

// fromFreeList counts, for the sizes report, a request of size bytes
// served by a reuse from a free list.
func (p *replay) fromFreeList(size int64) {
	p.served[servedFreeList].Requests++
	p.served[servedFreeList].Bytes += size
	c := &p.sizes[sizeClassOf(size)]
	c.Requests++
	c.Bytes += size
	c.FreeList++
}

func (p *replay) lifetime(typ uint16, events uint64) {
	l := &p.lifes[typ]
	l.n++
	l.sum += int64(events)
	l.max = max(l.max, events)
	l.hist[lifeBucket(events)]++
}

// boundedReports returns the reports of want that a bounded replay
// computes: all of them but those that follow each live object, which are
// an error to name. The filters and thresholds must not need sites.
func boundedReports(want reportSet, opts Options) (reportSet, error) {
	const perObject = repLeaks | repSites | repLifetimes
	if len(opts.Reports) > 0 && want&perObject != 0 {
		for i, name := range ReportNames {
			if want&(1<<i)&perObject != 0 {
				return 0, fmt.Errorf("analyze: --bounded: the %s report follows each live object; run it without --bounded", name)
			}
		}
	}
	if opts.Site != "" {
		return 0, fmt.Errorf("analyze: --bounded: --site needs each object's allocation site (a free row names where the free happened); run it without --bounded")
	}
	for _, t := range opts.Thresholds {
		if strings.HasPrefix(t.Scope, "site:") {
			return 0, fmt.Errorf("analyze: --bounded: --fail-if '%s' needs each object's allocation site; run it without --bounded", t.Expr)
		}
	}
	return want &^ perObject, nil
}
