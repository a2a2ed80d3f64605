package analyze

import (
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/heaptrace/heaptrace/format"
)

// This file writes random but consistent traces for the tests: a small
// heap with pymalloc arenas, pools and blocks, a raw allocator on heap
// segments, free lists, calls and returns, temporaries and reallocs. The
// expected figures are never taken from here: oracle_test.go computes them
// from the trace's rows.

var genTypes = []string{format.NoType, "int", "str", "list", "list.items", "dict.keys", "arena", "malloc_heap"}

var genSites = []string{format.UnknownSite, "f (a.py:1)", "g (a.py:2)", "h (b.py:7)", "<module> (a.py:9)", "never (c.py:1)"}

const (
	genArena     = 6
	genHeap      = 7
	genPool      = 16 << 10
	genPoolHead  = 48
	genArenaSize = 64 << 10 // small arenas, so that traces map and unmap many
)

type genObj struct {
	idx         int // in generator.live
	addr, block uint64
	size        int64
	typ         uint16
	small       bool
	parked      bool
}

type genPoolState struct {
	addr  uint64
	block uint64 // 0: empty, any class may take it
	used  int
	next  int      // never-used blocks start here
	free  []uint64 // freed blocks, LIFO
	arena *genArenaState
}

type genArenaState struct {
	addr  uint64
	pools []*genPoolState
	used  int // blocks
}

type generator struct {
	t      testing.TB
	rng    *rand.Rand
	w      *format.Writer
	b      format.Batch
	seq    uint64
	batch  int
	live   []*genObj
	parked []*genObj
	depth  int
	max    int
	// rawSmall: genOptions.rawSmall
	rawSmall bool

	arenas    []*genArenaState
	poolAt    map[uint64]*genPoolState
	nextArena uint64
	heapTop   uint64 // raw: next free address
	heapEnd   uint64 // raw: end of the mapped heap
	rawFree   map[uint64][]uint64
}

// genOptions shape a generated trace.
type genOptions struct {
	ops   int    // operations (each one or more events)
	setup uint64 // set-up events
	batch int    // events per batch (0: 1000)
	drain bool   // free most objects at the end, leaving arenas held by a block or two
	max   int    // most objects live at once (0: no limit)
	// rawSmall serves one small request in eight from the raw allocator,
	// as CPython does when pymalloc cannot (PYTHONMALLOC=malloc does it
	// for all): the sizes report must tell the server from the rows, not
	// from the size
	rawSmall bool
}

// genTrace writes a trace of random operations to path.
func genTrace(t testing.TB, path string, seed int64, o genOptions) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := genTo(t, f, seed, o); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func genTo(t testing.TB, ws io.WriteSeeker, seed int64, o genOptions) error {
	h := format.Header{
		Meta: format.Meta{Profile: "cpython-3.11", Workload: fmt.Sprintf("gen-%d", seed), ToolVersion: "test", SetupEvents: o.setup,
			Params: `{"PoolSize":16384,"PoolOverhead":48,"ArenaSize":65536}`},
		Types: genTypes,
		Sites: genSites,
	}
	w, err := format.NewWriter(ws, h)
	if err != nil {
		return err
	}
	g := &generator{t: t, rng: rand.New(rand.NewSource(seed)), w: w, batch: o.batch, max: o.max, rawSmall: o.rawSmall,
		poolAt: map[uint64]*genPoolState{}, nextArena: 0x7f0000001000, heapTop: 0x555500000010, heapEnd: 0x555500000000,
		rawFree: map[uint64][]uint64{}}
	if g.batch == 0 {
		g.batch = 1000
	}
	for i := 0; i < o.ops; i++ {
		g.op()
	}
	for o.drain && len(g.live) > 30 {
		g.free(g.pick())
	}
	if g.b.Len() > 0 {
		if err := w.Write(&g.b); err != nil {
			return err
		}
	}
	return w.Close()
}

func (g *generator) emit(op format.Op, l format.Layer, typ uint16, size int64, block uint64, addr uint64, site uint32) {
	g.seq++
	g.b.Append(g.seq, op, l, typ, size, int64(block), addr, site)
	if g.b.Len() == g.batch {
		if err := g.w.Write(&g.b); err != nil {
			g.t.Fatal(err)
		}
		g.b.Reset()
	}
}

