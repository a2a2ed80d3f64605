package python

import (
	"strings"
	"unicode"

	"github.com/heaptrace/heaptrace/model/pyobj"
	"github.com/heaptrace/heaptrace/workload/python/syntax"
)

// This file defines the methods of the built-in types, reached by
// LOAD_METHOD (no bound method object). Methods that CPython 3.11 declares
// METH_VARARGS pack their arguments into a tuple.

// varargsMethods are the METH_VARARGS methods: each call packs an args
// tuple (and a dict for keywords).
var varargsMethods = map[string]bool{
	"str.format": true, "str.startswith": true, "str.endswith": true, "str.count": true,
	"str.find": true, "str.rfind": true, "str.index": true, "str.rindex": true,
	"set.update": true, "set.union": true, "set.intersection": true, "set.difference": true,
	"set.symmetric_difference": true, "dict.update": true, "frozenset.union": true,
	"frozenset.intersection": true, "frozenset.difference": true,
}

func (in *Interp) callMethod(self Value, name string, args []Value, kws []kwArg) (Value, error) {
	if key := typeName(self) + "." + name; varargsMethods[key] && !in.noArgsTuple[key] {
		items := make([]Value, len(args))
		for i, a := range args {
			items[i] = incref(a)
		}
		tup, err := in.newTuple(items)
		if err != nil {
			return nil, err
		}
		defer in.decref(tup)
		if len(kws) > 0 {
			d, err := in.newDict()
			if err != nil {
				return nil, err
			}
			for _, k := range kws {
				if err := in.dictSet(d, in.internName(k.name), incref(k.val)); err != nil {
					in.decref(d)
					return nil, err
				}
			}
			defer in.decref(d)
		}
	}
	switch s := self.(type) {
	case *Str:
		return in.strMethod(s, name, args, kws)
	case *List:
		return in.listMethod(s, name, args, kws)
	case *Dict:
		return in.dictMethod(s, name, args, kws)
	case *Set:
		return in.setMethod(s, name, args)
	case *Tuple:
		return in.seqMethod(s.items, "tuple", name, args)
	case *Bytes:
		if name == "decode" {
			return in.newStr(s.b)
		}
	case *Int:
		if name == "bit_length" {
			return in.newInt(int64(s.big().BitLen()), pyobj.IntExact)
		}
	case *Float:
		if name == "is_integer" {
			return boolOf(s.v == float64(int64(s.v))), nil
		}
	case *dictView:
		if name == "__len__" {
			return in.newInt(int64(s.d.mem.Used), pyobj.IntExact)
		}
	}
	return nil, in.raise("AttributeError", "'%s' object has no attribute '%s'", typeName(self), name)
}

func (in *Interp) strArg(args []Value, i int, method string) (string, error) {
	if i >= len(args) {
		return "", in.typeError("%s() missing required argument", method)
	}
	s, ok := args[i].(*Str)
	if !ok {
		return "", in.typeError("%s() argument must be str, not %s", method, typeName(args[i]))
	}
	return s.s, nil
}

