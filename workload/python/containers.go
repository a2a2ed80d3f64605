package python

import (
	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/workload/python/syntax"
)

// This file defines dict, list and set operations and subscripting.

// ---- dict ----

// dictSet stores d[k] = v (both references move in). A new key is an
// insertion (the keys table may grow); an existing key keeps its entry and
// the old value is dropped after the store.
func (in *Interp) dictSet(d *Dict, k, v Value) error {
	hk, err := in.keyOf(k)
	if err != nil {
		in.decref(k)
		in.decref(v)
		return err
	}
	_, isStr := k.(*Str)
	if i, ok := d.index[hk]; ok {
		if err := in.o.Dicts.Convert(d.mem, isStr); err != nil {
			in.decref(k)
			in.decref(v)
			return in.memoryError(err)
		}
		old := d.entries[i].val
		d.entries[i].val = v
		in.decref(k)
		in.decref(old)
		return nil
	}
	if err := in.o.Dicts.Insert(d.mem, isStr); err != nil {
		in.decref(k)
		in.decref(v)
		return in.memoryError(err)
	}
	if len(d.entries) > 2*d.mem.Used+8 {
		in.compactDict(d)
	}
	d.index[hk] = len(d.entries)
	d.entries = append(d.entries, dictEntry{key: k, val: v, hk: hk, live: true})
	return nil
}

func (in *Interp) compactDict(d *Dict) {
	live := d.entries[:0]
	for _, e := range d.entries {
		if e.live {
			d.index[e.hk] = len(live)
			live = append(live, e)
		}
	}
	for i := len(live); i < len(d.entries); i++ {
		d.entries[i] = dictEntry{}
	}
	d.entries = live
}

func (in *Interp) dictGet(d *Dict, k Value) (Value, bool, error) {
	hk, err := in.keyOf(k)
	if err != nil {
		return nil, false, err
	}
	i, ok := d.index[hk]
	if !ok {
		return nil, false, nil
	}
	return d.entries[i].val, true, nil
}

func (in *Interp) dictGetStr(d *Dict, name string) (Value, bool) {
	i, ok := d.index[hkey{kind: hkStr, s: name}]
	if !ok {
		return nil, false
	}
	return d.entries[i].val, true
}

// dictDel removes key k; it reports whether k was there.
func (in *Interp) dictDel(d *Dict, k Value) (bool, error) {
	hk, err := in.keyOf(k)
	if err != nil {
		return false, err
	}
	return in.dictDelKey(d, hk), nil
}

func (in *Interp) dictDelStr(d *Dict, name string) bool {
	return in.dictDelKey(d, hkey{kind: hkStr, s: name})
}

func (in *Interp) dictDelKey(d *Dict, hk hkey) bool {
	i, ok := d.index[hk]
	if !ok {
		return false
	}
	e := d.entries[i]
	delete(d.index, hk)
	d.entries[i] = dictEntry{}
	in.o.Dicts.Delete(d.mem)
	in.decref(e.key)
	in.decref(e.val)
	return true
}

// dictPop removes k and returns its value (a reference moves out).
func (in *Interp) dictPop(d *Dict, k Value) (Value, bool, error) {
	hk, err := in.keyOf(k)
	if err != nil {
		return nil, false, err
	}
	i, ok := d.index[hk]
	if !ok {
		return nil, false, nil
	}
	e := d.entries[i]
	delete(d.index, hk)
	d.entries[i] = dictEntry{}
	in.o.Dicts.Delete(d.mem)
	in.decref(e.key)
	return e.val, true, nil
}

// dictUpdate is dict.update(m) / dict_merge.
func (in *Interp) dictUpdate(d *Dict, m Value) error {
	src, ok := m.(*Dict)
	if !ok {
		return in.dictUpdatePairs(d, m)
	}
	cloned, err := in.o.Dicts.MergeDict(d.mem, src.mem)
	if err != nil {
		return in.memoryError(err)
	}
	if cloned {
		for _, e := range src.entries {
			if e.live {
				d.index[e.hk] = len(d.entries)
				d.entries = append(d.entries, dictEntry{key: incref(e.key), val: incref(e.val), hk: e.hk, live: true})
			}
		}
		return nil
	}
	for _, e := range src.entries {
		if e.live {
			if err := in.dictSet(d, incref(e.key), incref(e.val)); err != nil {
				return err
			}
		}
	}
	return nil
}

