package syntax

// This file lowers statements: it turns the checked tree-sitter tree
// into the AST of ast.go, rejecting constructs outside the subset and
// reporting the syntax errors CPython's parser and compiler find but
// tree-sitter's grammar accepts (misplaced return or break, bad targets,
// parameter order...).

import (
	"fmt"
	"strings"
)

// maxDepth bounds the nesting of expressions and statements, so that a
// pathological input cannot exhaust the stack.
const maxDepth = 1000

// lowerFile lowers the module node root into f.Body.
func (p *parser) lowerFile(root *cnode, f *File) (err *Error) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); ok {
				err = p.err
				return
			}
			// A bug in the lowering: report it rather than crash the caller.
			err = &Error{Pos: Pos{1, 1}, File: p.file, Msg: fmt.Sprintf("internal parser error: %v", r)}
		}
	}()
	f.Body = p.stmts(root.args())
	p.checkFutureImports(f.Body)
	return nil
}

// futureFeatures are the names "from __future__ import" accepts in
// CPython 3.11, with whether heaptrace supports them (all but
// barry_as_FLUFL are no-ops in Python 3, or only change annotations,
// which are discarded anyway).
var futureFeatures = map[string]bool{
	"nested_scopes": true, "generators": true, "division": true,
	"absolute_import": true, "with_statement": true, "print_function": true,
	"unicode_literals": true, "generator_stop": true, "annotations": true,
	"barry_as_FLUFL": false,
}

// checkFutureImports checks that future imports come first in the
// module (after the docstring) and name known features.
func (p *parser) checkFutureImports(body []Stmt) {
	for i, s := range body {
		imp, ok := s.(*ImportFrom)
		if !ok || imp.Module != "__future__" || imp.Level != 0 {
			continue
		}
		for j, prev := range body[:i] {
			if pi, ok := prev.(*ImportFrom); ok && pi.Module == "__future__" && pi.Level == 0 {
				continue
			}
			if es, ok := prev.(*ExprStmt); ok && j == 0 && isStr(es.Value) {
				continue // the docstring
			}
			p.errorf(imp.Pos, "from __future__ imports must occur at the beginning of the file")
		}
		for _, a := range imp.Names {
			supported, known := futureFeatures[a.Name]
			switch {
			case a.Name == "braces":
				p.errorf(a.Pos, "not a chance")
			case !known:
				p.errorf(a.Pos, "future feature %s is not defined", a.Name)
			case !supported:
				p.unsupported(a.Pos, "from __future__ import %s", a.Name)
			}
		}
	}
}

// nest counts one level of nesting; the caller must defer p.unnest().
func (p *parser) nest(n *cnode) {
	p.depth++
	if p.depth > maxDepth {
		p.errorf(p.at(n), "too many nested expressions or statements")
	}
}

func (p *parser) unnest() { p.depth-- }

// need returns n's child with the given field, or reports invalid syntax.
func (p *parser) need(n *cnode, field string) *cnode {
	c := n.child(field)
	if c == nil || !c.named {
		p.errorf(p.at(n), "invalid syntax")
	}
	return c
}

// block lowers a block node: the body of a compound statement.
func (p *parser) block(n *cnode) []Stmt {
	if n == nil {
		p.errorf(Pos{len(p.lines) + 1, 1}, "expected an indented block")
	}
	body := p.stmts(n.args())
	if len(body) == 0 {
		p.errorf(p.after(n), "expected an indented block")
	}
	return body
}

// blockChild returns the block child of an except or finally clause,
// which has no field name.
func blockChild(n *cnode) *cnode {
	for _, c := range n.children {
		if c.kind == "block" {
			return c
		}
	}
	return nil
}

func (p *parser) stmts(nodes []*cnode) []Stmt {
	var out []Stmt
	for _, n := range nodes {
		out = append(out, p.stmt(n))
	}
	return out
}

// kindName turns a tree-sitter kind into words: "match_statement" ->
// "match statement".
func kindName(kind string) string { return strings.ReplaceAll(kind, "_", " ") }

