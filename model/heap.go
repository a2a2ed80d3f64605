package model

import (
	"errors"
	"fmt"
)

// ErrOutOfMemory is returned when a request would take the requested bytes
// over the heap's limit (see Heap.SetLimit). CPython raises MemoryError.
var ErrOutOfMemory = errors.New("model: out of memory")

// liveAlloc is one allocation a caller holds.
type liveAlloc struct {
	size  int64
	block int64
	typ   TypeID
	raw   bool // served by the raw allocator
}

// Heap is the whole memory manager: the request API on top (Malloc,
// Realloc, Free, which is what tracemalloc sees), pymalloc and the raw
// allocator below it, and the OS at the bottom. Every layer reports each
// allocate and free to the heap's observer.
//
// A Heap is deterministic: the same calls give the same events, addresses
// included. It is not safe for concurrent use.
type Heap struct {
	cfg Config
	obs Observer
	seq uint64

	os  *OSMemory
	raw *RawAllocator
	obj *ObjectAllocator

	rawLive   map[Addr]liveAlloc // live raw allocations; pymalloc blocks keep theirs in their pool
	nlive     int
	requested int64
	peak      int64
	limit     int64

	site  SiteID
	types names
	sites names

	typeArena, typeMallocHeap, typeArenaVector TypeID

	check    bool
	checkErr error
}

// NewHeap returns an empty heap with the given configuration. obs may be
// nil and may be set later with SetObserver, before the first event.
func NewHeap(cfg Config, obs Observer) (*Heap, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	h := &Heap{cfg: cfg, obs: obs, rawLive: make(map[Addr]liveAlloc)}
	h.types.add("none")
	h.sites.add("?")
	h.typeArena = h.Type("arena")
	h.typeMallocHeap = h.Type("malloc_heap")
	h.typeArenaVector = h.Type("arena_vector")
	h.os = newOSMemory(cfg)
	h.raw = newRawAllocator(h)
	h.obj = newObjectAllocator(h)
	return h, nil
}

// SetCheck makes the heap verify every invariant (see Check) after each
// request, free and realloc. The first failure is kept in CheckErr. Check
// walks the whole heap, so this is for tests and small runs.
func (h *Heap) SetCheck(on bool) { h.check = on }

// CheckErr returns the first invariant broken since SetCheck(true), naming
// the event after which it broke, or nil.
func (h *Heap) CheckErr() error { return h.checkErr }

func (h *Heap) verify() {
	if h.check && h.checkErr == nil {
		if err := h.Check(); err != nil {
			h.checkErr = fmt.Errorf("after event #%d: %w", h.seq, err)
		}
	}
}

// Config returns the heap's configuration.
func (h *Heap) Config() Config { return h.cfg }

// SetObserver sets the observer that receives every later event.
func (h *Heap) SetObserver(o Observer) { h.obs = o }

// SetLimit makes requests fail with ErrOutOfMemory once the requested
// bytes would exceed limit. Zero means no limit.
func (h *Heap) SetLimit(limit int64) { h.limit = limit }

// Type returns the id of the object type called name, adding it to the
// type table if it is new. A recorder fixes the table when it starts, so
// workloads declare their types before the first allocation.
func (h *Heap) Type(name string) TypeID { return TypeID(h.types.add(name)) }

// TypeNames returns the type table, indexed by TypeID. Index 0 is "none".
func (h *Heap) TypeNames() []string { return h.types.list() }

// Site returns the id of the site labelled label, adding it if it is new.
func (h *Heap) Site(label string) SiteID { return SiteID(h.sites.add(label)) }

// SiteNames returns the site table, indexed by SiteID. Index 0 is "?".
func (h *Heap) SiteNames() []string { return h.sites.list() }

// SetSite makes s the site of the events that follow and returns the
// previous one.
func (h *Heap) SetSite(s SiteID) SiteID {
	prev := h.site
	h.site = s
	return prev
}

// CurrentSite returns the site events are attributed to now.
func (h *Heap) CurrentSite() SiteID { return h.site }

func (h *Heap) emit(l Layer, op Op, t TypeID, size, block int64, a Addr) {
	h.seq++
	if h.obs != nil {
		h.obs.Observe(Event{Seq: h.seq, Op: op, Layer: l, Type: t, Size: size, Block: block, Addr: a, Site: h.site})
	}
}

