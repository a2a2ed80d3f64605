package model

import (
	"fmt"
	"sort"
)

// This file defines the raw allocator: a model of glibc's malloc.

// rawChunk is one live malloc chunk.
type rawChunk struct {
	start   Addr  // chunk start; the caller's pointer is start+2*SIZE_SZ
	size    int64 // chunk bytes (mapping bytes for a mapped chunk)
	request int64
	mapped  bool
}

// RawAllocator models glibc malloc closely enough for footprints:
//
//   - a request becomes a chunk of request+SIZE_SZ bytes rounded up to 16,
//     at least 32 (request2size);
//   - chunks of at least the mmap threshold (128 KiB at first) get their
//     own mapping; freeing one raises the threshold to its size, up to
//     32 MiB (glibc's dynamic threshold);
//   - smaller chunks come from a heap that grows upwards (brk) in segments
//     of the shortfall plus M_TOP_PAD; the lowest free range that fits is
//     used; free ranges coalesce; a wholly free top segment is given back
//     once the free top reaches the trim threshold (128 KiB, then twice
//     the dynamic mmap threshold).
//
// glibc's bins, fastbins and tcache change which free chunk is reused, not
// how many bytes are mapped, so they are not modelled.
type RawAllocator struct {
	h             *Heap
	cfg           Config
	top           Addr   // end of the heap
	segments      []span // heap growth segments, ascending
	holes         []span // free ranges inside the heap, sorted, coalesced
	chunks        map[Addr]rawChunk
	mmapThreshold int64
	trimThreshold int64
	inUse         int64 // chunk bytes in use
}

func newRawAllocator(h *Heap) *RawAllocator {
	return &RawAllocator{h: h, cfg: h.cfg, top: h.cfg.HeapBase, chunks: make(map[Addr]rawChunk), mmapThreshold: h.cfg.MmapThreshold, trimThreshold: h.cfg.MmapThreshold}
}

func (r *RawAllocator) header() Addr { return Addr(2 * r.cfg.MallocOverhead) }

// malloc returns the caller's pointer and the chunk size.
func (r *RawAllocator) malloc(n int64, t TypeID) (Addr, int64) {
	cs := r.cfg.ChunkSize(n)
	var c rawChunk
	if cs >= r.mmapThreshold {
		c = r.mapChunk(cs, t)
	} else {
		c = rawChunk{start: r.carve(cs), size: cs}
	}
	c.request = n
	a := c.start + r.header()
	r.chunks[a] = c
	r.inUse += c.size
	r.h.emit(LayerRaw, OpAlloc, t, n, c.size, a)
	return a, c.size
}

func (r *RawAllocator) mapChunk(cs int64, t TypeID) rawChunk {
	start, size := r.h.os.Map(cs + r.cfg.MallocOverhead)
	r.h.emit(LayerOS, OpAlloc, t, size, size, start)
	return rawChunk{start: start, size: size, mapped: true}
}

func (r *RawAllocator) unmapChunk(c rawChunk, t TypeID) {
	size := r.h.os.Unmap(c.start)
	r.h.emit(LayerOS, OpFree, t, size, size, c.start)
}

// free releases the chunk at a and returns its request.
func (r *RawAllocator) free(a Addr, t TypeID) int64 {
	c, ok := r.chunks[a]
	if !ok {
		panic(fmt.Sprintf("model: raw free of %#x, which malloc did not hand out", uint64(a)))
	}
	delete(r.chunks, a)
	r.inUse -= c.size
	r.h.emit(LayerRaw, OpFree, t, c.request, c.size, a)
	if c.mapped {
		r.unmapChunk(c, t)
		if c.size > r.mmapThreshold && c.size <= r.cfg.MmapThresholdMax {
			r.mmapThreshold = c.size
			r.trimThreshold = 2 * c.size
		}
		return c.request
	}
	r.release(span{c.start, c.start + Addr(c.size)})
	r.trim()
	return c.request
}

// realloc resizes the chunk at a to hold n bytes and returns the new
// pointer and chunk size. It grows in place into a free neighbour when it
// can, as glibc's _int_realloc does, and otherwise moves.
func (r *RawAllocator) realloc(a Addr, n int64, t TypeID) (Addr, int64) {
	c, ok := r.chunks[a]
	if !ok {
		panic(fmt.Sprintf("model: raw realloc of %#x, which malloc did not hand out", uint64(a)))
	}
	cs := r.cfg.ChunkSize(n)
	nc := c
	switch {
	case c.mapped:
		// mremap: the same mapping when the page count is unchanged,
		// else a new one.
		if roundUp(cs+r.cfg.MallocOverhead, r.cfg.PageSize) != c.size {
			r.unmapChunk(c, t)
			nc = r.mapChunk(cs, t)
		}
	case cs <= c.size:
		if rest := c.size - cs; rest >= r.cfg.MinChunk {
			nc.size = cs
			r.release(span{c.start + Addr(cs), c.start + Addr(c.size)})
		}
	case r.growInPlace(c, cs):
		nc.size = cs
	default:
		nc.start = r.carve(cs)
		nc.size = cs
		r.release(span{c.start, c.start + Addr(c.size)})
	}
	nc.request = n
	na := nc.start + r.header()
	delete(r.chunks, a)
	r.chunks[na] = nc
	r.inUse += nc.size - c.size
	r.h.emit(LayerRaw, OpReallocFrom, t, c.request, c.size, a)
	r.h.emit(LayerRaw, OpReallocTo, t, n, nc.size, na)
	if !nc.mapped {
		r.trim()
	}
	return na, nc.size
}

