package python

import (
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
	"github.com/heaptrace/heaptrace/workload/python/syntax"
)

// This file defines the built-in functions. Each notes how CPython 3.11
// calls it, because that decides whether a call packs its arguments into
// a tuple (METH_VARARGS, and types without vectorcall such as str and int)
// or not (METH_O, METH_FASTCALL, vectorcall).

func (in *Interp) makeBuiltins() map[string]Value {
	b := map[string]Value{}
	def := func(name string, argsTuple bool, fn builtinFunc) {
		b[name] = &Builtin{Obj: Obj{static: true}, name: name, fn: fn, argsTuple: argsTuple}
	}
	def("print", true, biPrint) // METH_VARARGS|METH_KEYWORDS in 3.11
	def("len", false, biLen)
	def("range", false, biRange)
	def("enumerate", false, biEnumerate)
	def("zip", true, biZip) // zip_new: no vectorcall in 3.11
	def("sorted", false, biSorted)
	def("reversed", false, biReversed)
	def("sum", false, biSum)
	def("min", true, func(in *Interp, _ Value, args []Value, kw []kwArg) (Value, error) { return in.minmax(args, kw, -1) })
	def("max", true, func(in *Interp, _ Value, args []Value, kw []kwArg) (Value, error) { return in.minmax(args, kw, 1) })
	def("abs", false, biAbs)
	def("str", true, biStr)
	def("int", true, biInt)
	def("float", false, biFloat)
	def("bool", false, biBool)
	def("list", false, biList)
	def("tuple", false, biTuple)
	def("dict", false, biDict)
	def("set", false, func(in *Interp, _ Value, args []Value, kw []kwArg) (Value, error) { return in.makeSet(args, false) })
	def("frozenset", false, func(in *Interp, _ Value, args []Value, kw []kwArg) (Value, error) { return in.makeSet(args, true) })
	def("bytes", true, biBytes) // bytes_new: no vectorcall in 3.11
	def("isinstance", false, biIsinstance)
	def("ord", false, biOrd)
	def("chr", false, biChr)
	def("hash", false, biHash)
	def("any", false, func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) { return in.anyAll(args, true) })
	def("all", false, func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) { return in.anyAll(args, false) })
	def("round", false, biRound)
	def("divmod", false, biDivmod)
	def("repr", false, func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
		if err := in.arity("repr", args, 1, 1); err != nil {
			return nil, err
		}
		return in.repr(args[0])
	})
	def("iter", false, func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
		if err := in.arity("iter", args, 1, 1); err != nil {
			return nil, err
		}
		return in.getIter(incref(args[0]))
	})
	def("next", false, biNext)
	def("map", false, func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) { return in.makeMap(args, false) })
	def("filter", false, func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) { return in.makeMap(args, true) })
	def("id", false, func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
		if err := in.arity("id", args, 1, 1); err != nil {
			return nil, err
		}
		return in.newBig(new(big.Int).SetUint64(identity(args[0])), 0)
	})
	def("type", true, biType)
	def("pow", false, func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
		if err := in.arity("pow", args, 2, 2); err != nil {
			return nil, err
		}
		return in.binop(syntax.Pow, args[0], args[1], false)
	})
	def("hex", false, func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) { return in.intBase(args, "#x") })
	def("bin", false, func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) { return in.intBase(args, "#b") })
	def("oct", false, func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) { return in.intBase(args, "#o") })
	def("callable", false, func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
		if err := in.arity("callable", args, 1, 1); err != nil {
			return nil, err
		}
		switch args[0].(type) {
		case *Function, *Builtin, *Class, *ExcType, *boundMethod:
			return True, nil
		}
		return False, nil
	})
	def("getattr", false, func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
		if err := in.arity("getattr", args, 2, 3); err != nil {
			return nil, err
		}
		name, ok := args[1].(*Str)
		if !ok {
			return nil, in.typeError("attribute name must be string")
		}
		v, err := in.getAttr(args[0], name.s)
		if err != nil && len(args) == 3 {
			if pe, ok := err.(*PyError); ok && pe.exc.typ.name == "AttributeError" {
				in.releaseExc(pe.exc)
				return incref(args[2]), nil
			}
		}
		return v, err
	})
	def("hasattr", false, func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
		if err := in.arity("hasattr", args, 2, 2); err != nil {
			return nil, err
		}
		name, _ := args[1].(*Str)
		if name == nil {
			return nil, in.typeError("attribute name must be string")
		}
		v, err := in.getAttr(args[0], name.s)
		if err != nil {
			if pe, ok := err.(*PyError); ok {
				in.releaseExc(pe.exc)
			}
			return False, nil
		}
		in.decref(v)
		return True, nil
	})
	def("setattr", false, func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
		if err := in.arity("setattr", args, 3, 3); err != nil {
			return nil, err
		}
		name, _ := args[1].(*Str)
		if name == nil {
			return nil, in.typeError("attribute name must be string")
		}
		return None, in.setAttr(args[0], name.s, incref(args[2]))
	})
	for name, t := range in.exc.byName {
		b[name] = t
	}
	b["None"] = None
	b["True"] = True
	b["False"] = False
	b["Ellipsis"] = Ellipsis
	b["object"] = &Class{Obj: Obj{static: true}, name: "object", attrs: map[string]Value{}}
	return b
}