func (g *generator) site() uint32 { return uint32(1 + g.rng.Intn(len(genSites)-2)) }

func (g *generator) op() {
	r := g.rng.Intn(100)
	switch {
	case g.max > 0 && len(g.live) >= g.max:
		g.free(g.pick())
	case r < 35 || len(g.live) == 0:
		g.alloc(g.site())
	case r < 58:
		g.free(g.pick())
	case r < 66:
		g.realloc(g.pick())
	case r < 71:
		o := g.pick()
		if !o.parked {
			o.parked = true
			g.parked = append(g.parked, o)
			g.emit(format.OpCache, format.LayerObject, o.typ, o.size, o.block, o.addr, g.site())
		}
	case r < 76 && len(g.parked) > 0:
		i := g.rng.Intn(len(g.parked))
		o := g.parked[i]
		g.parked = append(g.parked[:i], g.parked[i+1:]...)
		o.parked = false
		if g.rng.Intn(3) == 0 {
			o.typ = uint16(1 + g.rng.Intn(5)) // the block is reused for another type
		}
		g.emit(format.OpReuse, format.LayerObject, o.typ, o.size, o.block, o.addr, g.site())
	case r < 83:
		o := g.alloc(g.site()) // a temporary: freed at once
		g.free(o)
	case r < 90 && g.depth < 5:
		g.depth++
		g.emit(format.OpCall, format.LayerInterp, 0, 0, 0, 0, g.site())
	case r < 97 && g.depth > 0:
		g.depth--
		g.emit(format.OpReturn, format.LayerInterp, 0, 0, 0, 0, g.site())
	default:
		g.emit(format.OpCollect, format.LayerInterp, 0, int64(g.rng.Intn(3)), 0, 0, 0)
	}
}

func (g *generator) pick() *genObj { return g.live[g.rng.Intn(len(g.live))] }

func (g *generator) size() int64 {
	switch r := g.rng.Intn(20); {
	case r == 0:
		return 0
	case r < 16:
		return 1 + g.rng.Int63n(512)
	case r < 19:
		return 513 + g.rng.Int63n(8000)
	}
	return 100000 + g.rng.Int63n(100000)
}

// lower allocates size bytes below the object layer and returns the
// address and the block.
func (g *generator) lower(size int64, typ uint16, site uint32) (addr, block uint64, small bool) {
	if size > 0 && size <= 512 && !(g.rawSmall && g.rng.Intn(8) == 0) {
		block = uint64(size+15) &^ 15
		addr = g.pymallocAlloc(block)
		g.emit(format.OpAlloc, format.LayerPymalloc, typ, size, block, addr, site)
		return addr, block, true
	}
	block = max(uint64(size+8+15)&^15, 32)
	addr = g.rawAlloc(block)
	g.emit(format.OpAlloc, format.LayerRaw, typ, size, block, addr, site)
	return addr, block, false
}

func (g *generator) lowerFree(o *genObj, site uint32) {
	if o.small {
		g.emit(format.OpFree, format.LayerPymalloc, o.typ, o.size, o.block, o.addr, site)
		g.pymallocFree(o.addr)
	} else {
		g.emit(format.OpFree, format.LayerRaw, o.typ, o.size, o.block, o.addr, site)
		g.rawFree[o.block] = append(g.rawFree[o.block], o.addr)
	}
}

func (g *generator) alloc(site uint32) *genObj {
	size := g.size()
	typ := uint16(1 + g.rng.Intn(5))
	addr, block, small := g.lower(size, typ, site)
	o := &genObj{idx: len(g.live), addr: addr, block: block, size: size, typ: typ, small: small}
	g.emit(format.OpAlloc, format.LayerObject, typ, size, block, addr, site)
	g.live = append(g.live, o)
	return o
}

