package python

// This file defines iterators. GET_ITER makes one (a heap object of the
// iterator's type) and drops the iterable's reference; each next returns
// a new reference, or nil at the end.

type iterator interface {
	Value
	next(in *Interp) (Value, error)
	release(in *Interp) // frees the iterator and what it holds
	typeName() string
	lengthHint() (int, bool)
}

// iterBase is the header and allocation of an iterator object.
type iterBase struct {
	Obj
	kind string
}

func (b *iterBase) typeName() string { return b.kind }

func (in *Interp) newIterBase(kind string) (iterBase, error) {
	a, err := in.fixed(kind)
	if err != nil {
		return iterBase{}, err
	}
	return iterBase{Obj: Obj{rc: 1, addr: a}, kind: kind}, nil
}

func (in *Interp) freeIterBase(b *iterBase) { in.freeFixed(b.kind, b.addr) }

// getIter is iter(v): it takes the reference to v (dropping it once the
// iterator holds what it needs) and returns a new iterator.
func (in *Interp) getIter(v Value) (iterator, error) {
	switch s := v.(type) {
	case iterator:
		return s, nil
	case *List:
		b, err := in.newIterBase("list_iterator")
		if err != nil {
			in.decref(v)
			return nil, err
		}
		return &seqIter{iterBase: b, list: s}, nil
	case *Tuple:
		b, err := in.newIterBase("tuple_iterator")
		if err != nil {
			in.decref(v)
			return nil, err
		}
		return &seqIter{iterBase: b, tuple: s}, nil
	case *Str:
		kind := "str_iterator"
		if s.kind == 0 {
			kind = "str_ascii_iterator"
		}
		b, err := in.newIterBase(kind)
		if err != nil {
			in.decref(v)
			return nil, err
		}
		return &strIter{iterBase: b, s: s, runes: []rune(s.s)}, nil
	case *Bytes:
		b, err := in.newIterBase("bytes_iterator")
		if err != nil {
			in.decref(v)
			return nil, err
		}
		return &bytesIter{iterBase: b, b: s}, nil
	case *Dict:
		return in.dictIter(s, "dict_keyiterator")
	case *Set:
		b, err := in.newIterBase("set_iterator")
		if err != nil {
			in.decref(v)
			return nil, err
		}
		return &setIter{iterBase: b, set: s, keys: in.setKeys(s)}, nil
	case *Range:
		b, err := in.newIterBase("range_iterator")
		if err != nil {
			in.decref(v)
			return nil, err
		}
		it := &rangeIter{iterBase: b, cur: s.start, step: s.step, left: s.length}
		in.decref(v)
		return it, nil
	case *dictView:
		it, err := in.dictIter(s.d, map[string]string{"dict_keys": "dict_keyiterator", "dict_values": "dict_valueiterator", "dict_items": "dict_itemiterator"}[s.kind])
		incref(s.d)
		in.decref(v)
		if err != nil {
			in.decref(s.d)
		}
		return it, err
	}
	in.decref(v)
	return nil, in.typeError("'%s' object is not iterable", typeName(v))
}

// seqIter iterates a list or tuple by index.
type seqIter struct {
	iterBase
	list  *List
	tuple *Tuple
	i     int
}

func (it *seqIter) next(in *Interp) (Value, error) {
	var items []Value
	if it.list != nil {
		items = it.list.items
	} else if it.tuple != nil {
		items = it.tuple.items
	}
	if it.i < len(items) {
		v := items[it.i]
		it.i++
		return incref(v), nil
	}
	it.drop(in) // an exhausted iterator lets go of its sequence
	return nil, nil
}

func (it *seqIter) drop(in *Interp) {
	if it.list != nil {
		l := it.list
		it.list = nil
		in.decref(l)
	}
	if it.tuple != nil {
		t := it.tuple
		it.tuple = nil
		in.decref(t)
	}
}

func (it *seqIter) release(in *Interp) {
	it.drop(in)
	in.freeIterBase(&it.iterBase)
}

func (it *seqIter) lengthHint() (int, bool) {
	switch {
	case it.list != nil:
		return len(it.list.items) - it.i, true
	case it.tuple != nil:
		return len(it.tuple.items) - it.i, true
	}
	return 0, true
}

type strIter struct {
	iterBase
	s     *Str
	runes []rune
	i     int
}

func (it *strIter) next(in *Interp) (Value, error) {
	if it.s != nil && it.i < len(it.runes) {
		r := it.runes[it.i]
		it.i++
		return in.newStr(string(r))
	}
	if it.s != nil {
		s := it.s
		it.s = nil
		in.decref(s)
	}
	return nil, nil
}

func (it *strIter) release(in *Interp) {
	if it.s != nil {
		in.decref(it.s)
	}
	in.freeIterBase(&it.iterBase)
}

func (it *strIter) lengthHint() (int, bool) { return len(it.runes) - it.i, true }

type bytesIter struct {
	iterBase
	b *Bytes
	i int
}

