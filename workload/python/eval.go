package python

import (
	"github.com/heaptrace/heaptrace/workload/python/syntax"
)

// This file defines frames and the execution of statements.

// Frame is one activation of a code object.
type Frame struct {
	code     *Code
	fn       *Function
	globals  *Dict
	locals   []Value
	cells    map[string]*Cell
	line     int
	ret      Value
	handling []*Exception // exceptions being handled, innermost last (for a bare raise)
	classNS  *Dict        // a class body's namespace
	outer    *Frame       // the frame an inlined comprehension runs in
}

// outerFrame returns the frame holding the variable name that an inlined
// comprehension's frame reaches in its enclosing frames (nameOuter).
func outerFrame(fr *Frame, name string) *Frame {
	for fr.outer != nil && fr.code.scope[name] == nameOuter {
		fr = fr.outer
	}
	return fr
}

type ctl uint8

const (
	ctlNone ctl = iota
	ctlBreak
	ctlContinue
	ctlReturn
)

// runFrame runs body as the frame fr: it keeps the frame on the stack for
// tracebacks and, when an exception leaves the frame, records where.
func (in *Interp) runFrame(fr *Frame, body func() (ctl, error)) (ctl, error) {
	if len(in.frames) >= in.opts.RecursionLimit {
		return ctlNone, in.raise("RecursionError", "maximum recursion depth exceeded")
	}
	in.frames = append(in.frames, fr)
	c, err := body()
	in.frames = in.frames[:len(in.frames)-1]
	if pe, ok := err.(*PyError); ok {
		pe.exc.tb = append([]traceEntry{{file: fr.code.file, line: fr.line, name: fr.code.name}}, pe.exc.tb...)
	}
	return c, err
}

func (in *Interp) execBlock(fr *Frame, body []syntax.Stmt) (ctl, error) {
	for _, st := range body {
		c, err := in.exec(fr, st)
		if err != nil || c != ctlNone {
			return c, err
		}
	}
	return ctlNone, nil
}

func (in *Interp) exec(fr *Frame, st syntax.Stmt) (ctl, error) {
	in.setSite(fr, st.Position().Line)
	if err := in.checkLimits(); err != nil {
		return ctlNone, err
	}
	switch st := st.(type) {
	case *syntax.ExprStmt:
		if _, ok := st.Value.(*syntax.Str); ok {
			return ctlNone, nil // a docstring: a constant, nothing runs
		}
		v, err := in.eval(fr, st.Value)
		if err != nil {
			return ctlNone, err
		}
		in.decref(v)
	case *syntax.Assign:
		if targets, values, ok := swapAssign(st); ok {
			// a, b = x, y: the compiler swaps instead of packing a tuple
			vals, err := in.evalSeq(fr, values)
			if err != nil {
				return ctlNone, err
			}
			return ctlNone, in.assignAll(fr, targets, vals)
		}
		v, err := in.eval(fr, st.Value)
		if err != nil {
			return ctlNone, err
		}
		for i, t := range st.Targets {
			if i < len(st.Targets)-1 {
				incref(v)
			}
			if err := in.assign(fr, t, v); err != nil {
				if i < len(st.Targets)-1 {
					in.decref(v)
				}
				return ctlNone, err
			}
		}
	case *syntax.AugAssign:
		return ctlNone, in.augAssign(fr, st)
	case *syntax.Delete:
		for _, t := range st.Targets {
			if err := in.delete(fr, t); err != nil {
				return ctlNone, err
			}
		}
	case *syntax.Pass:
	case *syntax.Break:
		return ctlBreak, nil
	case *syntax.Continue:
		return ctlContinue, nil
	case *syntax.Return:
		v := Value(None)
		if st.Value != nil {
			var err error
			if v, err = in.eval(fr, st.Value); err != nil {
				return ctlNone, err
			}
		}
		fr.ret = v
		return ctlReturn, nil
	case *syntax.If:
		for {
			t, err := in.truthEval(fr, st.Cond)
			if err != nil {
				return ctlNone, err
			}
			if t {
				return in.execBlock(fr, st.Body)
			}
			if len(st.Else) == 1 {
				if elif, ok := st.Else[0].(*syntax.If); ok {
					in.setSite(fr, elif.Pos.Line)
					st = elif
					continue
				}
			}
			return in.execBlock(fr, st.Else)
		}
	case *syntax.While:
		return in.execWhile(fr, st)
	case *syntax.For:
		return in.execFor(fr, st)
	case *syntax.FuncDef:
		f, err := in.makeFunction(fr, in.prog.codes[st])
		if err != nil {
			return ctlNone, err
		}
		return ctlNone, in.storeName(fr, st.Name, f)
	case *syntax.ClassDef:
		return ctlNone, in.execClass(fr, st)
	case *syntax.Global, *syntax.Nonlocal:
	case *syntax.Import:
		for _, a := range st.Names {
			m, err := in.importModule(a.Name)
			if err != nil {
				return ctlNone, err
			}
			name := a.AsName
			if name == "" {
				name = a.Name
			}
			if err := in.storeName(fr, name, m); err != nil {
				return ctlNone, err
			}
		}
	case *syntax.ImportFrom:
		m, err := in.importModule(st.Module)
		if err != nil {
			return ctlNone, err
		}
		for _, a := range st.Names {
			v, ok := m.attrs[a.Name]
			if !ok {
				return ctlNone, in.raise("ImportError", "cannot import name '%s' from '%s'", a.Name, st.Module)
			}
			name := a.AsName
			if name == "" {
				name = a.Name
			}
			if err := in.storeName(fr, name, incref(v)); err != nil {
				return ctlNone, err
			}
		}
	case *syntax.Assert:
		t, err := in.truthEval(fr, st.Test)
		if err != nil || t {
			return ctlNone, err
		}
		msg := ""
		if st.Msg != nil {
			v, err := in.eval(fr, st.Msg)
			if err != nil {
				return ctlNone, err
			}
			msg = in.strOf(v)
			in.decref(v)
		}
		return ctlNone, in.raise("AssertionError", "%s", msg)
	case *syntax.Raise:
		return ctlNone, in.execRaise(fr, st)
	case *syntax.Try:
		return in.execTry(fr, st)
	default:
		return ctlNone, in.raise("SyntaxError", "unsupported statement %T", st)
	}
	return ctlNone, nil
}

