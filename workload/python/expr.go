package python

import (
	"math/big"
	"strings"

	"github.com/heaptrace/heaptrace/workload/python/syntax"
)

// This file defines the evaluation of expressions. eval returns a new
// reference; temporaries are dropped as soon as CPython's bytecode would
// drop them, so peaks match.

func (in *Interp) eval(fr *Frame, e syntax.Expr) (Value, error) {
	if l := e.Position().Line; l != fr.line && l > 0 {
		in.setSite(fr, l)
	}
	switch e := e.(type) {
	case *syntax.Name:
		return in.loadName(fr, e)
	case *syntax.Int, *syntax.Float, *syntax.Str, *syntax.Bytes:
		return in.constant(e), nil
	case *syntax.Bool:
		return boolOf(e.Value), nil
	case *syntax.None:
		return None, nil
	case *syntax.Ellipsis:
		return Ellipsis, nil
	case *syntax.UnaryOp:
		if isConstant(e) {
			return in.constant(e), nil
		}
		v, err := in.eval(fr, e.Operand)
		if err != nil {
			return nil, err
		}
		r, err := in.unaryop(e.Op, v)
		in.decref(v)
		return r, err
	case *syntax.BinOp:
		if c, ok := in.foldBinOp(e); ok {
			return c, nil
		}
		if js := in.prog.formats[e]; js != nil {
			return in.evalJoinedStr(fr, js)
		}
		l, err := in.eval(fr, e.Left)
		if err != nil {
			return nil, err
		}
		r, err := in.eval(fr, e.Right)
		if err != nil {
			in.decref(l)
			return nil, err
		}
		if in.o.Profile.FloatOpsReuseOperand && in.specialized(fr, e) {
			if v, ok := in.floatInPlace(e.Op, l, r); ok {
				return v, nil
			}
		}
		v, err := in.binop(e.Op, l, r, false)
		in.decref(l)
		in.decref(r)
		return v, err
	case *syntax.BoolOp:
		var v Value
		for i, x := range e.Values {
			var err error
			if v, err = in.eval(fr, x); err != nil {
				return nil, err
			}
			if i == len(e.Values)-1 {
				break
			}
			t, err := in.truth(v)
			if err != nil {
				in.decref(v)
				return nil, err
			}
			if t == (e.Op == syntax.Or) {
				break
			}
			in.decref(v)
		}
		return v, nil
	case *syntax.Compare:
		return in.evalCompare(fr, e)
	case *syntax.IfExp:
		t, err := in.truthEval(fr, e.Cond)
		if err != nil {
			return nil, err
		}
		if t {
			return in.eval(fr, e.Then)
		}
		return in.eval(fr, e.Else)
	case *syntax.Call:
		return in.evalCall(fr, e)
	case *syntax.Attribute:
		obj, err := in.eval(fr, e.Value)
		if err != nil {
			return nil, err
		}
		v, err := in.getAttr(obj, e.Attr)
		in.decref(obj)
		return v, err
	case *syntax.Subscript:
		obj, err := in.eval(fr, e.Value)
		if err != nil {
			return nil, err
		}
		idx, err := in.evalIndex(fr, e.Index)
		if err != nil {
			in.decref(obj)
			return nil, err
		}
		v, err := in.getItem(obj, idx)
		in.decref(idx)
		in.decref(obj)
		return v, err
	case *syntax.Tuple:
		if isConstant(e) {
			return in.constant(e), nil
		}
		items, err := in.evalSeq(fr, e.Elts)
		if err != nil {
			return nil, err
		}
		if hasStar(e.Elts) { // BUILD_LIST, LIST_EXTEND..., LIST_TO_TUPLE
			t, err := in.newTuple(append([]Value(nil), items...))
			return t, err
		}
		return in.newTuple(items)
	case *syntax.List:
		return in.evalListDisplay(fr, e)
	case *syntax.Set:
		return in.evalSetDisplay(fr, e)
	case *syntax.Dict:
		return in.evalDictDisplay(fr, e)
	case *syntax.JoinedStr:
		return in.evalJoinedStr(fr, e)
	case *syntax.Lambda:
		return in.makeFunction(fr, in.prog.codes[e])
	case *syntax.NamedExpr:
		v, err := in.eval(fr, e.Value)
		if err != nil {
			return nil, err
		}
		incref(v)
		if err := in.storeNamed(fr, e.Target.Id, v); err != nil {
			in.decref(v)
			return nil, err
		}
		return v, nil
	case *syntax.ListComp, *syntax.SetComp, *syntax.DictComp, *syntax.GeneratorExp:
		return in.evalComprehension(fr, e)
	case *syntax.Starred:
		return nil, in.raise("SyntaxError", "can't use starred expression here")
	case *syntax.Slice:
		return in.evalSlice(fr, e)
	}
	return nil, in.raise("SyntaxError", "unsupported expression %T", e)
}

