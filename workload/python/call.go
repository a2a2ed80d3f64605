package python

import (
	"github.com/heaptrace/heaptrace/workload/python/syntax"
)

// This file defines function objects, calls and comprehensions.

// makeFunction is MAKE_FUNCTION: the defaults tuple (unless every default
// is a constant), the keyword-only defaults dict, the closure tuple of the
// captured cells, then the 152-byte function object.
func (in *Interp) makeFunction(fr *Frame, code *Code) (*Function, error) {
	f := &Function{code: code, globals: fr.globals}
	var p *syntax.Params = code.params
	if p != nil {
		var defs []Value
		for _, a := range p.Args {
			if a.Default != nil {
				v, err := in.eval(fr, a.Default)
				if err != nil {
					in.decrefAll(defs)
					return nil, err
				}
				defs = append(defs, v)
			}
		}
		if len(defs) > 0 {
			if code.constDefaults {
				f.defaults = defs // a constant tuple: nothing allocated
			} else {
				t, err := in.newTuple(defs)
				if err != nil {
					return nil, err
				}
				f.defTuple = t
				f.defaults = t.items
			}
		}
		var kwNames []string
		var kwVals []Value
		for _, a := range p.KwOnly {
			if a.Default != nil {
				v, err := in.eval(fr, a.Default)
				if err != nil {
					in.decrefAll(kwVals)
					in.releaseFunctionParts(f)
					return nil, err
				}
				kwNames = append(kwNames, a.Name)
				kwVals = append(kwVals, v)
			}
		}
		if len(kwNames) > 0 {
			d, err := in.newDictPresized(len(kwNames), true)
			if err != nil {
				in.decrefAll(kwVals)
				in.releaseFunctionParts(f)
				return nil, err
			}
			f.kwDefaults = map[string]Value{}
			for i, n := range kwNames {
				f.kwDefaults[n] = kwVals[i]
				if err := in.dictSet(d, in.internName(n), incref(kwVals[i])); err != nil {
					in.decref(d)
					return nil, err
				}
				in.decref(kwVals[i])
			}
			f.kwDict = d
		}
	}
	if len(code.frees) > 0 {
		cells := make([]Value, len(code.frees))
		for i, n := range code.frees {
			c := fr.cells[n]
			if c == nil {
				return nil, in.raise("SystemError", "no cell for %s", n)
			}
			cells[i] = incref(c)
		}
		t, err := in.newTuple(cells)
		if err != nil {
			in.releaseFunctionParts(f)
			return nil, err
		}
		f.closure = t
	}
	a, err := in.fixed("function")
	if err != nil {
		in.releaseFunctionParts(f)
		return nil, err
	}
	f.addr, f.rc = a, 1
	in.track(f)
	return f, nil
}

func (in *Interp) releaseFunctionParts(f *Function) {
	if f.defTuple != nil {
		in.decref(f.defTuple)
	}
	if f.kwDict != nil {
		in.decref(f.kwDict)
	}
	if f.closure != nil {
		in.decref(f.closure)
	}
}