func (in *Interp) arity(name string, args []Value, lo, hi int) error {
	if len(args) < lo || len(args) > hi {
		if lo == hi {
			return in.typeError("%s() takes exactly %d argument%s (%d given)", name, lo, plural(lo), len(args))
		}
		return in.typeError("%s() takes from %d to %d arguments (%d given)", name, lo, hi, len(args))
	}
	return nil
}

func kwValue(kws []kwArg, name string) Value {
	for _, k := range kws {
		if k.name == name {
			return k.val
		}
	}
	return nil
}

// print is METH_FASTCALL|METH_KEYWORDS: each argument is converted by
// str() (a temporary) and written.
func biPrint(in *Interp, _ Value, args []Value, kws []kwArg) (Value, error) {
	sep, end := " ", "\n"
	if v := kwValue(kws, "sep"); v != nil {
		if s, ok := v.(*Str); ok {
			sep = s.s
		}
	}
	if v := kwValue(kws, "end"); v != nil {
		if s, ok := v.(*Str); ok {
			end = s.s
		}
	}
	w := in.opts.Stdout
	for i, a := range args {
		s, err := in.str(a)
		if err != nil {
			return nil, err
		}
		if i > 0 && w != nil {
			io.WriteString(w, sep)
		}
		if w != nil {
			io.WriteString(w, s.(*Str).s)
		}
		in.decref(s)
	}
	if w != nil {
		io.WriteString(w, end)
	}
	return None, nil
}

// len returns PyLong_FromSsize_t: exact-size ints.
func biLen(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if err := in.arity("len", args, 1, 1); err != nil {
		return nil, err
	}
	n, err := in.length(args[0])
	if err != nil {
		return nil, err
	}
	return in.newInt(int64(n), pyobj.IntExact)
}

func (in *Interp) length(v Value) (int, error) {
	if n, ok := sizedLen(v); ok {
		return n, nil
	}
	return 0, in.typeError("object of type '%s' has no len()", typeName(v))
}

// sizedLen is len(v) for objects that have one (_PyObject_HasLen), without
// raising for the others.
func sizedLen(v Value) (int, bool) {
	switch s := v.(type) {
	case *Str:
		return s.n, true
	case *Bytes:
		return len(s.b), true
	case *Tuple:
		return len(s.items), true
	case *List:
		return len(s.items), true
	case *Dict:
		return s.mem.Used, true
	case *Set:
		return len(s.items), true
	case *Range:
		return int(s.length), true
	case *dictView:
		return s.d.mem.Used, true
	}
	return 0, false
}