// storeNamed binds a walrus target, which in a comprehension lives in the
// enclosing function's scope.
func (in *Interp) storeNamed(fr *Frame, name string, v Value) error {
	return in.storeName(fr, name, v)
}

func (in *Interp) truthEval(fr *Frame, e syntax.Expr) (bool, error) {
	v, err := in.eval(fr, e)
	if err != nil {
		return false, err
	}
	t, err := in.truth(v)
	in.decref(v)
	return t, err
}

func hasStar(es []syntax.Expr) bool {
	for _, e := range es {
		if _, ok := e.(*syntax.Starred); ok {
			return true
		}
	}
	return false
}

// evalSeq evaluates display elements, expanding starred ones.
func (in *Interp) evalSeq(fr *Frame, es []syntax.Expr) ([]Value, error) {
	items := make([]Value, 0, len(es))
	for _, x := range es {
		if s, ok := x.(*syntax.Starred); ok {
			v, err := in.eval(fr, s.Value)
			if err != nil {
				in.decrefAll(items)
				return nil, err
			}
			more, err := in.collectItems(v)
			if err != nil {
				in.decrefAll(items)
				return nil, err
			}
			items = append(items, more...)
			continue
		}
		v, err := in.eval(fr, x)
		if err != nil {
			in.decrefAll(items)
			return nil, err
		}
		items = append(items, v)
	}
	return items, nil
}

// collectItems returns new references to every item of an iterable; the
// reference to v is taken.
func (in *Interp) collectItems(v Value) ([]Value, error) {
	switch s := v.(type) {
	case *Tuple:
		out := make([]Value, len(s.items))
		for i, x := range s.items {
			out[i] = incref(x)
		}
		in.decref(v)
		return out, nil
	case *List:
		out := make([]Value, len(s.items))
		for i, x := range s.items {
			out[i] = incref(x)
		}
		in.decref(v)
		return out, nil
	}
	it, err := in.getIter(incref(v))
	in.decref(v)
	if err != nil {
		return nil, err
	}
	defer in.decref(it)
	var out []Value
	for {
		x, err := it.next(in)
		if err != nil {
			in.decrefAll(out)
			return nil, err
		}
		if x == nil {
			return out, nil
		}
		out = append(out, x)
	}
}

// evalListDisplay: BUILD_LIST n (exact), or for three or more constants
// BUILD_LIST 0 + LIST_EXTEND of a constant tuple (rounded up to even),
// or with starred items BUILD_LIST + LIST_EXTEND/LIST_APPEND.
func (in *Interp) evalListDisplay(fr *Frame, e *syntax.List) (Value, error) {
	if len(e.Elts) > 2 && isConstant(&syntax.Tuple{Elts: e.Elts}) {
		tup := in.constant(&syntax.Tuple{Pos: e.Pos, Elts: e.Elts}).(*Tuple)
		l, err := in.newList()
		if err != nil {
			return nil, err
		}
		if err := in.o.Lists.PreallocateExact(l.mem, len(tup.items)); err != nil {
			in.decref(l)
			return nil, in.memoryError(err)
		}
		for _, x := range tup.items {
			l.items = append(l.items, incref(x))
		}
		l.mem.Len = len(l.items)
		return l, nil
	}
	if hasStar(e.Elts) {
		l, err := in.newList()
		if err != nil {
			return nil, err
		}
		for _, x := range e.Elts {
			if s, ok := x.(*syntax.Starred); ok {
				v, err := in.eval(fr, s.Value)
				if err == nil {
					err = in.listExtend(l, v)
					in.decref(v)
				}
				if err != nil {
					in.decref(l)
					return nil, err
				}
				continue
			}
			v, err := in.eval(fr, x)
			if err == nil {
				err = in.listAppend(l, v)
			}
			if err != nil {
				in.decref(l)
				return nil, err
			}
		}
		return l, nil
	}
	items, err := in.evalSeq(fr, e.Elts)
	if err != nil {
		return nil, err
	}
	return in.newListExact(items, false)
}

// evalSetDisplay: BUILD_SET n adds the items in order; three or more
// constants are BUILD_SET 0 + SET_UPDATE of a constant frozenset.
func (in *Interp) evalSetDisplay(fr *Frame, e *syntax.Set) (Value, error) {
	items, err := in.evalSeq(fr, e.Elts)
	if err != nil {
		return nil, err
	}
	s, err := in.newSet(false)
	if err != nil {
		in.decrefAll(items)
		return nil, err
	}
	if len(e.Elts) > 2 && isConstant(&syntax.Tuple{Elts: e.Elts}) {
		// the constant frozenset's table is sized like a set built by adds;
		// set_merge presizes from it
		if err := in.o.Sets.Presize(s.mem, len(items)); err != nil {
			in.decrefAll(items)
			in.decref(s)
			return nil, in.memoryError(err)
		}
	}
	for i, x := range items {
		if err := in.setAdd(s, x); err != nil {
			in.decrefAll(items[i+1:])
			in.decref(s)
			return nil, err
		}
	}
	return s, nil
}

