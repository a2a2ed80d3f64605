package python

import (
	"math"
	"math/big"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
	"github.com/heaptrace/heaptrace/workload/python/syntax"
)

// This file defines attribute access, modules and user classes.
//
// Instances follow 3.11's managed dicts: a 56-byte object and a separate
// values array sized by the class's shared keys (30 slots at first, one
// fewer for each new instance, never below the attributes in use):
// new_values asks for round8(size+2) + 8*size bytes. With
// Profile.InstanceValuesInline (3.13) the values live in the object's
// block: round8(size) + 8*(size+1) bytes more, sized before the keys give
// up their slot.

const sharedKeysMax = 30 // SHARED_KEYS_MAX_SIZE

func (c *Class) isSubclass(of *Class) bool {
	if c == of || of.name == "object" {
		return true
	}
	for _, b := range c.bases {
		if b.isSubclass(of) {
			return true
		}
	}
	return false
}

func (c *Class) lookup(name string) (Value, bool) {
	if v, ok := c.attrs[name]; ok {
		return v, true
	}
	for _, b := range c.bases {
		if v, ok := b.lookup(name); ok {
			return v, true
		}
	}
	return nil, false
}

// execClass runs a class body as CPython does: a namespace dict holding
// __module__ and __qualname__ and then the body's names, run by the body's
// function object; then type_new copies the namespace into the type's
// dict, adds __doc__, __dict__ and __weakref__, and the namespace goes
// (its keys table to the keys free list when it has 8 slots).
func (in *Interp) execClass(fr *Frame, st *syntax.ClassDef) error {
	code := in.prog.codes[st]
	var bases []*Class
	for _, b := range st.Bases {
		v, err := in.eval(fr, b)
		if err != nil {
			return err
		}
		c, ok := v.(*Class)
		if !ok {
			in.decref(v)
			return in.typeError("heaptrace supports only classes as bases")
		}
		if c.name != "object" {
			bases = append(bases, c)
		} else {
			in.decref(v)
		}
	}
	fnAddr, err := in.fixed("function")
	if err != nil {
		return err
	}
	ns, err := in.newDict()
	if err != nil {
		in.freeFixed("function", fnAddr)
		return err
	}
	names := []string{"__module__", "__qualname__"}
	if in.o.Profile.ClassStaticAttributes {
		names = append(names, "__firstlineno__")
	}
	for _, k := range names {
		if err := in.dictSet(ns, in.internName(k), in.internName(st.Name)); err != nil {
			in.decref(ns)
			in.freeFixed("function", fnAddr)
			return err
		}
	}
	cfr := &Frame{code: code, globals: fr.globals, classNS: ns}
	in.h.Call()
	caller := in.h.CurrentSite()
	_, err = in.runFrame(cfr, func() (ctl, error) {
		c, err := in.execBlock(cfr, st.Body)
		if err == nil && in.o.Profile.ClassStaticAttributes {
			// a constant tuple of the names methods assign on self
			err = in.dictSet(ns, in.internName("__static_attributes__"), in.emptyTuple)
		}
		return c, err
	})
	in.h.SetSite(caller)
	in.h.Return()
	in.freeFixed("function", fnAddr)
	if err != nil {
		in.decref(ns)
		return err
	}
	cls := &Class{name: st.Name, bases: bases, attrs: map[string]Value{}, typeID: in.h.Type(st.Name)}
	for _, e := range ns.entries {
		if e.live {
			if k := e.key.(*Str).s; !classNamespaceName[k] {
				cls.attrs[k] = incref(e.val)
			}
		}
	}
	// type_new: the namespace lives until the type is made
	// (__build_class__ drops it after)
	defer in.decref(ns)
	tdict, err := in.dictCopy(ns)
	if err != nil {
		return err
	}
	cls.dict = tdict
	// __dict__ and __weakref__ descriptors only when no base has them
	// (type_new_descriptors): a subclass of a class inherits them
	added := []string{"__doc__", "__dict__", "__weakref__"}
	if len(bases) > 0 {
		added = added[:1]
	}
	for _, k := range added {
		if err := in.dictSet(tdict, in.internName(k), None); err != nil {
			in.decref(tdict)
			return err
		}
	}
	// PyType_Ready's add_subclass: each base keeps a dict of weak
	// references to its subclasses, keyed by address (a table of general
	// entries), made with the first subclass
	for _, b := range bases {
		if b.subclass == nil {
			d, err := in.newDict()
			if err != nil {
				in.decref(tdict)
				return err
			}
			if err := in.dictSet(d, &Int{Obj: Obj{static: true}, v: int64(identity(cls))}, None); err != nil {
				in.decref(d)
				in.decref(tdict)
				return err
			}
			b.subclass = d
		}
	}
	// type_new_set_names works on a copy of the type's dict
	names2, err := in.dictCopy(tdict)
	if err != nil {
		in.decref(tdict)
		return err
	}
	in.decref(names2)
	// the blocks type_new allocates whatever the body (the type object,
	// its instances' shared keys, the mro and bases tuples,
	// descriptors...)
	typ := in.h.Type("type")
	sizes := append([]int64{in.o.Profile.FixedSizes["type"]}, in.o.Profile.ClassBlocks...)
	sizes = append(sizes, in.o.Tuples.SizeOf(max(len(bases), 1)), in.o.Tuples.SizeOf(len(cls.mro())))
	if len(bases) == 0 {
		d := in.o.Profile.FixedSizes["getset_descriptor"]
		sizes = append(sizes, d, d) // __dict__, __weakref__
	}
	for _, size := range sizes {
		a, err := in.h.Malloc(typ, size)
		if err != nil {
			in.decref(cls)
			return in.memoryError(err)
		}
		cls.blocks = append(cls.blocks, a)
	}
	if !in.classOnce {
		in.classOnce = true
		for _, size := range in.o.Profile.ClassOnceBlocks {
			if _, err := in.h.Malloc(typ, size); err != nil {
				in.decref(cls)
				return in.memoryError(err)
			}
		}
	}
	cls.addr, cls.rc, cls.keysAddr = cls.blocks[0], 1, cls.blocks[1]
	cls.usable = sharedKeysMax
	return in.storeName(fr, st.Name, cls)
}