// range is vectorcall: a 48-byte range object, plus its computed length
// as an int object when that is not a small int.
func biRange(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if err := in.arity("range", args, 1, 3); err != nil {
		return nil, err
	}
	var vals [3]int64
	vals[2] = 1
	for i, a := range args {
		x, ok := asInt(a)
		if !ok {
			return nil, in.typeError("'%s' object cannot be interpreted as an integer", typeName(a))
		}
		if x.b != nil {
			return nil, in.raise("OverflowError", "heaptrace ranges are limited to 64-bit bounds")
		}
		vals[i] = x.v
	}
	start, stop, step := int64(0), vals[0], int64(1)
	if len(args) >= 2 {
		start, stop = vals[0], vals[1]
	}
	if len(args) == 3 {
		step = vals[2]
	}
	if step == 0 {
		return nil, in.valueError("range() arg 3 must not be zero")
	}
	var n int64
	if step > 0 && start < stop {
		n = (stop - start + step - 1) / step
	} else if step < 0 && start > stop {
		n = (start - stop - step - 1) / -step
	}
	r := &Range{start: start, stop: stop, step: step, length: n}
	if !isSmallInt(n) {
		l, err := in.newInt(n, 0)
		if err != nil {
			return nil, err
		}
		r.lengthObj = l
	}
	a, err := in.fixed("range")
	if err != nil {
		if r.lengthObj != nil {
			in.decref(r.lengthObj)
		}
		return nil, err
	}
	r.addr, r.rc = a, 1
	for _, x := range args {
		if _, ok := x.(*Int); ok {
			r.bounds = append(r.bounds, incref(x))
		}
	}
	return r, nil
}

func biEnumerate(in *Interp, _ Value, args []Value, kws []kwArg) (Value, error) {
	if err := in.arity("enumerate", args, 1, 2); err != nil {
		return nil, err
	}
	start := int64(0)
	if len(args) == 2 {
		s, _ := asInt(args[1])
		if s != nil {
			start = s.v
		}
	}
	b, err := in.newIterBase("enumerate")
	if err != nil {
		return nil, err
	}
	src, err := in.getIter(incref(args[0]))
	if err != nil {
		in.freeIterBase(&b)
		return nil, err
	}
	res, err := in.newTuple([]Value{None, None})
	if err != nil {
		in.decref(src)
		in.freeIterBase(&b)
		return nil, err
	}
	return &enumerateIter{iterBase: b, src: src, n: start, result: res}, nil
}

// zip: a tuple of the iterators, a result tuple, then the zip object.
func biZip(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	srcs := make([]Value, 0, len(args))
	for _, a := range args {
		it, err := in.getIter(incref(a))
		if err != nil {
			in.decrefAll(srcs)
			return nil, err
		}
		srcs = append(srcs, it)
	}
	st, err := in.newTuple(srcs)
	if err != nil {
		return nil, err
	}
	nones := make([]Value, len(args))
	for i := range nones {
		nones[i] = None
	}
	res, err := in.newTuple(nones)
	if err != nil {
		in.decref(st)
		return nil, err
	}
	b, err := in.newIterBase("zip")
	if err != nil {
		in.decref(st)
		in.decref(res)
		return nil, err
	}
	z := &zipIter{iterBase: b, srcs: st, result: res}
	if len(args) == 0 {
		z.done = true
	}
	return z, nil
}

// sorted is list(x) then list.sort().
func biSorted(in *Interp, _ Value, args []Value, kws []kwArg) (Value, error) {
	if err := in.arity("sorted", args, 1, 1); err != nil {
		return nil, err
	}
	l, err := in.listFrom(args[0])
	if err != nil {
		return nil, err
	}
	// builtin_sorted calls the new list's sort through a bound method
	// object (PyObject_GetAttr(newlist, "sort")), alive during the sort
	m, err := in.fixed("builtin_function_or_method")
	if err != nil {
		in.decref(l)
		return nil, err
	}
	err = in.listSort(l, kws)
	in.freeFixed("builtin_function_or_method", m)
	if err != nil {
		in.decref(l)
		return nil, err
	}
	return l, nil
}

func biReversed(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if err := in.arity("reversed", args, 1, 1); err != nil {
		return nil, err
	}
	switch s := args[0].(type) {
	case *List:
		b, err := in.newIterBase("list_reverseiterator")
		if err != nil {
			return nil, err
		}
		return &reversedIter{iterBase: b, owner: incref(s), i: len(s.items) - 1}, nil
	case *Tuple:
		b, err := in.newIterBase("reversed")
		if err != nil {
			return nil, err
		}
		return &reversedIter{iterBase: b, owner: incref(s), i: len(s.items) - 1}, nil
	case *Range:
		b, err := in.newIterBase("range_iterator")
		if err != nil {
			return nil, err
		}
		return &rangeIter{iterBase: b, cur: s.start + (s.length-1)*s.step, step: -s.step, left: s.length}, nil
	case *Str:
		items, err := in.collectItems(incref(s))
		if err != nil {
			return nil, err
		}
		for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
			items[i], items[j] = items[j], items[i]
		}
		l, err := in.newListExact(items, true)
		if err != nil {
			return nil, err
		}
		return in.getIter(l)
	}
	return nil, in.typeError("'%s' object is not reversible", typeName(args[0]))
}

