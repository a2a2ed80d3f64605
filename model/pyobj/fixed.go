package pyobj

import "github.com/heaptrace/heaptrace/model"

// FixedAllocator allocates objects of one fixed size per type: functions,
// cells, iterators, ranges, bound methods... None has a free list in 3.11.
type FixedAllocator struct {
	h     *model.Heap
	p     *Profile
	types map[string]model.TypeID
}

// New allocates an object of type name and size bytes (see FixedSizes).
func (a *FixedAllocator) New(name string, size int64) (model.Addr, error) {
	t, ok := a.types[name]
	if !ok {
		if a.types == nil {
			a.types = make(map[string]model.TypeID)
		}
		t = a.h.Type(name)
		a.types[name] = t
	}
	return a.h.Malloc(t, size)
}

// Free frees the object at addr.
func (a *FixedAllocator) Free(addr model.Addr) { a.h.Free(addr) }
