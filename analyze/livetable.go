// This file defines addrTable, an open-addressing hash table specialised
// for uint64 keys, which the call-stack table and the fragmentation
// report's pools use (Go's maps hash their keys through a function call,
// which shows in the replay's profile), and liveTable, the live objects
// keyed by address, which the replay consults on every object-layer
// event: the same table, with each object's fields split in two.

package analyze

import (
	"iter"
	"unsafe"

	"github.com/heaptrace/heaptrace/format"
)

// addrEntry is one slot of an addrTable; key 0 marks an empty slot (the
// value of key 0, if any, is kept aside).
type addrEntry[V any] struct {
	key uint64
	obj V
}

// addrTable maps uint64 keys to values. It probes linearly and deletes by
// shifting the entries after the deleted one back, so it needs no
// tombstones and its probe sequences stay short however many keys come
// and go. Its memory is twice the most keys held at once, at most.
type addrTable[V any] struct {
	slots []addrEntry[V]
	mask  uint64
	shift uint
	n     int // entries in slots

	zeroOK bool // the value of key 0
	zero   V
}

// newAddrTable returns an empty table of size slots, a power of 2.
func newAddrTable[V any](size int) addrTable[V] {
	t := addrTable[V]{}
	t.init(size)
	return t
}

func (t *addrTable[V]) init(size int) {
	t.slots = make([]addrEntry[V], size)
	t.mask = uint64(size - 1)
	t.shift = 64
	for s := size; s > 1; s >>= 1 {
		t.shift--
	}
	t.n = 0
}

// home returns the slot where key's probe sequence starts: Fibonacci
// hashing, which spreads addresses that differ in their low bits only.
func (t *addrTable[V]) home(key uint64) uint64 {
	return (key * 0x9E3779B97F4A7C15) >> t.shift
}

// Len returns the number of keys held.
func (t *addrTable[V]) Len() int {
	if t.zeroOK {
		return t.n + 1
	}
	return t.n
}

// get returns the value at addr, or nil. The pointer is valid until the
// next put or del.
func (t *addrTable[V]) get(addr uint64) *V {
	if addr == 0 {
		if t.zeroOK {
			return &t.zero
		}
		return nil
	}
	for i := t.home(addr); ; i = (i + 1) & t.mask {
		e := &t.slots[i]
		if e.key == addr {
			return &e.obj
		}
		if e.key == 0 {
			return nil
		}
	}
}

// put sets the value at addr.
func (t *addrTable[V]) put(addr uint64, o V) {
	if addr == 0 {
		t.zero, t.zeroOK = o, true
		return
	}
	for i := t.home(addr); ; i = (i + 1) & t.mask {
		e := &t.slots[i]
		if e.key == addr {
			e.obj = o
			return
		}
		if e.key == 0 {
			e.key, e.obj = addr, o
			t.n++
			if uint64(t.n) > (t.mask+1)/2 {
				t.grow()
			}
			return
		}
	}
}

func (t *addrTable[V]) grow() {
	old := t.slots
	t.init(2 * len(old))
	for i := range old {
		if old[i].key != 0 {
			t.put(old[i].key, old[i].obj)
		}
	}
}

// del removes the value at addr, if there is one.
func (t *addrTable[V]) del(addr uint64) {
	if addr == 0 {
		t.zeroOK = false
		return
	}
	i := t.home(addr)
	for {
		k := t.slots[i].key
		if k == addr {
			break
		}
		if k == 0 {
			return
		}
		i = (i + 1) & t.mask
	}
	// Shift back each later entry of the run whose home is not in the
	// cyclic range (i, j]: it would be unreachable past the hole.
	for j := (i + 1) & t.mask; ; j = (j + 1) & t.mask {
		k := t.slots[j].key
		if k == 0 {
			break
		}
		h := t.home(k)
		if (j-h)&t.mask >= (j-i)&t.mask {
			t.slots[i] = t.slots[j]
			i = j
		}
	}
	t.slots[i] = addrEntry[V]{}
	t.n--
}

