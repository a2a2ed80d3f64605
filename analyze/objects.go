// This file defines objectTable, the first half of the object layer's
// replay: the live objects, keyed by address, and the interpreter's call
// stacks. For each object-layer row it finds the object the row ends,
// parks or replaces, and writes it down (a resolved record) for the
// second half, the counting in analyze.go, which then needs no lookup.
// Run gives each half a goroutine of its own.

package analyze

import (
	"fmt"
	"slices"
	"unsafe"

	"github.com/heaptrace/heaptrace/format"
)

// rowKind is what the object table did with one object-layer row.
type rowKind uint8

const (
	rowIgnored      rowKind = iota // a set-up event, or an untraced object parked or reused: counts nothing
	rowUntracedFree                // the free of an untraced object: counts nothing, but ends a temporary run
	rowMissing                     // the row names an address that holds no object (an anomaly)
	rowNew                         // an allocation at a free address
	rowReplaced                    // an allocation over a live object (an anomaly): old is the object replaced
	rowEnded                       // a free or realloc_from: old is the object that ended
	rowParked                      // a cache: old is the object as it was before
	rowReused                      // a reuse: old is the object parked in the block
)

// resolved is what the object table found for one object-layer row: the
// object the row ended, parked or replaced, as it was, and the call stack
// of the object the row made. It is 32 bytes, for the counting reads one
// per row from another core's cache: the old object's birth and call
// stack, which only some reports need, are in a records.cold apart.
type resolved struct {
	old   liveHot
	stack uint32 // the new object's call stack (0 when no report needs it)
	kind  rowKind
	skip  bool // the new object is left out by the filters
}

// records are the resolved records of one batch's object-layer rows, in
// order; cold[k] is res[k]'s old object's birth and call stack, when the
// table keeps them (liveTable.keep), and nil otherwise.
type records struct {
	res  []resolved
	cold []liveCold
}

// objectTable is the state of the object table's replay. It is allocated
// apart from replay, with padding, so that the two goroutines never write
// to one cache line.
type objectTable struct {
	_ [64]byte

	types    []string
	maxAnoms int

	live liveTable

	// bounded: the rows alone say what a free ends (Options.Bounded);
	// only the objects parked on free lists are kept, by address
	bounded  bool
	parkedAt addrTable[liveHot]
	// special holds every address of parkedAt and untraced, and
	// untracedMay every address of untraced, so that the replays look
	// neither up for the other addresses
	special, untracedMay addrFilter
	name                 string // the trace's, for limitError

	// setup is the number of set-up events; untraced holds the live
	// object-layer allocations they made, which tracemalloc-comparable
	// figures ignore (format.Meta.SetupEvents).
	setup    uint64
	untraced map[uint64]bool

	// filters: nil when there is none
	typeOK, siteOK []bool

	stacksOn bool
	stacks   stackTable

	reallocBirth uint64 // birth of the block a realloc_from ended
	reallocOK    bool

	calls, collections int64
	depth, maxDepth    int

	anoms   []Anomaly
	nAnoms  int
	recent  [recentFrees]freed
	nRecent int

	_ [64]byte
}

// touchAhead is how many rows' live-table slots batch loads before it
// replays them: the loads are independent, so their cache misses overlap
// instead of coming one at a time. It is worth a quarter of the replay's
// time on a table larger than the caches.
const touchAhead = 32

// batch replays the object-layer and interpreter rows of b, and sets rec
// to their resolved records. Rows are numbered from b.Seq[0]: a batch's
// events are consecutive, and reading one column less matters here. It
// returns an error, and stops, when the live table reaches its limit. (A
// bounded replay goes through countBounded instead.)
func (t *objectTable) batch(b *format.Batch, rec *records) error {
	// room for a record a row, made once: growing the records by appending
	// copied them over and over in each batch slot's first batches, which
	// showed on traces of a million events
	res, cold := slices.Grow(rec.res[:0], len(b.Op)), rec.cold[:0]
	if t.live.keep {
		cold = slices.Grow(cold, len(b.Op))
	}
	var first uint64
	if len(b.Seq) > 0 {
		first = b.Seq[0]
	}
	for start := 0; start < len(b.Op); start += touchAhead {
		end := min(start+touchAhead, len(b.Op))
		t.live.touch(b.Layer[start:end], b.Addr[start:end])
		for i := start; i < end; i++ {
			switch b.Layer[i] {
			case format.LayerObject:
				res = append(res, resolved{})
				r := &res[len(res)-1]
				if c := t.object(r, first+uint64(i), b.Op[i], b.Type[i], b.Size[i], b.Block[i], b.Addr[i], b.Site[i]); t.live.keep {
					cold = append(cold, c)
				}
				if t.live.full {
					rec.res, rec.cold = res, cold
					return t.limitError(first + uint64(i))
				}
			case format.LayerInterp:
				t.interp(first+uint64(i), b.Op[i], b.Site[i])
			}
		}
	}
	rec.res, rec.cold = res, cold
	return nil
}