func (it *bytesIter) next(in *Interp) (Value, error) {
	if it.b != nil && it.i < len(it.b.b) {
		c := it.b.b[it.i]
		it.i++
		return in.newInt(int64(c), 0)
	}
	return nil, nil
}

func (it *bytesIter) release(in *Interp) {
	if it.b != nil {
		in.decref(it.b)
	}
	in.freeIterBase(&it.iterBase)
}

func (it *bytesIter) lengthHint() (int, bool) { return len(it.b.b) - it.i, true }

// rangeIter yields ints made by PyLong_FromLong.
type rangeIter struct {
	iterBase
	cur, step, left int64
}

func (it *rangeIter) next(in *Interp) (Value, error) {
	if it.left <= 0 {
		return nil, nil
	}
	v := it.cur
	it.cur += it.step
	it.left--
	return in.newInt(v, 0)
}

func (it *rangeIter) release(in *Interp)      { in.freeIterBase(&it.iterBase) }
func (it *rangeIter) lengthHint() (int, bool) { return int(it.left), true }

// dictIterator iterates keys, values or items in insertion order. The
// items iterator keeps a result tuple and reuses it while nobody else
// holds it (dictiter_iternextitem).
type dictIterator struct {
	iterBase
	d      *Dict
	i      int
	result *Tuple
}

func (in *Interp) dictIter(d *Dict, kind string) (iterator, error) {
	b, err := in.newIterBase(kind)
	if err != nil {
		in.decref(d)
		return nil, err
	}
	it := &dictIterator{iterBase: b, d: d}
	if kind == "dict_itemiterator" {
		t, err := in.newTuple([]Value{None, None})
		if err != nil {
			in.decref(it)
			return nil, err
		}
		it.result = t
	}
	return it, nil
}

func (it *dictIterator) next(in *Interp) (Value, error) {
	if it.d == nil {
		return nil, nil
	}
	for it.i < len(it.d.entries) && !it.d.entries[it.i].live {
		it.i++
	}
	if it.i >= len(it.d.entries) {
		d := it.d
		it.d = nil
		in.decref(d)
		return nil, nil
	}
	e := it.d.entries[it.i]
	it.i++
	switch it.kind {
	case "dict_keyiterator":
		return incref(e.key), nil
	case "dict_valueiterator":
		return incref(e.val), nil
	}
	return in.reuseOrPack(&it.result, incref(e.key), incref(e.val))
}

// reuseOrPack returns a 2-tuple of a and b: the cached result tuple when
// only the iterator holds it, else a new tuple.
func (in *Interp) reuseOrPack(cache **Tuple, a, b Value) (Value, error) {
	if t := *cache; t != nil && t.rc == 1 {
		incref(t)
		old0, old1 := t.items[0], t.items[1]
		t.items[0], t.items[1] = a, b
		in.decref(old0)
		in.decref(old1)
		return t, nil
	}
	return in.newTuple([]Value{a, b})
}

func (it *dictIterator) release(in *Interp) {
	if it.d != nil {
		in.decref(it.d)
	}
	if it.result != nil {
		in.decref(it.result)
	}
	in.freeIterBase(&it.iterBase)
}

func (it *dictIterator) lengthHint() (int, bool) {
	if it.d == nil {
		return 0, true
	}
	return it.d.mem.Used, true
}

type setIter struct {
	iterBase
	set  *Set
	keys []Value
	i    int
}

func (it *setIter) next(in *Interp) (Value, error) {
	if it.set == nil || it.i >= len(it.keys) {
		if it.set != nil {
			s := it.set
			it.set = nil
			in.decref(s)
		}
		return nil, nil
	}
	v := it.keys[it.i]
	it.i++
	return incref(v), nil
}

func (it *setIter) release(in *Interp) {
	if it.set != nil {
		in.decref(it.set)
	}
	in.freeIterBase(&it.iterBase)
}

func (it *setIter) lengthHint() (int, bool) { return len(it.keys) - it.i, true }

// enumerateIter is enumerate(): its index ints come from
// PyLong_FromSsize_t (exact size), its result 2-tuple is reused.
type enumerateIter struct {
	iterBase
	src    iterator
	n      int64
	result *Tuple
}

func (it *enumerateIter) next(in *Interp) (Value, error) {
	x, err := it.src.next(in)
	if err != nil || x == nil {
		return nil, err
	}
	i, err := in.newInt(it.n, 1)
	if err != nil {
		in.decref(x)
		return nil, err
	}
	it.n++
	return in.reuseOrPack(&it.result, i, x)
}

func (it *enumerateIter) release(in *Interp) {
	in.decref(it.src)
	if it.result != nil {
		in.decref(it.result)
	}
	in.freeIterBase(&it.iterBase)
}

// enumerate has no __length_hint__: list(enumerate(x)) starts from 8 slots.
func (it *enumerateIter) lengthHint() (int, bool) { return 0, false }