// classNamespaceName are the names a class body stores that do not become
// class attributes the model looks up.
var classNamespaceName = map[string]bool{"__module__": true, "__qualname__": true, "__firstlineno__": true, "__static_attributes__": true}

// instantiate is C(...): the object, its values array, then __init__.
func (in *Interp) instantiate(c *Class, args []Value, kws []kwArg) (Value, error) {
	if c.name == "object" {
		return nil, in.typeError("heaptrace cannot instantiate object")
	}
	var a, va model.Addr
	var vals int64
	if in.o.Profile.InstanceValuesInline {
		// one block: the object and its inline values (_PyInlineValuesSize)
		size := int64(len(c.keyOrder) + c.usable)
		vals = (size+7)/8*8 + 8*(size+1)
		var err error
		if a, err = in.o.Fixed.New("instance", in.o.Profile.FixedSizes["instance"]+vals); err != nil {
			return nil, in.memoryError(err)
		}
		in.gcTrack("instance")
		if c.usable > 1 {
			c.usable--
		}
	} else {
		var err error
		if a, err = in.fixed("instance"); err != nil {
			return nil, err
		}
		if c.usable > 1 {
			c.usable--
		}
		size := int64(len(c.keyOrder) + c.usable)
		vals = (size+2+7)/8*8 + 8*size
		va, err = in.h.Malloc(in.h.Type("instance.values"), vals)
		if err != nil {
			in.freeFixed("instance", a)
			return nil, in.memoryError(err)
		}
	}
	inst := &Instance{Obj: Obj{rc: 1, addr: a}, class: incref(c).(*Class), attrs: map[string]Value{}, values: va, vals: vals}
	in.h.Reuse(a, c.typeID) // the object's type is the class
	in.track(inst)
	if init, ok := c.lookup("__init__"); ok {
		f, ok := init.(*Function)
		if !ok {
			in.decref(inst)
			return nil, in.typeError("__init__ must be a function")
		}
		r, err := in.callFunction(f, append([]Value{inst}, args...), kws)
		if err != nil {
			in.decref(inst)
			return nil, err
		}
		in.decref(r)
	} else if len(args) > 0 || len(kws) > 0 {
		in.decref(inst)
		return nil, in.typeError("%s() takes no arguments", c.name)
	}
	return inst, nil
}

func (in *Interp) deallocInstance(v *Instance) {
	attrs := v.attrs
	order := v.order
	v.attrs, v.order = nil, nil
	for _, k := range order {
		if x, ok := attrs[k]; ok {
			in.decref(x)
		}
	}
	if v.values != 0 {
		in.h.Free(v.values)
	}
	in.untrack(v)
	in.freeFixed("instance", v.addr)
	in.decref(v.class)
}

