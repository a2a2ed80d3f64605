package python

import (
	"math"
	"math/big"
	"math/bits"
	"strings"

	"github.com/heaptrace/heaptrace/model/pyobj"
	"github.com/heaptrace/heaptrace/workload/python/syntax"
)

// This file defines the operators. Each result is a new object made the
// way CPython's C code makes it (int requests depend on the path taken).

func typeName(v Value) string {
	switch v := v.(type) {
	case *NoneType:
		return "NoneType"
	case *Bool:
		return "bool"
	case *Int:
		return "int"
	case *Float:
		return "float"
	case *Str:
		return "str"
	case *Bytes:
		return "bytes"
	case *Tuple:
		return "tuple"
	case *List:
		return "list"
	case *Dict:
		return "dict"
	case *Set:
		if v.frozen {
			return "frozenset"
		}
		return "set"
	case *Function:
		return "function"
	case *Builtin:
		if v.self != nil {
			return "builtin_function_or_method"
		}
		return "builtin_function_or_method"
	case *Range:
		return "range"
	case *Exception:
		return v.typ.name
	case *ExcType, *Class:
		return "type"
	case *Instance:
		return v.class.name
	case *Module:
		return "module"
	case *Cell:
		return "cell"
	case *EllipsisType:
		return "ellipsis"
	case *sliceObj:
		return "slice"
	case *dictView:
		return v.kind
	case iterator:
		return v.typeName()
	}
	return "object"
}

func (in *Interp) truth(v Value) (bool, error) {
	switch v := v.(type) {
	case *NoneType:
		return false, nil
	case *Bool:
		return v.v, nil
	case *Int:
		return v.b != nil || v.v != 0, nil
	case *Float:
		return v.v != 0, nil
	case *Str:
		return v.n > 0, nil
	case *Bytes:
		return len(v.b) > 0, nil
	case *Tuple:
		return len(v.items) > 0, nil
	case *List:
		return len(v.items) > 0, nil
	case *Dict:
		return v.mem.Used > 0, nil
	case *Set:
		return len(v.items) > 0, nil
	case *Range:
		return v.length > 0, nil
	}
	return true, nil
}

// numeric views

func asInt(v Value) (*Int, bool) {
	switch v := v.(type) {
	case *Int:
		return v, true
	case *Bool:
		if v.v {
			return &Int{Obj: Obj{static: true}, v: 1}, true
		}
		return &Int{Obj: Obj{static: true}, v: 0}, true
	}
	return nil, false
}