// sum keeps a C long (or double) while the items are ints (floats), so no
// intermediate result object exists; the total is made at the end.
func biSum(in *Interp, _ Value, args []Value, kws []kwArg) (Value, error) {
	if err := in.arity("sum", args, 1, 2); err != nil {
		return nil, err
	}
	var start Value = in.smallInts[5]
	if len(args) == 2 {
		start = args[1]
	} else if v := kwValue(kws, "start"); v != nil {
		start = v
	}
	it, err := in.getIter(incref(args[0]))
	if err != nil {
		return nil, err
	}
	defer in.decref(it)
	acc := incref(start)
	for {
		x, err := it.next(in)
		if err != nil {
			in.decref(acc)
			return nil, err
		}
		if x == nil {
			return in.materialize(acc)
		}
		// the C fast paths accumulate without objects
		if ai, ok := acc.(*Int); ok {
			if xi, ok := x.(*Int); ok && ai.b == nil && xi.b == nil {
				if r, ok := addOK(ai.v, xi.v); ok {
					in.decref(acc)
					in.decref(x)
					acc = &Int{Obj: Obj{static: true}, v: r} // a C long, not an object
					continue
				}
			}
		}
		if af, ok := acc.(*Float); ok && af.static && af.addr == 0 {
			if xf, ok := asFloat(x); ok {
				af.v += xf
				in.decref(x)
				continue
			}
		}
		if xf, ok := x.(*Float); ok {
			if av, ok := asFloat(acc); ok {
				// the int loop meets a float: its C long becomes an
				// object, result + item a new float, both dropped, and the
				// float loop goes on with a C double
				obj, err := in.materialize(acc)
				if err != nil {
					in.decref(x)
					return nil, err
				}
				tmp, err := in.newFloat(av + xf.v)
				if err != nil {
					in.decref(obj)
					in.decref(x)
					return nil, err
				}
				in.decref(obj)
				in.decref(x)
				in.decref(tmp)
				acc = &Float{Obj: Obj{static: true}, v: av + xf.v}
				continue
			}
		}
		acc, err = in.materialize(acc)
		if err != nil {
			in.decref(x)
			return nil, err
		}
		r, err := in.binop(syntax.Add, acc, x, false)
		in.decref(acc)
		in.decref(x)
		if err != nil {
			return nil, err
		}
		acc = r
	}
}

// materialize turns sum's C accumulator into an object.
func (in *Interp) materialize(v Value) (Value, error) {
	switch x := v.(type) {
	case *Int:
		if x.static && x.addr == 0 && !isSmallInt(x.v) && x.b == nil {
			origin := pyobj.IntFromLong
			if in.o.Profile.SumIntExact {
				origin = pyobj.IntExact
			}
			return in.newInt(x.v, origin)
		}
	case *Float:
		if x.static && x.addr == 0 {
			return in.newFloat(x.v)
		}
	}
	return v, nil
}

