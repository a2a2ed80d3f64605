package python

import (
	"github.com/heaptrace/heaptrace/model/pyobj"
	"github.com/heaptrace/heaptrace/workload/python/syntax"
)

// This file sizes a generator expression's generator object. CPython
// keeps the generator's frame inside the object, so its request is a
// fixed part (Profile.FixedSizes["generator"]) and one pointer for each
// of the code's local, cell and free variables (co_nlocalsplus) and each
// slot of its value stack (co_stacksize, the deepest the bytecode
// compiler's stack ever gets). stackDepth reproduces that depth from the
// tree, checked against co_stacksize of CPython 3.11 to 3.13 (stack_test.go).

// generatorSize returns the request of a generator object for code, a
// generator expression.
func (in *Interp) generatorSize(code *Code) int64 {
	if code.genSize == 0 {
		p := &in.o.Profile
		code.genSize = p.FixedSizes["generator"] + p.PtrSize*int64(in.prog.frameSlots(code, p))
	}
	return code.genSize
}

// frameSlots is co_nlocalsplus + co_stacksize of code, a generator
// expression compiled for profile p.
func (prog *Program) frameSlots(code *Code, p *pyobj.Profile) int {
	g := code.comp.(*syntax.GeneratorExp)
	slots := localsPlus(code) + compStack(g.Generators, g.Elt, p.InlineComprehensions, p.KwNamesOnStack)
	for _, c := range prog.codes {
		if c.inlined && c.host == code {
			// an inlined comprehension's variables are the generator's
			slots += len(c.locals) - 1
		}
	}
	return slots
}

// localsPlus is co_nlocalsplus: locals, then cells that are not locals,
// then free variables.
func localsPlus(c *Code) int {
	n := len(c.locals) + len(c.frees)
	for name := range c.cells {
		if _, isLocal := c.slot[name]; !isLocal {
			n++
		}
	}
	return n
}

// compStack is the stack depth of a generator expression's code: each
// clause keeps its iterator on the stack under everything that runs
// inside it.
func compStack(gens []*syntax.Comprehension, elt syntax.Expr, inline, kwNames bool) int {
	d := stackDepth{inline: inline, kwNames: kwNames}
	most := len(gens) + d.expr(elt)
	for i, g := range gens {
		if i > 0 {
			most = max(most, i+d.expr(g.Iter))
		}
		most = max(most, i+1+d.target(g.Target))
		for _, c := range g.Ifs {
			most = max(most, i+1+d.expr(c))
		}
	}
	return most
}

// stackDepth computes how deep the value stack gets while an expression
// is evaluated, as CPython's compiler lays out its bytecode: the result
// is 1 for a name or a constant.
type stackDepth struct {
	inline  bool // comprehensions are inlined (3.12+)
	kwNames bool // a call with keywords pushes their names (3.13+)
}

func (d stackDepth) exprs(es []syntax.Expr, base int) int {
	most := base
	for i, e := range es {
		most = max(most, base+i+d.expr(e))
	}
	return most
}