// limitError is the error of a live table that reached its limit at
// event seq.
func (t *objectTable) limitError(seq uint64) error {
	e := &MemoryError{Trace: t.name, Seq: seq, Limit: t.live.limit, Bounded: t.bounded}
	if t.bounded {
		e.Objects, e.Bytes = int64(t.parkedAt.Len()), t.parkedBytes()
	} else {
		e.Objects, e.Bytes = int64(t.live.Len()), t.live.bytesFor(2*len(t.live.slots))
	}
	return e
}

// MemoryError is the error of an analysis whose table of live objects
// would take more than Options.MaxMemory.
type MemoryError struct {
	Trace   string
	Seq     uint64 // the event at which the table was to grow
	Objects int64  // objects in the table then: live, or parked when Bounded
	Bytes   int64  // what the table would take
	Limit   int64  // Options.MaxMemory
	Bounded bool   // the table was the bounded replay's, of parked objects
}

func (e *MemoryError) Error() string {
	if e.Bounded {
		return fmt.Sprintf("analyze %s: event #%d: %s objects are parked on free lists, in a table of %s, over --max-memory %s; "+
			"CPython's free lists hold a few thousand: is the trace damaged?",
			e.Trace, e.Seq, Count(e.Objects), Bytes(e.Bytes), Bytes(e.Limit))
	}
	return fmt.Sprintf("analyze %s: event #%d: %s objects are live, and a table for more would take %s, over --max-memory %s: "+
		"the reports asked for follow each live object. Raise --max-memory if the machine has the memory, or use --bounded, "+
		"which keeps no memory per object (summary, types, peak by type, growth, sizes and fragmentation)",
		e.Trace, e.Seq, Count(e.Objects), Bytes(e.Bytes), Bytes(e.Limit))
}

// parkedBytes returns the memory of the table of parked objects.
func (t *objectTable) parkedBytes() int64 {
	return int64(len(t.parkedAt.slots)) * int64(unsafe.Sizeof(addrEntry[liveHot]{}))
}

func (t *objectTable) interp(seq uint64, op format.Op, site uint32) {
	switch op {
	case format.OpCall:
		t.calls++
		t.depth++
		t.maxDepth = max(t.maxDepth, t.depth)
		if t.stacksOn {
			t.stacks.push(site)
		}
	case format.OpReturn:
		if t.depth == 0 {
			t.anomaly(seq, "return without a call")
			return
		}
		t.depth--
		if t.stacksOn {
			t.stacks.pop()
		}
	case format.OpCollect:
		t.collections++
	}
}

func (t *objectTable) anomaly(seq uint64, format string, args ...any) {
	t.nAnoms++
	if len(t.anoms) < t.maxAnoms {
		t.anoms = append(t.anoms, Anomaly{seq, fmt.Sprintf(format, args...)})
	}
}

// notLive reports an op on an address that holds no live allocation,
// telling a second free from an address never allocated when the first
// free is recent enough to be remembered.
func (t *objectTable) notLive(seq uint64, op format.Op, addr uint64) {
	if len(t.anoms) >= t.maxAnoms {
		t.nAnoms++ // counted, not listed: no need to tell which
		return
	}
	for i := t.nRecent - 1; i >= 0 && i >= t.nRecent-recentFrees; i-- {
		if f := t.recent[i%recentFrees]; f.addr == addr {
			t.anomaly(seq, "%s of %#x, which was freed already at event #%d", op, addr, f.seq)
			return
		}
	}
	t.anomaly(seq, "%s of %#x, which is not allocated", op, addr)
}