func (p *parser) stmt(n *cnode) Stmt {
	p.nest(n)
	defer p.unnest()
	at := p.at(n)
	switch n.kind {
	case "expression_statement":
		return p.exprStmt(n)
	case "return_statement":
		if !p.inFunc {
			p.errorf(at, "'return' outside function")
		}
		var value Expr
		if args := n.args(); len(args) > 0 {
			value = p.value(args[0])
		}
		return &Return{Pos: at, Value: value}
	case "delete_statement":
		args := n.args()
		if len(args) != 1 {
			p.errorf(at, "invalid syntax")
		}
		var targets []Expr
		if args[0].kind == "expression_list" {
			for _, a := range args[0].args() {
				targets = append(targets, p.element(a))
			}
		} else {
			targets = []Expr{p.element(args[0])}
		}
		for _, t := range targets {
			p.checkTarget(t, delTarget, true)
		}
		return &Delete{Pos: at, Targets: targets}
	case "raise_statement":
		r := &Raise{Pos: at}
		for _, c := range n.args() {
			if c.field == "cause" {
				r.Cause = p.value(c)
			} else {
				r.Exc = p.value(c)
			}
		}
		if r.Cause != nil && r.Exc == nil {
			p.errorf(at, "invalid syntax")
		}
		return r
	case "pass_statement":
		return &Pass{Pos: at}
	case "break_statement":
		if !p.inLoop {
			p.errorf(at, "'break' outside loop")
		}
		return &Break{Pos: at}
	case "continue_statement":
		if !p.inLoop {
			p.errorf(at, "'continue' not properly in loop")
		}
		return &Continue{Pos: at}
	case "global_statement":
		return &Global{Pos: at, Names: p.identifiers(n)}
	case "nonlocal_statement":
		if !p.inFunc && !p.inClass {
			p.errorf(at, "nonlocal declaration not allowed at module level")
		}
		return &Nonlocal{Pos: at, Names: p.identifiers(n)}
	case "import_statement":
		return &Import{Pos: at, Names: p.aliases(n, true)}
	case "import_from_statement", "future_import_statement":
		return p.importFrom(n)
	case "assert_statement":
		args := n.args()
		if len(args) < 1 || len(args) > 2 {
			p.errorf(at, "invalid syntax")
		}
		a := &Assert{Pos: at, Test: p.value(args[0])}
		if len(args) == 2 {
			a.Msg = p.value(args[1])
		}
		return a
	case "if_statement":
		return p.ifStmt(n)
	case "while_statement":
		w := &While{Pos: at, Cond: p.expr(p.need(n, "condition"))}
		w.Body = p.loopBody(p.need(n, "body"))
		if e := n.child("alternative"); e != nil {
			w.Else = p.block(e.child("body"))
		}
		return w
	case "for_statement":
		if n.has("async") {
			p.unsupported(at, "async for loop")
		}
		f := &For{Pos: at}
		f.Target = p.element(p.need(n, "left"))
		p.checkTarget(f.Target, forTarget, true)
		f.Iter = p.value(p.need(n, "right"))
		f.Body = p.loopBody(p.need(n, "body"))
		if e := n.child("alternative"); e != nil && e.named {
			f.Else = p.block(e.child("body"))
		}
		return f
	case "try_statement":
		return p.tryStmt(n)
	case "function_definition":
		return p.funcDef(n)
	case "class_definition":
		return p.classDef(n)
	case "decorated_definition":
		p.unsupported(at, "decorator")
	case "with_statement":
		if n.has("async") {
			p.unsupported(at, "async with statement")
		}
		p.unsupported(at, "with statement")
	case "match_statement":
		p.unsupported(at, "match statement")
	case "print_statement":
		p.unsupported(at, "Python 2 print statement; call print(...)")
	case "exec_statement":
		p.unsupported(at, "Python 2 exec statement")
	case "type_alias_statement":
		p.unsupported(at, "type alias statement")
	case "ERROR":
		p.errorf(at, "invalid syntax")
	}
	p.unsupported(at, "%s", kindName(n.kind))
	return nil
}