func (in *Interp) strMethod(s *Str, name string, args []Value, kws []kwArg) (Value, error) {
	switch name {
	case "format":
		return in.strFormat(s, args, kws)
	case "join":
		if err := in.arity("join", args, 1, 1); err != nil {
			return nil, err
		}
		return in.strJoin(s, args[0])
	case "split", "rsplit":
		return in.strSplit(s, args, kws)
	case "strip", "lstrip", "rstrip":
		cut := " \t\n\r\x0b\x0c"
		if len(args) > 0 && args[0] != Value(None) {
			c, err := in.strArg(args, 0, name)
			if err != nil {
				return nil, err
			}
			cut = c
		}
		var r string
		switch name {
		case "strip":
			r = strings.Trim(s.s, cut)
		case "lstrip":
			r = strings.TrimLeft(s.s, cut)
		default:
			r = strings.TrimRight(s.s, cut)
		}
		if r == s.s {
			return incref(s), nil
		}
		return in.newStr(r)
	case "replace":
		old, err := in.strArg(args, 0, name)
		if err != nil {
			return nil, err
		}
		nw, err := in.strArg(args, 1, name)
		if err != nil {
			return nil, err
		}
		if !strings.Contains(s.s, old) {
			return incref(s), nil
		}
		return in.newStr(strings.ReplaceAll(s.s, old, nw))
	case "upper", "lower", "title", "capitalize", "swapcase":
		var r string
		switch name {
		case "upper":
			r = strings.ToUpper(s.s)
		case "lower":
			r = strings.ToLower(s.s)
		case "title":
			r = strings.Title(strings.ToLower(s.s)) //nolint:staticcheck // ASCII titles match
		case "capitalize":
			rs := []rune(strings.ToLower(s.s))
			if len(rs) > 0 {
				rs[0] = unicode.ToUpper(rs[0])
			}
			r = string(rs)
		default:
			var b strings.Builder
			for _, c := range s.s {
				if unicode.IsUpper(c) {
					b.WriteRune(unicode.ToLower(c))
				} else {
					b.WriteRune(unicode.ToUpper(c))
				}
			}
			r = b.String()
		}
		return in.newStrAlloc(r)
	case "startswith", "endswith":
		test := func(p string) bool {
			if name == "startswith" {
				return strings.HasPrefix(s.s, p)
			}
			return strings.HasSuffix(s.s, p)
		}
		if len(args) == 0 {
			return nil, in.typeError("%s() takes at least 1 argument (0 given)", name)
		}
		if t, ok := args[0].(*Tuple); ok {
			for _, x := range t.items {
				if p, ok := x.(*Str); ok && test(p.s) {
					return True, nil
				}
			}
			return False, nil
		}
		p, err := in.strArg(args, 0, name)
		if err != nil {
			return nil, err
		}
		return boolOf(test(p)), nil
	case "find", "index", "rfind", "rindex", "count":
		sub, err := in.strArg(args, 0, name)
		if err != nil {
			return nil, err
		}
		var i int
		switch name {
		case "count":
			return in.newInt(int64(strings.Count(s.s, sub)), pyobj.IntExact)
		case "find", "index":
			i = strings.Index(s.s, sub)
		default:
			i = strings.LastIndex(s.s, sub)
		}
		if i >= 0 {
			i = runeCount(s.s[:i])
		} else if name == "index" || name == "rindex" {
			return nil, in.valueError("substring not found")
		}
		return in.newInt(int64(i), pyobj.IntExact)
	case "isdigit", "isalpha", "isspace", "isalnum", "isupper", "islower":
		if s.n == 0 {
			return False, nil
		}
		ok := true
		for _, c := range s.s {
			switch name {
			case "isdigit":
				ok = ok && unicode.IsDigit(c)
			case "isalpha":
				ok = ok && unicode.IsLetter(c)
			case "isspace":
				ok = ok && unicode.IsSpace(c)
			case "isalnum":
				ok = ok && (unicode.IsLetter(c) || unicode.IsDigit(c))
			case "isupper":
				ok = ok && !unicode.IsLower(c)
			case "islower":
				ok = ok && !unicode.IsUpper(c)
			}
		}
		return boolOf(ok), nil
	case "encode":
		return in.newBytes(s.s)
	case "zfill", "ljust", "rjust", "center":
		if len(args) == 0 {
			return nil, in.typeError("%s() takes at least 1 argument", name)
		}
		w, _ := asInt(args[0])
		width := int(w.v)
		fill := " "
		if len(args) > 1 {
			f, err := in.strArg(args, 1, name)
			if err != nil {
				return nil, err
			}
			fill = f
		}
		pad := width - s.n
		if pad <= 0 {
			return incref(s), nil
		}
		switch name {
		case "zfill":
			if strings.HasPrefix(s.s, "-") || strings.HasPrefix(s.s, "+") {
				return in.newStr(s.s[:1] + strings.Repeat("0", pad) + s.s[1:])
			}
			return in.newStr(strings.Repeat("0", pad) + s.s)
		case "ljust":
			return in.newStr(s.s + strings.Repeat(fill, pad))
		case "rjust":
			return in.newStr(strings.Repeat(fill, pad) + s.s)
		default:
			l := pad / 2
			if pad%2 == 1 && width%2 == 1 {
				l++
			}
			return in.newStr(strings.Repeat(fill, l) + s.s + strings.Repeat(fill, pad-l))
		}
	}
	return nil, in.raise("AttributeError", "'str' object has no attribute '%s'", name)
}