// Events returns the number of events so far.
func (h *Heap) Events() uint64 { return h.seq }

// Malloc is PyObject_Malloc (and PyMem_Malloc, which is the same allocator
// in CPython's default build): n bytes for an object of type t.
func (h *Heap) Malloc(t TypeID, n int64) (Addr, error) {
	if n < 0 {
		return 0, fmt.Errorf("model: negative request %d", n)
	}
	if h.limit > 0 && h.requested+n > h.limit {
		return 0, ErrOutOfMemory
	}
	a, block, raw := h.lowerAlloc(n, t)
	h.setLive(a, liveAlloc{size: n, block: block, typ: t, raw: raw})
	h.add(n)
	h.emit(LayerObject, OpAlloc, t, n, block, a)
	h.verify()
	return a, nil
}

func (h *Heap) lowerAlloc(n int64, t TypeID) (Addr, int64, bool) {
	if h.cfg.UsePymalloc && h.cfg.SizeClass(n) >= 0 {
		a, block := h.obj.alloc(n, t)
		return a, block, false
	}
	a, block := h.raw.malloc(n, t)
	return a, block, true
}

func (h *Heap) add(n int64) {
	h.requested += n
	if h.requested > h.peak {
		h.peak = h.requested
	}
}

// The live allocations: a pymalloc block's request and type are kept in
// arrays of its pool, beside the blocks (one small map lookup finds the
// pool, and neighbours share cache lines); raw allocations, fewer and
// larger, in a map.

func (h *Heap) getLive(a Addr) (liveAlloc, bool) {
	if p := h.obj.pool(a); p != nil && p.req != nil {
		size := h.cfg.ClassSize(p.class)
		off := int64(a-p.addr) - h.cfg.PoolOverhead
		if off >= 0 && off%size == 0 && int(off/size) < len(p.req) {
			if n := p.req[off/size]; n > 0 {
				return liveAlloc{size: int64(n), block: size, typ: p.typ[off/size]}, true
			}
		}
	}
	l, ok := h.rawLive[a]
	return l, ok
}

func (h *Heap) setLive(a Addr, l liveAlloc) {
	h.nlive++
	if l.raw {
		h.rawLive[a] = l
		return
	}
	p := h.obj.pool(a)
	i := (int64(a-p.addr) - h.cfg.PoolOverhead) / l.block
	p.req[i] = int32(l.size)
	p.typ[i] = l.typ
}

func (h *Heap) delLive(a Addr, l liveAlloc) {
	h.nlive--
	if l.raw {
		delete(h.rawLive, a)
		return
	}
	p := h.obj.pool(a)
	p.req[(int64(a-p.addr)-h.cfg.PoolOverhead)/l.block] = 0
}

// eachLive calls f for every live allocation.
func (h *Heap) eachLive(f func(Addr, liveAlloc)) {
	for a, l := range h.rawLive {
		f(a, l)
	}
	for _, p := range h.obj.pools {
		for i, n := range p.req {
			if n > 0 {
				size := h.cfg.ClassSize(p.class)
				f(p.addr+Addr(h.cfg.PoolOverhead)+Addr(int64(i)*size), liveAlloc{size: int64(n), block: size, typ: p.typ[i]})
			}
		}
	}
}

func (h *Heap) lookup(a Addr, what string) liveAlloc {
	l, ok := h.getLive(a)
	if !ok {
		panic(fmt.Sprintf("model: %s of %#x, which is not allocated", what, uint64(a)))
	}
	return l
}

// Free is PyObject_Free: the allocation at a ends.
func (h *Heap) Free(a Addr) {
	l := h.lookup(a, "free")
	h.delLive(a, l)
	if l.raw {
		h.raw.free(a, l.typ)
	} else {
		h.obj.free(a, l.size, l.typ)
	}
	h.requested -= l.size
	h.emit(LayerObject, OpFree, l.typ, l.size, l.block, a)
	h.verify()
}

