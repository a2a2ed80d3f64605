package analyze

import (
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/heaptrace/heaptrace/format"
)

// Options tune an analysis.
type Options struct {
	// Points bounds the growth curve; 0 means 100. At least 4.
	Points int
	// MaxAnomalies bounds the anomalies listed (all are counted); 0 means 20.
	MaxAnomalies int
}

// Report is the analysis of one trace. Its JSON form is documented in the
// README ("analyze --json").
type Report struct {
	Trace         string       `json:"trace"`
	SetupEvents   uint64       `json:"setup_events"`
	Workload      string       `json:"workload"`
	Profile       string       `json:"profile"`
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

type liveObject struct {
	size   int64
	typ    uint16
	parked bool
}

type typeCounts struct {
	allocs, frees, allocBytes, live, peakLive int64
}

// replay holds the state of one pass over a trace. Its memory is the live
// objects and the type table, never the events.
type replay struct {
	opts                    Options
	types                   []string
	live                    map[uint64]liveObject
	byType                  []typeCounts
	cur                     [numLayers]int64
	peak                    [numLayers]int64
	peakAt                  [numLayers]uint64
	atPeak                  bool // the object layer is at its peak and the per-type snapshot is pending
	parked                  int64
	allocs, frees, reallocs int64
	events                  uint64
	growth                  *Downsampler
	anoms                   []Anomaly
	nAnoms                  int
	// setup is the number of set-up events; untraced holds the live
	// object-layer allocations they made, which tracemalloc-comparable
	// figures ignore (format.Meta.SetupEvents).
	setup    uint64
	untraced map[uint64]bool
}

// Run replays the trace r to its end and returns its report. A trace cut
// short is analysed up to its last complete batch (Report.Truncated).
func Run(r *format.Reader, name string, opts Options) (*Report, error) {
	if opts.Points == 0 {
		opts.Points = 100
	}
	if opts.Points < 4 {
		return nil, fmt.Errorf("analyze: %d growth points: need at least 4", opts.Points)
	}
	if opts.MaxAnomalies == 0 {
		opts.MaxAnomalies = 20
	}
	h := r.Header()
	p := &replay{
		opts:     opts,
		types:    h.Types,
		live:     make(map[uint64]liveObject),
		byType:   make([]typeCounts, len(h.Types)),
		growth:   NewDownsampler(opts.Points),
		setup:    h.Meta.SetupEvents,
		untraced: map[uint64]bool{},
	}
	var b format.Batch
	for {
		err := r.Next(&b)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		p.batch(&b)
	}
	return p.report(name, h, r.Truncated()), nil
}

func (p *replay) batch(b *format.Batch) {
	p.events += uint64(b.Len())
	for i, op := range b.Op {
		switch b.Layer[i] {
		case format.LayerObject:
			p.object(b.Seq[i], op, b.Type[i], b.Size[i], b.Addr[i])
		case format.LayerPymalloc, format.LayerRaw:
			p.layer(layerAllocator, b.Seq[i], op, b.Block[i])
		case format.LayerOS:
			p.layer(layerOS, b.Seq[i], op, b.Size[i])
		}
	}
}

func (p *replay) layer(l int, seq uint64, op format.Op, n int64) {
	switch op {
	case format.OpAlloc, format.OpReallocTo:
		p.cur[l] += n
		if p.cur[l] > p.peak[l] {
			p.peak[l], p.peakAt[l] = p.cur[l], seq
		}
	case format.OpFree, format.OpReallocFrom:
		p.cur[l] -= n
	}
}

func (p *replay) anomaly(seq uint64, format string, args ...any) {
	p.nAnoms++
	if len(p.anoms) < p.opts.MaxAnomalies {
		p.anoms = append(p.anoms, Anomaly{seq, fmt.Sprintf(format, args...)})
	}
}

func (p *replay) object(seq uint64, op format.Op, typ uint16, size int64, addr uint64) {
	if seq <= p.setup {
		switch op {
		case format.OpAlloc, format.OpReallocTo:
			p.untraced[addr] = true
		case format.OpFree, format.OpReallocFrom:
			delete(p.untraced, addr)
		}
		return
	}
	if len(p.untraced) > 0 && p.untraced[addr] {
		switch op {
		case format.OpFree, format.OpReallocFrom:
			delete(p.untraced, addr) // untraced: counts nothing
			return
		case format.OpCache, format.OpReuse:
			return
		}
	}
	switch op {
	case format.OpAlloc, format.OpReallocTo:
		if old, ok := p.live[addr]; ok {
			p.anomaly(seq, "allocation at %#x, which is already live (%d bytes of %s)", addr, old.size, p.types[old.typ])
			p.release(old)
		}
		p.live[addr] = liveObject{size: size, typ: typ}
		t := &p.byType[typ]
		if op == format.OpAlloc {
			p.allocs++
			t.allocs++
		} else {
			p.reallocs++
		}
		t.allocBytes += size
		t.live += size
		p.cur[layerObjects] += size
		if p.cur[layerObjects] > p.peak[layerObjects] {
			p.peak[layerObjects], p.peakAt[layerObjects] = p.cur[layerObjects], seq
			p.atPeak = true
		}
		p.growth.Add(seq, p.cur[layerObjects])
	case format.OpFree, format.OpReallocFrom:
		old, ok := p.live[addr]
		if !ok {
			p.anomaly(seq, "%s of %#x, which is not allocated", op, addr)
			return
		}
		if p.atPeak {
			p.snapshotPeak()
		}
		delete(p.live, addr)
		p.release(old)
		if op == format.OpFree {
			p.frees++
			p.byType[old.typ].frees++
			p.growth.Add(seq, p.cur[layerObjects])
		}
	case format.OpCache, format.OpReuse:
		old, ok := p.live[addr]
		if !ok {
			p.anomaly(seq, "%s of %#x, which is not allocated", op, addr)
			return
		}
		if parked := op == format.OpCache; parked != old.parked {
			if parked {
				p.parked += old.size
			} else {
				p.parked -= old.size
			}
			old.parked = parked
		}
		if op == format.OpReuse && old.typ != typ {
			// the block changes type: move its bytes
			if p.atPeak {
				p.snapshotPeak()
			}
			p.byType[old.typ].live -= old.size
			p.byType[typ].live += old.size
			old.typ = typ
		}
		p.live[addr] = old
	}
}

func (p *replay) release(old liveObject) {
	p.byType[old.typ].live -= old.size
	p.cur[layerObjects] -= old.size
	if old.parked {
		p.parked -= old.size
	}
}

// snapshotPeak records each type's live bytes as they were at the peak:
// called just before the first decrease after a new peak, so a run of
// increases costs one snapshot, not one per event.
func (p *replay) snapshotPeak() {
	for i := range p.byType {
		p.byType[i].peakLive = p.byType[i].live
	}
	p.atPeak = false
}

func (p *replay) report(name string, h format.Header, truncated bool) *Report {
	if p.atPeak {
		p.snapshotPeak()
	}
	r := &Report{
		Trace: name, SetupEvents: h.Meta.SetupEvents, Workload: h.Meta.Workload, Profile: h.Meta.Profile, FormatVersion: h.Meta.FormatVersion,
		Truncated: truncated, Events: p.events,
		PeakBytes: p.peak[layerObjects], PeakSeq: p.peakAt[layerObjects], FinalBytes: p.cur[layerObjects],
		Allocs: p.allocs, Frees: p.frees, Reallocs: p.reallocs, ParkedBytes: p.parked,
		Growth: p.growth.Points(), Anomalies: p.anoms, AnomalyCount: p.nAnoms,
	}
	for l := 0; l < numLayers; l++ {
		r.Layers = append(r.Layers, LayerStats{Layer: layerLabels[l], PeakBytes: p.peak[l], PeakSeq: p.peakAt[l], FinalBytes: p.cur[l]})
	}
	for i, t := range p.byType {
		if t.allocs == 0 && t.allocBytes == 0 && t.live == 0 {
			continue
		}
		r.ByType = append(r.ByType, TypeStats{Type: p.types[i], Allocs: t.allocs, Frees: t.frees, AllocBytes: t.allocBytes, PeakLiveBytes: t.peakLive, FinalLiveBytes: t.live})
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
	return r
}