// identifiers returns the names of a global or nonlocal statement.
func (p *parser) identifiers(n *cnode) []string {
	var names []string
	for _, c := range n.args() {
		if c.kind != "identifier" {
			p.errorf(p.at(c), "invalid syntax")
		}
		names = append(names, p.text(c))
	}
	return names
}

// exprStmt lowers an expression_statement: an expression, a bare tuple,
// an assignment or an augmented assignment.
func (p *parser) exprStmt(n *cnode) Stmt {
	at := p.at(n)
	args := n.args()
	if len(args) == 0 {
		p.errorf(at, "invalid syntax")
	}
	if len(args) == 1 && !n.has(",") {
		switch a := args[0]; a.kind {
		case "assignment":
			return p.assign(a)
		case "augmented_assignment":
			return p.augAssign(a)
		}
		return &ExprStmt{Pos: at, Value: p.value(args[0])}
	}
	t := &Tuple{Pos: at}
	for _, a := range args {
		if a.kind == "named_expression" {
			p.value(a) // reports the error
		}
		t.Elts = append(t.Elts, p.element(a))
	}
	return &ExprStmt{Pos: at, Value: t}
}

// assign lowers a chain of assignments "a = b = value", which
// tree-sitter nests to the right, and annotated assignments.
func (p *parser) assign(n *cnode) Stmt {
	a := &Assign{Pos: p.at(n)}
	for cur := n; ; {
		left := p.need(cur, "left")
		right := cur.child("right")
		if cur.child("type") != nil {
			// "x: T = v": only one, unparenthesized-tuple-free target.
			if len(a.Targets) > 0 {
				p.errorf(p.at(cur), "invalid syntax")
			}
			if left.kind == "pattern_list" || left.kind == "tuple_pattern" && left.has(",") || left.kind == "list_pattern" {
				what := "tuple"
				if left.kind == "list_pattern" {
					what = "list"
				}
				p.errorf(p.at(left), "only single target (not %s) can be annotated", what)
			}
			if right == nil {
				p.unsupported(p.at(cur), "annotation without a value")
			}
		}
		target := p.element(left)
		p.checkTarget(target, assignTarget, true)
		a.Targets = append(a.Targets, target)
		if right == nil || !right.named {
			p.errorf(p.after(cur), "invalid syntax")
		}
		switch right.kind {
		case "assignment":
			if right.child("type") != nil {
				p.errorf(p.at(right), "invalid syntax")
			}
			cur = right
			continue
		case "augmented_assignment":
			p.errorf(p.at(right), "invalid syntax")
		}
		a.Value = p.value(right)
		return a
	}
}

// augAssign lowers "target op= value".
func (p *parser) augAssign(n *cnode) Stmt {
	at := p.at(n)
	target := p.expr(p.need(n, "left"))
	switch target.(type) {
	case *Name, *Attribute, *Subscript:
	default:
		p.errorf(target.Position(), "'%s' is an illegal expression for augmented assignment", describe(target))
	}
	opTok := n.child("operator")
	if opTok == nil {
		p.errorf(at, "invalid syntax")
	}
	op, ok := binaryOperators[strings.TrimSuffix(opTok.kind, "=")]
	if !ok {
		p.errorf(p.at(opTok), "invalid syntax")
	}
	right := p.need(n, "right")
	if right.kind == "assignment" || right.kind == "augmented_assignment" {
		p.errorf(p.at(right), "invalid syntax")
	}
	return &AugAssign{Pos: at, Target: target, Op: op, Value: p.value(right)}
}

// A targetKind says what a target is for, which decides what it may be.
type targetKind int

const (
	assignTarget targetKind = iota
	forTarget               // for loops and comprehensions
	delTarget
)

