// This file defines countBounded, the object layer's replay in one pass
// for a bounded replay. A bounded replay keeps no live objects, so the
// object table's stage has little to find: most rows count as they are,
// and writing a record per row for another goroutine to read back cost
// more than the counting itself.

package analyze

import (
	"github.com/heaptrace/heaptrace/format"
)

// countBounded replays and counts the object-layer and interpreter rows
// of b in a bounded replay (and notes the allocator's, for the sizes
// report). An allocation, free, park or reuse at an address that holds
// no untraced object (nor a parked one, but for a reuse) is counted here;
// any other row, and every object row when a type filter is on, goes
// through boundedObject and object, as the two-stage replay did, so the
// two agree by construction. It returns an error, and stops, when the
// table of parked objects reaches its limit.
func (p *replay) countBounded(b *format.Batch) error {
	n := len(b.Op)
	if n == 0 {
		return nil
	}
	first := b.Seq[0]
	if p.events == 0 {
		p.firstSeq = first
	}
	p.events += uint64(n)
	ops, layers, types := b.Op[:n], b.Layer[:n], b.Type[:n]
	sizes, blocks, addrs, sites := b.Size[:n], b.Block[:n], b.Addr[:n], b.Site[:n]
	t := p.objectTable
	filtered := p.typeOK != nil
	for i := range ops {
		layer, op, seq := layers[i], ops[i], first+uint64(i)
		if layer != format.LayerObject {
			switch {
			case layer == format.LayerInterp:
				t.interp(seq, op, sites[i])
			case p.sizesOn && (layer == format.LayerPymalloc || layer == format.LayerRaw) &&
				(op == format.OpAlloc || op == format.OpReallocTo):
				p.lastLowerAddr, p.lastLowerLayer = addrs[i], layer
			}
			continue
		}
		addr := addrs[i]
		switch {
		case seq <= t.setup || filtered:
		case op <= format.OpReallocTo && !t.special.mayHold(addr):
			p.plain(seq, op, types[i], sizes[i], blocks[i], addr, sites[i])
			continue
		case op == format.OpCache && !t.special.mayHold(addr):
			if p.park(seq, types[i], sizes[i], blocks[i], addr, sites[i]) {
				return t.limitError(seq)
			}
			continue
		case op == format.OpReuse && !t.untracedMay.mayHold(addr) && p.reuse(types[i], addr, sites[i], seq):
			continue
		}
		// anything else, as the two-stage replay does it
		var r resolved
		t.boundedObject(&r, seq, op, types[i], sizes[i], blocks[i], addr, sites[i])
		if t.live.full {
			return t.limitError(seq)
		}
		p.object(&r, liveCold{}, seq, op, types[i], sizes[i], blocks[i], addr, sites[i])
	}
	return nil
}

// plain counts an allocation or a free (op) at an address that holds no
// parked or untraced object.
func (p *replay) plain(seq uint64, op format.Op, typ uint16, size, block int64, addr uint64, site uint32) {
	o := liveHot{size: size, block: block, site: site, typ: typ}
	switch op {
	case format.OpAlloc, format.OpReallocTo:
		p.countAlloc(op, typ, size, block)
		if p.sizesOn {
			p.request(size, addr)
		}
		p.acquire(&o, 0, seq)
	case format.OpFree:
		// (temporary allocations are not counted: only the lifetimes
		// and sites reports show them)
		p.frees++
		p.byType.t[typ].frees++
		p.release(&o, 0, seq, true)
	default: // realloc_from: the curves show no dip that tracemalloc never sees
		p.release(&o, 0, seq, false)
		return
	}
	if !p.growth.addToTail(seq, p.cur[layerObjects]) {
		p.growth.addBucket(seq, p.cur[layerObjects])
	}
}

// park parks the object at addr, which no parked or untraced object holds,
// on a free list, and reports whether the table of parked objects grew
// past its limit.
func (p *replay) park(seq uint64, typ uint16, size, block int64, addr uint64, site uint32) (full bool) {
	p.caches++
	p.parked += size
	p.parkedN++
	return p.objectTable.putParked(addr, liveHot{size: size, block: block, typ: typ, site: site, parked: true})
}

// reuse makes a new object of typ at site in the block parked at addr,
// which holds no untraced object, and reports whether there was one.
func (p *replay) reuse(typ uint16, addr uint64, site uint32, seq uint64) bool {
	t := p.objectTable
	h := t.parkedAt.get(addr)
	if h == nil {
		return false // an anomaly, which boundedObject reports
	}
	old := *h
	t.parkedAt.del(addr)
	p.release(&old, 0, seq, old.typ != typ)
	p.reuses++
	p.byType.t[typ].reuses++
	if p.sizesOn {
		p.fromFreeList(old.size)
	}
	p.acquire(&liveHot{size: old.size, block: old.block, site: site, typ: typ}, 0, seq)
	return true
}
