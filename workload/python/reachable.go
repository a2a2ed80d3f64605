package python

import "github.com/heaptrace/heaptrace/model/pyobj"

// TypeSize is a count of objects and their sys.getsizeof bytes.
type TypeSize struct {
	Count int
	Bytes int64
}

// ReachableByType sums sys.getsizeof per type over the objects reachable
// from the script's globals, walked as internal/cpython's harness walks
// CPython's (by gc.get_referents): from the values of the globals except
// __builtins__ and __name__, each object once; None, the bools, Ellipsis,
// modules, classes and the globals dict itself are neither counted nor
// walked; a function is walked into through its defaults, keyword
// defaults and closure only.
func (in *Interp) ReachableByType() map[string]TypeSize {
	sizes := map[string]TypeSize{}
	seen := map[any]bool{}
	var stack []Value
	for _, e := range in.globals.entries {
		if !e.live {
			continue
		}
		if k, ok := e.key.(*Str); ok && (k.s == "__builtins__" || k.s == "__name__") {
			continue
		}
		stack = append(stack, e.val)
	}
	count := func(name string, n int64) {
		s := sizes[name]
		s.Count++
		s.Bytes += n
		sizes[name] = s
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch v.(type) {
		case *NoneType, *Bool, *EllipsisType, *Module, *Class, *ExcType:
			continue
		}
		key := identityKey(v)
		if seen[key] || v == Value(in.globals) {
			continue
		}
		seen[key] = true
		count(typeName(v), in.sizeOf(v))
		switch x := v.(type) {
		case *Tuple:
			stack = append(stack, x.items...)
		case *List:
			stack = append(stack, x.items...)
		case *Dict:
			for _, e := range x.entries {
				if e.live {
					stack = append(stack, e.key, e.val)
				}
			}
		case *Set:
			stack = append(stack, in.setKeys(x)...)
		case *Cell:
			if x.v != nil {
				stack = append(stack, x.v)
			}
		case *Function:
			if x.defTuple != nil {
				stack = append(stack, x.defTuple)
			} else if len(x.defaults) > 0 {
				// a constant defaults tuple: a code constant, still an object
				if !seen[&x.defaults[0]] {
					seen[&x.defaults[0]] = true
					count("tuple", in.o.Tuples.SizeOf(len(x.defaults)))
					stack = append(stack, x.defaults...)
				}
			}
			if x.kwDict != nil {
				stack = append(stack, x.kwDict)
			}
			if x.closure != nil {
				stack = append(stack, x.closure)
			}
		case *Instance:
			for _, k := range x.order {
				if a, ok := x.attrs[k]; ok {
					stack = append(stack, a)
				}
			}
		case *boundMethod:
			stack = append(stack, x.fn, x.self)
		case *Builtin:
			if x.self != nil {
				stack = append(stack, x.self)
			}
		case *Exception:
			if x.args != nil {
				stack = append(stack, x.args)
			}
		case *dictView:
			stack = append(stack, x.d)
		case *Range:
			// range has no tp_traverse: gc.get_referents gives nothing
		}
	}
	return sizes
}

type strKey struct{ s string }

// identityKey is what makes two references the same object: small ints,
// one-character strs and the code's constant strs (interned, or shared in
// co_consts) are shared objects in CPython too.
func identityKey(v Value) any {
	switch x := v.(type) {
	case *Int:
		if x.static && x.b == nil && isSmallInt(x.v) {
			return [2]int64{0, x.v}
		}
	case *Str:
		if x.static || (x.n == 1 && x.kind <= pyobj.StrLatin1) {
			return strKey{x.s}
		}
	}
	return v
}