// evalCall evaluates a call. A method call on a built-in object (obj.m(...))
// is LOAD_METHOD: no bound method object is made.
func (in *Interp) evalCall(fr *Frame, e *syntax.Call) (Value, error) {
	var fn, self Value
	var method string
	if attr, ok := e.Func.(*syntax.Attribute); ok {
		obj, err := in.eval(fr, attr.Value)
		if err != nil {
			return nil, err
		}
		if isBuiltinReceiver(obj) {
			self, method = obj, attr.Attr
		} else {
			fn, err = in.getAttr(obj, attr.Attr)
			in.decref(obj)
			if err != nil {
				return nil, err
			}
		}
	} else {
		var err error
		if fn, err = in.eval(fr, e.Func); err != nil {
			return nil, err
		}
	}
	release := func() {
		if fn != nil {
			in.decref(fn)
		}
		if self != nil {
			in.decref(self)
		}
	}
	// arguments
	starred := hasStar(e.Args)
	var args []Value
	var err error
	if starred {
		args, err = in.evalSeq(fr, e.Args)
	} else {
		args = make([]Value, 0, len(e.Args))
		for _, a := range e.Args {
			if g, ok := a.(*syntax.GeneratorExp); ok && len(e.Args) == 1 {
				v, gerr := in.evalComprehension(fr, g)
				if gerr != nil {
					err = gerr
					break
				}
				args = append(args, v)
				continue
			}
			v, aerr := in.eval(fr, a)
			if aerr != nil {
				err = aerr
				break
			}
			args = append(args, v)
		}
	}
	if err != nil {
		in.decrefAll(args)
		release()
		return nil, err
	}
	var kws []kwArg
	var kwDict *Dict
	dstar := false
	for _, k := range e.Keywords {
		if k.Name == "" {
			dstar = true
		}
	}
	for _, k := range e.Keywords {
		v, kerr := in.eval(fr, k.Value)
		if kerr != nil {
			err = kerr
			break
		}
		if k.Name == "" {
			m, ok := v.(*Dict)
			if !ok {
				in.decref(v)
				err = in.typeError("argument after ** must be a mapping, not %s", typeName(v))
				break
			}
			for _, en := range m.entries {
				if en.live {
					ks, ok := en.key.(*Str)
					if !ok {
						err = in.typeError("keywords must be strings")
						break
					}
					kws = append(kws, kwArg{ks.s, incref(en.val)})
				}
			}
			in.decref(v)
			continue
		}
		kws = append(kws, kwArg{k.Name, v})
	}
	// CALL_FUNCTION_EX packs the positional arguments into a tuple and the
	// keywords into a dict
	var argTuple *Tuple
	if err == nil && (starred || dstar) {
		items := make([]Value, len(args))
		for i, a := range args {
			items[i] = incref(a)
		}
		argTuple, err = in.newTuple(items)
		if err == nil && len(kws) > 0 {
			if kwDict, err = in.newDict(); err == nil {
				for _, k := range kws {
					if err = in.dictSet(kwDict, in.internName(k.name), incref(k.val)); err != nil {
						break
					}
				}
			}
		}
	}
	var res Value
	if err == nil {
		if self != nil {
			res, err = in.callMethod(self, method, args, kws)
		} else {
			res, err = in.callValue(fn, args, kws)
		}
	}
	if argTuple != nil {
		in.decref(argTuple)
	}
	if kwDict != nil {
		in.decref(kwDict)
	}
	in.decrefAll(args)
	for _, k := range kws {
		in.decref(k.val)
	}
	check := err == nil && checksEvalBreaker(fn, method)
	release()
	if check {
		in.evalBreaker()
	}
	return res, err
}

// checksEvalBreaker reports whether a call ends with an eval-breaker
// check: calls to C do, except the specialised len(), isinstance() and
// list.append; a Python function checks as it starts (RESUME).
func checksEvalBreaker(fn Value, method string) bool {
	switch f := fn.(type) {
	case nil:
		return method != "append"
	case *Function, *boundMethod:
		return false
	case *Builtin:
		return f.name != "len" && f.name != "isinstance"
	}
	return true
}

// isBuiltinReceiver reports whether obj's methods are C methods reached by
// LOAD_METHOD.
func isBuiltinReceiver(obj Value) bool {
	switch obj.(type) {
	case *Str, *List, *Dict, *Set, *Tuple, *Bytes, *Int, *Float, *dictView:
		return true
	}
	return false
}

// callValue calls fn with borrowed arguments and returns a new reference.
func (in *Interp) callValue(fn Value, args []Value, kws []kwArg) (Value, error) {
	switch f := fn.(type) {
	case *Function:
		return in.callFunction(f, args, kws)
	case *Builtin:
		return in.callBuiltin(f, args, kws)
	case *ExcType:
		items := make([]Value, len(args))
		for i, a := range args {
			items[i] = incref(a)
		}
		return in.makeException(f, items)
	case *Class:
		return in.instantiate(f, args, kws)
	case *boundMethod:
		all := append([]Value{f.self}, args...)
		return in.callFunction(f.fn, all, kws)
	}
	return nil, in.typeError("'%s' object is not callable", typeName(fn))
}

