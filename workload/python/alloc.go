package python

import (
	"math/big"
	"unsafe"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
)

// This file defines how objects come to life and die: every new object is
// allocated through its per-type allocator, and decref frees it (children
// first, in CPython's order) when its last reference goes.

func identity(v Value) uint64 {
	h := v.header()
	if h.addr != 0 {
		return uint64(h.addr)
	}
	return uint64(uintptr(unsafe.Pointer(h)))
}

func incref(v Value) Value {
	if h := v.header(); !h.static {
		h.rc++
	}
	return v
}

// decref drops a reference and frees v when it was the last.
func (in *Interp) decref(v Value) {
	h := v.header()
	if h.static {
		return
	}
	h.rc--
	if h.rc == 0 {
		in.dealloc(v)
	} else if h.rc < 0 {
		panic("python: negative reference count on " + typeName(v))
	}
}

func (in *Interp) xdecref(v Value) {
	if v != nil {
		in.decref(v)
	}
}

// fixed allocates a fixed-size object of a named type.
func (in *Interp) fixed(name string) (model.Addr, error) {
	size, ok := in.o.Profile.FixedSizes[name]
	if !ok {
		panic("python: no size for " + name)
	}
	a, err := in.o.Fixed.New(name, size)
	if err != nil {
		return 0, in.memoryError(err)
	}
	if gcTypes[name] {
		in.gcTrack(name)
	}
	return a, nil
}

func (in *Interp) freeFixed(name string, a model.Addr) {
	in.o.Fixed.Free(a)
	if gcTypes[name] {
		in.gcUntrack(name)
	}
}

// gcTypes are the fixed-size types the cyclic collector tracks; their
// allocations count towards its generation-0 threshold.
var gcTypes = map[string]bool{
	"function": true, "cell": true, "list_iterator": true, "list_reverseiterator": true,
	"tuple_iterator": true, "dict_keyiterator": true, "dict_valueiterator": true,
	"dict_itemiterator": true, "dict_keys": true, "dict_values": true, "dict_items": true,
	"set_iterator": true, "enumerate": true, "zip": true, "map": true, "filter": true,
	"reversed": true, "generator": true, "builtin_function_or_method": true, "method": true,
	"exception": true, "traceback": true, "frame": true, "instance": true, "type": true,
	"str_ascii_iterator": false,
}

// ---- int ----

var bigOne = big.NewInt(1)

// ndigits returns the PyLong digit count of v.
func (in *Interp) ndigits(v *Int) int {
	if v.b != nil {
		return in.o.Ints.Digits(v.b)
	}
	u := v.v
	if u < 0 {
		if u == -1<<63 {
			return 3
		}
		u = -u
	}
	n := 0
	for u > 0 {
		n++
		u >>= 30
	}
	return n
}

func isSmallInt(v int64) bool { return v >= -5 && v <= 256 }

// newInt returns v as an int made by origin: a cached small int, or a new
// object of the size that C path asks for.
func (in *Interp) newInt(v int64, origin pyobj.IntOrigin) (*Int, error) {
	if isSmallInt(v) {
		return in.smallInts[v+5], nil
	}
	x := &Int{v: v}
	return in.allocInt(x, in.o.Ints.Request(in.ndigits(x), origin))
}

// newBig returns b (normalised to an int64 when it fits) with an explicit
// request size: arithmetic over-allocates and never shrinks.
func (in *Interp) newBig(b *big.Int, request int64) (*Int, error) {
	x := &Int{}
	if b.IsInt64() {
		x.v = b.Int64()
		if isSmallInt(x.v) {
			return in.smallInts[x.v+5], nil
		}
	} else {
		x.b = b
	}
	if request == 0 {
		request = in.o.Ints.Request(in.ndigits(x), pyobj.IntFromLong)
	}
	return in.allocInt(x, request)
}

func (in *Interp) allocInt(x *Int, request int64) (*Int, error) {
	a, err := in.o.Ints.NewBytes(request)
	if err != nil {
		return nil, in.memoryError(err)
	}
	x.addr, x.rc = a, 1
	return x, nil
}

func (x *Int) big() *big.Int {
	if x.b != nil {
		return x.b
	}
	return big.NewInt(x.v)
}

// ---- float ----

func (in *Interp) newFloat(v float64) (*Float, error) {
	a, err := in.o.Floats.New()
	if err != nil {
		return nil, in.memoryError(err)
	}
	return &Float{Obj{rc: 1, addr: a}, v}, nil
}

// ---- str ----