func (d stackDepth) expr(e syntax.Expr) int {
	switch e := e.(type) {
	case *syntax.Attribute:
		return d.expr(e.Value)
	case *syntax.Subscript:
		if s, ok := e.Index.(*syntax.Slice); ok {
			// BUILD_SLICE (3.11) or BINARY_SLICE: the object, lo and hi
			// (None when absent), and the step if there is one
			parts := []syntax.Expr{e.Value, orNone(s.Lo), orNone(s.Hi)}
			if s.Step != nil {
				parts = append(parts, s.Step)
			}
			return d.exprs(parts, 0)
		}
		return max(d.expr(e.Value), 1+d.expr(e.Index))
	case *syntax.BinOp:
		return max(d.expr(e.Left), 1+d.expr(e.Right))
	case *syntax.UnaryOp:
		return d.expr(e.Operand)
	case *syntax.BoolOp:
		most := 0
		for _, v := range e.Values {
			most = max(most, d.expr(v))
		}
		return most
	case *syntax.Compare:
		most := d.expr(e.Left)
		for i, c := range e.Comparators {
			n := 1 + d.expr(c)
			if i < len(e.Comparators)-1 {
				n = max(n, 3) // SWAP, COPY: the middle operand twice
			}
			most = max(most, n)
		}
		return most
	case *syntax.IfExp:
		return max(d.expr(e.Cond), d.expr(e.Then), d.expr(e.Else))
	case *syntax.Call:
		return d.call(e)
	case *syntax.Tuple:
		if isConstant(e) {
			return 1
		}
		return d.exprs(e.Elts, 0)
	case *syntax.List:
		return d.exprs(e.Elts, 0)
	case *syntax.Set:
		return d.exprs(e.Elts, 0)
	case *syntax.Dict:
		most := 1
		for i := range e.Keys {
			if e.Keys[i] != nil {
				most = max(most, 2*i+d.expr(e.Keys[i]), 2*i+1+d.expr(e.Values[i]))
			} else {
				most = max(most, 2*i+d.expr(e.Values[i]))
			}
		}
		return most
	case *syntax.JoinedStr:
		most := 1
		for i, v := range e.Values {
			most = max(most, i+d.expr(v))
		}
		return most
	case *syntax.FormattedValue:
		n := d.expr(e.Value)
		if e.FormatSpec != nil {
			n = max(n, 1+d.expr(e.FormatSpec))
		}
		return n
	case *syntax.Starred:
		return d.expr(e.Value)
	case *syntax.NamedExpr:
		return d.expr(e.Value) + 1
	case *syntax.ListComp:
		return d.comprehension(e.Generators, e.Elt)
	case *syntax.SetComp:
		return d.comprehension(e.Generators, e.Elt)
	case *syntax.DictComp:
		return d.comprehension(e.Generators, e.Key, e.Value)
	case *syntax.GeneratorExp:
		return max(2, d.expr(e.Generators[0].Iter)+1)
	}
	return 1
}

// call: the callable and NULL (or a method and self) under the arguments.
func (d stackDepth) call(e *syntax.Call) int {
	base := 2
	most := 1 + d.expr(e.Func)
	if a, ok := e.Func.(*syntax.Attribute); ok {
		most = d.expr(a.Value) + 1
	}
	if hasStar(e.Args) || hasDoubleStar(e.Keywords) {
		// CALL_FUNCTION_EX: the positional arguments as one sequence
		return max(most, base+1, base+d.exprs(e.Args, 0))
	}
	most = max(most, d.exprs(e.Args, base))
	n := base + len(e.Args)
	for i, k := range e.Keywords {
		most = max(most, n+i+d.expr(k.Value))
	}
	if d.kwNames && len(e.Keywords) > 0 {
		most = max(most, n+len(e.Keywords)+1)
	}
	return most
}

func orNone(e syntax.Expr) syntax.Expr {
	if e == nil {
		return &syntax.None{}
	}
	return e
}

func hasDoubleStar(kws []*syntax.Keyword) bool {
	for _, k := range kws {
		if k.Name == "" {
			return true
		}
	}
	return false
}

// comprehension inside the expression: a function and the first
// iterator (3.11), or, inlined, each variable of the comprehension saved
// on the stack under the result, the iterators and the element.
func (d stackDepth) comprehension(gens []*syntax.Comprehension, elts ...syntax.Expr) int {
	first := d.expr(gens[0].Iter)
	if !d.inline {
		return max(2, 1+first)
	}
	saved := 0
	for _, g := range gens {
		saved += d.names(g.Target)
	}
	most := saved + first
	inner := 0
	for _, e := range elts {
		inner = max(inner, d.expr(e)) // a dict comprehension's key and value
	}
	if len(elts) == 2 {
		inner++
	}
	most = max(most, saved+1+len(gens)+inner)
	return most
}

// target is the depth of storing a for target: an unpacked tuple pushes
// its items.
func (d stackDepth) target(t syntax.Expr) int {
	switch t := t.(type) {
	case *syntax.Tuple:
		return d.unpack(t.Elts)
	case *syntax.List:
		return d.unpack(t.Elts)
	}
	return 1
}

func (d stackDepth) unpack(elts []syntax.Expr) int {
	most := len(elts)
	for i, e := range elts {
		most = max(most, len(elts)-1-i+d.target(e))
	}
	return most
}

// names counts the variables a target binds.
func (d stackDepth) names(t syntax.Expr) int {
	switch t := t.(type) {
	case *syntax.Tuple:
		n := 0
		for _, e := range t.Elts {
			n += d.names(e)
		}
		return n
	case *syntax.List:
		n := 0
		for _, e := range t.Elts {
			n += d.names(e)
		}
		return n
	case *syntax.Starred:
		return d.names(t.Value)
	}
	return 1
}