// backEdge counts a loop's jump back (JUMP_BACKWARD) towards quickening;
// it checks the eval breaker.
func (in *Interp) backEdge(fr *Frame) {
	fr.code.warmup++
	in.evalBreaker()
}

func (in *Interp) execWhile(fr *Frame, st *syntax.While) (ctl, error) {
	for {
		in.setSite(fr, st.Pos.Line)
		t, err := in.truthEval(fr, st.Cond)
		if err != nil {
			return ctlNone, err
		}
		if !t {
			return in.execBlock(fr, st.Else)
		}
		c, err := in.execBlock(fr, st.Body)
		if err != nil || c == ctlReturn {
			return c, err
		}
		if c == ctlBreak {
			return ctlNone, nil
		}
		in.backEdge(fr)
	}
}

func (in *Interp) execFor(fr *Frame, st *syntax.For) (ctl, error) {
	seq, err := in.eval(fr, st.Iter)
	if err != nil {
		return ctlNone, err
	}
	it, err := in.getIter(seq)
	if err != nil {
		return ctlNone, err
	}
	defer in.decref(it)
	for {
		in.setSite(fr, st.Pos.Line)
		x, err := it.next(in)
		if err != nil {
			return ctlNone, err
		}
		if x == nil {
			return in.execBlock(fr, st.Else)
		}
		if err := in.assign(fr, st.Target, x); err != nil {
			return ctlNone, err
		}
		c, err := in.execBlock(fr, st.Body)
		if err != nil || c == ctlReturn {
			return c, err
		}
		if c == ctlBreak {
			return ctlNone, nil
		}
		in.backEdge(fr)
	}
}

func (in *Interp) execRaise(fr *Frame, st *syntax.Raise) error {
	if st.Exc == nil {
		if n := len(fr.handling); n > 0 {
			e := fr.handling[n-1]
			incref(e)
			e.tb = nil
			return in.throw(e)
		}
		return in.raise("RuntimeError", "No active exception to reraise")
	}
	v, err := in.eval(fr, st.Exc)
	if err != nil {
		return err
	}
	if st.Cause != nil {
		c, err := in.eval(fr, st.Cause)
		if err != nil {
			in.decref(v)
			return err
		}
		in.decref(c)
	}
	switch v := v.(type) {
	case *Exception:
		v.tb = nil
		return in.throw(v)
	case *ExcType:
		return in.newException(v, nil)
	}
	in.decref(v)
	return in.typeError("exceptions must derive from BaseException")
}

