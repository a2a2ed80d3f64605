// This file defines addrTable, an open-addressing hash table specialised
// for uint64 keys, and liveTable, the live objects keyed by address, which
// the replay consults on every object-layer event. The call-stack table
// and the fragmentation report's pools use it too: Go's maps hash their
// keys through a function call, which shows in the replay's profile.

package analyze

import "iter"

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

// liveTable maps addresses to live objects.
type liveTable = addrTable[liveObject]

const liveMinSlots = 1 << 10

func newLiveTable() liveTable { return newAddrTable[liveObject](liveMinSlots) }

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
