// This file defines fragReplay, which replays the pymalloc layer block by
// block into pools and arenas for the fragmentation report.

package analyze

import (
	"encoding/json"

	"github.com/heaptrace/heaptrace/format"
)

// The model's defaults (CPython 3.11's), used when the trace's params do
// not say otherwise.
const (
	defaultPoolSize     = 16 << 10
	defaultPoolOverhead = 48
	defaultArenaSize    = 1 << 20
)

type fragPool struct {
	used  int32 // blocks in use
	block int32 // block size, set when the pool's first block is handed out
	cap   int32 // blocks the pool holds, set with block (a division per row showed)
}

type fragArena struct {
	addr      uint64
	size      int64
	firstPool uint64 // the first pool boundary in the arena
	pools     int    // whole pools in the arena
	used      int64  // blocks in use in all its pools
	held      bool   // one block in use, the others freed: that block holds the arena
	live      bool
}

// fragReplay follows pymalloc's blocks into pools (a pool is the block's
// address rounded down to the pool size) and pools into the arenas (the
// os-layer mappings of type "arena") that contain them.
type fragReplay struct {
	poolSize, poolOverhead, arenaSize int64
	perArena                          int // pool slots per arena

	pools   addrTable[uint32] // pool address -> arena slot*perArena + pool number
	pool    []fragPool
	arenas  []fragArena
	arenaAt addrTable[uint32] // arena address -> slot
	free    []uint32          // arena slots to reuse
	// the pool of the last block: blocks come in runs from one pool
	lastPool uint64
	lastPI   uint32
	lastOK   bool

	st         FragState
	atPeak     FragState // when the most bytes were in blocks
	maxHeld    int64
	maxHeldSeq uint64
	mapped     int64 // arenas mapped over the run
	unmapped   int64
	samples    *fragSampler
	lastSample uint64 // the event of the curve's last point
}

func newFragReplay(params string, points int) *fragReplay {
	var cfg struct{ PoolSize, PoolOverhead, ArenaSize int64 }
	_ = json.Unmarshal([]byte(params), &cfg) // missing or odd params: the defaults
	f := &fragReplay{
		poolSize:     defaultPoolSize,
		poolOverhead: defaultPoolOverhead,
		arenaSize:    defaultArenaSize,
		pools:        newAddrTable[uint32](256),
		arenaAt:      newAddrTable[uint32](64),
		samples:      newFragSampler(points),
	}
	if cfg.PoolSize > 0 && cfg.PoolSize&(cfg.PoolSize-1) == 0 {
		f.poolSize = cfg.PoolSize
	}
	if cfg.PoolOverhead >= 0 && cfg.PoolOverhead < f.poolSize {
		f.poolOverhead = cfg.PoolOverhead
	}
	if cfg.ArenaSize >= f.poolSize {
		f.arenaSize = cfg.ArenaSize
	}
	f.perArena = int(f.arenaSize / f.poolSize)
	return f
}

// capacity is the number of blocks of size block in one pool.
func (f *fragReplay) capacity(block int32) int32 {
	if block <= 0 {
		return 1
	}
	return int32((f.poolSize - f.poolOverhead) / int64(block))
}

func (f *fragReplay) os(p *lowerLayers, seq uint64, op format.Op, arena bool, size int64, addr uint64) {
	if !arena {
		return
	}
	switch op {
	case format.OpAlloc:
		f.mapArena(p, seq, addr, size)
	case format.OpFree:
		f.unmapArena(p, seq, addr)
	default:
		return
	}
	f.sample(seq)
}

func (f *fragReplay) mapArena(p *lowerLayers, seq uint64, addr uint64, size int64) {
	if f.arenaAt.get(addr) != nil {
		p.anomaly(seq, "arena mapped at %#x, which is mapped already", addr)
		f.unmapArena(p, seq, addr)
	}
	var slot uint32
	if n := len(f.free); n > 0 {
		slot = f.free[n-1]
		f.free = f.free[:n-1]
	} else {
		slot = uint32(len(f.arenas))
		f.arenas = append(f.arenas, fragArena{})
		f.pool = append(f.pool, make([]fragPool, f.perArena)...)
	}
	ps := uint64(f.poolSize)
	first := (addr + ps - 1) &^ (ps - 1)
	n := 0
	if end := addr + uint64(size); end > first {
		n = min(int((end-first)/ps), f.perArena)
	}
	f.arenas[slot] = fragArena{addr: addr, size: size, firstPool: first, pools: n, live: true}
	base := int(slot) * f.perArena
	for k := 0; k < n; k++ {
		f.pools.put(first+uint64(k)*ps, uint32(base+k))
		f.pool[base+k] = fragPool{}
	}
	f.arenaAt.put(addr, slot)
	f.mapped++
	f.st.Arenas++
	f.st.ArenaBytes += size
}

