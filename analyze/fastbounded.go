// This file defines countBounded, the object layer's replay in one pass
// for a bounded replay of the reports that only sum (summary, types,
// peak, growth and fragmentation). A bounded replay keeps no live
// objects, so the object table's stage has little to find: most rows
// count as they are, and writing a record per row for another goroutine
// to read back cost more than the counting itself.

package analyze

import (
	"github.com/heaptrace/heaptrace/format"
)

// oneStage reports whether the object layer replays in one pass
// (countBounded): a bounded replay without the sizes report (which
// follows the lower layers row by row) or a filter.
func (p *replay) oneStage() bool {
	return p.bounded && !p.sizesOn && p.typeOK == nil && p.siteOK == nil
}

// countBounded replays and counts the object-layer and interpreter rows
// of b in a bounded replay (oneStage). An allocation or free whose
// address holds no parked or untraced object is counted here; any other
// row goes through boundedObject and object, as in the two-stage replay,
// so the two agree by construction. It returns an error, and stops, when
// the table of parked objects reaches its limit.
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
	for i := range ops {
		layer, op, seq := layers[i], ops[i], first+uint64(i)
		if layer != format.LayerObject {
			if layer == format.LayerInterp {
				t.interp(seq, op, sites[i])
			}
			continue
		}
		addr := addrs[i]
		if op > format.OpReallocTo || seq <= t.setup || t.special.mayHold(addr) {
			var r resolved
			t.boundedObject(&r, seq, op, types[i], sizes[i], blocks[i], addr, sites[i])
			if t.live.full {
				return t.limitError(seq)
			}
			p.object(&r, liveCold{}, seq, op, types[i], sizes[i], blocks[i], addr, sites[i])
			continue
		}
		typ, size, block := types[i], sizes[i], blocks[i]
		o := liveHot{size: size, block: block, site: sites[i], typ: typ}
		ty := &p.byType.t[typ]
		switch op {
		case format.OpAlloc, format.OpReallocTo:
			p.matched++
			if op == format.OpAlloc {
				p.allocs++
				ty.allocs++
			} else {
				p.reallocs++
				ty.reallocs++
			}
			p.allocBytes += size
			ty.allocBytes += size
			ty.allocBlock += block
			p.acquire(&o, 0, seq)
			if !p.growth.addToTail(seq, p.cur[layerObjects]) {
				p.growth.addBucket(seq, p.cur[layerObjects])
			}
		default: // free, realloc_from
			// (temporary allocations are not counted: only the lifetimes
			// and sites reports show them)
			free := op == format.OpFree
			if free {
				p.frees++
				ty.frees++
			}
			p.release(&o, 0, seq, free)
			if free {
				if !p.growth.addToTail(seq, p.cur[layerObjects]) {
					p.growth.addBucket(seq, p.cur[layerObjects])
				}
			}
		}
	}
	return nil
}