// checkTarget reports an error unless e can be assigned to (or deleted,
// for delTarget). top is false for the elements of a tuple or list.
func (p *parser) checkTarget(e Expr, kind targetKind, top bool) {
	verb := "assign to"
	if kind == delTarget {
		verb = "delete"
	}
	switch e := e.(type) {
	case *Name:
		if e.Id == "__debug__" {
			p.errorf(e.Pos, "cannot %s __debug__", verb)
		}
	case *Attribute, *Subscript:
	case *Tuple, *List:
		var elts []Expr
		if t, ok := e.(*Tuple); ok {
			elts = t.Elts
		} else {
			elts = e.(*List).Elts
		}
		starred := false
		for _, elt := range elts {
			if s, ok := elt.(*Starred); ok {
				switch {
				case kind == delTarget:
					p.errorf(s.Pos, "cannot delete starred")
				case kind == forTarget:
					p.unsupported(s.Pos, "star-target in for loop or comprehension")
				case starred:
					p.errorf(s.Pos, "multiple starred expressions in assignment")
				}
				starred = true
				p.checkTarget(s.Value, kind, false)
				continue
			}
			p.checkTarget(elt, kind, false)
		}
	case *Starred:
		if kind == delTarget {
			p.errorf(e.Pos, "cannot delete starred")
		}
		if top {
			p.errorf(e.Pos, "starred assignment target must be in a list or tuple")
		}
		p.errorf(e.Pos, "cannot use starred expression here")
	default:
		p.errorf(e.Position(), "cannot %s %s", verb, describe(e))
	}
}

// describe names an expression the way CPython's error messages do.
func describe(e Expr) string {
	switch e := e.(type) {
	case *Call:
		return "function call"
	case *Int, *Float, *Str, *Bytes:
		return "literal"
	case *Bool:
		if e.Value {
			return "True"
		}
		return "False"
	case *None:
		return "None"
	case *Ellipsis:
		return "ellipsis"
	case *JoinedStr:
		return "f-string expression"
	case *Tuple:
		return "tuple"
	case *List:
		return "list"
	case *Set:
		return "set display"
	case *Dict:
		return "dict literal"
	case *Starred:
		return "starred"
	case *Compare:
		return "comparison"
	case *IfExp:
		return "conditional expression"
	case *Lambda:
		return "lambda"
	case *NamedExpr:
		return "named expression"
	case *ListComp:
		return "list comprehension"
	case *SetComp:
		return "set comprehension"
	case *DictComp:
		return "dict comprehension"
	case *GeneratorExp:
		return "generator expression"
	case *Name:
		return "name"
	case *Attribute:
		return "attribute"
	case *Subscript:
		return "subscript"
	}
	return "expression"
}

// ifStmt lowers an if statement; each elif becomes a nested If in Else.
func (p *parser) ifStmt(n *cnode) Stmt {
	top := &If{Pos: p.at(n), Cond: p.expr(p.need(n, "condition")), Body: p.block(n.child("consequence"))}
	cur := top
	for _, alt := range n.childrenOf("alternative") {
		switch alt.kind {
		case "elif_clause":
			elif := &If{Pos: p.at(alt), Cond: p.expr(p.need(alt, "condition")), Body: p.block(alt.child("consequence"))}
			cur.Else = []Stmt{elif}
			cur = elif
		case "else_clause":
			cur.Else = p.block(alt.child("body"))
		}
	}
	return top
}

// loopBody lowers the body of a while or for loop.
func (p *parser) loopBody(n *cnode) []Stmt {
	saved := p.inLoop
	p.inLoop = true
	defer func() { p.inLoop = saved }()
	return p.block(n)
}

func (p *parser) tryStmt(n *cnode) Stmt {
	t := &Try{Pos: p.at(n), Body: p.block(n.child("body"))}
	for _, c := range n.args() {
		switch c.kind {
		case "except_clause":
			if t.Else != nil || t.Finally != nil {
				p.errorf(p.at(c), "invalid syntax")
			}
			if len(t.Handlers) > 0 && t.Handlers[len(t.Handlers)-1].Type == nil {
				p.errorf(t.Handlers[len(t.Handlers)-1].Pos, "default 'except:' must be last")
			}
			t.Handlers = append(t.Handlers, p.handler(c))
		case "else_clause":
			if len(t.Handlers) == 0 {
				p.errorf(p.at(c), "expected 'except' or 'finally' block")
			}
			t.Else = p.block(c.child("body"))
		case "finally_clause":
			t.Finally = p.block(blockChild(c))
		}
	}
	if len(t.Handlers) == 0 && t.Finally == nil {
		p.errorf(p.after(n), "expected 'except' or 'finally' block")
	}
	return t
}