// minmax is min() and max(): one iterable is consumed an item at a time,
// keeping only the best so far (and its key).
func (in *Interp) minmax(args []Value, kws []kwArg, sign int) (Value, error) {
	name := "min"
	if sign > 0 {
		name = "max"
	}
	key := kwValue(kws, "key")
	if key == Value(None) {
		key = nil
	}
	var best, bestKey Value
	consider := func(x Value) error { // x: a new reference, taken
		k := incref(x)
		if key != nil {
			var err error
			if k, err = in.callValue(key, []Value{x}, nil); err != nil {
				in.decref(x)
				in.decref(x)
				return err
			}
			in.decref(x)
		}
		if best == nil {
			best, bestKey = x, k
			return nil
		}
		c, err := in.order(k, bestKey, syntax.Lt)
		if err != nil {
			in.decref(x)
			in.decref(k)
			return err
		}
		if c*sign > 0 && c != 2 {
			in.decref(best)
			in.decref(bestKey)
			best, bestKey = x, k
			return nil
		}
		in.decref(x)
		in.decref(k)
		return nil
	}
	var err error
	switch {
	case len(args) == 1:
		err = in.forEach(args[0], consider)
	case len(args) > 1:
		for _, a := range args {
			if err = consider(incref(a)); err != nil {
				break
			}
		}
	default:
		return nil, in.typeError("%s expected at least 1 argument, got 0", name)
	}
	if bestKey != nil {
		in.decref(bestKey)
	}
	if err != nil {
		if best != nil {
			in.decref(best)
		}
		return nil, err
	}
	if best == nil {
		if d := kwValue(kws, "default"); d != nil {
			return incref(d), nil
		}
		return nil, in.valueError("%s() arg is an empty sequence", name)
	}
	return best, nil
}

func biAbs(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if err := in.arity("abs", args, 1, 1); err != nil {
		return nil, err
	}
	switch x := args[0].(type) {
	case *Int:
		if (x.b == nil && x.v >= 0) || (x.b != nil && x.b.Sign() >= 0) {
			return incref(x), nil
		}
		return in.intResult(new(big.Int).Abs(x.big()), 0)
	case *Bool:
		return in.smallInts[5+boolInt(x.v)], nil
	case *Float:
		return in.newFloat(math.Abs(x.v))
	}
	return nil, in.typeError("bad operand type for abs(): '%s'", typeName(args[0]))
}

// str has no vectorcall in 3.11: calls pack an args tuple, except
// one-argument calls in quickened code (PRECALL_NO_KW_STR_1).
func biStr(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if len(args) == 0 {
		return in.emptyStr, nil
	}
	return in.str(args[0])
}

// int: int(str) makes exact-size digits (_PyLong_New), int(float) goes
// through PyLong_FromDouble, an exact int is returned itself.
func biInt(in *Interp, _ Value, args []Value, kws []kwArg) (Value, error) {
	if len(args) == 0 {
		return in.smallInts[5], nil
	}
	switch x := args[0].(type) {
	case *Int:
		return incref(x), nil
	case *Bool:
		return in.smallInts[5+boolInt(x.v)], nil
	case *Float:
		if math.IsInf(x.v, 0) || math.IsNaN(x.v) {
			return nil, in.valueError("cannot convert float %s to integer", floatRepr(x.v))
		}
		b, _ := big.NewFloat(math.Trunc(x.v)).Int(nil)
		return in.intResult(b, 0)
	case *Str:
		base := 10
		if len(args) > 1 {
			bi, ok := asInt(args[1])
			if !ok || bi.b != nil || (bi.v != 0 && (bi.v < 2 || bi.v > 36)) {
				return nil, in.valueError("int() base must be >= 2 and <= 36, or 0")
			}
			base = int(bi.v)
		}
		s := strings.ReplaceAll(strings.TrimSpace(x.s), "_", "")
		b, ok := new(big.Int).SetString(s, base)
		if base == 0 && len(s) > 1 && (s[0] == '0' || ((s[0] == '-' || s[0] == '+') && s[1] == '0')) && strings.Trim(s, "+-0") != "" && !strings.ContainsAny(s[:min(3, len(s))], "xXoObB") {
			ok = false // Python allows no leading zeros without a prefix
		}
		if !ok {
			return nil, in.valueError("invalid literal for int() with base %d: %s", base, strRepr(x.s))
		}
		if b.IsInt64() && isSmallInt(b.Int64()) {
			return in.smallInts[b.Int64()+5], nil
		}
		return in.newBig(b, in.o.Ints.Request(in.o.Ints.Digits(b), pyobj.IntExact))
	}
	return nil, in.typeError("int() argument must be a string, a bytes-like object or a real number, not '%s'", typeName(args[0]))
}

