// This file defines liveTable, the live objects keyed by address: an
// open-addressing hash table specialised for uint64 keys, which the replay
// consults on every object-layer event.

package analyze

import "iter"

// liveEntry is one slot of a liveTable; key 0 marks an empty slot (the
// object at address 0, if any, is kept aside).
type liveEntry struct {
	key uint64
	obj liveObject
}

// liveTable maps addresses to live objects. It probes linearly and deletes
// by shifting the entries after the deleted one back, so it needs no
// tombstones and its probe sequences stay short however many objects come
// and go. Its memory is twice the most objects live at once, at most.
type liveTable struct {
	slots []liveEntry
	mask  uint64
	shift uint
	n     int // entries in slots

	zeroOK bool // the object at address 0
	zero   liveObject
}

const liveMinSlots = 1 << 10

func newLiveTable() liveTable {
	t := liveTable{}
	t.init(liveMinSlots)
	return t
}

func (t *liveTable) init(size int) {
	t.slots = make([]liveEntry, size)
	t.mask = uint64(size - 1)
	t.shift = 64
	for s := size; s > 1; s >>= 1 {
		t.shift--
	}
	t.n = 0
}

// home returns the slot where key's probe sequence starts: Fibonacci
// hashing, which spreads addresses that differ in their low bits only.
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

// get returns the object at addr, or nil. The pointer is valid until the
// next put or del.
func (t *liveTable) get(addr uint64) *liveObject {
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

// put sets the object at addr.
func (t *liveTable) put(addr uint64, o liveObject) {
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

func (t *liveTable) grow() {
	old := t.slots
	t.init(2 * len(old))
	for i := range old {
		if old[i].key != 0 {
			t.put(old[i].key, old[i].obj)
		}
	}
}

// del removes the object at addr, if there is one.
func (t *liveTable) del(addr uint64) {
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
	t.slots[i] = liveEntry{}
	t.n--
}

// all returns the live objects, in no particular order.
func (t *liveTable) all() iter.Seq2[uint64, liveObject] {
	return func(yield func(uint64, liveObject) bool) {
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