// evalDictDisplay: _PyDict_FromItems (presized) for up to 15 pairs
// without **; BUILD_MAP 0 and one insert at a time otherwise.
func (in *Interp) evalDictDisplay(fr *Frame, e *syntax.Dict) (Value, error) {
	unpack := false
	for _, k := range e.Keys {
		if k == nil {
			unpack = true
		}
	}
	var d *Dict
	var err error
	if !unpack && len(e.Keys) > 0 && 2*len(e.Keys) <= 30 {
		vals := make([]Value, 0, 2*len(e.Keys))
		unicode := true
		for i := range e.Keys {
			k, err := in.eval(fr, e.Keys[i])
			if err != nil {
				in.decrefAll(vals)
				return nil, err
			}
			if _, ok := k.(*Str); !ok {
				unicode = false
			}
			v, err := in.eval(fr, e.Values[i])
			if err != nil {
				in.decref(k)
				in.decrefAll(vals)
				return nil, err
			}
			vals = append(vals, k, v)
		}
		if d, err = in.newDictPresized(len(e.Keys), unicode); err != nil {
			in.decrefAll(vals)
			return nil, err
		}
		for i := 0; i < len(vals); i += 2 {
			if err := in.dictSet(d, vals[i], vals[i+1]); err != nil {
				in.decrefAll(vals[i+2:])
				in.decref(d)
				return nil, err
			}
		}
		return d, nil
	}
	if d, err = in.newDict(); err != nil {
		return nil, err
	}
	for i := range e.Keys {
		if e.Keys[i] == nil {
			m, err := in.eval(fr, e.Values[i])
			if err == nil {
				err = in.dictUpdate(d, m)
				in.decref(m)
			}
			if err != nil {
				in.decref(d)
				return nil, err
			}
			continue
		}
		k, err := in.eval(fr, e.Keys[i])
		if err != nil {
			in.decref(d)
			return nil, err
		}
		v, err := in.eval(fr, e.Values[i])
		if err != nil {
			in.decref(k)
			in.decref(d)
			return nil, err
		}
		if err := in.dictSet(d, k, v); err != nil {
			in.decref(d)
			return nil, err
		}
	}
	return d, nil
}

// evalJoinedStr is FORMAT_VALUE for each field, then BUILD_STRING: the
// pieces live until the join, then go.
func (in *Interp) evalJoinedStr(fr *Frame, e *syntax.JoinedStr) (Value, error) {
	parts := make([]Value, 0, len(e.Values))
	for _, x := range e.Values {
		var v Value
		var err error
		switch x := x.(type) {
		case *syntax.Str:
			v = in.constant(x)
		case *syntax.FormattedValue:
			v, err = in.evalFormatted(fr, x)
		default:
			v, err = in.eval(fr, x)
		}
		if err != nil {
			in.decrefAll(parts)
			return nil, err
		}
		parts = append(parts, v)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.(*Str).s)
	}
	r, err := in.newStrAlloc(b.String()) // _PyUnicode_JoinArray
	in.decrefAll(parts)
	return r, err
}

func (in *Interp) evalFormatted(fr *Frame, x *syntax.FormattedValue) (Value, error) {
	v, err := in.eval(fr, x.Value)
	if err != nil {
		return nil, err
	}
	switch x.Conversion {
	case 's':
		s, err := in.str(v)
		in.decref(v)
		if err != nil {
			return nil, err
		}
		v = s
	case 'r', 'a':
		s, err := in.repr(v)
		in.decref(v)
		if err != nil {
			return nil, err
		}
		v = s
	}
	spec := ""
	if x.FormatSpec != nil {
		sv, err := in.evalJoinedStr(fr, x.FormatSpec)
		if err != nil {
			in.decref(v)
			return nil, err
		}
		spec = sv.(*Str).s
		in.decref(sv)
	}
	r, err := in.format(v, spec)
	in.decref(v)
	return r, err
}

func (in *Interp) evalCompare(fr *Frame, e *syntax.Compare) (Value, error) {
	l, err := in.eval(fr, e.Left)
	if err != nil {
		return nil, err
	}
	for i, op := range e.Ops {
		var r Value
		if op == syntax.In || op == syntax.NotIn {
			// "x in [a, b]" and "x in {a, b}" with constants test a constant tuple / frozenset
			if c, ok := e.Comparators[i].(*syntax.List); ok && isConstant(&syntax.Tuple{Elts: c.Elts}) {
				r = in.constant(&syntax.Tuple{Pos: c.Pos, Elts: c.Elts})
			}
		}
		if r == nil {
			r, err = in.eval(fr, e.Comparators[i])
			if err != nil {
				in.decref(l)
				return nil, err
			}
		}
		res, err := in.compare(op, l, r)
		in.decref(l)
		if err != nil {
			in.decref(r)
			return nil, err
		}
		if i == len(e.Ops)-1 {
			in.decref(r)
			return boolOf(res), nil
		}
		if !res {
			in.decref(r)
			return False, nil
		}
		l = r
	}
	return nil, nil
}

