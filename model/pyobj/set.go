package pyobj

import "github.com/heaptrace/heaptrace/model"

// Set is the memory of one set: the object, which holds an 8-slot table
// inline, and a separate table once it outgrows it. Unlike a dict, a set
// reuses a deleted slot met while probing for a new key, so when it grows
// depends on hash values: the slots are simulated with CPython's probe
// sequence (Objects/setobject.c: LINEAR_PROBES 9, PERTURB_SHIFT 5).
type Set struct {
	Obj   model.Addr
	Table model.Addr // 0 while the inline smalltable is used
	Mask  int
	Fill  int // active + dummy slots
	Used  int // active slots
	slots []setSlot
	pos   map[any]int // key -> slot
}

type setSlot struct {
	hash  uint64
	key   any
	state uint8 // slotEmpty, slotActive, slotDummy
}

const (
	slotEmpty uint8 = iota
	slotActive
	slotDummy
)

const (
	setLinearProbes = 9
	setPerturbShift = 5
	setEntrySize    = 16 // sizeof(setentry): key pointer + hash
)

// SetAllocator allocates sets (there is no set free list) and their tables.
type SetAllocator struct {
	h        *model.Heap
	p        *Profile
	typ      model.TypeID
	tableTyp model.TypeID
}

// SizeOf returns sys.getsizeof of s.
func (a *SetAllocator) SizeOf(s *Set) int64 {
	n := a.p.GCHead + a.p.SetObject
	if s.Table != 0 {
		n += setEntrySize * int64(s.Mask+1)
	}
	return n
}

// New allocates an empty set.
func (a *SetAllocator) New() (*Set, error) {
	obj, err := a.h.Malloc(a.typ, a.p.GCHead+a.p.SetObject)
	if err != nil {
		return nil, err
	}
	s := &Set{Obj: obj}
	a.reset(s)
	return s, nil
}

func (a *SetAllocator) reset(s *Set) {
	s.Mask = a.p.SetMinSize - 1
	s.Fill, s.Used = 0, 0
	s.slots = make([]setSlot, a.p.SetMinSize)
	s.pos = make(map[any]int)
}

// Contains reports whether key is in s.
func (a *SetAllocator) Contains(s *Set, key any) bool {
	_, ok := s.pos[key]
	return ok
}

// Add is set_add_entry: key (a comparable value standing for the Python
// key, equal for equal keys) with its Python hash. It reuses the first
// deleted slot on the probe path, else takes the empty slot that ends it,
// and resizes when fill*5 >= mask*3. It reports whether key was new.
func (a *SetAllocator) Add(s *Set, hash int64, key any) (bool, error) {
	if _, ok := s.pos[key]; ok {
		return false, nil
	}
	mask := uint64(s.Mask)
	h := uint64(hash)
	i := h & mask
	perturb := h
	freeslot := -1
	for {
		probes := uint64(0)
		if i+setLinearProbes <= mask {
			probes = setLinearProbes
		}
		for j := i; j <= i+probes; j++ {
			switch s.slots[j].state {
			case slotEmpty:
				if freeslot >= 0 {
					a.put(s, freeslot, h, key)
					s.Used++
					return true, nil
				}
				a.put(s, int(j), h, key)
				s.Fill++
				s.Used++
				if s.Fill*5 < s.Mask*3 {
					return true, nil
				}
				minused := s.Used * 4
				if s.Used > 50000 {
					minused = s.Used * 2
				}
				return true, a.resize(s, minused)
			case slotDummy:
				if freeslot < 0 {
					freeslot = int(j)
				}
			}
		}
		perturb >>= setPerturbShift
		i = (i*5 + 1 + perturb) & mask
	}
}

func (a *SetAllocator) put(s *Set, i int, hash uint64, key any) {
	s.slots[i] = setSlot{hash: hash, key: key, state: slotActive}
	s.pos[key] = i
}