// strJoin is str.join: a list or tuple is used as it is, any other
// iterable is first made into a list (PySequence_Fast).
func (in *Interp) strJoin(sep *Str, seq Value) (Value, error) {
	var items []Value
	switch s := seq.(type) {
	case *List:
		items = s.items
	case *Tuple:
		items = s.items
	default:
		l, err := in.listFrom(seq)
		if err != nil {
			return nil, err
		}
		defer in.decref(l)
		items = l.items
	}
	if len(items) == 0 {
		return in.emptyStr, nil
	}
	if len(items) == 1 {
		if s, ok := items[0].(*Str); ok {
			return incref(s), nil
		}
	}
	parts := make([]string, len(items))
	for i, x := range items {
		s, ok := x.(*Str)
		if !ok {
			return nil, in.typeError("sequence item %d: expected str instance, %s found", i, typeName(x))
		}
		parts[i] = s.s
	}
	return in.newStrAlloc(strings.Join(parts, sep.s))
}

// strSplit is str.split: the result list starts with PREALLOC_SIZE slots
// (Profile.SplitPrealloc: 12, or from 3.12 fewer for a short str); a str
// with nothing to split is put in the list itself.
func (in *Interp) strSplit(s *Str, args []Value, kws []kwArg) (Value, error) {
	sepV := Value(None)
	if len(args) > 0 {
		sepV = args[0]
	} else if v := kwValue(kws, "sep"); v != nil {
		sepV = v
	}
	maxsplit := -1
	if len(args) > 1 {
		m, _ := asInt(args[1])
		maxsplit = int(m.v)
	} else if v := kwValue(kws, "maxsplit"); v != nil {
		m, _ := asInt(v)
		maxsplit = int(m.v)
	}
	var pieces []string
	if sep, ok := sepV.(*Str); ok {
		if sep.s == "" {
			return nil, in.valueError("empty separator")
		}
		pieces = strings.SplitN(s.s, sep.s, maxsplit+boolInt(maxsplit >= 0))
		if maxsplit < 0 {
			pieces = strings.Split(s.s, sep.s)
		}
	} else {
		pieces = strings.Fields(s.s)
		if maxsplit >= 0 && len(pieces) > maxsplit+1 {
			// keep the remainder as one piece
			rest := strings.TrimLeft(s.s, " \t\n\r\x0b\x0c")
			pieces = pieces[:0]
			for i := 0; i < maxsplit; i++ {
				j := strings.IndexAny(rest, " \t\n\r\x0b\x0c")
				pieces = append(pieces, rest[:j])
				rest = strings.TrimLeft(rest[j:], " \t\n\r\x0b\x0c")
			}
			pieces = append(pieces, rest)
		}
	}
	sepLen := 0
	if sep, ok := sepV.(*Str); ok {
		sepLen = sep.n
	}
	prealloc := in.o.Profile.SplitPrealloc(s.n, sepLen, maxsplit)
	if sepLen > s.n {
		prealloc = 1 // a separator longer than the str: [s], exactly
	}
	before := in.o.Lists.Parked()
	mem, err := in.o.Lists.New(prealloc)
	if err != nil {
		return nil, in.memoryError(err)
	}
	l := &List{Obj: Obj{rc: 1, addr: mem.Obj}, mem: mem}
	in.gcNew(l, in.o.Lists.Parked() == before)
	for i, p := range pieces {
		var v Value
		if len(pieces) == 1 && p == s.s {
			v = incref(s)
		} else if v, err = in.newStr(p); err != nil {
			in.decref(l)
			return nil, err
		}
		if i < prealloc {
			l.items = append(l.items, v)
			continue
		}
		mem.Len = len(l.items)
		if err := in.listAppend(l, v); err != nil {
			in.decref(l)
			return nil, err
		}
	}
	mem.Len = len(l.items)
	return l, nil
}