// newException instantiates an exception class with args (references move in).
func (in *Interp) newException(t *ExcType, args []Value) error {
	e, err := in.makeException(t, args)
	if err != nil {
		return err
	}
	return in.throw(e)
}

func (in *Interp) makeException(t *ExcType, args []Value) (*Exception, error) {
	a, err := in.fixed("exception")
	if err != nil {
		in.decrefAll(args)
		return nil, err
	}
	tup, err := in.newTuple(args)
	if err != nil {
		in.freeFixed("exception", a)
		return nil, err
	}
	e := &Exception{Obj: Obj{rc: 1, addr: a}, typ: t, args: tup}
	if len(args) == 1 {
		e.msg = in.strOf(args[0])
		if t.name == "KeyError" {
			e.msg = in.reprOf(args[0])
		}
	} else if len(args) > 1 {
		e.msg = in.reprOf(tup)
	}
	return e, nil
}

func (in *Interp) execTry(fr *Frame, st *syntax.Try) (ctl, error) {
	c, err := in.execBlock(fr, st.Body)
	if pe, ok := err.(*PyError); ok && len(st.Handlers) > 0 {
		handled := false
		for _, h := range st.Handlers {
			in.setSite(fr, h.Pos.Line)
			match := h.Type == nil
			if !match {
				t, terr := in.eval(fr, h.Type)
				if terr != nil {
					err = terr
					break
				}
				match = in.excMatches(pe.exc, t)
				in.decref(t)
			}
			if !match {
				continue
			}
			handled = true
			exc := pe.exc
			fr.handling = append(fr.handling, exc)
			if h.Name != "" {
				incref(exc)
				if serr := in.storeName(fr, h.Name, exc); serr != nil {
					err = serr
					break
				}
			}
			c, err = in.execBlock(fr, h.Body)
			fr.handling = fr.handling[:len(fr.handling)-1]
			if h.Name != "" {
				in.deleteNameIfBound(fr, h.Name)
			}
			in.releaseExc(exc)
			break
		}
		if !handled && err == pe {
			// no handler matched: keep propagating
		}
	} else if err == nil && c == ctlNone && st.Else != nil {
		c, err = in.execBlock(fr, st.Else)
	}
	if st.Finally != nil {
		fc, ferr := in.execBlock(fr, st.Finally)
		if ferr != nil {
			return fc, ferr
		}
		if fc != ctlNone {
			if pe, ok := err.(*PyError); ok {
				in.releaseExc(pe.exc)
			}
			return fc, nil
		}
	}
	return c, err
}

func (in *Interp) excMatches(e *Exception, t Value) bool {
	switch t := t.(type) {
	case *ExcType:
		return e.typ.isSubclass(t)
	case *Tuple:
		for _, x := range t.items {
			if in.excMatches(e, x) {
				return true
			}
		}
	}
	return false
}

// ---- names ----

// storeName binds name to v (the reference moves in) in fr's scope.
func (in *Interp) storeName(fr *Frame, name string, v Value) error {
	if fr.classNS != nil {
		return in.dictSet(fr.classNS, in.internName(name), v)
	}
	switch fr.code.scope[name] {
	case nameOuter:
		return in.storeName(outerFrame(fr, name), name, v)
	case nameLocal:
		i := fr.code.slot[name]
		old := fr.locals[i]
		fr.locals[i] = v
		if old != nil {
			in.decref(old)
		}
		return nil
	case nameCell, nameFree:
		c := fr.cells[name]
		old := c.v
		c.v = v
		if old != nil {
			in.decref(old)
		}
		return nil
	}
	return in.dictSet(fr.globals, in.internName(name), v)
}

// internName returns the interned str of an identifier: it exists in the
// code object's names, so using it allocates nothing.
func (in *Interp) internName(name string) *Str {
	if s, ok := in.interned[name]; ok {
		return s
	}
	if in.interned == nil {
		in.interned = map[string]*Str{}
	}
	s := staticStr(name)
	in.interned[name] = s
	return s
}

// nameRef is a name's resolution in one code object, cached per node so
// that a load is one pointer-keyed lookup instead of two string lookups.
type nameRef struct {
	kind nameKind
	slot int
}

