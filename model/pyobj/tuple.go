package pyobj

import "github.com/heaptrace/heaptrace/model"

// TupleAllocator allocates tuples: one GC object of header + n pointers.
// The empty tuple is a static singleton. Dead tuples of 1..MaxSaveSize
// items are parked per size (up to TupleFreeListLen each), but only sizes
// below MaxSaveSize are ever taken back (3.11's maybe_freelist_pop and
// maybe_freelist_push disagree by one), so 20-tuples pile up unused.
type TupleAllocator struct {
	h    *model.Heap
	p    *Profile
	typ  model.TypeID
	free [][]model.Addr // free[n-1]: parked tuples of n items
}

// SizeOf returns sys.getsizeof (and the request) of an n-tuple.
func (a *TupleAllocator) SizeOf(n int) int64 {
	return a.p.GCHead + a.p.TupleHeader + a.p.PtrSize*int64(n)
}

// New allocates an n-tuple; 0 for the empty tuple, which is not allocated.
func (a *TupleAllocator) New(n int) (model.Addr, error) {
	if n == 0 {
		return 0, nil
	}
	if n < a.p.TupleMaxSaveSize {
		if k := len(a.free[n-1]); k > 0 {
			addr := a.free[n-1][k-1]
			a.free[n-1] = a.free[n-1][:k-1]
			a.h.Reuse(addr, a.typ)
			return addr, nil
		}
	}
	return a.h.Malloc(a.typ, a.SizeOf(n))
}

// Free parks or frees the n-tuple at addr.
func (a *TupleAllocator) Free(addr model.Addr, n int) {
	if n == 0 {
		return
	}
	if n <= a.p.TupleMaxSaveSize && len(a.free[n-1]) < a.p.TupleFreeListLen {
		a.free[n-1] = append(a.free[n-1], addr)
		a.h.Cache(addr)
		return
	}
	a.h.Free(addr)
}

// Parked returns the number of parked n-tuples.
func (a *TupleAllocator) Parked(n int) int {
	if n < 1 || n > len(a.free) {
		return 0
	}
	return len(a.free[n-1])
}

func (a *TupleAllocator) clear() {
	for i := range a.free {
		for _, addr := range a.free[i] {
			a.h.Free(addr)
		}
		a.free[i] = a.free[i][:0]
	}
}

// List is the memory of one list: the object and its separate item array.
type List struct {
	Obj       model.Addr
	Items     model.Addr // 0 when Allocated is 0
	Len       int        // ob_size
	Allocated int
}

// ListAllocator allocates list objects (through a free list of
// PyList_MAXFREELIST objects) and their item arrays, which grow and shrink
// by list_resize's over-allocation rule.
type ListAllocator struct {
	h        *model.Heap
	p        *Profile
	typ      model.TypeID
	itemsTyp model.TypeID
	free     freeList
}

// SizeOf returns sys.getsizeof of l.
func (a *ListAllocator) SizeOf(l *List) int64 {
	return a.p.GCHead + a.p.ListObject + a.p.PtrSize*int64(l.Allocated)
}

// New is PyList_New(n): a list of n items with exactly n slots.
func (a *ListAllocator) New(n int) (*List, error) {
	obj, err := a.free.alloc(a.h, a.typ, a.p.GCHead+a.p.ListObject)
	if err != nil {
		return nil, err
	}
	l := &List{Obj: obj}
	if n > 0 {
		if err := a.setItems(l, n); err != nil {
			a.Free(l)
			return nil, err
		}
	}
	l.Len = n
	return l, nil
}

func (a *ListAllocator) setItems(l *List, capacity int) error {
	var err error
	size := a.p.PtrSize * int64(capacity)
	if l.Items == 0 {
		l.Items, err = a.h.Malloc(a.itemsTyp, size)
	} else {
		l.Items, err = a.h.Realloc(l.Items, size)
	}
	if err == nil {
		l.Allocated = capacity
	}
	return err
}

// NewPrealloc is list_new_prealloc(n): an empty list with room for exactly
// n items (slicing, concatenation, repetition).
func (a *ListAllocator) NewPrealloc(n int) (*List, error) {
	l, err := a.New(0)
	if err != nil || n <= 0 {
		return l, err
	}
	if err := a.setItems(l, n); err != nil {
		a.Free(l)
		return nil, err
	}
	return l, nil
}

// Preallocate gives an empty list without an item array exactly n slots,
// as PyList_New(n) and list_new_prealloc do once the object exists.
func (a *ListAllocator) Preallocate(l *List, n int) error {
	if n <= 0 || l.Items != 0 {
		return nil
	}
	return a.setItems(l, n)
}

// PreallocateExact is list_preallocate_exact, used when an empty list is
// extended from a sized iterable (list(x), sorted(x), a constant display):
// room for n items rounded up to even.
func (a *ListAllocator) PreallocateExact(l *List, n int) error {
	if n <= 0 || l.Items != 0 {
		return nil
	}
	n = (n + 1) &^ 1
	var err error
	l.Items, err = a.h.Malloc(a.itemsTyp, a.p.PtrSize*int64(n))
	if err == nil {
		l.Allocated = n
	}
	return err
}

// Resize is list_resize: make room for newLen items. The array is
// reallocated only when it is too small or less than half used; it then
// gets newLen + newLen/8 + 6 slots rounded down to a multiple of 4, or
// exactly newLen rounded up to 4 when the jump is larger than that. At 0
// items the array becomes a 0-byte block, or is freed
// (Profile.ListResizeFreesEmpty).
func (a *ListAllocator) Resize(l *List, newLen int) error {
	if l.Allocated >= newLen && newLen >= l.Allocated>>1 {
		l.Len = newLen
		return nil
	}
	capacity := (newLen + newLen>>3 + 6) &^ 3
	if newLen-l.Len > capacity-newLen {
		capacity = (newLen + 3) &^ 3
	}
	if newLen == 0 {
		capacity = 0
	}
	if l.Items == 0 && capacity == 0 {
		l.Len = 0
		return nil
	}
	if capacity == 0 && a.p.ListResizeFreesEmpty {
		a.Clear(l)
		return nil
	}
	if err := a.setItems(l, capacity); err != nil {
		return err
	}
	l.Allocated = capacity
	l.Len = newLen
	return nil
}

// Clear frees the item array (list.clear(), del L[:]).
func (a *ListAllocator) Clear(l *List) {
	if l.Items != 0 {
		a.h.Free(l.Items)
	}
	l.Items, l.Allocated, l.Len = 0, 0, 0
}

// Free frees the item array and parks or frees the object.
func (a *ListAllocator) Free(l *List) {
	a.Clear(l)
	if !a.free.push(a.h, l.Obj, a.p.ListFreeList) {
		a.h.Free(l.Obj)
	}
	l.Obj = 0
}

// TempArray allocates a scratch array of n pointers (slice assignment's
// recycle list, timsort's merge area); free it with FreeTemp.
func (a *ListAllocator) TempArray(n int) (model.Addr, error) {
	return a.h.Malloc(a.itemsTyp, a.p.PtrSize*int64(n))
}

// FreeTemp frees a scratch array.
func (a *ListAllocator) FreeTemp(addr model.Addr) { a.h.Free(addr) }

// Parked returns the number of list objects on the free list.
func (a *ListAllocator) Parked() int { return a.free.Len() }

func (a *ListAllocator) clear() { a.free.clear(a.h) }