// callBuiltin calls a C function; METH_VARARGS ones (and types without
// vectorcall) get their arguments packed into a tuple, which goes to the
// tuple free list afterwards.
func (in *Interp) callBuiltin(b *Builtin, args []Value, kws []kwArg) (Value, error) {
	var tup *Tuple
	argsTuple := b.argsTuple && !in.noArgsTuple[b.name]
	if argsTuple && len(args) > 0 {
		items := make([]Value, len(args))
		for i, a := range args {
			items[i] = incref(a)
		}
		var err error
		if tup, err = in.newTuple(items); err != nil {
			return nil, err
		}
	}
	var kwd *Dict
	if argsTuple && len(kws) > 0 {
		var err error
		if kwd, err = in.newDict(); err == nil {
			for _, k := range kws {
				if err = in.dictSet(kwd, in.internName(k.name), incref(k.val)); err != nil {
					break
				}
			}
		}
		if err != nil {
			if tup != nil {
				in.decref(tup)
			}
			return nil, err
		}
	}
	res, err := b.fn(in, b.self, args, kws)
	if kwd != nil {
		in.decref(kwd)
	}
	if tup != nil {
		in.decref(tup)
	}
	return res, err
}

// callFunction calls a Python function: a frame on the data stack (not
// heap memory), its cells (40 bytes each), then the body.
func (in *Interp) callFunction(f *Function, args []Value, kws []kwArg) (Value, error) {
	code := f.code
	fr := &Frame{code: code, fn: f, globals: f.globals, locals: make([]Value, len(code.locals))}
	if err := in.bindArgs(fr, f, args, kws); err != nil {
		in.clearFrame(fr)
		return nil, err
	}
	if err := in.makeCells(fr, f); err != nil {
		in.clearFrame(fr)
		return nil, err
	}
	code.warmup++ // RESUME
	in.evalBreaker()
	in.h.Call()
	caller := in.h.CurrentSite()
	in.setSite(fr, code.pos.Line)
	c, err := in.runFrame(fr, func() (ctl, error) {
		if code.kind == codeLambda {
			v, err := in.eval(fr, code.expr)
			fr.ret = v
			return ctlReturn, err
		}
		return in.execBlock(fr, code.body)
	})
	ret := fr.ret
	fr.ret = nil
	in.clearFrame(fr)
	in.h.SetSite(caller)
	in.h.Return()
	if err != nil {
		if ret != nil {
			in.decref(ret)
		}
		return nil, err
	}
	if c != ctlReturn || ret == nil {
		return None, nil
	}
	return ret, nil
}

// makeCells is MAKE_CELL and COPY_FREE_VARS: new cells for the frame's
// captured locals (holding the parameter if it is one), and the closure's
// cells for its free variables (f is nil for an inlined comprehension,
// whose caller has put them in fr.cells already).
func (in *Interp) makeCells(fr *Frame, f *Function) error {
	code := fr.code
	if len(code.cells) == 0 && len(code.frees) == 0 {
		return nil
	}
	if fr.cells == nil {
		fr.cells = map[string]*Cell{}
	}
	if f != nil && f.closure != nil {
		for i, n := range code.frees {
			fr.cells[n] = incref(f.closure.items[i]).(*Cell)
		}
	}
	names := make([]string, 0, len(code.cells))
	for _, n := range code.locals {
		if code.cells[n] {
			names = append(names, n)
		}
	}
	for n := range code.cells {
		if _, isLocal := code.slot[n]; !isLocal {
			names = append(names, n)
		}
	}
	for _, n := range names {
		if _, done := fr.cells[n]; done {
			continue
		}
		a, err := in.fixed("cell")
		if err != nil {
			return err
		}
		c := &Cell{Obj: Obj{rc: 1, addr: a}}
		in.track(c)
		if i, ok := code.slot[n]; ok && fr.locals[i] != nil {
			c.v = fr.locals[i]
			fr.locals[i] = nil
		}
		fr.cells[n] = c
	}
	return nil
}

// clearFrame drops the frame's locals in slot order, then its cells.
func (in *Interp) clearFrame(fr *Frame) {
	for i, v := range fr.locals {
		if v != nil {
			fr.locals[i] = nil
			in.decref(v)
		}
	}
	for n, c := range fr.cells {
		delete(fr.cells, n)
		in.decref(c)
	}
}