// match reports whether an allocation of typ at site passes the filters.
func (t *objectTable) match(typ uint16, site uint32) bool {
	return (t.typeOK == nil || t.typeOK[typ]) && (t.siteOK == nil || t.siteOK[site])
}

// findLive returns the slot of the object at addr, which row seq (op)
// ends or parks; if there is none, the row is an anomaly and r says so.
func (t *objectTable) findLive(r *resolved, seq uint64, op format.Op, addr uint64) (int, bool) {
	slot, ok := t.live.find(addr)
	if !ok {
		t.notLive(seq, op, addr)
		r.kind = rowMissing
	}
	return slot, ok
}

// object replays one object-layer row on the live objects, writes into r
// what the counting needs to know of it, and returns the birth and call
// stack of r.old.
func (t *objectTable) object(r *resolved, seq uint64, op format.Op, typ uint16, size, block int64, addr uint64, site uint32) liveCold {
	if seq <= t.setup {
		switch op {
		case format.OpAlloc, format.OpReallocTo:
			t.untraced[addr] = true
			t.noteUntraced(addr)
		case format.OpFree, format.OpReallocFrom:
			delete(t.untraced, addr)
		}
		r.kind = rowIgnored
		return liveCold{}
	}
	if len(t.untraced) > 0 && t.untracedMay.mayHold(addr) && t.untraced[addr] {
		switch op {
		case format.OpFree, format.OpReallocFrom:
			delete(t.untraced, addr) // untraced: counts nothing
			r.kind = rowUntracedFree
			return liveCold{}
		case format.OpCache, format.OpReuse:
			r.kind = rowIgnored
			return liveCold{}
		}
	}
	var oldCold liveCold
	switch op {
	case format.OpAlloc, format.OpReallocTo:
		r.kind = rowNew
		if i, ok := t.live.find(addr); ok {
			r.kind, r.old, oldCold = rowReplaced, *t.live.hot(i), t.live.coldAt(i)
			t.anomaly(seq, "allocation at %#x, which is already live (%d bytes of %s)", addr, r.old.size, t.types[r.old.typ])
		}
		o := liveHot{size: size, block: block, site: site, typ: typ}
		c := liveCold{birth: seq}
		if op == format.OpReallocTo && t.reallocOK {
			c.birth = t.reallocBirth
		}
		t.reallocOK = false
		o.skip = !t.match(typ, site)
		r.skip = o.skip
		if !o.skip && t.stacksOn {
			c.stack = t.stacks.leaf(site)
			r.stack = c.stack
		}
		t.live.putHot(addr, o, c)
	case format.OpFree, format.OpReallocFrom:
		slot, ok := t.findLive(r, seq, op, addr)
		if !ok {
			return liveCold{}
		}
		r.kind, r.old, oldCold = rowEnded, *t.live.hot(slot), t.live.coldAt(slot)
		t.live.delAt(slot)
		if op == format.OpFree {
			t.recent[t.nRecent%recentFrees] = freed{addr, seq}
			t.nRecent++
		} else {
			t.reallocBirth, t.reallocOK = oldCold.birth, true
		}
	case format.OpCache, format.OpReuse:
		slot, ok := t.findLive(r, seq, op, addr)
		if !ok {
			return liveCold{}
		}
		h := t.live.hot(slot)
		r.old, oldCold = *h, t.live.coldAt(slot)
		if op == format.OpCache {
			r.kind = rowParked
			h.parked = true
			return oldCold
		}
		// reuse: a new object in the parked block, made here
		r.kind = rowReused
		o := liveHot{size: h.size, block: h.block, site: site, typ: typ, skip: !t.match(typ, site)}
		c := liveCold{birth: seq}
		if !o.skip && t.stacksOn {
			c.stack = t.stacks.leaf(site)
		}
		r.skip, r.stack = o.skip, c.stack
		*h = o
		t.live.setCold(slot, c)
	}
	return oldCold
}