// dictUpdatePairs updates from an iterable of pairs.
func (in *Interp) dictUpdatePairs(d *Dict, m Value) error {
	items, err := in.collectItems(incref(m))
	if err != nil {
		return err
	}
	for i, it := range items {
		kv, err := in.collectItems(incref(it))
		if err == nil && len(kv) != 2 {
			in.decrefAll(kv)
			err = in.valueError("dictionary update sequence element #%d has length %d; 2 is required", i, len(kv))
		}
		if err == nil {
			err = in.dictSet(d, kv[0], kv[1])
		}
		if err != nil {
			in.decrefAll(items[i:])
			return err
		}
		in.decref(it)
	}
	return nil
}

// dictCopy is PyDict_Copy.
func (in *Interp) dictCopy(src *Dict) (*Dict, error) {
	before, _ := in.o.Dicts.Parked()
	mem, err := in.o.Dicts.Copy(src.mem)
	if err != nil {
		return nil, in.memoryError(err)
	}
	d := &Dict{Obj: Obj{rc: 1, addr: mem.Obj}, mem: mem, index: make(map[hkey]int, src.mem.Used)}
	after, _ := in.o.Dicts.Parked()
	in.gcNew(d, after == before)
	if mem.Used == src.mem.Used && mem.Keys != 0 { // cloned
		for _, e := range src.entries {
			if e.live {
				d.index[e.hk] = len(d.entries)
				d.entries = append(d.entries, dictEntry{key: incref(e.key), val: incref(e.val), hk: e.hk, live: true})
			}
		}
		return d, nil
	}
	for _, e := range src.entries {
		if e.live {
			if err := in.dictSet(d, incref(e.key), incref(e.val)); err != nil {
				in.decref(d)
				return nil, err
			}
		}
	}
	return d, nil
}

func (in *Interp) dictClear(d *Dict) {
	entries := d.entries
	d.entries, d.index = nil, map[hkey]int{}
	in.o.Dicts.Clear(d.mem)
	for _, e := range entries {
		if e.live {
			in.decref(e.key)
			in.decref(e.val)
		}
	}
}

// ---- list ----

// listExtend is list.extend(v) / list += v.
func (in *Interp) listExtend(l *List, v Value) error {
	var items []Value
	switch s := v.(type) {
	case *List:
		items = s.items
	case *Tuple:
		items = s.items
	}
	if items != nil || isEmptySeq(v) {
		n := len(items)
		if n == 0 {
			return nil
		}
		add := make([]Value, n)
		for i, x := range items {
			add[i] = incref(x)
		}
		if l.mem.Items == 0 {
			if err := in.o.Lists.PreallocateExact(l.mem, n); err != nil {
				in.decrefAll(add)
				return in.memoryError(err)
			}
			l.mem.Len = n
		} else if err := in.listResize(l, len(l.items)+n); err != nil {
			in.decrefAll(add)
			return err
		}
		l.items = append(l.items, add...)
		return nil
	}
	// a general iterable: preallocate by its length hint (8 when unknown),
	// append, then give back what was not used
	hint := in.lengthHint(v)
	it, err := in.getIter(incref(v))
	if err != nil {
		return err
	}
	defer in.decref(it)
	m := len(l.items)
	if l.mem.Items == 0 {
		if hint > 0 {
			if err := in.o.Lists.PreallocateExact(l.mem, hint); err != nil {
				return in.memoryError(err)
			}
		}
	} else if err := in.o.Lists.Resize(l.mem, m+hint); err != nil {
		return in.memoryError(err)
	}
	l.mem.Len = m
	for {
		x, err := it.next(in)
		if err != nil {
			return err
		}
		if x == nil {
			break
		}
		if len(l.items) < l.mem.Allocated {
			l.items = append(l.items, x)
			l.mem.Len = len(l.items)
		} else if err := in.listAppend(l, x); err != nil {
			return err
		}
	}
	if len(l.items) < l.mem.Allocated {
		return in.listResize(l, len(l.items))
	}
	return nil
}

func isEmptySeq(v Value) bool {
	switch s := v.(type) {
	case *List:
		return len(s.items) == 0
	case *Tuple:
		return len(s.items) == 0
	}
	return false
}