// bindArgs moves the arguments into the frame's locals.
func (in *Interp) bindArgs(fr *Frame, f *Function, args []Value, kws []kwArg) error {
	code := f.code
	p := code.params
	if code.kind == codeComprehension || code.kind == codeGenExpr {
		fr.locals[0] = incref(args[0])
		return nil
	}
	nargs := len(p.Args)
	for i, a := range args {
		if i < nargs {
			fr.locals[i] = incref(a)
		}
	}
	var varargs []Value
	if len(args) > nargs {
		if p.Vararg == nil {
			return in.typeError("%s() takes %d positional argument%s but %d were given", code.name, nargs, plural(nargs), len(args))
		}
		for _, a := range args[nargs:] {
			varargs = append(varargs, incref(a))
		}
	}
	var extra *Dict
	for _, k := range kws {
		i, ok := code.slot[k.name]
		isParam := ok && i < nargs+len(p.KwOnly)+boolInt(p.Vararg != nil)
		if ok && isParam && (p.Vararg == nil || i != nargs) {
			if fr.locals[i] != nil {
				return in.typeError("%s() got multiple values for argument '%s'", code.name, k.name)
			}
			fr.locals[i] = incref(k.val)
			continue
		}
		if p.Kwarg == nil {
			return in.typeError("%s() got an unexpected keyword argument '%s'", code.name, k.name)
		}
		if extra == nil {
			var err error
			if extra, err = in.newDict(); err != nil {
				return err
			}
		}
		if err := in.dictSet(extra, in.internName(k.name), incref(k.val)); err != nil {
			return err
		}
	}
	// defaults
	nd := len(f.defaults)
	for i := 0; i < nargs; i++ {
		if fr.locals[i] != nil {
			continue
		}
		if j := i - (nargs - nd); j >= 0 {
			fr.locals[i] = incref(f.defaults[j])
			continue
		}
		return in.typeError("%s() missing 1 required positional argument: '%s'", code.name, p.Args[i].Name)
	}
	pos := nargs
	if p.Vararg != nil {
		t, err := in.newTuple(varargs)
		if err != nil {
			return err
		}
		fr.locals[pos] = t
		pos++
	}
	for _, a := range p.KwOnly {
		if fr.locals[pos] == nil {
			if v, ok := f.kwDefaults[a.Name]; ok {
				fr.locals[pos] = incref(v)
			} else {
				return in.typeError("%s() missing 1 required keyword-only argument: '%s'", code.name, a.Name)
			}
		}
		pos++
	}
	if p.Kwarg != nil {
		if extra == nil {
			var err error
			if extra, err = in.newDict(); err != nil {
				return err
			}
		}
		fr.locals[pos] = extra
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// evalComprehension runs a comprehension as CPython 3.11 does: a function
// object, the first iterable's iterator made outside, then a call in which
// the result is built; a generator expression instead returns a generator
// object that runs the loops lazily. An inlined comprehension (3.12+)
// makes no function: the iterator, then the loops in the current frame.
func (in *Interp) evalComprehension(fr *Frame, e syntax.Expr) (Value, error) {
	code := in.prog.codes[e]
	var f *Function
	if !code.inlined {
		var err error
		if f, err = in.makeFunction(fr, code); err != nil {
			return nil, err
		}
	}
	var gens []*syntax.Comprehension
	switch e := e.(type) {
	case *syntax.ListComp:
		gens = e.Generators
	case *syntax.SetComp:
		gens = e.Generators
	case *syntax.DictComp:
		gens = e.Generators
	case *syntax.GeneratorExp:
		gens = e.Generators
	}
	dropFunc := func() {
		if f != nil { // an inlined comprehension has none
			in.decref(f)
		}
	}
	src, err := in.eval(fr, gens[0].Iter)
	if err != nil {
		dropFunc()
		return nil, err
	}
	it, err := in.getIter(src)
	if err != nil {
		dropFunc()
		return nil, err
	}
	if code.inlined {
		return in.inlineComprehension(fr, code, it, e, gens)
	}
	if code.kind == codeGenExpr {
		g, err := in.newGenerator(f, it, gens, e.(*syntax.GeneratorExp).Elt)
		in.decref(f)
		return g, err
	}
	res, err := in.callComprehension(f, it, e, gens)
	in.decref(f)
	return res, err
}

func (in *Interp) callComprehension(f *Function, it iterator, e syntax.Expr, gens []*syntax.Comprehension) (Value, error) {
	code := f.code
	fr := &Frame{code: code, fn: f, globals: f.globals, locals: make([]Value, len(code.locals))}
	fr.locals[0] = it
	if err := in.makeCells(fr, f); err != nil {
		in.clearFrame(fr)
		return nil, err
	}
	code.warmup++
	in.h.Call()
	caller := in.h.CurrentSite()
	in.setSite(fr, code.pos.Line)
	var result Value
	_, err := in.runFrame(fr, func() (ctl, error) { return ctlNone, in.buildComprehension(fr, e, gens, &result) })
	in.clearFrame(fr)
	in.h.SetSite(caller)
	in.h.Return()
	if err != nil {
		if result != nil {
			in.decref(result)
		}
		return nil, err
	}
	return result, nil
}

// inlineComprehension runs an inlined comprehension (PEP 709) in outer:
// its own frame holds its iterator and variables, reaches outer's
// variables directly (nameOuter) and outer's cells for its free ones; no
// function, no closure tuple, no call.
func (in *Interp) inlineComprehension(outer *Frame, code *Code, it iterator, e syntax.Expr, gens []*syntax.Comprehension) (Value, error) {
	fr := &Frame{code: code, globals: outer.globals, locals: make([]Value, len(code.locals)), outer: outer}
	fr.locals[0] = it
	if len(code.frees) > 0 || len(code.cells) > 0 {
		fr.cells = map[string]*Cell{}
		for _, n := range code.frees {
			c := outer.cells[n]
			if c == nil {
				in.clearFrame(fr)
				return nil, in.raise("SystemError", "no cell for %s", n)
			}
			fr.cells[n] = incref(c).(*Cell)
		}
		if err := in.makeCells(fr, nil); err != nil {
			in.clearFrame(fr)
			return nil, err
		}
	}
	caller := in.h.CurrentSite()
	in.setSite(fr, code.pos.Line)
	var result Value
	err := in.buildComprehension(fr, e, gens, &result)
	in.clearFrame(fr)
	in.h.SetSite(caller)
	if err != nil {
		if result != nil {
			in.decref(result)
		}
		return nil, err
	}
	return result, nil
}

// buildComprehension makes a list, set or dict comprehension's result in
// *result and runs its loops in fr.
func (in *Interp) buildComprehension(fr *Frame, e syntax.Expr, gens []*syntax.Comprehension, result *Value) error {
	var add func() error
	{
		var err error
		switch e := e.(type) {
		case *syntax.ListComp:
			var l *List
			if l, err = in.newList(); err != nil {
				return err
			}
			*result = l
			add = func() error {
				v, err := in.eval(fr, e.Elt)
				if err != nil {
					return err
				}
				return in.listAppend(l, v)
			}
		case *syntax.SetComp:
			var s *Set
			if s, err = in.newSet(false); err != nil {
				return err
			}
			*result = s
			add = func() error {
				v, err := in.eval(fr, e.Elt)
				if err != nil {
					return err
				}
				return in.setAdd(s, v)
			}
		case *syntax.DictComp:
			var d *Dict
			if d, err = in.newDict(); err != nil {
				return err
			}
			*result = d
			add = func() error {
				k, err := in.eval(fr, e.Key)
				if err != nil {
					return err
				}
				v, err := in.eval(fr, e.Value)
				if err != nil {
					in.decref(k)
					return err
				}
				return in.dictSet(d, k, v)
			}
		}
	}
	return in.compLoops(fr, gens, 0, fr.locals[0].(iterator), add)
}

// compLoops runs clause i of a comprehension over it (borrowed).
func (in *Interp) compLoops(fr *Frame, gens []*syntax.Comprehension, i int, it iterator, add func() error) error {
	g := gens[i]
	for {
		in.setSite(fr, g.Pos.Line)
		x, err := it.next(in)
		if err != nil {
			return err
		}
		if x == nil {
			return nil
		}
		if err := in.assign(fr, g.Target, x); err != nil {
			return err
		}
		ok, err := in.compIfs(fr, g.Ifs)
		if err != nil {
			return err
		}
		if ok {
			if i+1 < len(gens) {
				src, err := in.eval(fr, gens[i+1].Iter)
				if err != nil {
					return err
				}
				inner, err := in.getIter(src)
				if err != nil {
					return err
				}
				err = in.compLoops(fr, gens, i+1, inner, add)
				in.decref(inner)
				if err != nil {
					return err
				}
			} else if err := add(); err != nil {
				return err
			}
		}
		in.backEdge(fr)
	}
}

func (in *Interp) compIfs(fr *Frame, ifs []syntax.Expr) (bool, error) {
	for _, c := range ifs {
		t, err := in.truthEval(fr, c)
		if err != nil || !t {
			return false, err
		}
	}
	return true, nil
}

// generator is a generator expression's generator object: its frame lives
// inside it, and each next resumes the loops where they stopped.
type generator struct {
	iterBase
	fr    *Frame
	gens  []*syntax.Comprehension
	elt   syntax.Expr
	iters []iterator // the open iterator of each clause
	fn    *Function
	done  bool
}

func (in *Interp) newGenerator(f *Function, it iterator, gens []*syntax.Comprehension, elt syntax.Expr) (Value, error) {
	a, err := in.o.Fixed.New("generator", in.generatorSize(f.code))
	if err != nil {
		in.decref(it)
		return nil, in.memoryError(err)
	}
	in.gcTrack("generator")
	b := iterBase{Obj: Obj{rc: 1, addr: a}, kind: "generator"}
	code := f.code
	fr := &Frame{code: code, fn: f, globals: f.globals, locals: make([]Value, len(code.locals))}
	fr.locals[0] = it
	if err := in.makeCells(fr, f); err != nil {
		in.clearFrame(fr)
		in.freeIterBase(&b)
		return nil, err
	}
	// the generator's frame holds the function (f_func) until it finishes
	g := &generator{iterBase: b, fr: fr, gens: gens, elt: elt, iters: []iterator{it}, fn: incref(f).(*Function)}
	in.track(g)
	return g, nil
}

func (g *generator) next(in *Interp) (Value, error) {
	if g.done {
		return nil, nil
	}
	g.fr.code.warmup++
	in.evalBreaker()
	in.h.Call()
	caller := in.h.CurrentSite()
	var out Value
	_, err := in.runFrame(g.fr, func() (ctl, error) {
		v, err := g.resume(in)
		out = v
		return ctlNone, err
	})
	in.h.SetSite(caller)
	in.h.Return()
	if err != nil || out == nil {
		g.finish(in)
	}
	return out, err
}

// resume advances the innermost open clause until an element is produced.
func (g *generator) resume(in *Interp) (Value, error) {
	fr := g.fr
	for len(g.iters) > 0 {
		depth := len(g.iters) - 1
		c := g.gens[depth]
		in.setSite(fr, c.Pos.Line)
		x, err := g.iters[depth].next(in)
		if err != nil {
			return nil, err
		}
		if x == nil {
			if depth > 0 {
				in.decref(g.iters[depth])
			}
			g.iters = g.iters[:depth]
			continue
		}
		if err := in.assign(fr, c.Target, x); err != nil {
			return nil, err
		}
		ok, err := in.compIfs(fr, c.Ifs)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if depth+1 < len(g.gens) {
			src, err := in.eval(fr, g.gens[depth+1].Iter)
			if err != nil {
				return nil, err
			}
			inner, err := in.getIter(src)
			if err != nil {
				return nil, err
			}
			g.iters = append(g.iters, inner)
			continue
		}
		return in.eval(fr, g.elt)
	}
	return nil, nil
}

// finish clears the generator's frame (its locals, the first iterator
// among them) once it is exhausted or failed.
func (g *generator) finish(in *Interp) {
	if g.done {
		return
	}
	g.done = true
	for _, it := range g.iters[min(1, len(g.iters)):] {
		in.decref(it)
	}
	g.iters = nil
	in.clearFrame(g.fr)
	in.decref(g.fn)
}

func (g *generator) release(in *Interp) {
	g.finish(in)
	in.untrack(g)
	in.freeIterBase(&g.iterBase)
}

func (g *generator) lengthHint() (int, bool) { return 0, false }

// boundMethod is a Python function bound to an instance.
type boundMethod struct {
	Obj
	fn   *Function
	self Value
}