// boundedObject is object for a bounded replay: what a free or
// realloc_from ends is the row's own size, block and type (a free row
// repeats them), so no live object is kept but those parked on free
// lists, which a reuse takes over whole. An allocation over a live object
// and a free of one never allocated go unnoticed; a reuse of a block not
// parked does not.
func (t *objectTable) boundedObject(r *resolved, seq uint64, op format.Op, typ uint16, size, block int64, addr uint64, site uint32) {
	if seq <= t.setup || len(t.untraced) > 0 && t.untracedMay.mayHold(addr) && t.untraced[addr] {
		t.object(r, seq, op, typ, size, block, addr, site) // the set-up's objects, as ever
		return
	}
	row := liveHot{size: size, block: block, typ: typ, site: site, skip: !t.match(typ, site)}
	switch op {
	case format.OpAlloc, format.OpReallocTo:
		r.kind, r.skip = rowNew, row.skip
	case format.OpFree, format.OpReallocFrom:
		r.kind, r.old = rowEnded, row
		if h := t.parkedAt.get(addr); h != nil {
			r.old = *h
			t.parkedAt.del(addr)
		}
	case format.OpCache:
		r.kind, r.old = rowParked, row
		if h := t.parkedAt.get(addr); h != nil {
			r.old = *h // parked already
			return
		}
		row.parked = true
		t.live.full = t.putParked(addr, row)
	case format.OpReuse:
		h := t.parkedAt.get(addr)
		if h == nil {
			t.anomaly(seq, "%s of %#x, which is not parked on a free list", op, addr)
			r.kind = rowMissing
			return
		}
		r.kind, r.old = rowReused, *h
		r.skip = !t.match(typ, site)
		t.parkedAt.del(addr)
	}
}

// putParked parks o at addr, which holds no parked object, and reports
// whether the table of parked objects grew past the memory limit.
func (t *objectTable) putParked(addr uint64, o liveHot) (full bool) {
	n := len(t.parkedAt.slots)
	t.parkedAt.put(addr, o)
	t.noteParked(addr)
	return len(t.parkedAt.slots) > n && t.live.limit > 0 && t.parkedBytes() > t.live.limit
}

// noteParked adds addr, just parked, to t.special. A filter that holds
// mostly bits for addresses gone is rebuilt from the sets it covers: a
// rebuild costs what they hold, and comes only after as many new
// addresses, so an address costs O(1).
func (t *objectTable) noteParked(addr uint64) {
	if t.special.add(addr, t.parkedAt.Len()+len(t.untraced)) {
		for a := range t.parkedAt.all() {
			t.special.add(a, 0)
		}
		for a := range t.untraced {
			t.special.add(a, 0)
		}
	}
}

// noteUntraced adds addr, just untraced, to t.untracedMay and t.special.
func (t *objectTable) noteUntraced(addr uint64) {
	if t.untracedMay.add(addr, len(t.untraced)) {
		for a := range t.untraced {
			t.untracedMay.add(a, 0)
		}
	}
	t.noteParked(addr)
}

// addrFilter is a set of addresses that may answer "maybe" for one it
// does not hold, but never "no" for one it holds: a bit per hash of an
// address, in 8 KiB, which stays in the first-level cache where a look-up
// in a table would not.
type addrFilter struct {
	bits [1 << 10]uint64
	set  int // bits set
}

func (f *addrFilter) bit(addr uint64) (word int, mask uint64) {
	h := (addr * 0x9E3779B97F4A7C15) >> 48
	return int(h >> 6), 1 << (h & 63)
}

// add adds addr to f, of a set that holds held addresses now. When most
// of f's bits are for addresses gone, it empties f instead, and reports
// true: the caller then adds each address the set holds (held 0).
func (f *addrFilter) add(addr uint64, held int) (rebuild bool) {
	if held > 0 && f.set > 2*held+64 {
		clear(f.bits[:])
		f.set = 0
		return true
	}
	if w, m := f.bit(addr); f.bits[w]&m == 0 {
		f.bits[w] |= m
		f.set++
	}
	return false
}

// mayHold reports false when addr was not added since f last emptied
// itself.
func (f *addrFilter) mayHold(addr uint64) bool {
	w, m := f.bit(addr)
	return f.bits[w]&m != 0
}
