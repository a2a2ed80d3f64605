// This file defines lowerLayers, the replay of the allocator and os
// layers (and the fragmentation report, which follows pymalloc's blocks
// into the os layer's arenas). Nothing in it depends on the object layer,
// so Run replays it on the goroutine that decodes the batches, while the
// object layer is replayed on its own.

package analyze

import (
	"fmt"

	"github.com/heaptrace/heaptrace/format"
)

// lowerLayers is the state of the allocator and os layers' replay. It is
// allocated apart from replay, with padding, so that the two goroutines
// never write to one cache line.
type lowerLayers struct {
	_ [64]byte

	// lowCur, lowPeak and lowPeakAt are the layers' figures, indexed as
	// replay.cur; report copies the allocator's and the os's over.
	lowCur, lowPeak     [numLayers]int64
	lowPeakAt           [numLayers]uint64
	pymallocCur, rawCur int64
	allocPeakParts      [2]int64
	arenaCur, otherCur  int64
	otherPeak           int64
	osPeakParts         [2]int64
	arenaType           int // index of "arena" in types, or -1
	frag                *fragReplay

	// the anomalies found here (the fragmentation report's), merged with
	// the object layer's in event order by report
	lowAnoms  []Anomaly
	nLowAnoms int
	maxAnoms  int

	_ [64]byte
}

// batch replays the allocator and os rows of b.
func (l *lowerLayers) batch(b *format.Batch) {
	if l.frag == nil {
		l.sums(b)
		return
	}
	for i, op := range b.Op {
		switch b.Layer[i] {
		case format.LayerPymalloc:
			l.allocator(b.Seq[i], op, b.Block[i], &l.pymallocCur)
			if l.frag != nil {
				l.frag.pymalloc(l, b.Seq[i], op, b.Size[i], b.Block[i], b.Addr[i])
			}
		case format.LayerRaw:
			l.allocator(b.Seq[i], op, b.Block[i], &l.rawCur)
		case format.LayerOS:
			l.os(b.Seq[i], op, b.Type[i], b.Size[i], b.Addr[i])
		}
	}
}

// opSign is what an op does to its layer's bytes: +1 for an allocation,
// -1 for a free, 0 for the ops that move no bytes at the layer (a cache
// or reuse, the interpreter's markers). It has 16 entries so that an
// index masked with 15 needs no bounds check.
var opSign = [16]int64{format.OpAlloc: 1, format.OpReallocTo: 1, format.OpFree: -1, format.OpReallocFrom: -1}

// lowerMask says, for each layer (masked with 7, a Layer indexes it
// without a bounds check), which of lowerLayers.sums' running sums its
// rows move: 1 for the sum, 0 for the others.
var lowerMask = [8]struct{ pymalloc, raw, os int64 }{
	format.LayerPymalloc: {pymalloc: 1},
	format.LayerRaw:      {raw: 1},
	format.LayerOS:       {os: 1},
}

// sums is batch without the fragmentation report. The layers' bytes are
// running sums of signed sizes, each row adding its size times 0 or 1 to
// every sum rather than branching on its layer and op: those follow no
// pattern a branch predictor could learn, and a branch per row was most
// of this loop's time. Only a new peak branches, which is rare.
func (l *lowerLayers) sums(b *format.Batch) {
	n := len(b.Op)
	if n == 0 {
		return
	}
	ops, layers, types := b.Op[:n], b.Layer[:n], b.Type[:n]
	sizes, blocks := b.Size[:n], b.Block[:n]
	first := b.Seq[0]
	pymalloc, raw, arenas, other := l.pymallocCur, l.rawCur, l.arenaCur, l.otherCur
	allocPeak, osPeak, otherPeak := l.lowPeak[layerAllocator], l.lowPeak[layerOS], l.otherPeak
	arena := int64(l.arenaType)
	if arena < 0 {
		arena = 1 << 32 // no type has this index
	}
	for i := range ops {
		m := &lowerMask[layers[i]&7]
		sign := opSign[ops[i]&15]
		block, size := sign*blocks[i], sign*sizes[i]*m.os
		pymalloc += block * m.pymalloc
		raw += block * m.raw
		t := int64(types[i]) - arena
		isArena := 1 + (t|-t)>>63 // 1 when t is 0, else 0
		arenas += size * isArena
		other += size * (1 - isArena)
		if pymalloc+raw > allocPeak {
			allocPeak = pymalloc + raw
			l.lowPeakAt[layerAllocator] = first + uint64(i)
			l.allocPeakParts = [2]int64{pymalloc, raw}
		}
		if arenas+other > osPeak {
			osPeak = arenas + other
			l.lowPeakAt[layerOS] = first + uint64(i)
			l.osPeakParts = [2]int64{arenas, other}
		}
		otherPeak = max(otherPeak, other)
	}
	l.pymallocCur, l.rawCur, l.arenaCur, l.otherCur = pymalloc, raw, arenas, other
	l.lowCur[layerAllocator], l.lowCur[layerOS] = pymalloc+raw, arenas+other
	l.lowPeak[layerAllocator], l.lowPeak[layerOS], l.otherPeak = allocPeak, osPeak, otherPeak
}