// handler lowers "except Type as Name: Body".
func (p *parser) handler(n *cnode) *ExceptHandler {
	h := &ExceptHandler{Pos: p.at(n)}
	if n.has("*") {
		p.unsupported(h.Pos, "except* (exception groups)")
	}
	values := n.childrenOf("value")
	if len(values) > 1 {
		p.errorf(p.at(values[0]), "multiple exception types must be parenthesized")
	}
	if len(values) == 1 {
		v := values[0]
		alias := n.child("alias")
		if v.kind == "as_pattern" {
			// tree-sitter reads "E as e" as an as_pattern expression.
			args := v.args()
			if len(args) != 2 {
				p.errorf(p.at(v), "invalid syntax")
			}
			v, alias = args[0], args[1]
		}
		h.Type = p.expr(v)
		if alias != nil {
			if alias.kind == "as_pattern_target" {
				if args := alias.args(); len(args) == 1 {
					alias = args[0]
				}
			}
			if alias.kind != "identifier" {
				p.errorf(p.at(alias), "invalid syntax")
			}
			h.Name = p.text(alias)
		}
	}
	h.Body = p.block(blockChild(n))
	return h
}

func (p *parser) funcDef(n *cnode) Stmt {
	at := p.at(n)
	if n.has("async") {
		p.unsupported(at, "async function")
	}
	if tp := n.child("type_parameters"); tp != nil {
		p.unsupported(p.at(tp), "type parameters")
	}
	f := &FuncDef{Pos: at, Name: p.text(p.need(n, "name"))}
	f.Params = p.params(n.child("parameters"))
	savedFunc, savedLoop, savedClass := p.inFunc, p.inLoop, p.inClass
	p.inFunc, p.inLoop, p.inClass = true, false, false
	f.Body = p.block(n.child("body"))
	p.inFunc, p.inLoop, p.inClass = savedFunc, savedLoop, savedClass
	return f
}

func (p *parser) classDef(n *cnode) Stmt {
	at := p.at(n)
	if tp := n.child("type_parameters"); tp != nil {
		p.unsupported(p.at(tp), "type parameters")
	}
	c := &ClassDef{Pos: at, Name: p.text(p.need(n, "name"))}
	if sup := n.child("superclasses"); sup != nil {
		args, keywords := p.callArgs(sup)
		if len(keywords) > 0 {
			p.unsupported(keywords[0].Pos, "class keyword arguments (metaclass=...)")
		}
		for _, a := range args {
			if s, ok := a.(*Starred); ok {
				p.unsupported(s.Pos, "starred base classes")
			}
		}
		c.Bases = args
	}
	savedFunc, savedLoop, savedClass := p.inFunc, p.inLoop, p.inClass
	p.inFunc, p.inLoop, p.inClass = false, false, true
	c.Body = p.block(n.child("body"))
	p.inFunc, p.inLoop, p.inClass = savedFunc, savedLoop, savedClass
	return c
}