func (c *Code) ref(n *syntax.Name) nameRef {
	if r, ok := c.refs[n]; ok {
		return r
	}
	r := nameRef{kind: c.scope[n.Id], slot: -1}
	if r.kind == nameLocal {
		r.slot = c.slot[n.Id]
	}
	if c.refs == nil {
		c.refs = map[*syntax.Name]nameRef{}
	}
	c.refs[n] = r
	return r
}

func (in *Interp) loadName(fr *Frame, n *syntax.Name) (Value, error) {
	name := n.Id
	if fr.classNS != nil {
		if v, ok := in.dictGetStr(fr.classNS, name); ok {
			return incref(v), nil
		}
	} else {
		r := fr.code.ref(n)
		switch r.kind {
		case nameLocal:
			if v := fr.locals[r.slot]; v != nil {
				return incref(v), nil
			}
			return nil, in.raise("UnboundLocalError", "cannot access local variable '%s' where it is not associated with a value", name)
		case nameCell, nameFree:
			if c := fr.cells[name]; c != nil && c.v != nil {
				return incref(c.v), nil
			}
			return nil, in.raise("NameError", "cannot access free variable '%s' where it is not associated with a value in enclosing scope", name)
		case nameOuter:
			return in.loadName(outerFrame(fr, name), n)
		}
	}
	if v, ok := in.dictGetStr(fr.globals, name); ok {
		return incref(v), nil
	}
	if v, ok := in.builtins[name]; ok {
		return incref(v), nil
	}
	return nil, in.raise("NameError", "name '%s' is not defined", name)
}

func (in *Interp) deleteNameIfBound(fr *Frame, name string) {
	switch fr.code.scope[name] {
	case nameOuter:
		in.deleteNameIfBound(outerFrame(fr, name), name)
		return
	case nameLocal:
		i := fr.code.slot[name]
		if old := fr.locals[i]; old != nil {
			fr.locals[i] = nil
			in.decref(old)
		}
		return
	case nameCell, nameFree:
		if c := fr.cells[name]; c != nil && c.v != nil {
			old := c.v
			c.v = nil
			in.decref(old)
		}
		return
	}
	ns := fr.globals
	if fr.classNS != nil {
		ns = fr.classNS
	}
	in.dictDelStr(ns, name)
}

// ---- assignment ----

// assign stores v (the reference moves in) into target t.
func (in *Interp) assign(fr *Frame, t syntax.Expr, v Value) error {
	switch t := t.(type) {
	case *syntax.Name:
		if fr.classNS == nil {
			if r := fr.code.ref(t); r.kind == nameLocal {
				old := fr.locals[r.slot]
				fr.locals[r.slot] = v
				if old != nil {
					in.decref(old)
				}
				return nil
			}
		}
		return in.storeName(fr, t.Id, v)
	case *syntax.Subscript:
		obj, err := in.eval(fr, t.Value)
		if err != nil {
			in.decref(v)
			return err
		}
		idx, err := in.evalIndex(fr, t.Index)
		if err != nil {
			in.decref(obj)
			in.decref(v)
			return err
		}
		err = in.setItem(obj, idx, v)
		in.decref(idx)
		in.decref(obj)
		return err
	case *syntax.Attribute:
		obj, err := in.eval(fr, t.Value)
		if err != nil {
			in.decref(v)
			return err
		}
		err = in.setAttr(obj, t.Attr, v)
		in.decref(obj)
		return err
	case *syntax.Tuple:
		return in.unpack(fr, t, t.Elts, v)
	case *syntax.List:
		return in.unpack(fr, t, t.Elts, v)
	}
	in.decref(v)
	return in.raise("SyntaxError", "cannot assign to %T", t)
}