// Realloc is PyObject_Realloc: the allocation at a becomes n bytes,
// possibly at a new address, which it returns. A pymalloc block stays put
// when n fits its size class and saves under a quarter of it; a raw chunk
// stays raw whatever n is, as in CPython.
func (h *Heap) Realloc(a Addr, n int64) (Addr, error) {
	l := h.lookup(a, "realloc")
	if n < 0 {
		return 0, fmt.Errorf("model: negative request %d", n)
	}
	if h.limit > 0 && h.requested-l.size+n > h.limit {
		return 0, ErrOutOfMemory
	}
	h.delLive(a, l) // before the old block can go, and its pool with it
	na, block, raw := a, l.block, l.raw
	switch {
	case l.raw:
		na, block = h.raw.realloc(a, n, l.typ)
	case h.obj.reallocInPlace(a, n):
		h.emit(LayerPymalloc, OpReallocFrom, l.typ, l.size, l.block, a)
		h.emit(LayerPymalloc, OpReallocTo, l.typ, n, l.block, a)
	default:
		na, block, raw = h.lowerAlloc(n, l.typ)
		h.obj.free(a, l.size, l.typ)
	}
	h.setLive(na, liveAlloc{size: n, block: block, typ: l.typ, raw: raw})
	h.requested -= l.size
	h.emit(LayerObject, OpReallocFrom, l.typ, l.size, l.block, a)
	h.add(n)
	h.emit(LayerObject, OpReallocTo, l.typ, n, block, na)
	h.verify()
	return na, nil
}

// Cache records that the object at a was parked on a free list: it stays
// allocated, and counted, but no object uses it.
func (h *Heap) Cache(a Addr) {
	l := h.lookup(a, "cache")
	h.emit(LayerObject, OpCache, l.typ, l.size, l.block, a)
}

// Reuse records that the parked object at a now holds a new object of
// type t: no request reaches the allocator.
func (h *Heap) Reuse(a Addr, t TypeID) {
	l := h.lookup(a, "reuse")
	h.delLive(a, l)
	l.typ = t
	h.setLive(a, l)
	h.emit(LayerObject, OpReuse, t, l.size, l.block, a)
}

// SizeOf returns the requested size of the live allocation at a.
func (h *Heap) SizeOf(a Addr) int64 { return h.lookup(a, "size of").size }

// Call marks the start of a call made at the current site; the callee's
// events follow until the matching Return.
func (h *Heap) Call() { h.emit(LayerInterp, OpCall, 0, 0, 0, 0) }

// Return marks the end of the innermost call.
func (h *Heap) Return() { h.emit(LayerInterp, OpReturn, 0, 0, 0, 0) }

// Collect marks a run of the cyclic garbage collector over generation gen.
func (h *Heap) Collect(gen int) { h.emit(LayerInterp, OpCollect, 0, int64(gen), 0, 0) }

// Stats is a snapshot of every layer's totals.
type Stats struct {
	Requested     int64 // live requested bytes: tracemalloc's current
	RequestedPeak int64 // tracemalloc's peak
	Allocations   int   // live allocations
	BlockBytes    int64 // pymalloc block bytes handed out
	Pools         int   // pymalloc pools in use
	Arenas        int   // pymalloc arenas mapped
	ArenasEver    int   // pymalloc arenas mapped since the start
	RawBytes      int64 // malloc chunk bytes in use
	RawChunks     int   // live malloc chunks
	MallocHeap    int64 // bytes of the malloc heap (brk)
	OSMapped      int64 // bytes mapped from the OS: arenas, heap segments, large chunks
	Events        uint64
}

// Stats returns the heap's totals now.
func (h *Heap) Stats() Stats {
	return Stats{
		Requested: h.requested, RequestedPeak: h.peak, Allocations: h.nlive,
		BlockBytes: h.obj.Bytes(), Pools: h.obj.Pools(), Arenas: h.obj.Arenas(), ArenasEver: h.obj.ArenasEver(),
		RawBytes: h.raw.Bytes(), RawChunks: h.raw.Chunks(), MallocHeap: h.raw.HeapBytes(),
		OSMapped: h.os.Bytes(), Events: h.seq,
	}
}

// ResetPeak makes the peak equal the current requested bytes, like
// tracemalloc.reset_peak().
func (h *Heap) ResetPeak() { h.peak = h.requested }

// names is an append-only table of distinct names.
type names struct {
	byName map[string]int
	order  []string
}

func (n *names) add(name string) int {
	if id, ok := n.byName[name]; ok {
		return id
	}
	if n.byName == nil {
		n.byName = make(map[string]int)
	}
	id := len(n.order)
	n.byName[name] = id
	n.order = append(n.order, name)
	return id
}

func (n *names) list() []string { return append([]string(nil), n.order...) }