func (f *fragReplay) unmapArena(p *lowerLayers, seq uint64, addr uint64) {
	sp := f.arenaAt.get(addr)
	if sp == nil {
		p.anomaly(seq, "arena unmapped at %#x, which is not mapped", addr)
		return
	}
	slot := *sp
	a := &f.arenas[slot]
	if a.used > 0 {
		p.anomaly(seq, "arena %#x unmapped with %d blocks in use", addr, a.used)
	}
	if a.held {
		f.st.Held--
	}
	ps := uint64(f.poolSize)
	base := int(slot) * f.perArena
	for k := 0; k < a.pools; k++ {
		pl := &f.pool[base+k]
		if pl.used > 0 {
			if pl.used == pl.cap {
				f.st.PoolsFull--
			}
			f.st.PoolsUsed--
			f.st.PoolBytes -= f.poolSize
			f.st.BlockBytes -= int64(pl.used) * int64(pl.block)
		}
		f.pools.del(a.firstPool + uint64(k)*ps)
	}
	f.arenaAt.del(addr)
	f.lastOK = false
	f.st.Arenas--
	f.st.ArenaBytes -= a.size
	*a = fragArena{}
	f.free = append(f.free, slot)
	f.unmapped++
}

func (f *fragReplay) pymalloc(p *lowerLayers, seq uint64, op format.Op, size, block int64, addr uint64) {
	alloc := op == format.OpAlloc || op == format.OpReallocTo
	if !alloc && op != format.OpFree && op != format.OpReallocFrom {
		return
	}
	pa := addr &^ uint64(f.poolSize-1)
	pi, ok := f.lastPI, f.lastOK && pa == f.lastPool
	if !ok {
		pp := f.pools.get(pa)
		if pp == nil {
			p.anomaly(seq, "pymalloc %s of %#x, which is in no mapped arena", op, addr)
			return
		}
		pi = *pp
		f.lastPool, f.lastPI, f.lastOK = pa, pi, true
	}
	pl := &f.pool[pi]
	a := &f.arenas[int(pi)/f.perArena]
	if alloc {
		if pl.used == 0 {
			pl.block, pl.cap = int32(block), f.capacity(int32(block))
			f.st.PoolsUsed++
			f.st.PoolBytes += f.poolSize
		}
		pl.used++
		if pl.used == pl.cap {
			f.st.PoolsFull++
		}
		a.used++
		if a.held {
			a.held = false
			f.st.Held--
		}
		f.st.BlockBytes += block
		f.st.RequestedBytes += size
	} else {
		if pl.used == 0 {
			p.anomaly(seq, "pymalloc %s of %#x, whose pool has no block in use", op, addr)
			return
		}
		if pl.used == pl.cap {
			f.st.PoolsFull--
		}
		pl.used--
		if pl.used == 0 {
			f.st.PoolsUsed--
			f.st.PoolBytes -= f.poolSize
		}
		a.used--
		switch {
		case a.used == 1:
			a.held = true
			f.st.Held++
		case a.held:
			a.held = false
			f.st.Held--
		}
		f.st.BlockBytes -= block
		f.st.RequestedBytes -= size
	}
	if f.st.BlockBytes > f.atPeak.BlockBytes {
		f.atPeak, f.atPeak.Seq = f.st, seq // its ratios are worked out at the end
	}
	if f.st.Held > f.maxHeld {
		f.maxHeld, f.maxHeldSeq = f.st.Held, seq
	}
	f.sample(seq)
}

// sample adds the state as of seq to the curve. Every change of the state
// is sampled: its common case, a point in the curve's last bucket that is
// no new extreme there, costs four comparisons. The curve's last point is
// then the state as it is, which curve writes out at the end.
func (f *fragReplay) sample(seq uint64) {
	d, st := f.samples, &f.st
	f.lastSample = seq
	if d.n < d.tailEnd {
		if b := d.tail; st.ArenaBytes < b[0].ArenaBytes || st.ArenaBytes > b[1].ArenaBytes ||
			st.BlockBytes < b[2].BlockBytes || st.BlockBytes > b[3].BlockBytes {
			p := f.point(seq)
			b.merge(fragBucket{p, p, p, p})
		}
		d.n++
		return
	}
	d.addBucket(f.point(seq))
}

// point is the curve's point of the state as of seq.
func (f *fragReplay) point(seq uint64) FragPoint {
	return FragPoint{Seq: seq, ArenaBytes: f.st.ArenaBytes, PoolBytes: f.st.PoolBytes, BlockBytes: f.st.BlockBytes, Held: f.st.Held}
}

// curve returns the curve's points, once the replay is done.
func (f *fragReplay) curve() []FragPoint {
	if f.samples.n > 0 {
		f.samples.last = f.point(f.lastSample)
	}
	return f.samples.points()
}