// evalIndex evaluates a subscript's index; a slice a[i:j] builds a slice
// object (BUILD_SLICE), kept in CPython's one-entry slice cache once freed.
func (in *Interp) evalIndex(fr *Frame, e syntax.Expr) (Value, error) {
	if s, ok := e.(*syntax.Slice); ok {
		return in.evalSlice(fr, s)
	}
	return in.eval(fr, e)
}

func (in *Interp) evalSlice(fr *Frame, s *syntax.Slice) (Value, error) {
	parts := [3]Value{None, None, None}
	for i, x := range []syntax.Expr{s.Lo, s.Hi, s.Step} {
		if x == nil {
			continue
		}
		v, err := in.eval(fr, x)
		if err != nil {
			for _, p := range parts[:i] {
				in.decref(p)
			}
			return nil, err
		}
		parts[i] = v
	}
	return in.newSlice(parts[0], parts[1], parts[2])
}

// ---- constants ----

// constant returns the code constant for a literal (or a folded constant
// expression). Constants exist before the script runs: they are static.
func (in *Interp) constant(e syntax.Expr) Value {
	if v, ok := in.consts[e]; ok {
		return v
	}
	var v Value
	switch e := e.(type) {
	case *syntax.Int:
		v = staticInt(e.Value)
	case *syntax.Float:
		v = &Float{Obj: Obj{static: true}, v: e.Value}
	case *syntax.Str:
		v = staticStr(e.Value)
	case *syntax.Bytes:
		v = &Bytes{Obj: Obj{static: true}, b: e.Value}
	case *syntax.Bool:
		v = boolOf(e.Value)
	case *syntax.None:
		v = None
	case *syntax.Ellipsis:
		v = Ellipsis
	case *syntax.UnaryOp:
		x := in.constant(e.Operand)
		switch x := x.(type) {
		case *Int:
			b := x.big()
			switch e.Op {
			case syntax.USub:
				b = new(big.Int).Neg(b)
			case syntax.Invert:
				b = new(big.Int).Not(b)
			}
			v = staticInt(b)
		case *Float:
			f := x.v
			if e.Op == syntax.USub {
				f = -f
			}
			v = &Float{Obj: Obj{static: true}, v: f}
		}
	case *syntax.Tuple:
		items := make([]Value, len(e.Elts))
		for i, x := range e.Elts {
			items[i] = in.constant(x)
		}
		if len(items) == 0 {
			v = in.emptyTuple
		} else {
			v = &Tuple{Obj: Obj{static: true}, items: items}
		}
	default:
		panic("python: not a constant")
	}
	in.consts[e] = v
	return v
}

func staticInt(b *big.Int) *Int {
	if b.IsInt64() {
		return &Int{Obj: Obj{static: true}, v: b.Int64()}
	}
	return &Int{Obj: Obj{static: true}, b: new(big.Int).Set(b)}
}

// foldBinOp folds an operation on two constants the way CPython's AST
// optimizer does (ints up to 128 bits, strs and bytes up to 4096 items).
func (in *Interp) foldBinOp(e *syntax.BinOp) (Value, bool) {
	if v, ok := in.consts[e]; ok {
		return v, true
	}
	if !isConstant(e.Left) || !isConstant(e.Right) {
		if lb, ok := e.Left.(*syntax.BinOp); ok {
			if _, ok := in.foldBinOp(lb); !ok {
				return nil, false
			}
		} else if !isConstant(e.Left) {
			return nil, false
		}
		if rb, ok := e.Right.(*syntax.BinOp); ok {
			if _, ok := in.foldBinOp(rb); !ok {
				return nil, false
			}
		} else if !isConstant(e.Right) {
			return nil, false
		}
	}
	l := in.foldedOperand(e.Left)
	r := in.foldedOperand(e.Right)
	if l == nil || r == nil {
		return nil, false
	}
	v, ok := in.constFold(e.Op, l, r)
	if !ok {
		return nil, false
	}
	in.consts[e] = v
	return v, true
}

func (in *Interp) foldedOperand(e syntax.Expr) Value {
	if b, ok := e.(*syntax.BinOp); ok {
		v, _ := in.foldBinOp(b)
		return v
	}
	if isConstant(e) {
		return in.constant(e)
	}
	return nil
}