// zipIter is zip(): a tuple of its iterators and a reused result tuple.
type zipIter struct {
	iterBase
	srcs   *Tuple
	result *Tuple
	done   bool
}

// next is zip_next: a result tuple the zip alone holds is refilled;
// otherwise a new tuple is made first and then filled, so the call that
// finds an iterator exhausted makes a tuple and drops it (to the free list).
func (it *zipIter) next(in *Interp) (Value, error) {
	if it.done {
		return nil, nil
	}
	n := len(it.srcs.items)
	vals := make([]Value, 0, n)
	reuse := it.result != nil && it.result.rc == 1
	var fresh *Tuple
	if !reuse && n > 0 {
		nones := make([]Value, n)
		for i := range nones {
			nones[i] = None
		}
		var err error
		if fresh, err = in.newTuple(nones); err != nil {
			return nil, err
		}
	}
	for _, s := range it.srcs.items {
		x, err := s.(iterator).next(in)
		if err != nil || x == nil {
			in.decrefAll(vals)
			if fresh != nil {
				in.decref(fresh)
			}
			it.done = true
			return nil, err
		}
		vals = append(vals, x)
	}
	if reuse {
		t := it.result
		incref(t)
		old := append([]Value(nil), t.items...)
		copy(t.items, vals)
		in.decrefAll(old)
		return t, nil
	}
	copy(fresh.items, vals)
	return fresh, nil
}

func (it *zipIter) release(in *Interp) {
	in.decref(it.srcs)
	if it.result != nil {
		in.decref(it.result)
	}
	in.freeIterBase(&it.iterBase)
}

func (it *zipIter) lengthHint() (int, bool) { return 0, false }

// reversedIter walks a list or tuple backwards.
type reversedIter struct {
	iterBase
	items []Value
	owner Value
	i     int
}

func (it *reversedIter) next(in *Interp) (Value, error) {
	if it.owner == nil || it.i < 0 {
		return nil, nil
	}
	var items []Value
	switch o := it.owner.(type) {
	case *List:
		items = o.items
	case *Tuple:
		items = o.items
	}
	if it.i >= len(items) {
		it.i = -1
		return nil, nil
	}
	v := items[it.i]
	it.i--
	return incref(v), nil
}

func (it *reversedIter) release(in *Interp) {
	if it.owner != nil {
		in.decref(it.owner)
	}
	in.freeIterBase(&it.iterBase)
}

func (it *reversedIter) lengthHint() (int, bool) { return it.i + 1, true }

// mapIter is map(f, it) and filterIter is filter(f, it).
type mapIter struct {
	iterBase
	fn     Value
	src    iterator
	iters  *Tuple // map's tuple of its iterators
	filter bool
}

func (it *mapIter) next(in *Interp) (Value, error) {
	for {
		x, err := it.src.next(in)
		if err != nil || x == nil {
			return nil, err
		}
		if it.filter {
			keep := false
			if _, isNone := it.fn.(*NoneType); isNone {
				keep, err = in.truth(x)
			} else {
				var r Value
				r, err = in.callValue(it.fn, []Value{x}, nil)
				if err == nil {
					keep, err = in.truth(r)
					in.decref(r)
				}
			}
			if err != nil {
				in.decref(x)
				return nil, err
			}
			if keep {
				return x, nil
			}
			in.decref(x)
			continue
		}
		r, err := in.callValue(it.fn, []Value{x}, nil)
		in.decref(x)
		return r, err
	}
}

func (it *mapIter) release(in *Interp) {
	if it.iters != nil {
		in.decref(it.iters)
	}
	in.decref(it.src)
	in.decref(it.fn)
	if it.addr != 0 {
		in.freeIterBase(&it.iterBase)
	}
}

func (it *mapIter) lengthHint() (int, bool) { return 0, false }

// dictView is d.keys(), d.values() or d.items().
type dictView struct {
	Obj
	d    *Dict
	kind string
}

func (v *dictView) typeName() string        { return v.kind }
func (v *dictView) lengthHint() (int, bool) { return v.d.mem.Used, true }

func (in *Interp) newDictView(d *Dict, kind string) (Value, error) {
	a, err := in.fixed(kind)
	if err != nil {
		return nil, err
	}
	return &dictView{Obj: Obj{rc: 1, addr: a}, d: incref(d).(*Dict), kind: kind}, nil
}

// viewItems returns the view's elements as new references.
func (in *Interp) viewItems(v *dictView) ([]Value, error) {
	var out []Value
	for _, e := range v.d.entries {
		if !e.live {
			continue
		}
		switch v.kind {
		case "dict_keys":
			out = append(out, incref(e.key))
		case "dict_values":
			out = append(out, incref(e.val))
		default:
			t, err := in.newTuple([]Value{incref(e.key), incref(e.val)})
			if err != nil {
				in.decrefAll(out)
				return nil, err
			}
			out = append(out, t)
		}
	}
	return out, nil
}