// lengthHint is PyObject_LengthHint(v, 8).
func (in *Interp) lengthHint(v Value) int {
	switch s := v.(type) {
	case *Str:
		return s.n
	case *Dict:
		return s.mem.Used
	case *Set:
		return len(s.items)
	case *Range:
		return int(s.length)
	case iterator:
		if n, ok := s.lengthHint(); ok {
			return n
		}
		return 8
	}
	return 8
}

func (in *Interp) listClear(l *List) {
	items := l.items
	l.items = nil
	in.o.Lists.Clear(l.mem)
	in.decrefAll(items)
}

// listDelSlice removes items[lo:hi]: with more than 8 removed, CPython
// copies them to a temporary "recycle" array first; removing them all
// clears the list (_list_clear: no recycle array, the item array freed).
func (in *Interp) listDelSlice(l *List, lo, hi int) error {
	if hi <= lo {
		return nil
	}
	if hi-lo == len(l.items) {
		in.listClear(l)
		return nil
	}
	removed := append([]Value(nil), l.items[lo:hi]...)
	done, err := in.recycle(removed)
	if err != nil {
		return err
	}
	l.items = append(l.items[:lo], l.items[hi:]...)
	err = in.listResize(l, len(l.items))
	done(true)
	return err
}

// recycle is list_ass_slice's "recycle" array: the items a slice operation
// removes are copied aside (to the heap when there are more than 8) and
// dropped once the list is consistent again. done(true) drops them and
// frees the array; done(false), when the operation failed and the items
// stay in the list, only frees the array.
func (in *Interp) recycle(removed []Value) (done func(drop bool), err error) {
	var tmp model.Addr
	if len(removed) > 8 {
		if tmp, err = in.o.Lists.TempArray(len(removed)); err != nil {
			return nil, in.memoryError(err)
		}
	}
	return func(drop bool) {
		if drop {
			in.decrefAll(removed)
		}
		if tmp != 0 {
			in.o.Lists.FreeTemp(tmp)
		}
	}, nil
}

// ---- set ----

// setAdd adds x (the reference moves in; dropped if x was there).
func (in *Interp) setAdd(s *Set, x Value) error {
	hk, err := in.keyOf(x)
	if err != nil {
		in.decref(x)
		return err
	}
	if _, ok := s.items[hk]; ok {
		in.decref(x)
		return nil
	}
	if _, err := in.o.Sets.Add(s.mem, in.pyHash(x), hk); err != nil {
		in.decref(x)
		return in.memoryError(err)
	}
	s.items[hk] = x
	return nil
}

func (in *Interp) setDiscard(s *Set, x Value) (bool, error) {
	hk, err := in.keyOf(x)
	if err != nil {
		return false, err
	}
	old, ok := s.items[hk]
	if !ok {
		return false, nil
	}
	delete(s.items, hk)
	in.o.Sets.Discard(s.mem, hk)
	in.decref(old)
	return true, nil
}

// setKeys returns s's items in iteration (table) order, borrowed.
func (in *Interp) setKeys(s *Set) []Value {
	out := make([]Value, 0, len(s.items))
	in.o.Sets.Keys(s.mem, func(k any) bool {
		out = append(out, s.items[k.(hkey)])
		return true
	})
	return out
}

// setUpdate is set |= other: set_merge for sets, presized for dicts, one
// add at a time otherwise.
func (in *Interp) setUpdate(s *Set, other Value) error {
	switch o := other.(type) {
	case *Set:
		if err := in.o.Sets.Presize(s.mem, len(o.items)); err != nil {
			return in.memoryError(err)
		}
		for _, x := range in.setKeys(o) {
			if err := in.setAdd(s, incref(x)); err != nil {
				return err
			}
		}
		return nil
	case *Dict:
		if err := in.o.Sets.Presize(s.mem, o.mem.Used); err != nil {
			return in.memoryError(err)
		}
	}
	// one key at a time, as set_add_key is called for each item produced
	return in.forEach(other, func(x Value) error { return in.setAdd(s, x) })
}

// forEach iterates v, passing each item (a new reference) to f, which
// takes it: items die as they are consumed, as in a C loop over an iterator.
func (in *Interp) forEach(v Value, f func(Value) error) error {
	it, err := in.getIter(incref(v))
	if err != nil {
		return err
	}
	defer in.decref(it)
	for {
		x, err := it.next(in)
		if err != nil || x == nil {
			return err
		}
		if err := f(x); err != nil {
			return err
		}
	}
}