func biFloat(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if len(args) == 0 {
		return in.newFloat(0)
	}
	switch x := args[0].(type) {
	case *Float:
		return incref(x), nil
	case *Int, *Bool:
		f, _ := asFloat(x)
		return in.newFloat(f)
	case *Str:
		s := strings.ToLower(strings.TrimSpace(x.s))
		switch s {
		case "inf", "+inf", "infinity":
			return in.newFloat(math.Inf(1))
		case "-inf", "-infinity":
			return in.newFloat(math.Inf(-1))
		case "nan":
			return in.newFloat(math.NaN())
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
		if err != nil {
			return nil, in.valueError("could not convert string to float: %s", strRepr(x.s))
		}
		return in.newFloat(f)
	}
	return nil, in.typeError("float() argument must be a string or a real number, not '%s'", typeName(args[0]))
}

func biBool(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if len(args) == 0 {
		return False, nil
	}
	t, err := in.truth(args[0])
	return boolOf(t), err
}

// listFrom is list(x): a new list, presized by len(x) when x has one.
func (in *Interp) listFrom(x Value) (*List, error) {
	l, err := in.newList()
	if err != nil {
		return nil, err
	}
	if n, ok := sizedLen(x); ok && n > 0 {
		if err := in.o.Lists.PreallocateExact(l.mem, n); err != nil {
			in.decref(l)
			return nil, in.memoryError(err)
		}
	}
	if err := in.listExtend(l, x); err != nil {
		in.decref(l)
		return nil, err
	}
	return l, nil
}

func biList(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if len(args) == 0 {
		return in.newList()
	}
	return in.listFrom(args[0])
}

// tuple(x): a list or tuple is copied exactly; other iterables fill a
// tuple sized by their length hint (10 when unknown), resized as it grows
// and finally to its length (_PyTuple_Resize reallocates).
func biTuple(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if len(args) == 0 {
		return in.emptyTuple, nil
	}
	switch s := args[0].(type) {
	case *Tuple:
		return incref(s), nil
	case *List:
		items := make([]Value, len(s.items))
		for i, x := range s.items {
			items[i] = incref(x)
		}
		return in.newTuple(items)
	}
	items, err := in.collectItems(incref(args[0]))
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return in.emptyTuple, nil
	}
	hint := in.lengthHint(args[0])
	if hint <= 0 {
		hint = 10
	}
	if hint == len(items) {
		return in.newTuple(items)
	}
	a, err := in.o.Tuples.New(hint)
	if err != nil {
		in.decrefAll(items)
		return nil, in.memoryError(err)
	}
	n := hint
	for n < len(items) {
		n += 10 + n>>2
		if a, err = in.h.Realloc(a, in.o.Tuples.SizeOf(n)); err != nil {
			in.decrefAll(items)
			return nil, in.memoryError(err)
		}
	}
	if a, err = in.h.Realloc(a, in.o.Tuples.SizeOf(len(items))); err != nil {
		in.decrefAll(items)
		return nil, in.memoryError(err)
	}
	t := &Tuple{Obj{rc: 1, addr: a}, items}
	in.gcNew(t, true)
	return t, nil
}

func biDict(in *Interp, _ Value, args []Value, kws []kwArg) (Value, error) {
	d, err := in.newDict()
	if err != nil {
		return nil, err
	}
	if len(args) > 0 {
		if err := in.dictUpdate(d, args[0]); err != nil {
			in.decref(d)
			return nil, err
		}
	}
	for _, k := range kws {
		if err := in.dictSet(d, in.internName(k.name), incref(k.val)); err != nil {
			in.decref(d)
			return nil, err
		}
	}
	return d, nil
}

func (in *Interp) makeSet(args []Value, frozen bool) (Value, error) {
	if frozen && len(args) == 1 {
		if s, ok := args[0].(*Set); ok && s.frozen {
			return incref(s), nil
		}
	}
	s, err := in.newSet(frozen)
	if err != nil {
		return nil, err
	}
	if len(args) > 0 {
		if err := in.setUpdate(s, args[0]); err != nil {
			in.decref(s)
			return nil, err
		}
	}
	return s, nil
}

func biIsinstance(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if err := in.arity("isinstance", args, 2, 2); err != nil {
		return nil, err
	}
	return boolOf(in.isInstance(args[0], args[1])), nil
}