// newStr returns s as a new str, or a cached singleton (” and one
// latin-1 character).
func (in *Interp) newStr(s string) (*Str, error) {
	n := runeCount(s)
	kind := pyobj.KindOf(s)
	if n == 0 {
		return in.emptyStr, nil
	}
	if n == 1 && kind <= pyobj.StrLatin1 {
		for _, r := range s {
			return in.latin1[r], nil
		}
	}
	a, err := in.o.Strs.New(kind, n)
	if err != nil {
		return nil, in.memoryError(err)
	}
	return &Str{Obj: Obj{rc: 1, addr: a}, s: s, kind: kind, n: n}, nil
}

// newStrAlloc returns s as a new str even when it is one latin-1
// character: the C paths that fill a PyUnicode_New buffer directly
// (str(int), concatenation, str.upper, join of several items, f-strings)
// do not swap the result for the cached singleton.
func (in *Interp) newStrAlloc(s string) (*Str, error) {
	n := runeCount(s)
	if n == 0 {
		return in.emptyStr, nil
	}
	kind := pyobj.KindOf(s)
	a, err := in.o.Strs.New(kind, n)
	if err != nil {
		return nil, in.memoryError(err)
	}
	return &Str{Obj: Obj{rc: 1, addr: a}, s: s, kind: kind, n: n}, nil
}

// ---- bytes ----

func (in *Interp) newBytes(b string) (*Bytes, error) {
	if len(b) == 0 {
		return in.emptyBytes, nil
	}
	if len(b) == 1 {
		return in.byteChars[b[0]], nil
	}
	a, err := in.o.Bytes.New(len(b))
	if err != nil {
		return nil, in.memoryError(err)
	}
	return &Bytes{Obj{rc: 1, addr: a}, b}, nil
}

// ---- tuple ----

// newTuple returns a tuple owning items (their references move in).
func (in *Interp) newTuple(items []Value) (*Tuple, error) {
	if len(items) == 0 {
		return in.emptyTuple, nil
	}
	before := in.o.Tuples.Parked(len(items))
	a, err := in.o.Tuples.New(len(items))
	if err != nil {
		in.decrefAll(items)
		return nil, in.memoryError(err)
	}
	t := &Tuple{Obj{rc: 1, addr: a}, items}
	in.gcNew(t, in.o.Tuples.Parked(len(items)) == before)
	return t, nil
}

func (in *Interp) decrefAll(items []Value) {
	for i := len(items) - 1; i >= 0; i-- {
		if items[i] != nil {
			in.decref(items[i])
		}
	}
}

// ---- list ----

// newList returns an empty list with no item array (PyList_New(0)).
func (in *Interp) newList() (*List, error) {
	before := in.o.Lists.Parked()
	mem, err := in.o.Lists.New(0)
	if err != nil {
		return nil, in.memoryError(err)
	}
	l := &List{Obj: Obj{rc: 1, addr: mem.Obj}, mem: mem}
	in.gcNew(l, in.o.Lists.Parked() == before)
	return l, nil
}

// newListExact returns a list owning items, with exactly len(items)
// slots (BUILD_LIST's PyList_New and list_new_prealloc ask for the same):
// the object first, which counts towards a collection (3.11 runs it
// there, before the item array exists), then the array.
func (in *Interp) newListExact(items []Value, prealloc bool) (*List, error) {
	before := in.o.Lists.Parked()
	mem, err := in.o.Lists.New(0)
	if err != nil {
		in.decrefAll(items)
		return nil, in.memoryError(err)
	}
	if in.o.Lists.Parked() == before {
		in.gcTrack("")
	}
	l := &List{Obj: Obj{rc: 1, addr: mem.Obj}, mem: mem}
	if err := in.o.Lists.Preallocate(mem, len(items)); err != nil {
		in.decrefAll(items)
		in.o.Lists.Free(mem)
		in.gcUntrack("")
		return nil, in.memoryError(err)
	}
	mem.Len = len(items)
	l.items = items
	in.track(l)
	return l, nil
}

// listAppend is app1: list_resize(n+1), then the item (a reference moves in).
func (in *Interp) listAppend(l *List, v Value) error {
	if err := in.o.Lists.Resize(l.mem, len(l.items)+1); err != nil {
		in.decref(v)
		return in.memoryError(err)
	}
	l.items = append(l.items, v)
	return nil
}

// listResize sets the list's length to n by list_resize; the caller fixes items.
func (in *Interp) listResize(l *List, n int) error {
	if err := in.o.Lists.Resize(l.mem, n); err != nil {
		return in.memoryError(err)
	}
	return nil
}

// ---- dict ----