func (in *Interp) setOp(op syntax.Operator, a, b *Set, inplace bool) (Value, error) {
	var out *Set
	if inplace {
		out = a
		incref(a)
	} else {
		var err error
		if out, err = in.newSet(a.frozen); err != nil {
			return nil, err
		}
	}
	fail := func(err error) (Value, error) {
		in.decref(out)
		return nil, err
	}
	switch op {
	case syntax.BitOr:
		if !inplace {
			if err := in.setUpdate(out, a); err != nil {
				return fail(err)
			}
		}
		if err := in.setUpdate(out, b); err != nil {
			return fail(err)
		}
	case syntax.BitAnd:
		if inplace {
			for _, x := range in.setKeys(a) {
				if _, ok := b.items[mustKey(in, x)]; !ok {
					if _, err := in.setDiscard(a, x); err != nil {
						return fail(err)
					}
				}
			}
			break
		}
		small, big := a, b
		if len(b.items) < len(a.items) {
			small, big = b, a
		}
		for _, x := range in.setKeys(small) {
			if _, ok := big.items[mustKey(in, x)]; ok {
				if err := in.setAdd(out, incref(x)); err != nil {
					return fail(err)
				}
			}
		}
	case syntax.Sub:
		if inplace {
			for _, x := range in.setKeys(b) {
				if _, err := in.setDiscard(a, x); err != nil {
					return fail(err)
				}
			}
			break
		}
		for _, x := range in.setKeys(a) {
			if _, ok := b.items[mustKey(in, x)]; !ok {
				if err := in.setAdd(out, incref(x)); err != nil {
					return fail(err)
				}
			}
		}
	case syntax.BitXor:
		// set_symmetric_difference: a copy of b, then each key of a is
		// discarded from it or added
		if !inplace {
			if err := in.setUpdate(out, b); err != nil {
				return fail(err)
			}
			b = a
		}
		for _, x := range in.setKeys(b) {
			removed, err := in.setDiscard(out, x)
			if err != nil {
				return fail(err)
			}
			if !removed {
				if err := in.setAdd(out, incref(x)); err != nil {
					return fail(err)
				}
			}
		}
	default:
		return fail(in.typeError("unsupported operand type(s) for %s: 'set' and 'set'", op))
	}
	return out, nil
}

func mustKey(in *Interp, x Value) hkey {
	k, _ := in.keyOf(x)
	return k
}

// ---- slices ----

// sliceObj is a slice object. CPython keeps one freed slice for reuse
// (interp->slice_cache), so after the first slicing a 56-byte slice stays
// allocated.
type sliceObj struct {
	Obj
	lo, hi, step Value
}

func (in *Interp) newSlice(lo, hi, step Value) (Value, error) {
	s := &sliceObj{lo: lo, hi: hi, step: step}
	if c := in.sliceCache; c != nil {
		in.sliceCache = nil
		in.h.Reuse(c.addr, in.h.Type("slice"))
		s.addr = c.addr
	} else {
		a, err := in.o.Fixed.New("slice", in.o.Profile.FixedSizes["slice"])
		if err != nil {
			in.decref(lo)
			in.decref(hi)
			in.decref(step)
			return nil, in.memoryError(err)
		}
		s.addr = a
	}
	s.rc = 1
	return s, nil
}

// prefillSliceCache puts a slice object in the one-entry slice cache.
func (in *Interp) prefillSliceCache() error {
	a, err := in.o.Fixed.New("slice", in.o.Profile.FixedSizes["slice"])
	if err != nil {
		return in.memoryError(err)
	}
	in.h.Cache(a)
	in.sliceCache = &sliceObj{Obj: Obj{addr: a}}
	return nil
}

func (in *Interp) freeSlice(s *sliceObj) {
	in.decref(s.lo)
	in.decref(s.hi)
	in.decref(s.step)
	if in.sliceCache == nil {
		in.sliceCache = s
		in.h.Cache(s.addr)
		return
	}
	in.o.Fixed.Free(s.addr)
}