// state returns the current state, with its ratios, as of seq.
func (f *fragReplay) state(seq uint64) FragState {
	s := f.st
	s.Seq = seq
	return withRatios(s)
}

// withRatios returns s with its ratios worked out.
func withRatios(s FragState) FragState {
	if s.ArenaBytes > 0 {
		s.Utilization = ratio(s.BlockBytes, s.ArenaBytes)
	}
	if s.PoolBytes > 0 {
		s.PoolUtil = ratio(s.BlockBytes, s.PoolBytes)
	}
	return s
}

// ratio is a/b rounded to four decimals, so that JSON output is stable.
func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(int64(float64(a)/float64(b)*10000+0.5)) / 10000
}

// held lists the arenas that one block keeps mapped (every other block
// freed), with that block's object when the object layer knows it.
func (f *fragReplay) held(p *replay) []HeldArena {
	var out []HeldArena
	slots := map[uint32]int{}
	for i, a := range f.arenas {
		if a.live && a.held {
			slots[uint32(i)] = len(out)
			out = append(out, HeldArena{Arena: a.addr, Type: "?", Site: "?"})
		}
	}
	if len(out) == 0 {
		return []HeldArena{}
	}
	for addr, o := range p.live.all() {
		pp := f.pools.get(addr &^ uint64(f.poolSize-1))
		if pp == nil {
			continue
		}
		pi := *pp
		if j, ok := slots[uint32(int(pi)/f.perArena)]; ok && f.pool[pi].used > 0 {
			out[j].Block, out[j].BlockSize = addr, o.block
			out[j].Type, out[j].Site = p.types[o.typ], p.sites[o.site]
		}
	}
	return out
}

// fragSampler keeps the fragmentation curve as a bounded number of points:
// like Downsampler, but each bucket keeps the points where the bytes in
// arenas and the bytes in blocks were lowest and highest.
type fragSampler struct {
	max     int // the most points
	limit   int
	shift   uint // a bucket's width is 1<<shift points
	n       uint64
	buckets []fragBucket
	first   FragPoint
	last    FragPoint // set by fragReplay.curve

	// tail is the last bucket, which takes points until the n-th is tailEnd
	tail    *fragBucket
	tailEnd uint64
}

func newFragSampler(points int) *fragSampler {
	limit := (points - 2) / 4 &^ 1
	if limit < 2 {
		limit = 2
	}
	return &fragSampler{max: points, limit: limit}
}

// addBucket adds p, the first point of a bucket, after merging the
// buckets when they have run out; the points after it, to tailEnd, go to
// the same bucket (fragReplay.sample).
func (d *fragSampler) addBucket(p FragPoint) {
	if d.n == 0 {
		d.first = p
	}
	if d.n>>d.shift >= uint64(d.limit) {
		for j := 0; j < d.limit/2; j++ {
			a := d.buckets[2*j]
			a.merge(d.buckets[2*j+1])
			d.buckets[j] = a
		}
		d.buckets = d.buckets[:d.limit/2]
		d.shift++
	}
	d.buckets = append(d.buckets, fragBucket{p, p, p, p})
	d.tail = &d.buckets[len(d.buckets)-1]
	d.tailEnd = uint64(len(d.buckets)) << d.shift
	d.n++
}

// fragBucket holds the points of lowest and highest arena bytes, then of
// lowest and highest block bytes.
type fragBucket [4]FragPoint

func (a *fragBucket) merge(b fragBucket) {
	if b[0].ArenaBytes < a[0].ArenaBytes {
		a[0] = b[0]
	}
	if b[1].ArenaBytes > a[1].ArenaBytes {
		a[1] = b[1]
	}
	if b[2].BlockBytes < a[2].BlockBytes {
		a[2] = b[2]
	}
	if b[3].BlockBytes > a[3].BlockBytes {
		a[3] = b[3]
	}
}

func (d *fragSampler) points() []FragPoint {
	if d.n == 0 {
		return []FragPoint{}
	}
	pts := []FragPoint{d.first}
	for _, b := range d.buckets {
		q := b
		// in sequence order, each point once
		for i := 1; i < 4; i++ {
			for j := i; j > 0 && q[j].Seq < q[j-1].Seq; j-- {
				q[j], q[j-1] = q[j-1], q[j]
			}
		}
		for _, p := range q {
			if p.Seq > pts[len(pts)-1].Seq {
				pts = append(pts, p)
			}
		}
	}
	if d.last.Seq > pts[len(pts)-1].Seq {
		pts = append(pts, d.last)
	}
	if len(pts) > d.max {
		pts = keepExtremes(pts, d.max, func(p FragPoint) int64 { return p.ArenaBytes - p.BlockBytes })
	}
	return pts
}
