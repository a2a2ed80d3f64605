package syntax

// This file defines Walk, a depth-first traversal of the syntax tree.

// Walk traverses the tree rooted at n in depth-first order, children in
// source order. It calls f(n); if f returns true, Walk visits each
// non-nil child of n in turn. n must not be nil.
//
// The children of a node are its statements, expressions and helper
// nodes (*Param, *Keyword, *Comprehension, *ExceptHandler, *Alias).
// A *FuncDef's parameter defaults are visited before its body; a
// *Lambda's before its body.
func Walk(n Node, f func(Node) bool) {
	if !f(n) {
		return
	}
	switch n := n.(type) {
	case *File:
		walkStmts(n.Body, f)

	case *ExprStmt:
		walk(n.Value, f)
	case *Assign:
		walkExprs(n.Targets, f)
		walk(n.Value, f)
	case *AugAssign:
		walk(n.Target, f)
		walk(n.Value, f)
	case *Delete:
		walkExprs(n.Targets, f)
	case *Pass, *Break, *Continue, *Global, *Nonlocal:
		// no children
	case *Return:
		walk(n.Value, f)
	case *If:
		walk(n.Cond, f)
		walkStmts(n.Body, f)
		walkStmts(n.Else, f)
	case *While:
		walk(n.Cond, f)
		walkStmts(n.Body, f)
		walkStmts(n.Else, f)
	case *For:
		walk(n.Target, f)
		walk(n.Iter, f)
		walkStmts(n.Body, f)
		walkStmts(n.Else, f)
	case *FuncDef:
		walkParams(&n.Params, f)
		walkStmts(n.Body, f)
	case *Param:
		walk(n.Default, f)
	case *ClassDef:
		walkExprs(n.Bases, f)
		walkStmts(n.Body, f)
	case *Import:
		for _, a := range n.Names {
			Walk(a, f)
		}
	case *ImportFrom:
		for _, a := range n.Names {
			Walk(a, f)
		}
	case *Alias:
		// no children
	case *Assert:
		walk(n.Test, f)
		walk(n.Msg, f)
	case *Raise:
		walk(n.Exc, f)
		walk(n.Cause, f)
	case *Try:
		walkStmts(n.Body, f)
		for _, h := range n.Handlers {
			Walk(h, f)
		}
		walkStmts(n.Else, f)
		walkStmts(n.Finally, f)
	case *ExceptHandler:
		walk(n.Type, f)
		walkStmts(n.Body, f)

	case *Name, *Int, *Float, *Str, *Bytes, *Bool, *None, *Ellipsis:
		// no children
	case *JoinedStr:
		walkExprs(n.Values, f)
	case *FormattedValue:
		walk(n.Value, f)
		if n.FormatSpec != nil {
			Walk(n.FormatSpec, f)
		}
	case *Tuple:
		walkExprs(n.Elts, f)
	case *List:
		walkExprs(n.Elts, f)
	case *Set:
		walkExprs(n.Elts, f)
	case *Dict:
		for i := range n.Values {
			if i < len(n.Keys) {
				walk(n.Keys[i], f)
			}
			walk(n.Values[i], f)
		}
	case *Starred:
		walk(n.Value, f)
	case *Attribute:
		walk(n.Value, f)
	case *Subscript:
		walk(n.Value, f)
		walk(n.Index, f)
	case *Slice:
		walk(n.Lo, f)
		walk(n.Hi, f)
		walk(n.Step, f)
	case *Call:
		walk(n.Func, f)
		walkExprs(n.Args, f)
		for _, k := range n.Keywords {
			Walk(k, f)
		}
	case *Keyword:
		walk(n.Value, f)
	case *BinOp:
		walk(n.Left, f)
		walk(n.Right, f)
	case *UnaryOp:
		walk(n.Operand, f)
	case *BoolOp:
		walkExprs(n.Values, f)
	case *Compare:
		walk(n.Left, f)
		walkExprs(n.Comparators, f)
	case *IfExp:
		walk(n.Cond, f)
		walk(n.Then, f)
		walk(n.Else, f)
	case *Lambda:
		walkParams(&n.Params, f)
		walk(n.Body, f)
	case *NamedExpr:
		Walk(n.Target, f)
		walk(n.Value, f)
	case *ListComp:
		walk(n.Elt, f)
		walkComps(n.Generators, f)
	case *SetComp:
		walk(n.Elt, f)
		walkComps(n.Generators, f)
	case *DictComp:
		walk(n.Key, f)
		walk(n.Value, f)
		walkComps(n.Generators, f)
	case *GeneratorExp:
		walk(n.Elt, f)
		walkComps(n.Generators, f)
	case *Comprehension:
		walk(n.Target, f)
		walk(n.Iter, f)
		walkExprs(n.Ifs, f)
	}
}

// walk walks a possibly nil expression.
func walk(e Expr, f func(Node) bool) {
	if e != nil {
		Walk(e, f)
	}
}

func walkStmts(stmts []Stmt, f func(Node) bool) {
	for _, s := range stmts {
		Walk(s, f)
	}
}

func walkExprs(exprs []Expr, f func(Node) bool) {
	for _, e := range exprs {
		walk(e, f)
	}
}

func walkComps(comps []*Comprehension, f func(Node) bool) {
	for _, c := range comps {
		Walk(c, f)
	}
}

func walkParams(ps *Params, f func(Node) bool) {
	for _, group := range [][]*Param{ps.Args, {ps.Vararg}, ps.KwOnly, {ps.Kwarg}} {
		for _, p := range group {
			if p != nil {
				Walk(p, f)
			}
		}
	}
}
