package python

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/heaptrace/heaptrace/workload/python/syntax"
)

// This file defines the compile pass: it splits the tree into code
// objects (the module, each def, lambda and comprehension), resolves every
// name to a local, cell, free or global variable as CPython's symtable
// does, and lists every source site where code runs.
//
// With inlined comprehensions (Profile.InlineComprehensions, PEP 709) a
// list, set or dict comprehension still gets a Code of its own, marked
// inlined: it runs without a function object, in the enclosing frame's
// name, and a variable of the enclosing function it uses is reached
// there (nameOuter) instead of through a cell.

type scope struct {
	code      *Code
	parent    *scope
	funcLike  bool // function, lambda, comprehension: has fast locals
	class     bool
	assigned  map[string]bool
	used      map[string]bool
	declGlob  map[string]bool
	declNonl  map[string]bool
	params    []string
	children  []*scope
	freeNames map[string]bool
	lines     map[int]bool
}

type compiler struct {
	file    string
	inline  bool // comprehensions are inlined (PEP 709)
	codes   map[syntax.Node]*Code
	formats map[*syntax.BinOp]*syntax.JoinedStr
	scopes  []*scope
	err     error
}

func newScope(c *Code, parent *scope) *scope {
	s := &scope{
		code: c, parent: parent,
		funcLike: c.kind != codeModule && c.kind != codeClass, class: c.kind == codeClass,
		assigned: map[string]bool{}, used: map[string]bool{}, declGlob: map[string]bool{},
		declNonl: map[string]bool{}, freeNames: map[string]bool{}, lines: map[int]bool{},
	}
	if parent != nil {
		parent.children = append(parent.children, s)
	}
	return s
}

// compile builds the code objects of f. It returns the module's code and a
// table from each def, lambda and comprehension node to its code. inline
// says whether comprehensions are inlined.
func compile(f *syntax.File, inline bool) (*Code, map[syntax.Node]*Code, map[*syntax.BinOp]*syntax.JoinedStr, error) {
	c := &compiler{file: f.Name, inline: inline, codes: map[syntax.Node]*Code{}, formats: map[*syntax.BinOp]*syntax.JoinedStr{}}
	mod := &Code{name: "<module>", qualname: "<module>", file: f.Name, kind: codeModule, pos: syntax.Pos{Line: 1, Col: 1}, body: f.Body}
	root := newScope(mod, nil)
	c.stmts(root, f.Body)
	if c.err != nil {
		return nil, nil, nil, c.err
	}
	for _, s := range c.scopes {
		c.resolve(s)
	}
	c.resolve(root)
	// an inlined comprehension's cell variables are cells of the function
	// it runs in too, made as that function starts (MAKE_CELL), besides
	// the comprehension's own new cell each time it runs
	for _, s := range c.scopes {
		if h := s.code.host; h != nil && h.kind != codeModule && h.kind != codeClass {
			for n := range s.code.cells {
				h.cells[n] = true
				if h.scope[n] == nameLocal {
					h.scope[n] = nameCell
				}
			}
		}
	}
	for _, s := range append([]*scope{root}, c.scopes...) {
		lines := make([]int, 0, len(s.lines))
		for l := range s.lines {
			lines = append(lines, l)
		}
		sort.Ints(lines)
		s.code.siteLines = lines
	}
	return mod, c.codes, c.formats, nil
}

func (c *compiler) fail(pos syntax.Pos, format string, args ...any) {
	if c.err == nil {
		c.err = &syntax.Error{Pos: pos, File: c.file, Msg: fmt.Sprintf(format, args...), Unsupported: true}
	}
}

func (c *compiler) stmts(s *scope, body []syntax.Stmt) {
	for _, st := range body {
		c.stmt(s, st)
	}
}

func (c *compiler) line(s *scope, p syntax.Pos) {
	if p.Line > 0 {
		s.lines[p.Line] = true
	}
}