// Discard removes key if present, leaving a dummy slot, and reports
// whether it was there.
func (a *SetAllocator) Discard(s *Set, key any) bool {
	i, ok := s.pos[key]
	if !ok {
		return false
	}
	delete(s.pos, key)
	s.slots[i] = setSlot{state: slotDummy}
	s.Used--
	return true
}

// resize is set_table_resize: a table of the smallest power of two above
// minused (the inline one when that is 8), the live keys reinserted in
// table order without dummies.
func (a *SetAllocator) resize(s *Set, minused int) error {
	size := a.p.SetMinSize
	for size <= minused {
		size <<= 1
	}
	var table model.Addr
	if size > a.p.SetMinSize {
		var err error
		if table, err = a.h.Malloc(a.tableTyp, setEntrySize*int64(size)); err != nil {
			return err
		}
	}
	old := s.slots
	oldTable := s.Table
	s.Table = table
	s.Mask = size - 1
	s.slots = make([]setSlot, size)
	s.pos = make(map[any]int, s.Used)
	s.Fill = s.Used
	for _, e := range old {
		if e.state == slotActive {
			a.insertClean(s, e.hash, e.key)
		}
	}
	if oldTable != 0 {
		a.h.Free(oldTable)
	}
	return nil
}

// insertClean is set_insert_clean: into a table without dummies.
func (a *SetAllocator) insertClean(s *Set, hash uint64, key any) {
	mask := uint64(s.Mask)
	i := hash & mask
	perturb := hash
	for {
		if s.slots[i].state == slotEmpty {
			a.put(s, int(i), hash, key)
			return
		}
		if i+setLinearProbes <= mask {
			for j := i + 1; j <= i+setLinearProbes; j++ {
				if s.slots[j].state == slotEmpty {
					a.put(s, int(j), hash, key)
					return
				}
			}
		}
		perturb >>= setPerturbShift
		i = (i*5 + 1 + perturb) & mask
	}
}

// Presize is the one big resize set_update_internal does before adding
// n keys from a dict (and set_merge from a set): when (fill+n)*5 >= mask*3
// the table is resized for (used+n)*2.
func (a *SetAllocator) Presize(s *Set, n int) error {
	if (s.Fill+n)*5 >= s.Mask*3 {
		return a.resize(s, (s.Used+n)*2)
	}
	return nil
}

// Merge is set_merge: s |= src, presized, copying src's slots as they are
// when s is empty and the tables match.
func (a *SetAllocator) Merge(s, src *Set) error {
	if s == src || src.Used == 0 {
		return nil
	}
	if err := a.Presize(s, src.Used); err != nil {
		return err
	}
	if s.Fill == 0 {
		if s.Mask == src.Mask && src.Fill == src.Used {
			for i, e := range src.slots {
				if e.state == slotActive {
					a.put(s, i, e.hash, e.key)
				}
			}
		} else {
			for _, e := range src.slots {
				if e.state == slotActive {
					a.insertClean(s, e.hash, e.key)
				}
			}
		}
		s.Fill, s.Used = src.Used, src.Used
		return nil
	}
	for _, e := range src.slots {
		if e.state == slotActive {
			if _, err := a.Add(s, int64(e.hash), e.key); err != nil {
				return err
			}
		}
	}
	return nil
}

// Keys calls f for each key in table order, which is a set's iteration order.
func (a *SetAllocator) Keys(s *Set, f func(key any) bool) {
	for _, e := range s.slots {
		if e.state == slotActive && !f(e.key) {
			return
		}
	}
}

// Clear is set_clear_internal: back to the inline table.
func (a *SetAllocator) Clear(s *Set) {
	if s.Table != 0 {
		a.h.Free(s.Table)
		s.Table = 0
	}
	a.reset(s)
}

// Free frees the table and the object.
func (a *SetAllocator) Free(s *Set) {
	a.Clear(s)
	a.h.Free(s.Obj)
	s.Obj = 0
}
