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
// or reuse, the interpreter's markers); allocSign is made from it.
var opSign = [16]int64{format.OpAlloc: 1, format.OpReallocTo: 1, format.OpFree: -1, format.OpReallocFrom: -1}

// allocSign is, for op<<3|layer, what a row does to the allocator layer's
// bytes: its block times +1 (an allocation), -1 (a free), or 0 (a row of
// another layer, or an op that moves no bytes).
var allocSign = func() (t [16 << 3]int64) {
	for op := range opSign {
		t[op<<3|int(format.LayerPymalloc)] = opSign[op]
		t[op<<3|int(format.LayerRaw)] = opSign[op]
	}
	return t
}()

// rawMask is -1 for the raw allocator's rows and 0 for the others,
// indexed by layer (masked with 7, without a bounds check).
var rawMask = [8]int64{format.LayerRaw: -1}

// sums is batch without the fragmentation report. The allocator layer's
// bytes are a running sum of signed blocks, each row adding its block
// times +1, -1 or 0, with no branch on its layer or op: those follow no
// pattern a branch predictor could learn, and a branch per row was most
// of this loop's time. The split between pymalloc and raw is needed at
// the layer's peak only, so it is counted again up to the batch's peak,
// when the batch holds one. The os layer's rows are few, and replayed one
// by one.
func (l *lowerLayers) sums(b *format.Batch) {
	n := len(b.Op)
	if n == 0 {
		return
	}
	ops, layers, blocks := b.Op[:n], b.Layer[:n], b.Block[:n]
	first := b.Seq[0]
	alloc, peak, peakRow := l.lowCur[layerAllocator], l.lowPeak[layerAllocator], -1
	var raw int64 // the raw allocator's change over the batch
	for i := range ops {
		layer := layers[i] & 7
		if layer == format.LayerOS {
			l.os(first+uint64(i), ops[i], b.Type[i], b.Size[i], b.Addr[i])
			continue
		}
		d := allocSign[int(ops[i]&15)<<3|int(layer)] * blocks[i]
		alloc += d
		raw += d & rawMask[layer]
		if alloc > peak {
			peak, peakRow = alloc, i
		}
	}
	if peakRow >= 0 {
		rawAt := l.rawCur
		for i, op := range ops[:peakRow+1] {
			layer := layers[i] & 7
			rawAt += allocSign[int(op&15)<<3|int(layer)] * blocks[i] & rawMask[layer]
		}
		l.lowPeakAt[layerAllocator] = first + uint64(peakRow)
		l.allocPeakParts = [2]int64{peak - rawAt, rawAt}
	}
	l.rawCur += raw
	l.pymallocCur = alloc - l.rawCur
	l.lowCur[layerAllocator], l.lowPeak[layerAllocator] = alloc, peak
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
