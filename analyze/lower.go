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