// all returns the keys and values, in no particular order.
func (t *addrTable[V]) all() iter.Seq2[uint64, V] {
	return func(yield func(uint64, V) bool) {
		if t.zeroOK && !yield(0, t.zero) {
			return
		}
		for i := range t.slots {
			if e := &t.slots[i]; e.key != 0 && !yield(e.key, e.obj) {
				return
			}
		}
	}
}

// liveHot is what every report needs of a live object: 24 bytes, so that
// a liveTable slot is 32 and two share a cache line. The table is bigger
// than the caches and each lookup is a miss: its slots' size is the
// replay's speed.
type liveHot struct {
	size, block  int64
	site         uint32
	typ          uint16
	parked, skip bool
}

// liveCold is what only some reports need of a live object: its birth
// (lifetimes) and its call stack (sites, leaks).
type liveCold struct {
	birth uint64
	stack uint32
}

type liveEntry struct {
	key uint64
	hot liveHot
}

// liveTable maps addresses to live objects, as addrTable does, with each
// object's cold fields in a parallel slice, which the table keeps only
// when asked to (without it, objects read back with birth and stack 0).
type liveTable struct {
	slots []liveEntry
	cold  []liveCold // cold[i] is slots[i]'s; nil when not kept
	keep  bool       // keep the cold fields
	mask  uint64
	shift uint
	n     int // entries in slots

	zeroOK   bool // the object at address 0
	zero     liveHot
	zeroCold liveCold

	// limit is the most memory the table may take (0: no limit); at it,
	// the table does not grow but sets full
	limit int64
	full  bool

	scratch liveObject // get's
	touched uint64     // touch's loads, kept so that they are made
}

const liveMinSlots = 1 << 10

// newLiveTable returns an empty table that keeps every field.
func newLiveTable() liveTable { return newLiveTableKeep(true) }

// newLiveTableKeep returns an empty table that keeps the cold fields
// (births and call stacks) if cold is true.
func newLiveTableKeep(cold bool) liveTable {
	t := liveTable{keep: cold}
	t.init(liveMinSlots)
	return t
}

func (t *liveTable) init(size int) {
	t.slots = make([]liveEntry, size)
	if t.keep {
		t.cold = make([]liveCold, size)
	}
	t.mask = uint64(size - 1)
	t.shift = 64
	for s := size; s > 1; s >>= 1 {
		t.shift--
	}
	t.n = 0
}

func (t *liveTable) home(key uint64) uint64 {
	return (key * 0x9E3779B97F4A7C15) >> t.shift
}

// Len returns the number of live objects.
func (t *liveTable) Len() int {
	if t.zeroOK {
		return t.n + 1
	}
	return t.n
}

// zeroSlot is find's slot for address 0, which is kept aside.
const zeroSlot = -1

// find returns the slot of addr, if it holds an object. The slot is
// valid until the next put or del.
func (t *liveTable) find(addr uint64) (int, bool) {
	if addr == 0 {
		return zeroSlot, t.zeroOK
	}
	for i := t.home(addr); ; i = (i + 1) & t.mask {
		k := t.slots[i].key
		if k == addr {
			return int(i), true
		}
		if k == 0 {
			return 0, false
		}
	}
}

// at returns the object in slot i.
func (t *liveTable) at(i int) liveObject {
	h, c := t.zero, t.zeroCold
	if i != zeroSlot {
		h = t.slots[i].hot
		if t.cold != nil {
			c = t.cold[i]
		}
	}
	return liveObject{size: h.size, block: h.block, birth: c.birth, site: h.site, stack: c.stack, typ: h.typ, parked: h.parked, skip: h.skip}
}

// hot returns the hot fields of the object in slot i.
func (t *liveTable) hot(i int) *liveHot {
	if i == zeroSlot {
		return &t.zero
	}
	return &t.slots[i].hot
}

// coldAt returns the cold fields of the object in slot i (zero when the
// table does not keep them).
func (t *liveTable) coldAt(i int) liveCold {
	switch {
	case i == zeroSlot:
		return t.zeroCold
	case t.cold != nil:
		return t.cold[i]
	}
	return liveCold{}
}

// setCold sets the cold fields of the object in slot i, if the table
// keeps them.
func (t *liveTable) setCold(i int, c liveCold) {
	switch {
	case i == zeroSlot:
		t.zeroCold = c
	case t.cold != nil:
		t.cold[i] = c
	}
}