func asFloat(v Value) (float64, bool) {
	switch v := v.(type) {
	case *Float:
		return v.v, true
	case *Int:
		if v.b != nil {
			f, _ := new(big.Float).SetInt(v.b).Float64()
			return f, true
		}
		return float64(v.v), true
	case *Bool:
		if v.v {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// floatInPlace is 3.12's specialised float +, - and *
// (DECREF_INPUTS_AND_REUSE_FLOAT): when an operand is held by the
// operation alone, the result goes into it instead of a new float. Both
// references are taken; ok is false, and nothing taken, when the operation
// is not one of those or no operand can be reused.
func (in *Interp) floatInPlace(op syntax.Operator, l, r Value) (Value, bool) {
	lf, ok1 := l.(*Float)
	rf, ok2 := r.(*Float)
	if !ok1 || !ok2 {
		return nil, false
	}
	var v float64
	switch op {
	case syntax.Add:
		v = lf.v + rf.v
	case syntax.Sub:
		v = lf.v - rf.v
	case syntax.Mult:
		v = lf.v * rf.v
	default:
		return nil, false
	}
	switch {
	case lf.rc == 1 && !lf.static:
		lf.v = v
		in.decref(rf)
		return lf, true
	case rf.rc == 1 && !rf.static:
		rf.v = v
		in.decref(lf)
		return rf, true
	}
	return nil, false
}

// binop applies op; inplace selects the in-place form (list +=, set |=...).
func (in *Interp) binop(op syntax.Operator, l, r Value, inplace bool) (Value, error) {
	li, lok := asInt(l)
	ri, rok := asInt(r)
	if lok && rok {
		return in.intOp(op, li, ri)
	}
	if lf, ok := asFloat(l); ok {
		if rf, ok := asFloat(r); ok {
			if _, lIsF := l.(*Float); lIsF || isFloat(r) {
				return in.floatOp(op, lf, rf)
			}
		}
	}
	switch lv := l.(type) {
	case *Str:
		switch op {
		case syntax.Add:
			if rv, ok := r.(*Str); ok {
				if rv.n == 0 {
					return incref(lv), nil
				}
				if lv.n == 0 {
					return incref(rv), nil
				}
				return in.newStrAlloc(lv.s + rv.s)
			}
		case syntax.Mult:
			if n, ok := asInt(r); ok {
				return in.strRepeat(lv, n)
			}
		case syntax.Mod:
			return in.percentFormat(lv, r)
		}
	case *Bytes:
		switch op {
		case syntax.Add:
			if rv, ok := r.(*Bytes); ok {
				return in.newBytes(lv.b + rv.b)
			}
		case syntax.Mult:
			if n, ok := asInt(r); ok {
				k := n.v
				if k < 0 || n.b != nil {
					k = 0
				}
				if k == 1 {
					return incref(lv), nil
				}
				return in.allocBytesExact(strings.Repeat(lv.b, int(k)))
			}
		}
	case *List:
		switch op {
		case syntax.Add:
			if rv, ok := r.(*List); ok {
				if inplace {
					if err := in.listExtend(lv, rv); err != nil {
						return nil, err
					}
					return incref(lv), nil
				}
				items := make([]Value, 0, len(lv.items)+len(rv.items))
				for _, x := range lv.items {
					items = append(items, incref(x))
				}
				for _, x := range rv.items {
					items = append(items, incref(x))
				}
				return in.newListExact(items, true)
			}
			if inplace {
				if err := in.listExtend(lv, r); err != nil {
					return nil, err
				}
				return incref(lv), nil
			}
		case syntax.Mult:
			if n, ok := asInt(r); ok {
				return in.listRepeat(lv, n, inplace)
			}
		}
	case *Tuple:
		switch op {
		case syntax.Add:
			if rv, ok := r.(*Tuple); ok {
				if len(rv.items) == 0 {
					return incref(lv), nil
				}
				if len(lv.items) == 0 {
					return incref(rv), nil
				}
				items := make([]Value, 0, len(lv.items)+len(rv.items))
				for _, x := range lv.items {
					items = append(items, incref(x))
				}
				for _, x := range rv.items {
					items = append(items, incref(x))
				}
				return in.newTuple(items)
			}
		case syntax.Mult:
			if n, ok := asInt(r); ok {
				k := int(n.v)
				if n.b != nil || k < 0 {
					k = 0
				}
				if k == 1 {
					return incref(lv), nil
				}
				items := make([]Value, 0, len(lv.items)*k)
				for i := 0; i < k; i++ {
					for _, x := range lv.items {
						items = append(items, incref(x))
					}
				}
				return in.newTuple(items)
			}
		}
	case *Set:
		if rv, ok := r.(*Set); ok {
			return in.setOp(op, lv, rv, inplace)
		}
	case *Dict:
		if rv, ok := r.(*Dict); ok && op == syntax.BitOr {
			if inplace {
				if err := in.dictUpdate(lv, rv); err != nil {
					return nil, err
				}
				return incref(lv), nil
			}
			d, err := in.dictCopy(lv)
			if err != nil {
				return nil, err
			}
			if err := in.dictUpdate(d, rv); err != nil {
				in.decref(d)
				return nil, err
			}
			return d, nil
		}
	}
	// int * seq
	if n, ok := asInt(l); ok && op == syntax.Mult {
		switch rv := r.(type) {
		case *Str, *List, *Tuple, *Bytes:
			return in.binop(op, rv, n, false)
		}
	}
	return nil, in.typeError("unsupported operand type(s) for %s: '%s' and '%s'", opSpelling(op, inplace), typeName(l), typeName(r))
}

func opSpelling(op syntax.Operator, inplace bool) string {
	if inplace {
		return op.String() + "="
	}
	return op.String()
}

func isFloat(v Value) bool { _, ok := v.(*Float); return ok }

func (in *Interp) floatOp(op syntax.Operator, a, b float64) (Value, error) {
	var r float64
	switch op {
	case syntax.Add:
		r = a + b
	case syntax.Sub:
		r = a - b
	case syntax.Mult:
		r = a * b
	case syntax.Div:
		if b == 0 {
			return nil, in.raise("ZeroDivisionError", "float division by zero")
		}
		r = a / b
	case syntax.FloorDiv:
		if b == 0 {
			return nil, in.raise("ZeroDivisionError", "float floor division by zero")
		}
		r = math.Floor(a / b)
	case syntax.Mod:
		if b == 0 {
			return nil, in.raise("ZeroDivisionError", "float modulo")
		}
		r = math.Mod(a, b)
		if r != 0 && (r < 0) != (b < 0) {
			r += b
		}
	case syntax.Pow:
		if a == 0 && b < 0 {
			return nil, in.raise("ZeroDivisionError", "0.0 cannot be raised to a negative power")
		}
		r = math.Pow(a, b)
	default:
		return nil, in.typeError("unsupported operand type(s) for %s: 'float' and 'float'", op)
	}
	return in.newFloat(r)
}

// intOp computes an int operation and allocates its result as CPython's
// long_add/long_sub/long_mul... do.
func (in *Interp) intOp(op syntax.Operator, a, b *Int) (Value, error) {
	da, db := in.ndigits(a), in.ndigits(b)
	if a.b == nil && b.b == nil {
		x, y := a.v, b.v
		switch op {
		case syntax.Add:
			if r, ok := addOK(x, y); ok {
				return in.smallResult(r, in.o.Ints.AddRequest(da, db, digitsOf(r), (x < 0) == (y < 0)))
			}
		case syntax.Sub:
			if r, ok := addOK(x, -y); ok && y != math.MinInt64 {
				return in.smallResult(r, in.o.Ints.AddRequest(da, db, digitsOf(r), (x < 0) != (y < 0)))
			}
		case syntax.Mult:
			if hi, lo := bits.Mul64(uint64(absInt(x)), uint64(absInt(y))); hi == 0 && lo < 1<<62 && x != math.MinInt64 && y != math.MinInt64 {
				r := int64(lo)
				if (x < 0) != (y < 0) {
					r = -r
				}
				return in.smallResult(r, in.o.Ints.MulRequest(da, db, digitsOf(r)))
			}
		case syntax.FloorDiv, syntax.Mod:
			if y != 0 && !(x == math.MinInt64 && y == -1) {
				q, m := x/y, x%y
				if m != 0 && (m < 0) != (y < 0) {
					q--
					m += y
				}
				if op == syntax.FloorDiv {
					return in.smallResult(q, 0)
				}
				return in.smallResult(m, 0)
			}
		case syntax.BitAnd:
			return in.smallResult(x&y, 0)
		case syntax.BitOr:
			return in.smallResult(x|y, 0)
		case syntax.BitXor:
			return in.smallResult(x^y, 0)
		}
	}
	A, B := a.big(), b.big()
	r := new(big.Int)
	var req int64
	switch op {
	case syntax.Add:
		r.Add(A, B)
		req = in.o.Ints.AddRequest(da, db, in.o.Ints.Digits(r), A.Sign()*B.Sign() >= 0)
	case syntax.Sub:
		r.Sub(A, B)
		req = in.o.Ints.AddRequest(da, db, in.o.Ints.Digits(r), A.Sign()*B.Sign() < 0)
	case syntax.Mult:
		r.Mul(A, B)
		req = in.o.Ints.MulRequest(da, db, in.o.Ints.Digits(r))
	case syntax.FloorDiv, syntax.Mod:
		if B.Sign() == 0 {
			if op == syntax.Mod {
				return nil, in.raise("ZeroDivisionError", "integer modulo by zero")
			}
			return nil, in.raise("ZeroDivisionError", "integer division or modulo by zero")
		}
		q, m := new(big.Int).DivMod(A, B, new(big.Int))
		// Go's DivMod is Euclidean; Python floors.
		if m.Sign() != 0 && B.Sign() < 0 {
			q.Add(q, bigOne)
			m.Add(m, B)
		}
		if op == syntax.FloorDiv {
			r = q
		} else {
			r = m
		}
	case syntax.Div:
		if B.Sign() == 0 {
			return nil, in.raise("ZeroDivisionError", "division by zero")
		}
		fa, _ := new(big.Float).SetInt(A).Float64()
		fb, _ := new(big.Float).SetInt(B).Float64()
		return in.newFloat(fa / fb)
	case syntax.Pow:
		if B.Sign() < 0 {
			fa, _ := new(big.Float).SetInt(A).Float64()
			fb, _ := new(big.Float).SetInt(B).Float64()
			if fa == 0 {
				return nil, in.raise("ZeroDivisionError", "0.0 cannot be raised to a negative power")
			}
			return in.newFloat(math.Pow(fa, fb))
		}
		if B.BitLen() > 32 || (A.BitLen() > 1 && int64(A.BitLen())*B.Int64() > 1<<26) {
			return nil, in.raise("MemoryError", "")
		}
		r.Exp(A, B, nil)
	case syntax.LShift:
		if B.Sign() < 0 {
			return nil, in.valueError("negative shift count")
		}
		if B.BitLen() > 26 {
			return nil, in.raise("MemoryError", "")
		}
		r.Lsh(A, uint(B.Int64()))
	case syntax.RShift:
		if B.Sign() < 0 {
			return nil, in.valueError("negative shift count")
		}
		if B.BitLen() > 31 {
			r.SetInt64(int64(A.Sign() >> 1))
		} else {
			r.Rsh(A, uint(B.Int64()))
		}
	case syntax.BitAnd:
		r.And(A, B)
	case syntax.BitOr:
		r.Or(A, B)
	case syntax.BitXor:
		r.Xor(A, B)
	default:
		return nil, in.typeError("unsupported operand type(s) for %s: 'int' and 'int'", op)
	}
	return in.intResult(r, req)
}

func absInt(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// smallResult allocates an int64 result; request 0 means the size
// PyLong_FromLong gives.
func (in *Interp) smallResult(v int64, request int64) (Value, error) {
	if isSmallInt(v) {
		return in.smallInts[v+5], nil
	}
	x := &Int{v: v}
	if request == 0 {
		request = in.o.Ints.Request(in.ndigits(x), pyobj.IntFromLong)
	}
	return in.allocInt(x, request)
}

func addOK(x, y int64) (int64, bool) {
	r := x + y
	if (x > 0 && y > 0 && r < 0) || (x < 0 && y < 0 && r >= 0) {
		return 0, false
	}
	return r, true
}

func digitsOf(v int64) int {
	if v < 0 {
		v = -v
	}
	n := 0
	for v > 0 {
		n++
		v >>= 30
	}
	return n
}

// intResult allocates r; request 0 means the exact size for a value made
// by PyLong_FromLong.
func (in *Interp) intResult(r *big.Int, request int64) (Value, error) {
	return in.newBig(r, request)
}

func (in *Interp) unaryop(op syntax.UnaryOperator, v Value) (Value, error) {
	if op == syntax.Not {
		t, err := in.truth(v)
		if err != nil {
			return nil, err
		}
		return boolOf(!t), nil
	}
	if i, ok := asInt(v); ok {
		switch op {
		case syntax.USub:
			return in.intResult(new(big.Int).Neg(i.big()), 0)
		case syntax.UAdd:
			if _, isBool := v.(*Bool); isBool {
				return in.intResult(i.big(), 0)
			}
			return incref(v), nil
		case syntax.Invert:
			return in.intResult(new(big.Int).Not(i.big()), 0)
		}
	}
	if f, ok := v.(*Float); ok {
		switch op {
		case syntax.USub:
			return in.newFloat(-f.v)
		case syntax.UAdd:
			return incref(v), nil
		}
	}
	return nil, in.typeError("bad operand type for unary %s: '%s'", op, typeName(v))
}

// constFold computes a folded constant (static), within CPython's limits.
func (in *Interp) constFold(op syntax.Operator, l, r Value) (Value, bool) {
	li, lok := asInt(l)
	ri, rok := asInt(r)
	if lok && rok {
		A, B := li.big(), ri.big()
		res := new(big.Int)
		switch op {
		case syntax.Add:
			res.Add(A, B)
		case syntax.Sub:
			res.Sub(A, B)
		case syntax.Mult:
			if A.BitLen()+B.BitLen() > 128 {
				return nil, false
			}
			res.Mul(A, B)
		case syntax.Pow:
			if B.Sign() < 0 || !B.IsInt64() || int64(A.BitLen())*B.Int64() > 128 {
				return nil, false
			}
			res.Exp(A, B, nil)
		case syntax.LShift:
			if B.Sign() < 0 || !B.IsInt64() || int64(A.BitLen())+B.Int64() > 128 {
				return nil, false
			}
			res.Lsh(A, uint(B.Int64()))
		case syntax.BitAnd:
			res.And(A, B)
		case syntax.BitOr:
			res.Or(A, B)
		case syntax.BitXor:
			res.Xor(A, B)
		case syntax.FloorDiv, syntax.Mod:
			if B.Sign() == 0 {
				return nil, false
			}
			q, m := new(big.Int).DivMod(A, B, new(big.Int))
			if m.Sign() != 0 && B.Sign() < 0 {
				q.Add(q, bigOne)
				m.Add(m, B)
			}
			if op == syntax.FloorDiv {
				res = q
			} else {
				res = m
			}
		default:
			return nil, false
		}
		return staticInt(res), true
	}
	if lf, ok := asFloat(l); ok {
		if rf, ok := asFloat(r); ok && (isFloat(l) || isFloat(r)) {
			var f float64
			switch op {
			case syntax.Add:
				f = lf + rf
			case syntax.Sub:
				f = lf - rf
			case syntax.Mult:
				f = lf * rf
			case syntax.Div:
				if rf == 0 {
					return nil, false
				}
				f = lf / rf
			default:
				return nil, false
			}
			return &Float{Obj: Obj{static: true}, v: f}, true
		}
	}
	if ls, ok := l.(*Str); ok {
		switch rv := r.(type) {
		case *Str:
			if op == syntax.Add {
				return staticStr(ls.s + rv.s), true
			}
		case *Int:
			if op == syntax.Mult && rv.b == nil && rv.v >= 0 && int64(ls.n)*rv.v <= 4096 {
				return staticStr(strings.Repeat(ls.s, int(rv.v))), true
			}
		}
	}
	return nil, false
}

func (in *Interp) strRepeat(s *Str, n *Int) (Value, error) {
	k := n.v
	if n.b != nil || k < 0 {
		k = 0
	}
	if k == 1 || s.n == 0 {
		return incref(s), nil
	}
	if k == 0 {
		return in.emptyStr, nil
	}
	if int64(s.n)*k > 1<<28 {
		return nil, in.raise("MemoryError", "")
	}
	return in.newStr(strings.Repeat(s.s, int(k)))
}

// allocBytesExact allocates bytes even when short (bytes_repeat has no
// singleton shortcut for b” results).
func (in *Interp) allocBytesExact(b string) (Value, error) {
	if len(b) == 1 {
		return in.byteChars[b[0]], nil
	}
	a, err := in.o.Bytes.New(len(b))
	if err != nil {
		return nil, in.memoryError(err)
	}
	return &Bytes{Obj{rc: 1, addr: a}, b}, nil
}

// listRepeat is list_repeat (exact) or list_inplace_repeat.
func (in *Interp) listRepeat(l *List, n *Int, inplace bool) (Value, error) {
	k := int(n.v)
	if n.b != nil || k < 0 {
		k = 0
	}
	if int64(len(l.items))*int64(k) > 1<<28 {
		return nil, in.raise("MemoryError", "")
	}
	if inplace {
		if k == 0 {
			in.listClear(l)
			return incref(l), nil
		}
		old := len(l.items)
		if err := in.listResize(l, old*k); err != nil {
			return nil, err
		}
		for i := 1; i < k; i++ {
			for _, x := range l.items[:old] {
				l.items = append(l.items, incref(x))
			}
		}
		return incref(l), nil
	}
	items := make([]Value, 0, len(l.items)*k)
	for i := 0; i < k; i++ {
		for _, x := range l.items {
			items = append(items, incref(x))
		}
	}
	if len(items) == 0 {
		return in.newList()
	}
	return in.newListExact(items, true)
}

// ---- comparison ----

func (in *Interp) compare(op syntax.CmpOperator, l, r Value) (bool, error) {
	switch op {
	case syntax.Is:
		return in.is(l, r), nil
	case syntax.IsNot:
		return !in.is(l, r), nil
	case syntax.In:
		return in.contains(r, l)
	case syntax.NotIn:
		c, err := in.contains(r, l)
		return !c, err
	case syntax.Eq:
		return in.equal(l, r)
	case syntax.NotEq:
		e, err := in.equal(l, r)
		return !e, err
	}
	c, err := in.order(l, r, op)
	if err != nil {
		return false, err
	}
	switch op {
	case syntax.Lt:
		return c < 0, nil
	case syntax.LtE:
		return c <= 0, nil
	case syntax.Gt:
		return c > 0, nil
	default:
		return c >= 0, nil
	}
}

func (in *Interp) is(a, b Value) bool {
	if a == b {
		return true
	}
	// small ints and singletons are shared objects in CPython
	ai, aok := a.(*Int)
	bi, bok := b.(*Int)
	if aok && bok && ai.static && bi.static && ai.b == nil && bi.b == nil && ai.v == bi.v && isSmallInt(ai.v) {
		return true
	}
	return false
}

func (in *Interp) equal(a, b Value) (bool, error) {
	if a == b {
		if f, ok := a.(*Float); ok && math.IsNaN(f.v) {
			return false, nil
		}
		return true, nil
	}
	if af, ok := asFloat(a); ok {
		if bf, ok := asFloat(b); ok {
			ai, aok := asInt(a)
			bi, bok := asInt(b)
			if aok && bok {
				return ai.big().Cmp(bi.big()) == 0, nil
			}
			return af == bf, nil
		}
		return false, nil
	}
	switch av := a.(type) {
	case *Str:
		bv, ok := b.(*Str)
		return ok && av.s == bv.s, nil
	case *Bytes:
		bv, ok := b.(*Bytes)
		return ok && av.b == bv.b, nil
	case *Tuple:
		bv, ok := b.(*Tuple)
		if !ok || len(av.items) != len(bv.items) {
			return false, nil
		}
		return in.itemsEqual(av.items, bv.items)
	case *List:
		bv, ok := b.(*List)
		if !ok || len(av.items) != len(bv.items) {
			return false, nil
		}
		return in.itemsEqual(av.items, bv.items)
	case *Dict:
		bv, ok := b.(*Dict)
		if !ok || av.mem.Used != bv.mem.Used {
			return false, nil
		}
		for _, e := range av.entries {
			if !e.live {
				continue
			}
			j, ok := bv.index[e.hk]
			if !ok {
				return false, nil
			}
			eq, err := in.equal(e.val, bv.entries[j].val)
			if err != nil || !eq {
				return false, err
			}
		}
		return true, nil
	case *Set:
		bv, ok := b.(*Set)
		if !ok || len(av.items) != len(bv.items) {
			return false, nil
		}
		for k := range av.items {
			if _, ok := bv.items[k]; !ok {
				return false, nil
			}
		}
		return true, nil
	case *Range:
		bv, ok := b.(*Range)
		return ok && av.length == bv.length && (av.length == 0 || (av.start == bv.start && (av.length == 1 || av.step == bv.step))), nil
	}
	return false, nil
}

func (in *Interp) itemsEqual(a, b []Value) (bool, error) {
	for i := range a {
		eq, err := in.equal(a[i], b[i])
		if err != nil || !eq {
			return false, err
		}
	}
	return true, nil
}

// order compares two values for <, <=, >, >=: -1, 0 or 1.
func (in *Interp) order(a, b Value, op syntax.CmpOperator) (int, error) {
	ai, aok := asInt(a)
	bi, bok := asInt(b)
	if aok && bok {
		if ai.b == nil && bi.b == nil {
			switch {
			case ai.v < bi.v:
				return -1, nil
			case ai.v > bi.v:
				return 1, nil
			}
			return 0, nil
		}
		return ai.big().Cmp(bi.big()), nil
	}
	if af, ok := asFloat(a); ok {
		if bf, ok := asFloat(b); ok {
			switch {
			case af < bf:
				return -1, nil
			case af > bf:
				return 1, nil
			case af == bf:
				return 0, nil
			}
			return 2, nil // NaN: every comparison false
		}
	}
	switch av := a.(type) {
	case *Str:
		if bv, ok := b.(*Str); ok {
			return strings.Compare(av.s, bv.s), nil
		}
	case *Bytes:
		if bv, ok := b.(*Bytes); ok {
			return strings.Compare(av.b, bv.b), nil
		}
	case *Tuple:
		if bv, ok := b.(*Tuple); ok {
			return in.orderItems(av.items, bv.items, op)
		}
	case *List:
		if bv, ok := b.(*List); ok {
			return in.orderItems(av.items, bv.items, op)
		}
	case *Set:
		if bv, ok := b.(*Set); ok {
			sub, sup := true, true
			for k := range av.items {
				if _, ok := bv.items[k]; !ok {
					sub = false
				}
			}
			for k := range bv.items {
				if _, ok := av.items[k]; !ok {
					sup = false
				}
			}
			switch {
			case sub && sup:
				return 0, nil
			case sub:
				return -1, nil
			case sup:
				return 1, nil
			}
			return 2, nil
		}
	}
	return 0, in.typeError("'%s' not supported between instances of '%s' and '%s'", op, typeName(a), typeName(b))
}

func (in *Interp) orderItems(a, b []Value, op syntax.CmpOperator) (int, error) {
	for i := 0; i < len(a) && i < len(b); i++ {
		eq, err := in.equal(a[i], b[i])
		if err != nil {
			return 0, err
		}
		if !eq {
			return in.order(a[i], b[i], op)
		}
	}
	switch {
	case len(a) < len(b):
		return -1, nil
	case len(a) > len(b):
		return 1, nil
	}
	return 0, nil
}

func (in *Interp) contains(container, x Value) (bool, error) {
	switch c := container.(type) {
	case *Str:
		s, ok := x.(*Str)
		if !ok {
			return false, in.typeError("'in <string>' requires string as left operand, not %s", typeName(x))
		}
		return strings.Contains(c.s, s.s), nil
	case *Bytes:
		if s, ok := x.(*Bytes); ok {
			return strings.Contains(c.b, s.b), nil
		}
	case *Tuple:
		return in.containsItem(c.items, x)
	case *List:
		return in.containsItem(c.items, x)
	case *Dict:
		k, err := in.keyOf(x)
		if err != nil {
			return false, err
		}
		_, ok := c.index[k]
		return ok, nil
	case *Set:
		k, err := in.keyOf(x)
		if err != nil {
			return false, err
		}
		_, ok := c.items[k]
		return ok, nil
	case *Range:
		i, ok := asInt(x)
		if !ok || i.b != nil {
			return false, nil
		}
		v := i.v
		if c.step > 0 {
			return v >= c.start && v < c.stop && (v-c.start)%c.step == 0, nil
		}
		return v <= c.start && v > c.stop && (c.start-v)%(-c.step) == 0, nil
	}
	it, err := in.getIter(incref(container))
	if err != nil {
		return false, err
	}
	defer in.decref(it)
	for {
		y, err := it.next(in)
		if err != nil || y == nil {
			return false, err
		}
		eq, err := in.equal(x, y)
		in.decref(y)
		if err != nil || eq {
			return eq, err
		}
	}
}

func (in *Interp) containsItem(items []Value, x Value) (bool, error) {
	for _, y := range items {
		if y == x {
			return true, nil
		}
		eq, err := in.equal(x, y)
		if err != nil || eq {
			return eq, err
		}
	}
	return false, nil
}

// strKind returns a str's kind (for sizes).
func strKind(s string) pyobj.StrKind { return pyobj.KindOf(s) }
