package model

import (
	"fmt"
	"sort"
)

// Check verifies the heap's invariants and returns the first broken one.
// It walks every pool, arena and chunk, so it costs time proportional to
// the heap: tests call it after every operation, --check runs do too.
//
//   - requested bytes equal the sum of live allocations' requests;
//   - no two live allocations overlap, and each lies in its layer's memory;
//   - every pool's used count equals its live blocks, and its free list
//     and never-used blocks account for the rest;
//   - usable_arenas is sorted by ascending free pools and nfp2lasta points
//     at the last arena of each count;
//   - bytes mapped from the OS equal arenas, heap segments and mapped chunks.
func (h *Heap) Check() error {
	var sum int64
	blocks := make([]checkBlock, 0, h.nlive)
	perPool := map[*Pool]int{}
	var problem error
	nlive := 0
	h.eachLive(func(a Addr, l liveAlloc) {
		nlive++
		if problem != nil {
			return
		}
		problem = h.checkLive(a, l, &sum, &blocks, perPool)
	})
	if problem != nil {
		return problem
	}
	if nlive != h.nlive {
		return fmt.Errorf("model: %d live allocations counted, %d found", h.nlive, nlive)
	}
	if sum != h.requested {
		return fmt.Errorf("model: requested bytes %d, live allocations sum to %d", h.requested, sum)
	}
	sort.Slice(blocks, func(i, j int) bool { return blocks[i].start < blocks[j].start })
	for i := 1; i < len(blocks); i++ {
		if blocks[i].start < blocks[i-1].end {
			return fmt.Errorf("model: allocations %#x and %#x overlap", uint64(blocks[i-1].start), uint64(blocks[i].start))
		}
	}
	rawLive := len(h.rawLive)
	if h.obj.vector != 0 {
		rawLive++ // the arena vector: raw memory no caller holds
	}
	if len(h.raw.chunks) != rawLive {
		return fmt.Errorf("model: %d malloc chunks, %d raw allocations", len(h.raw.chunks), rawLive)
	}

	var blockBytes int64
	used := 0
	arenas := map[*Arena]int{} // pools not empty, per arena
	for _, p := range h.obj.pools {
		if p.used != perPool[p] {
			return fmt.Errorf("model: pool %#x counts %d blocks, %d are live", uint64(p.addr), p.used, perPool[p])
		}
		if p.used > 0 {
			if p.used+len(p.freeList) != p.virgin {
				return fmt.Errorf("model: pool %#x: %d used + %d free != %d handed out", uint64(p.addr), p.used, len(p.freeList), p.virgin)
			}
			blockBytes += int64(p.used) * h.cfg.ClassSize(p.class)
			used++
			arenas[p.arena]++
		}
	}
	if blockBytes != h.obj.blockBytes || used != h.obj.poolsInUse {
		return fmt.Errorf("model: pymalloc counts %d block bytes in %d pools, the pools hold %d in %d", h.obj.blockBytes, h.obj.poolsInUse, blockBytes, used)
	}
	for a, n := range arenas {
		if a.ntotal-a.nfree != n {
			return fmt.Errorf("model: arena %#x has %d of %d pools free, but %d in use", uint64(a.base), a.nfree, a.ntotal, n)
		}
	}
	// usable_arenas: sorted, linked both ways, nfp2lasta right.
	var prev *Arena
	for a := h.obj.usable; a != nil; a = a.next {
		if a.prev != prev {
			return fmt.Errorf("model: usable arena %#x has a wrong back link", uint64(a.base))
		}
		if a.nfree == 0 || (prev != nil && prev.nfree > a.nfree) {
			return fmt.Errorf("model: usable arenas out of order at %#x (%d free pools)", uint64(a.base), a.nfree)
		}
		if a.next == nil || a.next.nfree != a.nfree {
			if h.obj.nfp2lasta[a.nfree] != a {
				return fmt.Errorf("model: nfp2lasta[%d] is not arena %#x", a.nfree, uint64(a.base))
			}
		}
		prev = a
	}
	mapped := int64(h.obj.arenasLive)*h.cfg.ArenaSize + h.raw.HeapBytes()
	for _, c := range h.raw.chunks {
		if c.mapped {
			mapped += c.size
		}
	}
	if mapped != h.os.Bytes() {
		return fmt.Errorf("model: the OS maps %d bytes, the allocators account for %d", h.os.Bytes(), mapped)
	}
	return nil
}

// checkBlock is the address range of a live allocation.
type checkBlock struct {
	start, end Addr
	raw        bool
}

// checkLive checks one live allocation against its allocator and adds it
// to the running totals.
func (h *Heap) checkLive(a Addr, l liveAlloc, sum *int64, blocks *[]checkBlock, perPool map[*Pool]int) error {
	*sum += l.size
	if l.raw {
		c, ok := h.raw.chunks[a]
		if !ok {
			return fmt.Errorf("model: live allocation %#x is not a malloc chunk", uint64(a))
		}
		if c.request != l.size {
			return fmt.Errorf("model: chunk %#x holds %d bytes, the allocation %d", uint64(a), c.request, l.size)
		}
		*blocks = append(*blocks, checkBlock{a, a + Addr(c.size) - h.raw.header(), true})
		return nil
	}
	p := h.obj.pool(a)
	if p == nil {
		return fmt.Errorf("model: live allocation %#x is in no pool", uint64(a))
	}
	size := h.cfg.ClassSize(p.class)
	if l.block != size || l.size > size {
		return fmt.Errorf("model: allocation %#x of %d bytes in a %d-byte block of class %d", uint64(a), l.size, l.block, size)
	}
	if off := int64(a-p.addr) - h.cfg.PoolOverhead; off < 0 || off%size != 0 || int(off/size) >= p.virgin {
		return fmt.Errorf("model: allocation %#x is not a handed-out block of pool %#x", uint64(a), uint64(p.addr))
	}
	perPool[p]++
	*blocks = append(*blocks, checkBlock{a, a + Addr(size), false})
	return nil
}