func (c *compiler) stmt(s *scope, st syntax.Stmt) {
	c.line(s, st.Position())
	switch st := st.(type) {
	case *syntax.ExprStmt:
		c.expr(s, st.Value)
	case *syntax.Assign:
		c.expr(s, st.Value)
		for _, t := range st.Targets {
			c.target(s, t)
		}
	case *syntax.AugAssign:
		c.expr(s, st.Value)
		c.expr(s, st.Target)
		c.target(s, st.Target)
	case *syntax.Delete:
		for _, t := range st.Targets {
			c.target(s, t)
		}
	case *syntax.Return:
		if st.Value != nil {
			c.expr(s, st.Value)
		}
	case *syntax.If:
		c.expr(s, st.Cond)
		c.stmts(s, st.Body)
		c.stmts(s, st.Else)
	case *syntax.While:
		c.expr(s, st.Cond)
		c.stmts(s, st.Body)
		c.stmts(s, st.Else)
	case *syntax.For:
		c.expr(s, st.Iter)
		c.target(s, st.Target)
		c.stmts(s, st.Body)
		c.stmts(s, st.Else)
	case *syntax.FuncDef:
		c.defaults(s, &st.Params)
		s.assigned[st.Name] = true
		code := &Code{name: st.Name, qualname: c.qualname(s, st.Name), file: c.file, kind: codeFunction, pos: st.Pos, params: &st.Params, body: st.Body}
		fs := c.function(s, code, st, &st.Params)
		c.stmts(fs, st.Body)
	case *syntax.ClassDef:
		for _, b := range st.Bases {
			c.expr(s, b)
		}
		s.assigned[st.Name] = true
		code := &Code{name: st.Name, qualname: c.qualname(s, st.Name), file: c.file, kind: codeClass, pos: st.Pos, body: st.Body}
		cs := newScope(code, s)
		c.codes[st] = code
		c.scopes = append(c.scopes, cs)
		c.stmts(cs, st.Body)
	case *syntax.Global:
		for _, n := range st.Names {
			s.declGlob[n] = true
		}
	case *syntax.Nonlocal:
		for _, n := range st.Names {
			s.declNonl[n] = true
		}
		s.code.hasNonlocal = true
	case *syntax.Import:
		for _, a := range st.Names {
			name := a.AsName
			if name == "" {
				name = a.Name
				for i := 0; i < len(name); i++ {
					if name[i] == '.' {
						name = name[:i]
						break
					}
				}
			}
			s.assigned[name] = true
		}
	case *syntax.ImportFrom:
		for _, a := range st.Names {
			name := a.AsName
			if name == "" {
				name = a.Name
			}
			if name == "*" {
				c.fail(a.Pos, "from %s import *", st.Module)
				continue
			}
			s.assigned[name] = true
		}
	case *syntax.Assert:
		c.expr(s, st.Test)
		if st.Msg != nil {
			c.expr(s, st.Msg)
		}
	case *syntax.Raise:
		if st.Exc != nil {
			c.expr(s, st.Exc)
		}
		if st.Cause != nil {
			c.expr(s, st.Cause)
		}
	case *syntax.Try:
		c.stmts(s, st.Body)
		for _, h := range st.Handlers {
			c.line(s, h.Pos)
			if h.Type != nil {
				c.expr(s, h.Type)
			}
			if h.Name != "" {
				s.assigned[h.Name] = true
			}
			c.stmts(s, h.Body)
		}
		c.stmts(s, st.Else)
		c.stmts(s, st.Finally)
	case *syntax.Pass, *syntax.Break, *syntax.Continue:
	default:
		c.fail(st.Position(), "%T statement", st)
	}
}

func (c *compiler) qualname(s *scope, name string) string {
	for s.code.inlined {
		s = s.parent
	}
	if s.code.kind == codeModule {
		return name
	}
	if s.code.kind == codeClass {
		return s.code.qualname + "." + name
	}
	return s.code.qualname + ".<locals>." + name
}

func (c *compiler) defaults(s *scope, p *syntax.Params) {
	for _, a := range p.Args {
		if a.Default != nil {
			c.expr(s, a.Default)
		}
	}
	for _, a := range p.KwOnly {
		if a.Default != nil {
			c.expr(s, a.Default)
		}
	}
}