// get returns the object at addr, or nil. The pointer is to a copy, valid
// until the next get.
func (t *liveTable) get(addr uint64) *liveObject {
	i, ok := t.find(addr)
	if !ok {
		return nil
	}
	t.scratch = t.at(i)
	return &t.scratch
}

// put sets the object at addr.
func (t *liveTable) put(addr uint64, o liveObject) {
	t.putHot(addr, liveHot{size: o.size, block: o.block, site: o.site, typ: o.typ, parked: o.parked, skip: o.skip},
		liveCold{birth: o.birth, stack: o.stack})
}

// putHot sets the object at addr, given as its hot and cold fields.
func (t *liveTable) putHot(addr uint64, h liveHot, c liveCold) {
	if addr == 0 {
		t.zeroOK, t.zero, t.zeroCold = true, h, c
		return
	}
	for i := t.home(addr); ; i = (i + 1) & t.mask {
		e := &t.slots[i]
		if e.key == addr {
			e.hot = h
			t.setCold(int(i), c)
			return
		}
		if e.key == 0 {
			e.key, e.hot = addr, h
			t.setCold(int(i), c)
			t.n++
			if uint64(t.n) > (t.mask+1)/2 {
				if t.limit > 0 && t.bytesFor(2*len(t.slots)) > t.limit {
					t.full = true // the caller stops: see objectTable.batch
				} else {
					t.grow()
				}
			}
			return
		}
	}
}

// bytesFor returns the memory of a table of n slots.
func (t *liveTable) bytesFor(n int) int64 {
	size := int64(unsafe.Sizeof(liveEntry{}))
	if t.keep {
		size += int64(unsafe.Sizeof(liveCold{}))
	}
	return int64(n) * size
}

func (t *liveTable) grow() {
	slots, cold := t.slots, t.cold
	t.init(2 * len(slots))
	for i := range slots {
		if k := slots[i].key; k != 0 {
			j := t.home(k)
			for t.slots[j].key != 0 {
				j = (j + 1) & t.mask
			}
			t.slots[j] = slots[i]
			if cold != nil {
				t.cold[j] = cold[i]
			}
			t.n++
		}
	}
}

// del removes the object at addr, if there is one.
func (t *liveTable) del(addr uint64) {
	if i, ok := t.find(addr); ok {
		t.delAt(i)
	}
}

// delAt removes the object in slot i.
func (t *liveTable) delAt(i int) {
	if i == zeroSlot {
		t.zeroOK = false
		return
	}
	hole := uint64(i)
	// Shift back each later entry of the run whose home is not in the
	// cyclic range (hole, j]: it would be unreachable past the hole.
	for j := (hole + 1) & t.mask; ; j = (j + 1) & t.mask {
		k := t.slots[j].key
		if k == 0 {
			break
		}
		h := t.home(k)
		if (j-h)&t.mask >= (j-hole)&t.mask {
			t.slots[hole] = t.slots[j]
			if t.cold != nil {
				t.cold[hole] = t.cold[j]
			}
			hole = j
		}
	}
	t.slots[hole] = liveEntry{}
	if t.cold != nil {
		t.cold[hole] = liveCold{}
	}
	t.n--
}

// all returns the live objects, in no particular order.
func (t *liveTable) all() iter.Seq2[uint64, liveObject] {
	return func(yield func(uint64, liveObject) bool) {
		if t.zeroOK && !yield(0, t.at(zeroSlot)) {
			return
		}
		for i := range t.slots {
			if k := t.slots[i].key; k != 0 && !yield(k, t.at(i)) {
				return
			}
		}
	}
}

// touch loads the home slot of each object-layer address, so that the
// lookups that follow find them in the cache.
func (t *liveTable) touch(layers []format.Layer, addrs []uint64) {
	var sum uint64
	if t.cold == nil {
		for i, l := range layers {
			if l == format.LayerObject {
				sum += t.slots[t.home(addrs[i])].key
			}
		}
	} else {
		for i, l := range layers {
			if l == format.LayerObject {
				h := t.home(addrs[i])
				sum += t.slots[h].key + t.cold[h].birth
			}
		}
	}
	t.touched += sum
}