func (in *Interp) listMethod(l *List, name string, args []Value, kws []kwArg) (Value, error) {
	switch name {
	case "append":
		if err := in.arity("append", args, 1, 1); err != nil {
			return nil, err
		}
		return None, in.listAppend(l, incref(args[0]))
	case "extend":
		if err := in.arity("extend", args, 1, 1); err != nil {
			return nil, err
		}
		return None, in.listExtend(l, args[0])
	case "pop":
		if len(l.items) == 0 {
			return nil, in.raise("IndexError", "pop from empty list")
		}
		i := len(l.items) - 1
		if len(args) > 0 {
			var err error
			if i, err = in.index(args[0], len(l.items), "pop"); err != nil {
				return nil, err
			}
		}
		v := l.items[i]
		l.items = append(l.items[:i], l.items[i+1:]...)
		if err := in.listResize(l, len(l.items)); err != nil {
			in.decref(v)
			return nil, err
		}
		return v, nil
	case "insert":
		if err := in.arity("insert", args, 2, 2); err != nil {
			return nil, err
		}
		n := len(l.items)
		iv, _ := asInt(args[0])
		i := int(iv.v)
		if i < 0 {
			i += n
			if i < 0 {
				i = 0
			}
		}
		if i > n {
			i = n
		}
		if err := in.listResize(l, n+1); err != nil {
			return nil, err
		}
		l.items = append(l.items, nil)
		copy(l.items[i+1:], l.items[i:])
		l.items[i] = incref(args[1])
		return None, nil
	case "remove":
		if err := in.arity("remove", args, 1, 1); err != nil {
			return nil, err
		}
		for i, x := range l.items {
			eq, err := in.equal(x, args[0])
			if err != nil {
				return nil, err
			}
			if eq {
				l.items = append(l.items[:i], l.items[i+1:]...)
				err := in.listResize(l, len(l.items))
				in.decref(x)
				return None, err
			}
		}
		return nil, in.valueError("list.remove(x): x not in list")
	case "sort":
		return None, in.listSort(l, kws)
	case "reverse":
		for i, j := 0, len(l.items)-1; i < j; i, j = i+1, j-1 {
			l.items[i], l.items[j] = l.items[j], l.items[i]
		}
		return None, nil
	case "clear":
		in.listClear(l)
		return None, nil
	case "copy":
		items := make([]Value, len(l.items))
		for i, x := range l.items {
			items[i] = incref(x)
		}
		if len(items) == 0 {
			return in.newList()
		}
		return in.newListExact(items, true)
	}
	return in.seqMethod(l.items, "list", name, args)
}

// seqMethod is index and count, shared by list and tuple.
func (in *Interp) seqMethod(items []Value, tname, name string, args []Value) (Value, error) {
	switch name {
	case "index", "count":
		if len(args) < 1 {
			return nil, in.typeError("%s() takes at least 1 argument", name)
		}
		n := 0
		for i, x := range items {
			eq, err := in.equal(x, args[0])
			if err != nil {
				return nil, err
			}
			if eq {
				if name == "index" {
					return in.newInt(int64(i), pyobj.IntExact)
				}
				n++
			}
		}
		if name == "index" {
			return nil, in.valueError("%s.index(x): x not in %s", tname, tname)
		}
		return in.newInt(int64(n), pyobj.IntExact)
	}
	return nil, in.raise("AttributeError", "'%s' object has no attribute '%s'", tname, name)
}