func (in *Interp) getAttr(obj Value, name string) (Value, error) {
	switch o := obj.(type) {
	case *Instance:
		if v, ok := o.attrs[name]; ok {
			return incref(v), nil
		}
		if v, ok := o.class.lookup(name); ok {
			if f, ok := v.(*Function); ok {
				a, err := in.fixed("method")
				if err != nil {
					return nil, err
				}
				return &boundMethod{Obj: Obj{rc: 1, addr: a}, fn: incref(f).(*Function), self: incref(o)}, nil
			}
			return incref(v), nil
		}
	case *Class:
		if v, ok := o.lookup(name); ok {
			return incref(v), nil
		}
		if name == "__name__" {
			return in.newStr(o.name)
		}
	case *Module:
		if v, ok := o.attrs[name]; ok {
			return incref(v), nil
		}
		return nil, in.raise("AttributeError", "module '%s' has no attribute '%s'", o.name, name)
	case *Exception:
		if name == "args" {
			return incref(o.args), nil
		}
	default:
		if isBuiltinReceiver(obj) {
			if name == "real" {
				return incref(obj), nil
			}
			// a bound built-in method object
			a, err := in.fixed("builtin_function_or_method")
			if err != nil {
				return nil, err
			}
			return &Builtin{Obj: Obj{rc: 1, addr: a}, name: name, self: incref(obj), fn: func(in *Interp, self Value, args []Value, kws []kwArg) (Value, error) {
				return in.callMethod(self, name, args, kws)
			}}, nil
		}
	}
	return nil, in.raise("AttributeError", "'%s' object has no attribute '%s'", typeName(obj), name)
}

// setAttr stores obj.name = v (the reference moves in). A new attribute
// name joins the class's shared keys, using up one of its usable slots.
func (in *Interp) setAttr(obj Value, name string, v Value) error {
	switch o := obj.(type) {
	case *Instance:
		old, ok := o.attrs[name]
		o.attrs[name] = v
		if ok {
			in.decref(old)
			return nil
		}
		o.order = append(o.order, name)
		c := o.class
		if !c.keySet[name] {
			if c.keySet == nil {
				c.keySet = map[string]bool{}
			}
			c.keySet[name] = true
			c.keyOrder = append(c.keyOrder, name)
			if c.usable > 0 {
				c.usable--
			}
		}
		return nil
	case *Class:
		old, ok := o.attrs[name]
		o.attrs[name] = v
		if ok {
			in.decref(old)
		}
		return nil
	}
	in.decref(v)
	return in.raise("AttributeError", "'%s' object has no attribute '%s'", typeName(obj), name)
}