// indices resolves a slice against a length: start, stop, step, count.
func (in *Interp) indices(s *sliceObj, n int) (int, int, int, int, error) {
	get := func(v Value, def int) (int, bool, error) {
		if _, ok := v.(*NoneType); ok {
			return def, false, nil
		}
		i, ok := asInt(v)
		if !ok {
			return 0, false, in.typeError("slice indices must be integers or None or have an __index__ method")
		}
		if i.b != nil {
			if i.b.Sign() < 0 {
				return -1 << 62, true, nil
			}
			return 1 << 62, true, nil
		}
		return int(i.v), true, nil
	}
	step, _, err := get(s.step, 1)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	if step == 0 {
		return 0, 0, 0, 0, in.valueError("slice step cannot be zero")
	}
	var lo, hi int
	if step > 0 {
		lo, _, err = get(s.lo, 0)
		if err == nil {
			hi, _, err = get(s.hi, n)
		}
	} else {
		lo, _, err = get(s.lo, n-1)
		if err == nil {
			hi, _, err = get(s.hi, -n-1)
		}
	}
	if err != nil {
		return 0, 0, 0, 0, err
	}
	clamp := func(i int, isHi bool) int {
		if i < 0 {
			i += n
			if i < 0 {
				if step < 0 {
					return -1
				}
				return 0
			}
		} else if i >= n {
			if step < 0 {
				return n - 1
			}
			return n
		}
		return i
	}
	lo, hi = clamp(lo, false), clamp(hi, true)
	count := 0
	if step > 0 && lo < hi {
		count = (hi - lo + step - 1) / step
	} else if step < 0 && lo > hi {
		count = (lo - hi - step - 1) / -step
	}
	return lo, hi, step, count, nil
}

// index normalises an int index against length n.
func (in *Interp) index(v Value, n int, what string) (int, error) {
	i, ok := asInt(v)
	if !ok {
		return 0, in.typeError("%s indices must be integers or slices, not %s", what, typeName(v))
	}
	if i.b != nil || i.v < int64(-n) || i.v >= int64(n) {
		return 0, in.raise("IndexError", "%s index out of range", what)
	}
	k := int(i.v)
	if k < 0 {
		k += n
	}
	return k, nil
}

func (in *Interp) getItem(obj, idx Value) (Value, error) {
	switch o := obj.(type) {
	case *List:
		if s, ok := idx.(*sliceObj); ok {
			lo, _, step, count, err := in.indices(s, len(o.items))
			if err != nil {
				return nil, err
			}
			items := make([]Value, 0, count)
			for i := 0; i < count; i++ {
				items = append(items, incref(o.items[lo+i*step]))
			}
			if count == 0 {
				return in.newList()
			}
			return in.newListExact(items, true)
		}
		i, err := in.index(idx, len(o.items), "list")
		if err != nil {
			return nil, err
		}
		return incref(o.items[i]), nil
	case *Tuple:
		if s, ok := idx.(*sliceObj); ok {
			lo, _, step, count, err := in.indices(s, len(o.items))
			if err != nil {
				return nil, err
			}
			if count == len(o.items) && step == 1 {
				return incref(o), nil
			}
			items := make([]Value, 0, count)
			for i := 0; i < count; i++ {
				items = append(items, incref(o.items[lo+i*step]))
			}
			return in.newTuple(items)
		}
		i, err := in.index(idx, len(o.items), "tuple")
		if err != nil {
			return nil, err
		}
		return incref(o.items[i]), nil
	case *Str:
		r := []rune(o.s)
		if s, ok := idx.(*sliceObj); ok {
			lo, _, step, count, err := in.indices(s, len(r))
			if err != nil {
				return nil, err
			}
			if count == len(r) && step == 1 {
				return incref(o), nil
			}
			out := make([]rune, 0, count)
			for i := 0; i < count; i++ {
				out = append(out, r[lo+i*step])
			}
			return in.newStr(string(out))
		}
		i, err := in.index(idx, len(r), "string")
		if err != nil {
			return nil, err
		}
		return in.newStr(string(r[i]))
	case *Bytes:
		if s, ok := idx.(*sliceObj); ok {
			lo, _, step, count, err := in.indices(s, len(o.b))
			if err != nil {
				return nil, err
			}
			if count == len(o.b) && step == 1 {
				return incref(o), nil
			}
			out := make([]byte, 0, count)
			for i := 0; i < count; i++ {
				out = append(out, o.b[lo+i*step])
			}
			return in.newBytes(string(out))
		}
		i, err := in.index(idx, len(o.b), "index")
		if err != nil {
			return nil, err
		}
		return in.newInt(int64(o.b[i]), 0)
	case *Dict:
		v, ok, err := in.dictGet(o, idx)
		if err != nil {
			return nil, err
		}
		if !ok {
			incref(idx)
			return nil, in.newException(in.exc.byName["KeyError"], []Value{idx})
		}
		return incref(v), nil
	case *Range:
		if _, ok := idx.(*sliceObj); ok {
			return nil, in.typeError("range slicing is not supported by heaptrace")
		}
		i, err := in.index(idx, int(o.length), "range object")
		if err != nil {
			return nil, err
		}
		return in.newInt(o.start+int64(i)*o.step, 0)
	}
	return nil, in.typeError("'%s' object is not subscriptable", typeName(obj))
}