// growInPlace extends chunk c to cs bytes if the range after it is free
// (growing the heap when c borders its top).
func (r *RawAllocator) growInPlace(c rawChunk, cs int64) bool {
	end := c.start + Addr(c.size)
	need := Addr(cs - c.size)
	i := sort.Search(len(r.holes), func(i int) bool { return r.holes[i].start >= end })
	switch {
	case i < len(r.holes) && r.holes[i].start == end && r.holes[i].end-end >= need:
	case end == r.top || (i < len(r.holes) && r.holes[i].start == end && r.holes[i].end == r.top):
		have := Addr(0)
		if end != r.top {
			have = r.top - end
		}
		r.grow(int64(need - have))
		i = sort.Search(len(r.holes), func(i int) bool { return r.holes[i].start >= end })
	default:
		return false
	}
	r.take(i, end, end+need)
	return true
}

// carve takes cs bytes from the lowest free range that fits, growing the
// heap when none does.
func (r *RawAllocator) carve(cs int64) Addr {
	for i, f := range r.holes {
		if int64(f.end-f.start) >= cs {
			r.take(i, f.start, f.start+Addr(cs))
			return f.start
		}
	}
	short := cs
	if n := len(r.holes); n > 0 && r.holes[n-1].end == r.top {
		short -= int64(r.holes[n-1].end - r.holes[n-1].start)
	}
	r.grow(short)
	i := len(r.holes) - 1
	start := r.holes[i].start
	r.take(i, start, start+Addr(cs))
	return start
}

// take removes [s, e) from free range i, which contains it.
func (r *RawAllocator) take(i int, s, e Addr) {
	f := r.holes[i]
	switch {
	case f.start == s && f.end == e:
		r.holes = append(r.holes[:i], r.holes[i+1:]...)
	case f.start == s:
		r.holes[i].start = e
	case f.end == e:
		r.holes[i].end = s
	default:
		r.holes = append(r.holes, span{})
		copy(r.holes[i+2:], r.holes[i+1:])
		r.holes[i] = span{f.start, s}
		r.holes[i+1] = span{e, f.end}
	}
}

// grow extends the heap by a segment of at least short bytes plus the top pad.
func (r *RawAllocator) grow(short int64) {
	size := roundUp(short+r.cfg.TopPad, r.cfg.PageSize)
	seg := span{r.top, r.top + Addr(size)}
	r.segments = append(r.segments, seg)
	r.top = seg.end
	r.h.os.bytes += size
	r.h.emit(LayerOS, OpAlloc, r.h.typeMallocHeap, size, size, seg.start)
	r.release(seg)
}

// release returns s to the free ranges, coalescing.
func (r *RawAllocator) release(s span) {
	i := sort.Search(len(r.holes), func(i int) bool { return r.holes[i].start >= s.end })
	if i < len(r.holes) && r.holes[i].start == s.end {
		s.end = r.holes[i].end
		r.holes = append(r.holes[:i], r.holes[i+1:]...)
	}
	if i > 0 && r.holes[i-1].end == s.start {
		s.start = r.holes[i-1].start
		r.holes = append(r.holes[:i-1], r.holes[i:]...)
		i--
	}
	r.holes = append(r.holes, span{})
	copy(r.holes[i+1:], r.holes[i:])
	r.holes[i] = s
}

// trim gives back wholly free top segments while the free top is at least
// the trim threshold (glibc's M_TRIM_THRESHOLD: 128 KiB, then twice the
// dynamic mmap threshold).
func (r *RawAllocator) trim() {
	for len(r.segments) > 0 && len(r.holes) > 0 {
		f := &r.holes[len(r.holes)-1]
		seg := r.segments[len(r.segments)-1]
		if f.end != r.top || f.start > seg.start || int64(f.end-f.start) < r.trimThreshold {
			return
		}
		r.segments = r.segments[:len(r.segments)-1]
		r.top = seg.start
		if f.start == seg.start {
			r.holes = r.holes[:len(r.holes)-1]
		} else {
			f.end = seg.start
		}
		size := int64(seg.end - seg.start)
		r.h.os.bytes -= size
		r.h.emit(LayerOS, OpFree, r.h.typeMallocHeap, size, size, seg.start)
	}
}

// Bytes returns the chunk bytes in use.
func (r *RawAllocator) Bytes() int64 { return r.inUse }

// Chunks returns the number of live chunks.
func (r *RawAllocator) Chunks() int { return len(r.chunks) }

// HeapBytes returns the size of the brk heap (its segments).
func (r *RawAllocator) HeapBytes() int64 { return int64(r.top - r.cfg.HeapBase) }