func (in *Interp) dictMethod(d *Dict, name string, args []Value, kws []kwArg) (Value, error) {
	switch name {
	case "get":
		if err := in.arity("get", args, 1, 2); err != nil {
			return nil, err
		}
		v, ok, err := in.dictGet(d, args[0])
		if err != nil {
			return nil, err
		}
		if ok {
			return incref(v), nil
		}
		if len(args) == 2 {
			return incref(args[1]), nil
		}
		return None, nil
	case "setdefault":
		if err := in.arity("setdefault", args, 1, 2); err != nil {
			return nil, err
		}
		v, ok, err := in.dictGet(d, args[0])
		if err != nil {
			return nil, err
		}
		if ok {
			return incref(v), nil
		}
		def := Value(None)
		if len(args) == 2 {
			def = args[1]
		}
		if err := in.dictSet(d, incref(args[0]), incref(def)); err != nil {
			return nil, err
		}
		return incref(def), nil
	case "pop":
		if err := in.arity("pop", args, 1, 2); err != nil {
			return nil, err
		}
		v, ok, err := in.dictPop(d, args[0])
		if err != nil {
			return nil, err
		}
		if ok {
			return v, nil
		}
		if len(args) == 2 {
			return incref(args[1]), nil
		}
		return nil, in.newException(in.exc.byName["KeyError"], []Value{incref(args[0])})
	case "popitem":
		for i := len(d.entries) - 1; i >= 0; i-- {
			if e := d.entries[i]; e.live {
				k := incref(e.key)
				v, _, _ := in.dictPop(d, e.key)
				return in.newTuple([]Value{k, v})
			}
		}
		return nil, in.raise("KeyError", "popitem(): dictionary is empty")
	case "items", "keys", "values":
		return in.newDictView(d, "dict_"+name)
	case "update":
		if len(args) > 0 {
			if err := in.dictUpdate(d, args[0]); err != nil {
				return nil, err
			}
		}
		for _, k := range kws {
			if err := in.dictSet(d, in.internName(k.name), incref(k.val)); err != nil {
				return nil, err
			}
		}
		return None, nil
	case "copy":
		return in.dictCopy(d)
	case "clear":
		in.dictClear(d)
		return None, nil
	}
	return nil, in.raise("AttributeError", "'dict' object has no attribute '%s'", name)
}

func (in *Interp) setMethod(s *Set, name string, args []Value) (Value, error) {
	switch name {
	case "add":
		if err := in.arity("add", args, 1, 1); err != nil {
			return nil, err
		}
		return None, in.setAdd(s, incref(args[0]))
	case "discard", "remove":
		if err := in.arity(name, args, 1, 1); err != nil {
			return nil, err
		}
		ok, err := in.setDiscard(s, args[0])
		if err != nil {
			return nil, err
		}
		if !ok && name == "remove" {
			return nil, in.newException(in.exc.byName["KeyError"], []Value{incref(args[0])})
		}
		return None, nil
	case "pop":
		keys := in.setKeys(s)
		if len(keys) == 0 {
			return nil, in.raise("KeyError", "pop from an empty set")
		}
		v := incref(keys[0])
		in.setDiscard(s, keys[0])
		return v, nil
	case "clear":
		items := in.setKeys(s)
		s.items = map[hkey]Value{}
		in.o.Sets.Clear(s.mem)
		in.decrefAll(items)
		return None, nil
	case "copy":
		return in.makeSet([]Value{s}, s.frozen)
	case "update":
		for _, a := range args {
			if err := in.setUpdate(s, a); err != nil {
				return nil, err
			}
		}
		return None, nil
	case "union", "intersection", "difference", "symmetric_difference":
		op := map[string]syntax.Operator{"union": syntax.BitOr, "intersection": syntax.BitAnd, "difference": syntax.Sub, "symmetric_difference": syntax.BitXor}[name]
		cur := Value(incref(s))
		for _, a := range args {
			other, ok := a.(*Set)
			if !ok {
				o, err := in.makeSet([]Value{a}, false)
				if err != nil {
					in.decref(cur)
					return nil, err
				}
				other = o.(*Set)
				defer in.decref(other)
			}
			r, err := in.setOp(op, cur.(*Set), other, false)
			in.decref(cur)
			if err != nil {
				return nil, err
			}
			cur = r
		}
		if len(args) == 0 {
			in.decref(cur)
			return in.makeSet([]Value{s}, s.frozen)
		}
		return cur, nil
	case "issubset", "issuperset", "isdisjoint":
		if err := in.arity(name, args, 1, 1); err != nil {
			return nil, err
		}
		o, ok := args[0].(*Set)
		if !ok {
			return nil, in.typeError("heaptrace: %s() needs a set", name)
		}
		a, b := s, o
		if name == "issuperset" {
			a, b = o, s
		}
		if name == "isdisjoint" {
			for k := range a.items {
				if _, ok := b.items[k]; ok {
					return False, nil
				}
			}
			return True, nil
		}
		for k := range a.items {
			if _, ok := b.items[k]; !ok {
				return False, nil
			}
		}
		return True, nil
	}
	return nil, in.raise("AttributeError", "'set' object has no attribute '%s'", name)
}