// params lowers a parameters or lambda_parameters node (nil for a
// lambda without parameters).
func (p *parser) params(n *cnode) Params {
	var ps Params
	if n == nil {
		return ps
	}
	seen := map[string]bool{}
	star := false       // saw "*" or "*args"
	var bareStar *cnode // a "*" not yet followed by a keyword-only parameter
	sawDefault := false // a positional parameter had a default
	newParam := func(name *cnode, def Expr) *Param {
		if name.kind != "identifier" {
			p.errorf(p.at(name), "invalid syntax")
		}
		id := p.text(name)
		if seen[id] {
			p.errorf(p.at(name), "duplicate argument '%s' in function definition", id)
		}
		seen[id] = true
		return &Param{Pos: p.at(name), Name: id, Default: def}
	}
	for _, c := range n.args() {
		if ps.Kwarg != nil {
			p.errorf(p.at(c), "arguments cannot follow var-keyword argument")
		}
		// Strip annotations: "x: T" is "x", "*a: T" is "*a".
		if c.kind == "typed_parameter" {
			if args := c.args(); len(args) > 0 {
				c = args[0]
			}
		}
		var name *cnode
		var def Expr
		switch c.kind {
		case "identifier":
			name = c
		case "default_parameter", "typed_default_parameter":
			name = p.need(c, "name")
			if name.kind == "tuple_pattern" {
				p.errorf(p.at(name), "Function parameters cannot be parenthesized")
			}
			def = p.value(p.need(c, "value"))
		case "list_splat_pattern":
			if star {
				p.errorf(p.at(c), "* argument may appear only once")
			}
			star = true
			if args := c.args(); len(args) == 1 {
				ps.Vararg = newParam(args[0], nil)
				continue
			}
			p.errorf(p.at(c), "invalid syntax")
		case "keyword_separator":
			if star {
				p.errorf(p.at(c), "* argument may appear only once")
			}
			star = true
			bareStar = c
			continue
		case "dictionary_splat_pattern":
			if bareStar != nil {
				p.errorf(p.at(bareStar), "named arguments must follow bare *")
			}
			if args := c.args(); len(args) == 1 {
				ps.Kwarg = newParam(args[0], nil)
				continue
			}
			p.errorf(p.at(c), "invalid syntax")
		case "positional_separator":
			p.unsupported(p.at(c), "positional-only parameters")
		case "tuple_pattern":
			p.errorf(p.at(c), "Function parameters cannot be parenthesized")
		default:
			p.errorf(p.at(c), "invalid syntax")
		}
		if star {
			bareStar = nil
			ps.KwOnly = append(ps.KwOnly, newParam(name, def))
			continue
		}
		if def != nil {
			sawDefault = true
		} else if sawDefault {
			p.errorf(p.at(name), "non-default argument follows default argument")
		}
		ps.Args = append(ps.Args, newParam(name, def))
	}
	if bareStar != nil {
		p.errorf(p.at(bareStar), "named arguments must follow bare *")
	}
	return ps
}

// aliases returns the imported names of an import statement; dotted
// reports whether they may be dotted (import a.b) or not (from m import a).
func (p *parser) aliases(n *cnode, dotted bool) []*Alias {
	var out []*Alias
	for _, c := range n.childrenOf("name") {
		a := &Alias{Pos: p.at(c)}
		name := c
		if c.kind == "aliased_import" {
			name = p.need(c, "name")
			a.AsName = p.text(p.need(c, "alias"))
		}
		if name.kind != "dotted_name" {
			p.errorf(p.at(name), "invalid syntax")
		}
		a.Name = p.dottedName(name)
		if !dotted && strings.Contains(a.Name, ".") {
			p.errorf(p.at(name), "invalid syntax")
		}
		out = append(out, a)
	}
	return out
}

// dottedName returns "a.b.c" without the spaces or comments that may
// separate the parts in the source.
func (p *parser) dottedName(n *cnode) string {
	var parts []string
	for _, c := range n.args() {
		parts = append(parts, p.text(c))
	}
	return strings.Join(parts, ".")
}

func (p *parser) importFrom(n *cnode) Stmt {
	imp := &ImportFrom{Pos: p.at(n)}
	if n.kind == "future_import_statement" {
		imp.Module = "__future__"
	} else {
		mod := p.need(n, "module_name")
		if mod.kind == "relative_import" {
			for _, c := range mod.args() {
				switch c.kind {
				case "import_prefix":
					imp.Level = strings.Count(p.text(c), ".")
				case "dotted_name":
					imp.Module = p.dottedName(c)
				}
			}
		} else {
			imp.Module = p.dottedName(mod)
		}
	}
	for _, c := range n.args() {
		if c.kind == "wildcard_import" {
			imp.Names = []*Alias{{Pos: p.at(c), Name: "*"}}
		}
	}
	if imp.Names == nil {
		imp.Names = p.aliases(n, false)
		if len(imp.Names) == 0 {
			p.errorf(p.after(n), "invalid syntax")
		}
		// "from m import a," needs parentheses.
		if last := n.children[len(n.children)-1]; last.kind == "," && !last.named {
			p.errorf(p.at(last), "trailing comma not allowed without surrounding parentheses")
		}
	}
	return imp
}