func (in *Interp) newDict() (*Dict, error) {
	before, _ := in.o.Dicts.Parked()
	mem, err := in.o.Dicts.New()
	if err != nil {
		return nil, in.memoryError(err)
	}
	d := &Dict{Obj: Obj{rc: 1, addr: mem.Obj}, mem: mem, index: map[hkey]int{}}
	after, _ := in.o.Dicts.Parked()
	in.gcNew(d, after == before)
	return d, nil
}

// newDictPresized is dict_new_presized, for displays.
func (in *Interp) newDictPresized(n int, unicode bool) (*Dict, error) {
	before, _ := in.o.Dicts.Parked()
	mem, err := in.o.Dicts.NewPresized(n, unicode)
	if err != nil {
		return nil, in.memoryError(err)
	}
	d := &Dict{Obj: Obj{rc: 1, addr: mem.Obj}, mem: mem, index: make(map[hkey]int, n)}
	after, _ := in.o.Dicts.Parked()
	in.gcNew(d, after == before)
	return d, nil
}

// ---- set ----

func (in *Interp) newSet(frozen bool) (*Set, error) {
	mem, err := in.o.Sets.New()
	if err != nil {
		return nil, in.memoryError(err)
	}
	st := &Set{Obj: Obj{rc: 1, addr: mem.Obj}, mem: mem, items: map[hkey]Value{}, frozen: frozen}
	in.gcNew(st, true)
	return st, nil
}

// ---- dealloc ----

// dealloc frees v, whose count reached zero: its references first, then
// its memory, as the type's tp_dealloc does.
func (in *Interp) dealloc(v Value) {
	switch v := v.(type) {
	case *Int:
		in.o.Ints.Free(v.addr)
	case *Float:
		in.o.Floats.Free(v.addr)
	case *Str:
		in.o.Strs.Free(v.addr)
	case *Bytes:
		in.o.Bytes.Free(v.addr)
	case *Tuple:
		items := v.items
		v.items = nil
		in.decrefAll(items)
		before := in.o.Tuples.Parked(len(items))
		in.o.Tuples.Free(v.addr, len(items))
		in.gcFree(v, in.o.Tuples.Parked(len(items)) == before)
	case *List:
		items := v.items
		v.items = nil
		in.decrefAll(items)
		before := in.o.Lists.Parked()
		in.o.Lists.Free(v.mem)
		in.gcFree(v, in.o.Lists.Parked() == before)
	case *Dict:
		entries := v.entries
		v.entries, v.index = nil, nil
		for _, e := range entries {
			if e.live {
				in.decref(e.key)
				in.decref(e.val)
			}
		}
		before, _ := in.o.Dicts.Parked()
		in.o.Dicts.Free(v.mem)
		after, _ := in.o.Dicts.Parked()
		in.gcFree(v, after == before)
	case *Set:
		var keys []Value
		in.o.Sets.Keys(v.mem, func(k any) bool {
			keys = append(keys, v.items[k.(hkey)])
			return true
		})
		v.items = nil
		for _, k := range keys {
			in.decref(k)
		}
		in.o.Sets.Free(v.mem)
		in.gcFree(v, true)
	case *Function:
		if v.defTuple != nil {
			in.decref(v.defTuple)
		}
		if v.kwDict != nil {
			in.decref(v.kwDict)
		}
		if v.closure != nil {
			in.decref(v.closure)
		}
		in.untrack(v)
		in.freeFixed("function", v.addr)
	case *Cell:
		if v.v != nil {
			in.decref(v.v)
		}
		in.untrack(v)
		in.freeFixed("cell", v.addr)
	case *Builtin:
		if v.self != nil {
			in.decref(v.self)
		}
		in.freeFixed("builtin_function_or_method", v.addr)
	case *boundMethod:
		in.decref(v.fn)
		in.decref(v.self)
		in.freeFixed("method", v.addr)
	case *Class:
		for _, x := range v.attrs {
			in.decref(x)
		}
		for _, b := range v.bases {
			in.decref(b)
		}
		if v.dict != nil {
			in.decref(v.dict)
		}
		for _, a := range v.blocks {
			in.h.Free(a)
		}
	case *Range:
		for _, x := range v.bounds {
			in.decref(x)
		}
		if v.lengthObj != nil {
			in.decref(v.lengthObj)
		}
		in.freeFixed("range", v.addr)
	case *Exception:
		if v.args != nil {
			in.decref(v.args)
		}
		in.freeFixed("exception", v.addr)
	case *Instance:
		in.deallocInstance(v)
	case *sliceObj:
		in.freeSlice(v)
	case *dictView:
		d := v.d
		in.freeFixed(v.kind, v.addr)
		in.decref(d)
	case iterator:
		v.release(in)
	default:
		panic("python: no dealloc for " + typeName(v))
	}
}