func (l *lowerLayers) allocator(seq uint64, op format.Op, n int64, part *int64) {
	switch op {
	case format.OpAlloc, format.OpReallocTo:
		l.lowCur[layerAllocator] += n
		*part += n
		if l.lowCur[layerAllocator] > l.lowPeak[layerAllocator] {
			l.lowPeak[layerAllocator], l.lowPeakAt[layerAllocator] = l.lowCur[layerAllocator], seq
			l.allocPeakParts = [2]int64{l.pymallocCur, l.rawCur}
		}
	case format.OpFree, format.OpReallocFrom:
		l.lowCur[layerAllocator] -= n
		*part -= n
	}
}

func (l *lowerLayers) os(seq uint64, op format.Op, typ uint16, n int64, addr uint64) {
	part := &l.otherCur
	arena := int(typ) == l.arenaType
	if arena {
		part = &l.arenaCur
	}
	switch op {
	case format.OpAlloc, format.OpReallocTo:
		l.lowCur[layerOS] += n
		*part += n
		l.otherPeak = max(l.otherPeak, l.otherCur)
		if l.lowCur[layerOS] > l.lowPeak[layerOS] {
			l.lowPeak[layerOS], l.lowPeakAt[layerOS] = l.lowCur[layerOS], seq
			l.osPeakParts = [2]int64{l.arenaCur, l.otherCur}
		}
	case format.OpFree, format.OpReallocFrom:
		l.lowCur[layerOS] -= n
		*part -= n
	}
	if l.frag != nil {
		l.frag.os(l, seq, op, arena, n, addr)
	}
}

func (l *lowerLayers) anomaly(seq uint64, format string, args ...any) {
	l.nLowAnoms++
	if len(l.lowAnoms) < l.maxAnoms {
		l.lowAnoms = append(l.lowAnoms, Anomaly{seq, fmt.Sprintf(format, args...)})
	}
}

// mergeLower copies the allocator and os layers' figures into p, and
// merges the anomalies found there with the object layer's, in event
// order (a row is of one layer, so no two lists hold one event). It runs
// once both replays are done.
func (p *replay) mergeLower() {
	for _, l := range []int{layerAllocator, layerOS} {
		p.cur[l], p.peak[l], p.peakAt[l] = p.lowCur[l], p.lowPeak[l], p.lowPeakAt[l]
	}
	if len(p.lowAnoms) == 0 {
		p.nAnoms += p.nLowAnoms
		p.nLowAnoms = 0
		return
	}
	all := make([]Anomaly, 0, len(p.anoms)+len(p.lowAnoms))
	i, j := 0, 0
	for i < len(p.anoms) || j < len(p.lowAnoms) {
		if j == len(p.lowAnoms) || i < len(p.anoms) && p.anoms[i].Seq < p.lowAnoms[j].Seq {
			all = append(all, p.anoms[i])
			i++
		} else {
			all = append(all, p.lowAnoms[j])
			j++
		}
	}
	p.anoms = all[:min(len(all), p.opts.MaxAnomalies)]
	p.nAnoms += p.nLowAnoms
	p.lowAnoms, p.nLowAnoms = nil, 0
}