// importModule returns one of the pure modules heaptrace models; anything
// else is an ImportError: scripts reach no files, network or processes.
func (in *Interp) importModule(name string) (*Module, error) {
	if m, ok := in.modules[name]; ok {
		return incref(m).(*Module), nil
	}
	var m *Module
	fn := func(n string, f builtinFunc) *Builtin {
		return &Builtin{Obj: Obj{static: true}, name: n, fn: f}
	}
	flt := func(f func(float64) float64) builtinFunc {
		return func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
			if len(args) != 1 {
				return nil, in.typeError("expected one argument")
			}
			x, ok := asFloat(args[0])
			if !ok {
				return nil, in.typeError("must be real number, not %s", typeName(args[0]))
			}
			return in.newFloat(f(x))
		}
	}
	switch name {
	case "math":
		m = &Module{name: "math", attrs: map[string]Value{
			"pi":   &Float{Obj: Obj{static: true}, v: math.Pi},
			"e":    &Float{Obj: Obj{static: true}, v: math.E},
			"inf":  &Float{Obj: Obj{static: true}, v: math.Inf(1)},
			"sqrt": fn("sqrt", flt(math.Sqrt)),
			"exp":  fn("exp", flt(math.Exp)),
			"log":  fn("log", flt(math.Log)),
			"sin":  fn("sin", flt(math.Sin)),
			"cos":  fn("cos", flt(math.Cos)),
			"fabs": fn("fabs", flt(math.Abs)),
			"floor": fn("floor", func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
				return in.floorCeil(args, math.Floor)
			}),
			"ceil": fn("ceil", func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
				return in.floorCeil(args, math.Ceil)
			}),
		}}
	case "sys":
		m = &Module{name: "sys", attrs: map[string]Value{
			"maxsize": &Int{Obj: Obj{static: true}, v: math.MaxInt64},
			"getsizeof": fn("getsizeof", func(in *Interp, _ Value, args []Value, _ []kwArg) (Value, error) {
				if len(args) < 1 {
					return nil, in.typeError("getsizeof() missing required argument 'object'")
				}
				return in.newInt(in.sizeOf(args[0]), pyobj.IntExact)
			}),
			"getrecursionlimit": fn("getrecursionlimit", func(in *Interp, _ Value, _ []Value, _ []kwArg) (Value, error) {
				return in.newInt(int64(in.opts.RecursionLimit), pyobj.IntExact)
			}),
		}}
	case "gc":
		m = &Module{name: "gc", attrs: map[string]Value{
			"collect": fn("collect", func(in *Interp, _ Value, _ []Value, _ []kwArg) (Value, error) {
				n := in.collect(2)
				return in.newInt(int64(n), pyobj.IntExact)
			}),
			"disable": fn("disable", func(in *Interp, _ Value, _ []Value, _ []kwArg) (Value, error) {
				in.gc.enabled = false
				return None, nil
			}),
			"enable": fn("enable", func(in *Interp, _ Value, _ []Value, _ []kwArg) (Value, error) {
				in.gc.enabled = true
				return None, nil
			}),
		}}
	default:
		return nil, in.raise("ModuleNotFoundError", "No module named '%s' (heaptrace models only math, sys and gc; scripts cannot reach files, the network or processes)", name)
	}
	m.static = true
	in.modules[name] = m
	return m, nil
}

func (in *Interp) floorCeil(args []Value, f func(float64) float64) (Value, error) {
	if len(args) != 1 {
		return nil, in.typeError("expected one argument")
	}
	if i, ok := args[0].(*Int); ok {
		return incref(i), nil
	}
	x, ok := asFloat(args[0])
	if !ok {
		return nil, in.typeError("must be real number, not %s", typeName(args[0]))
	}
	return in.intResult(bigFromFloat(f(x)), 0)
}

// sizeOf is sys.getsizeof(v), from the model's own sizes.
func (in *Interp) sizeOf(v Value) int64 {
	o := in.o
	switch x := v.(type) {
	case *Int:
		return o.Ints.SizeOf(in.ndigits(x))
	case *Bool:
		return o.Ints.SizeOf(1)
	case *Float:
		return o.Floats.SizeOf()
	case *Str:
		if x.n == 0 {
			return o.Strs.SizeOf(pyobj.StrASCII, 0)
		}
		if x.static && o.Strs.Cached(x.kind, x.n) {
			return o.Strs.SingletonSizeOf(x.kind)
		}
		return o.Strs.SizeOf(x.kind, x.n)
	case *Bytes:
		return o.Bytes.SizeOf(len(x.b))
	case *Tuple:
		return o.Tuples.SizeOf(len(x.items))
	case *List:
		return o.Lists.SizeOf(x.mem)
	case *Dict:
		return o.Dicts.SizeOf(x.mem)
	case *Set:
		return o.Sets.SizeOf(x.mem)
	case *NoneType:
		return 16
	case *Function:
		return in.o.Profile.FixedSizes["function"]
	case *Cell:
		return in.o.Profile.FixedSizes["cell"]
	case *Instance:
		return in.o.Profile.FixedSizes["instance"]
	case *Range:
		return in.o.Profile.FixedSizes["range"]
	case *boundMethod:
		return in.o.Profile.FixedSizes["method"]
	}
	if h := v.header(); h.addr != 0 {
		return in.h.SizeOf(h.addr)
	}
	return 16
}

func bigFromFloat(f float64) *big.Int {
	b, _ := big.NewFloat(f).Int(nil)
	return b
}

// mro is the class and its ancestors in method resolution order (left to
// right, depth first, each once: exact for single inheritance), object
// last.
func (c *Class) mro() []*Class {
	out := []*Class{c}
	seen := map[*Class]bool{c: true}
	var walk func(*Class)
	walk = func(k *Class) {
		for _, b := range k.bases {
			if !seen[b] {
				seen[b] = true
				out = append(out, b)
				walk(b)
			}
		}
	}
	walk(c)
	return append(out, nil) // object
}