func (g *generator) remove(o *genObj) {
	last := g.live[len(g.live)-1]
	g.live[o.idx], last.idx = last, o.idx
	g.live = g.live[:len(g.live)-1]
	if !o.parked {
		return
	}
	for i, x := range g.parked {
		if x == o {
			g.parked = append(g.parked[:i], g.parked[i+1:]...)
			break
		}
	}
}

func (g *generator) free(o *genObj) {
	site := g.site()
	g.lowerFree(o, site)
	g.emit(format.OpFree, format.LayerObject, o.typ, o.size, o.block, o.addr, site)
	g.remove(o)
}

func (g *generator) realloc(o *genObj) {
	if o.parked {
		return
	}
	site := g.site()
	size := g.size()
	addr, block, small := g.lower(size, o.typ, site)
	g.lowerFree(o, site)
	g.emit(format.OpReallocFrom, format.LayerObject, o.typ, o.size, o.block, o.addr, site)
	g.emit(format.OpReallocTo, format.LayerObject, o.typ, size, block, addr, site)
	o.addr, o.block, o.size, o.small = addr, block, size, small
}

func (g *generator) pymallocAlloc(block uint64) uint64 {
	capacity := int((genPool - genPoolHead) / block)
	var pool *genPoolState
	for _, a := range g.arenas {
		for _, p := range a.pools {
			if p.block == block && p.used < capacity {
				pool = p
				break
			}
		}
		if pool != nil {
			break
		}
	}
	if pool == nil {
		for _, a := range g.arenas {
			for _, p := range a.pools {
				if p.block == 0 {
					pool = p
					break
				}
			}
			if pool != nil {
				break
			}
		}
		if pool == nil {
			pool = g.mapArena().pools[0]
		}
		if pool.block != block {
			pool.block, pool.next, pool.free = block, 0, nil
		}
	}
	var addr uint64
	if n := len(pool.free); n > 0 {
		addr = pool.free[n-1]
		pool.free = pool.free[:n-1]
	} else {
		addr = pool.addr + genPoolHead + uint64(pool.next)*block
		pool.next++
	}
	pool.used++
	pool.arena.used++
	return addr
}

func (g *generator) mapArena() *genArenaState {
	a := &genArenaState{addr: g.nextArena}
	g.nextArena += genArenaSize + 5*4096 // mappings are page-aligned, not pool-aligned
	first := (a.addr + genPool - 1) &^ (genPool - 1)
	for p := first; p+genPool <= a.addr+genArenaSize; p += genPool {
		pool := &genPoolState{addr: p, arena: a}
		a.pools = append(a.pools, pool)
		g.poolAt[p] = pool
	}
	g.arenas = append(g.arenas, a)
	g.emit(format.OpAlloc, format.LayerOS, genArena, genArenaSize, genArenaSize, a.addr, 0)
	return a
}

func (g *generator) pymallocFree(addr uint64) {
	pool := g.poolAt[addr&^(genPool-1)]
	pool.free = append(pool.free, addr)
	pool.used--
	if pool.used == 0 {
		pool.block = 0
	}
	a := pool.arena
	a.used--
	if a.used == 0 && len(g.arenas) > 1 && g.rng.Intn(2) == 0 {
		for i, x := range g.arenas {
			if x == a {
				g.arenas = append(g.arenas[:i], g.arenas[i+1:]...)
			}
		}
		for _, p := range a.pools {
			delete(g.poolAt, p.addr)
		}
		g.emit(format.OpFree, format.LayerOS, genArena, genArenaSize, genArenaSize, a.addr, 0)
	}
}

func (g *generator) rawAlloc(block uint64) uint64 {
	if l := g.rawFree[block]; len(l) > 0 {
		g.rawFree[block] = l[:len(l)-1]
		return l[len(l)-1]
	}
	addr := g.heapTop
	g.heapTop += block
	for g.heapTop > g.heapEnd {
		g.emit(format.OpAlloc, format.LayerOS, genHeap, 128<<10, 128<<10, g.heapEnd, 0)
		g.heapEnd += 128 << 10
	}
	return addr
}

// genFile writes a generated trace into a test's temporary folder.
func genFile(t testing.TB, seed int64, o genOptions) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("gen-%d.arrow", seed))
	genTrace(t, path, seed, o)
	return path
}