// setItem stores obj[idx] = v (the reference to v moves in).
func (in *Interp) setItem(obj, idx, v Value) error {
	switch o := obj.(type) {
	case *List:
		if s, ok := idx.(*sliceObj); ok {
			return in.listSetSlice(o, s, v)
		}
		i, err := in.index(idx, len(o.items), "list assignment")
		if err != nil {
			in.decref(v)
			return err
		}
		old := o.items[i]
		o.items[i] = v
		in.decref(old)
		return nil
	case *Dict:
		return in.dictSet(o, incref(idx), v)
	}
	in.decref(v)
	return in.typeError("'%s' object does not support item assignment", typeName(obj))
}

func (in *Interp) listSetSlice(l *List, s *sliceObj, v Value) error {
	newItems, err := in.collectItems(v)
	if err != nil {
		return err
	}
	lo, hi, step, count, err := in.indices(s, len(l.items))
	if err != nil {
		in.decrefAll(newItems)
		return err
	}
	if step != 1 {
		if len(newItems) != count {
			in.decrefAll(newItems)
			return in.valueError("attempt to assign sequence of size %d to extended slice of size %d", len(newItems), count)
		}
		for i := 0; i < count; i++ {
			old := l.items[lo+i*step]
			l.items[lo+i*step] = newItems[i]
			in.decref(old)
		}
		return nil
	}
	if hi < lo {
		hi = lo
	}
	if len(newItems) == 0 && hi-lo == len(l.items) {
		in.listClear(l) // the list ends empty: _list_clear
		return nil
	}
	done, err := in.recycle(append([]Value(nil), l.items[lo:hi]...))
	if err != nil {
		in.decrefAll(newItems)
		return err
	}
	rest := append([]Value(nil), l.items[hi:]...)
	n := lo + len(newItems) + len(rest)
	if err := in.listResize(l, n); err != nil {
		in.decrefAll(newItems)
		done(false)
		return err
	}
	l.items = append(append(l.items[:lo], newItems...), rest...)
	done(true)
	return nil
}

func (in *Interp) delItem(obj, idx Value) error {
	switch o := obj.(type) {
	case *List:
		if s, ok := idx.(*sliceObj); ok {
			lo, hi, step, count, err := in.indices(s, len(o.items))
			if err != nil {
				return err
			}
			if step == 1 {
				return in.listDelSlice(o, lo, hi)
			}
			var removed []Value
			keep := o.items[:0:0]
			j := 0
			for i, x := range o.items {
				if j < count && i == lo+j*step {
					removed = append(removed, x)
					j++
					continue
				}
				keep = append(keep, x)
			}
			o.items = keep
			err = in.listResize(o, len(keep))
			in.decrefAll(removed)
			return err
		}
		i, err := in.index(idx, len(o.items), "list assignment")
		if err != nil {
			return err
		}
		old := o.items[i]
		o.items = append(o.items[:i], o.items[i+1:]...)
		err = in.listResize(o, len(o.items))
		in.decref(old)
		return err
	case *Dict:
		ok, err := in.dictDel(o, idx)
		if err != nil {
			return err
		}
		if !ok {
			incref(idx)
			return in.newException(in.exc.byName["KeyError"], []Value{idx})
		}
		return nil
	}
	return in.typeError("'%s' object doesn't support item deletion", typeName(obj))
}