// unpack is UNPACK_SEQUENCE / UNPACK_EX.
func (in *Interp) unpack(fr *Frame, node syntax.Expr, targets []syntax.Expr, v Value) error {
	star := -1
	for i, t := range targets {
		if _, ok := t.(*syntax.Starred); ok {
			star = i
		}
	}
	var items []Value
	switch s := v.(type) {
	case *Tuple:
		items = s.items
	case *List:
		if star < 0 {
			items = s.items
		}
	}
	// UNPACK_SEQUENCE_TWO_TUPLE, _TUPLE and _LIST read the items in place
	// once specialised; before, unpack_iterable goes through an iterator
	if items != nil && star < 0 && in.specialized(fr, node) {
		if len(items) != len(targets) {
			in.decref(v)
			return in.unpackCountError(len(targets), len(items))
		}
		vals := make([]Value, len(items))
		for i, x := range items {
			vals[i] = incref(x)
		}
		in.decref(v)
		return in.assignAll(fr, targets, vals)
	}
	// general iterable
	it, err := in.getIter(v)
	if err != nil {
		return err
	}
	var vals []Value
	for {
		x, err := it.next(in)
		if err != nil {
			in.decrefAll(vals)
			in.decref(it)
			return err
		}
		if x == nil {
			break
		}
		vals = append(vals, x)
	}
	in.decref(it)
	if star < 0 {
		if len(vals) != len(targets) {
			in.decrefAll(vals)
			return in.unpackCountError(len(targets), len(vals))
		}
		return in.assignAll(fr, targets, vals)
	}
	nAfter := len(targets) - star - 1
	if len(vals) < star+nAfter {
		in.decrefAll(vals)
		return in.valueError("not enough values to unpack (expected at least %d, got %d)", star+nAfter, len(vals))
	}
	mid := append([]Value(nil), vals[star:len(vals)-nAfter]...)
	l, err := in.newListExact(mid, true)
	if err != nil {
		return err
	}
	out := append(append(append([]Value{}, vals[:star]...), l), vals[len(vals)-nAfter:]...)
	tg := append([]syntax.Expr{}, targets...)
	tg[star] = targets[star].(*syntax.Starred).Value
	return in.assignAll(fr, tg, out)
}

func (in *Interp) unpackCountError(want, got int) error {
	if got > want {
		return in.valueError("too many values to unpack (expected %d)", want)
	}
	return in.valueError("not enough values to unpack (expected %d, got %d)", want, got)
}

func (in *Interp) assignAll(fr *Frame, targets []syntax.Expr, vals []Value) error {
	for i, t := range targets {
		if err := in.assign(fr, t, vals[i]); err != nil {
			in.decrefAll(vals[i+1:])
			return err
		}
	}
	return nil
}

func (in *Interp) delete(fr *Frame, t syntax.Expr) error {
	switch t := t.(type) {
	case *syntax.Name:
		switch fr.code.scope[t.Id] {
		case nameLocal:
			i := fr.code.slot[t.Id]
			old := fr.locals[i]
			if old == nil {
				return in.raise("UnboundLocalError", "cannot access local variable '%s' where it is not associated with a value", t.Id)
			}
			fr.locals[i] = nil
			in.decref(old)
			return nil
		case nameCell, nameFree:
			c := fr.cells[t.Id]
			if c.v == nil {
				return in.raise("NameError", "name '%s' is not defined", t.Id)
			}
			old := c.v
			c.v = nil
			in.decref(old)
			return nil
		}
		ns := fr.globals
		if fr.classNS != nil {
			ns = fr.classNS
		}
		if !in.dictDelStr(ns, t.Id) {
			return in.raise("NameError", "name '%s' is not defined", t.Id)
		}
		return nil
	case *syntax.Subscript:
		obj, err := in.eval(fr, t.Value)
		if err != nil {
			return err
		}
		idx, err := in.evalIndex(fr, t.Index)
		if err != nil {
			in.decref(obj)
			return err
		}
		err = in.delItem(obj, idx)
		in.decref(idx)
		in.decref(obj)
		return err
	case *syntax.Tuple:
		for _, e := range t.Elts {
			if err := in.delete(fr, e); err != nil {
				return err
			}
		}
		return nil
	case *syntax.List:
		for _, e := range t.Elts {
			if err := in.delete(fr, e); err != nil {
				return err
			}
		}
		return nil
	case *syntax.Attribute:
		obj, err := in.eval(fr, t.Value)
		if err != nil {
			return err
		}
		defer in.decref(obj)
		if inst, ok := obj.(*Instance); ok {
			if old, ok := inst.attrs[t.Attr]; ok {
				delete(inst.attrs, t.Attr)
				in.decref(old)
				return nil
			}
		}
		return in.raise("AttributeError", "%s", t.Attr)
	}
	return in.raise("SyntaxError", "cannot delete %T", t)
}