// function opens the scope of a def or lambda.
func (c *compiler) function(s *scope, code *Code, node syntax.Node, p *syntax.Params) *scope {
	fs := newScope(code, s)
	c.codes[node] = code
	c.scopes = append(c.scopes, fs)
	add := func(prm *syntax.Param) {
		if prm != nil {
			fs.params = append(fs.params, prm.Name)
			fs.assigned[prm.Name] = true
		}
	}
	for _, a := range p.Args {
		add(a)
	}
	add(p.Vararg)
	for _, a := range p.KwOnly {
		add(a)
	}
	add(p.Kwarg)
	code.constDefaults = true
	for _, a := range append(append([]*syntax.Param(nil), p.Args...), p.KwOnly...) {
		if a.Default != nil && !isConstant(a.Default) {
			code.constDefaults = false
		}
	}
	return fs
}

// target records the names an assignment target binds.
func (c *compiler) target(s *scope, t syntax.Expr) {
	switch t := t.(type) {
	case *syntax.Name:
		s.assigned[t.Id] = true
	case *syntax.Tuple:
		for _, e := range t.Elts {
			c.target(s, e)
		}
	case *syntax.List:
		for _, e := range t.Elts {
			c.target(s, e)
		}
	case *syntax.Starred:
		c.target(s, t.Value)
	case *syntax.Attribute:
		c.expr(s, t.Value)
	case *syntax.Subscript:
		c.expr(s, t.Value)
		c.expr(s, t.Index)
	default:
		c.fail(t.Position(), "assignment to %T", t)
	}
}

func (c *compiler) exprs(s *scope, es []syntax.Expr) {
	for _, e := range es {
		c.expr(s, e)
	}
}

func (c *compiler) expr(s *scope, e syntax.Expr) {
	if e == nil {
		return
	}
	c.line(s, e.Position())
	switch e := e.(type) {
	case *syntax.Name:
		s.used[e.Id] = true
	case *syntax.Int, *syntax.Float, *syntax.Str, *syntax.Bytes, *syntax.Bool, *syntax.None, *syntax.Ellipsis:
	case *syntax.JoinedStr:
		c.exprs(s, e.Values)
	case *syntax.FormattedValue:
		c.expr(s, e.Value)
		if e.FormatSpec != nil {
			c.expr(s, e.FormatSpec)
		}
	case *syntax.Tuple:
		c.exprs(s, e.Elts)
	case *syntax.List:
		c.exprs(s, e.Elts)
	case *syntax.Set:
		c.exprs(s, e.Elts)
	case *syntax.Dict:
		c.exprs(s, e.Keys)
		c.exprs(s, e.Values)
	case *syntax.Starred:
		c.expr(s, e.Value)
	case *syntax.Attribute:
		c.expr(s, e.Value)
	case *syntax.Subscript:
		c.expr(s, e.Value)
		c.expr(s, e.Index)
	case *syntax.Slice:
		c.expr(s, e.Lo)
		c.expr(s, e.Hi)
		c.expr(s, e.Step)
	case *syntax.Call:
		c.expr(s, e.Func)
		c.exprs(s, e.Args)
		for _, k := range e.Keywords {
			c.expr(s, k.Value)
		}
	case *syntax.BinOp:
		c.expr(s, e.Left)
		c.expr(s, e.Right)
		if js := optimizeFormat(e); js != nil {
			c.formats[e] = js
		}
	case *syntax.UnaryOp:
		c.expr(s, e.Operand)
	case *syntax.BoolOp:
		c.exprs(s, e.Values)
	case *syntax.Compare:
		c.expr(s, e.Left)
		c.exprs(s, e.Comparators)
	case *syntax.IfExp:
		c.expr(s, e.Cond)
		c.expr(s, e.Then)
		c.expr(s, e.Else)
	case *syntax.NamedExpr:
		c.expr(s, e.Value)
		// a walrus in a comprehension binds in the enclosing function
		t := s
		for t.code.kind == codeComprehension || t.code.kind == codeGenExpr {
			t = t.parent
		}
		t.assigned[e.Target.Id] = true
		if t != s {
			s.used[e.Target.Id] = true
		}
	case *syntax.Lambda:
		c.defaults(s, &e.Params)
		code := &Code{name: "<lambda>", qualname: c.qualname(s, "<lambda>"), file: c.file, kind: codeLambda, pos: e.Pos, params: &e.Params, expr: e.Body}
		fs := c.function(s, code, e, &e.Params)
		c.expr(fs, e.Body)
	case *syntax.ListComp:
		c.comprehension(s, e, "<listcomp>", e.Generators, e.Elt)
	case *syntax.SetComp:
		c.comprehension(s, e, "<setcomp>", e.Generators, e.Elt)
	case *syntax.DictComp:
		c.comprehension(s, e, "<dictcomp>", e.Generators, e.Key, e.Value)
	case *syntax.GeneratorExp:
		c.comprehension(s, e, "<genexpr>", e.Generators, e.Elt)
	default:
		c.fail(e.Position(), "%T expression", e)
	}
}