func (in *Interp) isInstance(v, t Value) bool {
	switch t := t.(type) {
	case *Tuple:
		for _, x := range t.items {
			if in.isInstance(v, x) {
				return true
			}
		}
		return false
	case *Builtin:
		switch t.name {
		case "int":
			_, ok := asInt(v)
			return ok
		case "bool":
			_, ok := v.(*Bool)
			return ok
		case "float":
			_, ok := v.(*Float)
			return ok
		case "str", "list", "dict", "tuple", "set", "frozenset", "bytes", "range":
			return typeName(v) == t.name
		}
	case *ExcType:
		if e, ok := v.(*Exception); ok {
			return e.typ.isSubclass(t)
		}
	case *Class:
		if inst, ok := v.(*Instance); ok {
			return inst.class.isSubclass(t)
		}
	}
	return false
}

func biOrd(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if err := in.arity("ord", args, 1, 1); err != nil {
		return nil, err
	}
	s, ok := args[0].(*Str)
	if !ok || s.n != 1 {
		return nil, in.typeError("ord() expected a character")
	}
	for _, r := range s.s {
		return in.newInt(int64(r), 0)
	}
	return nil, nil
}

func biChr(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if err := in.arity("chr", args, 1, 1); err != nil {
		return nil, err
	}
	i, ok := asInt(args[0])
	if !ok || i.b != nil || i.v < 0 || i.v > 0x10ffff {
		return nil, in.valueError("chr() arg not in range(0x110000)")
	}
	return in.newStr(string(rune(i.v)))
}

func biHash(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if err := in.arity("hash", args, 1, 1); err != nil {
		return nil, err
	}
	if _, err := in.keyOf(args[0]); err != nil {
		return nil, err
	}
	return in.newInt(in.pyHash(args[0]), pyobj.IntExact)
}

func (in *Interp) anyAll(args []Value, any bool) (Value, error) {
	if err := in.arity(map[bool]string{true: "any", false: "all"}[any], args, 1, 1); err != nil {
		return nil, err
	}
	it, err := in.getIter(incref(args[0]))
	if err != nil {
		return nil, err
	}
	defer in.decref(it)
	for {
		x, err := it.next(in)
		if err != nil {
			return nil, err
		}
		if x == nil {
			return boolOf(!any), nil
		}
		t, err := in.truth(x)
		in.decref(x)
		if err != nil {
			return nil, err
		}
		if t == any {
			return boolOf(any), nil
		}
	}
}

func biRound(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if err := in.arity("round", args, 1, 2); err != nil {
		return nil, err
	}
	switch x := args[0].(type) {
	case *Int:
		return incref(x), nil
	case *Float:
		if len(args) == 1 || args[1] == Value(None) {
			r := math.RoundToEven(x.v)
			b, _ := big.NewFloat(r).Int(nil)
			return in.intResult(b, 0)
		}
		nd, _ := asInt(args[1])
		p := math.Pow(10, float64(nd.v))
		s := strconv.FormatFloat(x.v, 'f', int(nd.v), 64)
		f, _ := strconv.ParseFloat(s, 64)
		if nd.v < 0 {
			f = math.RoundToEven(x.v/p) * p
		}
		return in.newFloat(f)
	}
	return nil, in.typeError("type %s doesn't define __round__ method", typeName(args[0]))
}

func biDivmod(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if err := in.arity("divmod", args, 2, 2); err != nil {
		return nil, err
	}
	q, err := in.binop(syntax.FloorDiv, args[0], args[1], false)
	if err != nil {
		return nil, err
	}
	m, err := in.binop(syntax.Mod, args[0], args[1], false)
	if err != nil {
		in.decref(q)
		return nil, err
	}
	return in.newTuple([]Value{q, m})
}

func biNext(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if err := in.arity("next", args, 1, 2); err != nil {
		return nil, err
	}
	it, ok := args[0].(iterator)
	if !ok {
		return nil, in.typeError("'%s' object is not an iterator", typeName(args[0]))
	}
	x, err := it.next(in)
	if err != nil {
		return nil, err
	}
	if x == nil {
		if len(args) == 2 {
			return incref(args[1]), nil
		}
		return nil, in.raise("StopIteration", "")
	}
	return x, nil
}