// augAssign is "target op= value": the in-place operator, then the store.
func (in *Interp) augAssign(fr *Frame, st *syntax.AugAssign) error {
	switch t := st.Target.(type) {
	case *syntax.Name:
		cur, err := in.loadName(fr, t)
		if err != nil {
			return err
		}
		rhs, err := in.eval(fr, st.Value)
		if err != nil {
			in.decref(cur)
			return err
		}
		// s += t on a function local, once specialised: the str grows in place
		if st.Op == syntax.Add && fr.code.scope[t.Id] == nameLocal && in.specialized(fr, st) {
			if done, err := in.inplaceStrAppend(fr, fr.code.slot[t.Id], cur, rhs); done {
				return err
			}
		}
		res, err := in.applyInplace(st.Op, cur, rhs)
		if err != nil {
			return err
		}
		return in.storeName(fr, t.Id, res)
	case *syntax.Subscript:
		obj, err := in.eval(fr, t.Value)
		if err != nil {
			return err
		}
		idx, err := in.evalIndex(fr, t.Index)
		if err != nil {
			in.decref(obj)
			return err
		}
		cur, err := in.getItem(obj, idx)
		var res Value
		if err == nil {
			res, err = in.evalInplace(fr, st, cur)
		}
		if err == nil {
			err = in.setItem(obj, idx, res)
		}
		in.decref(idx)
		in.decref(obj)
		return err
	case *syntax.Attribute:
		obj, err := in.eval(fr, t.Value)
		if err != nil {
			return err
		}
		defer in.decref(obj)
		cur, err := in.getAttr(obj, t.Attr)
		if err != nil {
			return err
		}
		res, err := in.evalInplace(fr, st, cur)
		if err != nil {
			return err
		}
		return in.setAttr(obj, t.Attr, res)
	}
	return in.raise("SyntaxError", "illegal expression for augmented assignment")
}

// evalInplace evaluates st's value and applies its in-place operator to
// cur; the reference to cur is taken.
func (in *Interp) evalInplace(fr *Frame, st *syntax.AugAssign, cur Value) (Value, error) {
	rhs, err := in.eval(fr, st.Value)
	if err != nil {
		in.decref(cur)
		return nil, err
	}
	return in.applyInplace(st.Op, cur, rhs)
}

// applyInplace is BINARY_OP's in-place form; both references are taken.
func (in *Interp) applyInplace(op syntax.Operator, cur, rhs Value) (Value, error) {
	res, err := in.binop(op, cur, rhs, true)
	in.decref(cur)
	in.decref(rhs)
	return res, err
}

// inplaceStrAppend is BINARY_OP_INPLACE_ADD_UNICODE: when the local holds
// the only other reference, PyUnicode_Append resizes the str in place.
func (in *Interp) inplaceStrAppend(fr *Frame, slot int, cur, rhs Value) (bool, error) {
	l, ok1 := cur.(*Str)
	r, ok2 := rhs.(*Str)
	if !ok1 || !ok2 || fr.locals[slot] != cur {
		return false, nil
	}
	in.decref(cur) // the stack's reference: the local's is left
	if l.rc != 1 || l.static || l.hashed || r.kind > l.kind || (l.kind == 0 && r.kind != 0) || r.n == 0 {
		incref(cur)
		return false, nil
	}
	a, err := in.o.Strs.Resize(l.addr, l.kind, l.n+r.n)
	if err != nil {
		in.decref(rhs)
		return true, in.memoryError(err)
	}
	l.addr = a
	l.appendText(r.s)
	l.n += r.n
	in.decref(rhs)
	return true, nil
}

// swapAssign reports whether st is "a, b = x, y" (one target, a tuple or
// list of 1 to 3 names or other simple targets, and a tuple display of as
// many items, not all constants, none starred), which CPython compiles to
// SWAP instead of BUILD_TUPLE and UNPACK_SEQUENCE: no tuple is made.
func swapAssign(st *syntax.Assign) (targets, values []syntax.Expr, ok bool) {
	if len(st.Targets) != 1 {
		return nil, nil, false
	}
	switch t := st.Targets[0].(type) {
	case *syntax.Tuple:
		targets = t.Elts
	case *syntax.List:
		targets = t.Elts
	default:
		return nil, nil, false
	}
	v, isTuple := st.Value.(*syntax.Tuple)
	if !isTuple || len(v.Elts) != len(targets) || len(targets) == 0 || len(targets) > 3 || isConstant(v) || hasStar(v.Elts) || hasStar(targets) {
		return nil, nil, false
	}
	return targets, v.Elts, true
}