// comprehension opens the scope of a comprehension: its first iterable is
// evaluated outside, everything else inside, as CPython 3.11 does.
func (c *compiler) comprehension(s *scope, node syntax.Expr, name string, gens []*syntax.Comprehension, elts ...syntax.Expr) {
	kind := codeComprehension
	if name == "<genexpr>" {
		kind = codeGenExpr
	}
	c.expr(s, gens[0].Iter)
	code := &Code{name: name, qualname: c.qualname(s, name), file: c.file, kind: kind, pos: node.Position(), comp: node}
	if c.inline && kind == codeComprehension {
		// its sites are those of the code it runs in
		code.inlined = true
		t := s
		for t.code.inlined {
			t = t.parent
		}
		code.qualname = t.code.qualname
		code.host = t.code
	}
	cs := newScope(code, s)
	c.codes[node] = code
	c.scopes = append(c.scopes, cs)
	cs.params = []string{".0"}
	cs.assigned[".0"] = true
	for i, g := range gens {
		c.line(cs, g.Pos)
		if i > 0 {
			c.expr(cs, g.Iter)
		}
		c.target(cs, g.Target)
		c.exprs(cs, g.Ifs)
	}
	c.exprs(cs, elts)
}

// resolve classifies every name of a function-like scope and lists its
// locals, cells and frees.
func (c *compiler) resolve(s *scope) {
	code := s.code
	code.scope = map[string]nameKind{}
	code.slot = map[string]int{}
	code.cells = map[string]bool{}
	code.globals = s.declGlob
	if !s.funcLike {
		for n := range s.used {
			code.scope[n] = nameGlobal
		}
		for n := range s.assigned {
			code.scope[n] = nameGlobal
		}
		for n := range s.freeNames {
			code.scope[n] = nameFree
		}
		return
	}
	for _, p := range s.params {
		code.slot[p] = len(code.locals)
		code.locals = append(code.locals, p)
	}
	names := make([]string, 0, len(s.assigned)+len(s.used))
	for n := range s.assigned {
		names = append(names, n)
	}
	for n := range s.used {
		if !s.assigned[n] {
			names = append(names, n)
		}
	}
	for n := range s.freeNames {
		if !s.assigned[n] && !s.used[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		switch {
		case s.declGlob[n]:
			code.scope[n] = nameGlobal
		case s.declNonl[n] || s.freeNames[n]:
			code.scope[n] = nameFree
			c.capture(s, n)
			code.scope[n] = nameFree
		case s.assigned[n]:
			if _, ok := code.slot[n]; !ok {
				code.slot[n] = len(code.locals)
				code.locals = append(code.locals, n)
			}
			code.scope[n] = nameLocal
		default:
			if k, ok := c.capture(s, n); ok {
				code.scope[n] = k
			} else {
				code.scope[n] = nameImplicitGlobal
			}
		}
	}
}

// capture looks for n in the enclosing function scopes of s. When found,
// the defining scope makes it a cell and every scope between passes it
// down as a free variable (nameFree), unless s and every scope between are
// inlined comprehensions: those reach the defining frame's variable itself
// (nameOuter), and nothing becomes a cell.
func (c *compiler) capture(s *scope, n string) (nameKind, bool) {
	var path []*scope
	inlined := s.code.inlined
	for p := s.parent; p != nil; p = p.parent {
		if p.class {
			continue
		}
		if !p.funcLike {
			return 0, false
		}
		if p.declGlob[n] {
			return 0, false
		}
		if p.assigned[n] && !p.declNonl[n] && inlined {
			return nameOuter, true
		}
		if p.assigned[n] && !p.declNonl[n] {
			p.code.cells[n] = true
			if p.code.scope != nil {
				p.code.scope[n] = nameCell
			}
			p.cellNames()[n] = true
			addFree(s.code, n)
			for _, q := range path {
				addFree(q.code, n)
				q.freeNames[n] = true
				if q.code.scope != nil {
					q.code.scope[n] = nameFree
				}
			}
			return nameFree, true
		}
		inlined = inlined && p.code.inlined
		path = append(path, p)
	}
	return 0, false
}

func (s *scope) cellNames() map[string]bool { return s.code.cells }

func addFree(c *Code, n string) {
	if c.freeIdx == nil {
		c.freeIdx = map[string]int{}
	}
	if _, ok := c.freeIdx[n]; !ok {
		c.freeIdx[n] = len(c.frees)
		c.frees = append(c.frees, n)
	}
}

// isConstant reports whether e is a compile-time constant (after CPython's
// folding): literals, tuples of constants, and unary minus on numbers.
func isConstant(e syntax.Expr) bool {
	switch e := e.(type) {
	case *syntax.Int, *syntax.Float, *syntax.Str, *syntax.Bytes, *syntax.Bool, *syntax.None, *syntax.Ellipsis:
		return true
	case *syntax.UnaryOp:
		if e.Op == syntax.USub || e.Op == syntax.UAdd || e.Op == syntax.Invert {
			switch e.Operand.(type) {
			case *syntax.Int, *syntax.Float:
				return true
			}
		}
	case *syntax.Tuple:
		for _, x := range e.Elts {
			if !isConstant(x) {
				return false
			}
		}
		return true
	}
	return false
}

// optimizeFormat is the AST optimizer's optimize_format (Python/ast_opt.c):
// "fmt" % (a, b) with a literal format, a tuple display without starred
// items, and only %s, %r and %a units (with '-', a width and a precision)
// becomes the f-string f"...{a!s}...{b!r}". It returns nil when the
// optimizer leaves the expression alone.
func optimizeFormat(e *syntax.BinOp) *syntax.JoinedStr {
	if e.Op != syntax.Mod {
		return nil
	}
	lit, ok := e.Left.(*syntax.Str)
	tup, ok2 := e.Right.(*syntax.Tuple)
	if !ok || !ok2 || isConstant(tup) || hasStar(tup.Elts) {
		return nil
	}
	f := []rune(lit.Value)
	var values []syntax.Expr
	var text []rune
	flush := func() {
		if len(text) > 0 {
			values = append(values, &syntax.Str{Pos: lit.Pos, Value: string(text)})
			text = nil
		}
	}
	n := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			text = append(text, f[i])
			continue
		}
		if i+1 < len(f) && f[i+1] == '%' {
			text = append(text, '%')
			i++
			continue
		}
		if n >= len(tup.Elts) {
			return nil // more units than items: left to run time (an error)
		}
		i++
		ljust := false
		for i < len(f) && strings.ContainsRune("-+ #0", f[i]) {
			if f[i] != '-' {
				return nil
			}
			ljust = true
			i++
		}
		width, prec := -1, -1
		digits := func() int {
			v := 0
			for i < len(f) && f[i] >= '0' && f[i] <= '9' {
				v = v*10 + int(f[i]-'0')
				i++
			}
			return v
		}
		if i < len(f) && f[i] >= '0' && f[i] <= '9' {
			width = digits()
		}
		if i < len(f) && f[i] == '.' {
			i++
			prec = digits()
		}
		if i >= len(f) || !strings.ContainsRune("sra", f[i]) {
			return nil
		}
		spec := ""
		if !ljust && width > 0 {
			spec = ">"
		}
		if width >= 0 {
			spec += strconv.Itoa(width)
		}
		if prec >= 0 {
			spec += "." + strconv.Itoa(prec)
		}
		flush()
		fv := &syntax.FormattedValue{Pos: lit.Pos, Value: tup.Elts[n], Conversion: f[i]}
		if spec != "" {
			fv.FormatSpec = &syntax.JoinedStr{Pos: lit.Pos, Values: []syntax.Expr{&syntax.Str{Pos: lit.Pos, Value: spec}}}
		}
		values = append(values, fv)
		n++
	}
	if n < len(tup.Elts) {
		return nil // more items than units
	}
	flush()
	return &syntax.JoinedStr{Pos: lit.Pos, Values: values}
}