func (in *Interp) makeMap(args []Value, filter bool) (Value, error) {
	kind := "map"
	if filter {
		kind = "filter"
	}
	if len(args) != 2 {
		return nil, in.typeError("%s() takes exactly 2 arguments in heaptrace", kind)
	}
	src, err := in.getIter(incref(args[1]))
	if err != nil {
		return nil, err
	}
	m := &mapIter{fn: incref(args[0]), src: src, filter: filter}
	if !filter { // map keeps its iterators in a tuple
		if m.iters, err = in.newTuple([]Value{incref(src)}); err != nil {
			in.decref(m.fn)
			in.decref(src)
			return nil, err
		}
	}
	if m.iterBase, err = in.newIterBase(kind); err != nil {
		in.decref(m)
		return nil, err
	}
	return m, nil
}

// type(x) returns the type; the types are static objects.
func biType(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if len(args) != 1 {
		return nil, in.typeError("heaptrace supports type(x) with one argument")
	}
	switch v := args[0].(type) {
	case *Instance:
		return incref(v.class), nil
	case *Exception:
		return v.typ, nil
	}
	if b, ok := in.builtins[typeName(args[0])]; ok {
		return b, nil
	}
	return in.builtins["object"], nil
}

func (in *Interp) intBase(args []Value, spec string) (Value, error) {
	if len(args) != 1 {
		return nil, in.typeError("expected one argument")
	}
	s, err := in.formatSpec(args[0], spec)
	if err != nil {
		return nil, err
	}
	return in.newStr(s)
}

// listSort is list.sort(key=None, reverse=False): with a key function the
// keys are computed first (into a malloc'd array from 128 items on); a
// reverse sort reverses the list before and after, as listsort does, so
// that equal items keep their order.
func (in *Interp) listSort(l *List, kws []kwArg) error {
	key := kwValue(kws, "key")
	if key == Value(None) {
		key = nil
	}
	reverse := false
	if r := kwValue(kws, "reverse"); r != nil {
		reverse, _ = in.truth(r)
	}
	n := len(l.items)
	items := l.items
	if reverse {
		reverseValues(items)
	}
	keys := items
	var keysAddr model.Addr
	if key != nil {
		if n >= mergeTempSize/2 {
			a, err := in.o.Lists.TempArray(n)
			if err != nil {
				return in.memoryError(err)
			}
			keysAddr = a
		}
		keys = make([]Value, n)
		for i, x := range items {
			k, err := in.callValue(key, []Value{x}, nil)
			if err != nil {
				in.decrefAll(keys[:i])
				if keysAddr != 0 {
					in.o.Lists.FreeTemp(keysAddr)
				}
				return err
			}
			keys[i] = k
		}
	}
	err := in.sortValues(keys, items, key != nil)
	if reverse {
		reverseValues(items)
	}
	if key != nil {
		in.decrefAll(keys)
	}
	if keysAddr != 0 {
		in.o.Lists.FreeTemp(keysAddr)
	}
	return err
}

func reverseValues(v []Value) {
	for i, j := 0, len(v)-1; i < j; i, j = i+1, j-1 {
		v[i], v[j] = v[j], v[i]
	}
}

// bytes(n) is n zero bytes; bytes(iterable of ints); bytes(str, encoding).
func biBytes(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
	if len(args) == 0 {
		return in.emptyBytes, nil
	}
	switch x := args[0].(type) {
	case *Bytes:
		return incref(x), nil
	case *Str:
		if len(args) < 2 {
			return nil, in.typeError("string argument without an encoding")
		}
		return in.allocBytesExact(x.s)
	case *Int:
		if x.b != nil || x.v < 0 {
			return nil, in.valueError("negative count")
		}
		if x.v > 1<<28 {
			return nil, in.raise("MemoryError", "")
		}
		return in.allocBytesExact(strings.Repeat("\x00", int(x.v)))
	}
	var b strings.Builder
	err := in.forEach(args[0], func(v Value) error {
		defer in.decref(v)
		i, ok := asInt(v)
		if !ok || i.b != nil || i.v < 0 || i.v > 255 {
			return in.valueError("bytes must be in range(0, 256)")
		}
		b.WriteByte(byte(i.v))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return in.allocBytesExact(b.String())
}
