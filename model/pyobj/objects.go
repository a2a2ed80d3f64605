package pyobj

import "github.com/heaptrace/heaptrace/model"

// Objects holds every per-type allocator of one interpreter, all drawing
// on one model.Heap. The free lists live here, as in CPython's
// interpreter state.
type Objects struct {
	Heap    *model.Heap
	Profile Profile

	Ints   IntAllocator
	Floats FloatAllocator
	Strs   StrAllocator
	Bytes  BytesAllocator
	Tuples TupleAllocator
	Lists  ListAllocator
	Dicts  DictAllocator
	Sets   SetAllocator
	Fixed  FixedAllocator
}

// New returns the per-type allocators of profile p on heap h. It registers
// their type names with h (see Types).
func New(h *model.Heap, p Profile) *Objects {
	o := &Objects{Heap: h, Profile: p}
	o.Ints = IntAllocator{h: h, p: &o.Profile, typ: h.Type("int")}
	o.Floats = FloatAllocator{h: h, p: &o.Profile, typ: h.Type("float")}
	o.Strs = StrAllocator{h: h, p: &o.Profile, typ: h.Type("str")}
	o.Bytes = BytesAllocator{h: h, p: &o.Profile, typ: h.Type("bytes")}
	o.Tuples = TupleAllocator{h: h, p: &o.Profile, typ: h.Type("tuple"), free: make([][]model.Addr, p.TupleMaxSaveSize)}
	o.Lists = ListAllocator{h: h, p: &o.Profile, typ: h.Type("list"), itemsTyp: h.Type("list.items")}
	o.Dicts = DictAllocator{h: h, p: &o.Profile, typ: h.Type("dict"), keysTyp: h.Type("dict.keys")}
	o.Sets = SetAllocator{h: h, p: &o.Profile, typ: h.Type("set"), tableTyp: h.Type("set.table")}
	o.Fixed = FixedAllocator{h: h, p: &o.Profile}
	return o
}

// Types lists the type names the allocators use, so that a workload can
// declare them before recording starts.
func Types() []string {
	return []string{"int", "float", "str", "bytes", "tuple", "list", "list.items", "dict", "dict.keys", "set", "set.table"}
}

// ClearFreeLists empties every free list, freeing the parked objects, as
// a full gc.collect() does in CPython (Modules/gcmodule.c,
// clear_freelists).
func (o *Objects) ClearFreeLists() {
	o.Floats.clear()
	o.Tuples.clear()
	o.Lists.clear()
	o.Dicts.clear()
}

// freeList is a LIFO stack of parked allocations with a capacity.
type freeList struct {
	addrs []model.Addr
}

func (f *freeList) pop() (model.Addr, bool) {
	n := len(f.addrs)
	if n == 0 {
		return 0, false
	}
	a := f.addrs[n-1]
	f.addrs = f.addrs[:n-1]
	return a, true
}

// push parks a if the list has room; the caller frees it otherwise.
func (f *freeList) push(h *model.Heap, a model.Addr, capacity int) bool {
	if len(f.addrs) >= capacity {
		return false
	}
	f.addrs = append(f.addrs, a)
	h.Cache(a)
	return true
}

func (f *freeList) clear(h *model.Heap) {
	for _, a := range f.addrs {
		h.Free(a)
	}
	f.addrs = f.addrs[:0]
}

// Len returns how many objects are parked.
func (f *freeList) Len() int { return len(f.addrs) }

// alloc takes a parked allocation for type t if there is one, else asks the heap.
func (f *freeList) alloc(h *model.Heap, t model.TypeID, n int64) (model.Addr, error) {
	if a, ok := f.pop(); ok {
		h.Reuse(a, t)
		return a, nil
	}
	return h.Malloc(t, n)
}
