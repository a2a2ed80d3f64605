package syntax

// This file lowers expressions, including the patterns tree-sitter uses
// for assignment targets (which become ordinary expressions checked by
// checkTarget).

// value lowers an expression in a position where an unparenthesized
// assignment expression "x := 1" is not allowed: an expression
// statement, the value of an assignment, return or keyword argument, a
// default, an iterable... An expression_list (unparenthesized tuple) is
// accepted, with the same rule for its elements.
func (p *parser) value(n *cnode) Expr {
	if n.kind == "named_expression" {
		at := p.at(n)
		if tok := n.token(":="); tok != nil {
			at = p.at(tok)
		}
		p.errorf(at, "invalid syntax")
	}
	return p.expr(n)
}

// expr lowers an expression node.
func (p *parser) expr(n *cnode) Expr {
	p.nest(n)
	defer p.unnest()
	at := p.at(n)
	if star := p.starOperand; star != nil && n.start == star.start && n != star && len(star.children) > 0 {
		// The star moved outward by element is not part of n.
		at = p.at(star.children[len(star.children)-1])
	}
	switch n.kind {
	case "identifier":
		id := p.text(n)
		if p.typeNames[n.start] && id == typePlaceholder {
			id = "type"
		}
		if id == "async" || id == "await" {
			// Keywords since Python 3.7; tree-sitter still accepts them
			// as names.
			p.errorf(at, "invalid syntax")
		}
		return &Name{Pos: at, Id: id}
	case "integer":
		return p.integer(n)
	case "float":
		return p.float(n)
	case "string", "concatenated_string":
		return p.str(n)
	case "true":
		return &Bool{Pos: at, Value: true}
	case "false":
		return &Bool{Pos: at, Value: false}
	case "none":
		return &None{Pos: at}
	case "ellipsis":
		return &Ellipsis{Pos: at}

	case "parenthesized_expression":
		args := n.args()
		if len(args) != 1 {
			p.errorf(at, "invalid syntax")
		}
		if args[0].kind == "list_splat" || args[0].kind == "parenthesized_expression" && isStarInParens(args[0]) {
			p.errorf(p.at(args[0]), "cannot use starred expression here")
		}
		return p.expr(args[0])
	case "tuple", "tuple_pattern":
		elts := p.elements(n)
		if len(elts) == 1 && !n.has(",") {
			// "(x)" read as a one-element tuple: just parentheses.
			if s, ok := elts[0].(*Starred); ok {
				p.errorf(s.Pos, "cannot use starred expression here")
			}
			return elts[0]
		}
		return &Tuple{Pos: at, Elts: elts}
	case "expression_list", "pattern_list":
		var elts []Expr
		for _, c := range n.args() {
			if c.kind == "named_expression" {
				p.value(c) // reports the error
			}
			elts = append(elts, p.element(c))
		}
		return &Tuple{Pos: at, Elts: elts}
	case "list", "list_pattern":
		return &List{Pos: at, Elts: p.elements(n)}
	case "set":
		return &Set{Pos: at, Elts: p.elements(n)}
	case "dictionary":
		d := &Dict{Pos: at}
		for _, c := range n.args() {
			switch c.kind {
			case "pair":
				d.Keys = append(d.Keys, p.value(p.need(c, "key")))
				d.Values = append(d.Values, p.value(p.need(c, "value")))
			case "dictionary_splat":
				d.Keys = append(d.Keys, nil)
				d.Values = append(d.Values, p.expr(p.only(c)))
			default:
				p.errorf(p.at(c), "invalid syntax")
			}
		}
		return d
	case "list_splat", "list_splat_pattern":
		if n == p.starOperand {
			return p.expr(p.only(n)) // see element
		}
		// Allowed only where element lowers it.
		p.errorf(at, "can't use starred expression here")

	case "attribute":
		return &Attribute{Pos: at, Value: p.expr(p.need(n, "object")), Attr: p.text(p.need(n, "attribute"))}
	case "subscript":
		return p.subscript(n)
	case "call":
		return p.call(n)

	case "binary_operator":
		opTok := n.child("operator")
		if opTok == nil {
			p.errorf(at, "invalid syntax")
		}
		op, ok := binaryOperators[opTok.kind]
		if !ok {
			p.errorf(p.at(opTok), "invalid syntax")
		}
		return &BinOp{Pos: at, Left: p.expr(p.need(n, "left")), Op: op, Right: p.expr(p.need(n, "right"))}
	case "unary_operator":
		var op UnaryOperator
		switch tok := n.child("operator"); {
		case tok == nil:
			p.errorf(at, "invalid syntax")
		case tok.kind == "-":
			op = USub
		case tok.kind == "+":
			op = UAdd
		case tok.kind == "~":
			op = Invert
		default:
			p.errorf(p.at(tok), "invalid syntax")
		}
		return &UnaryOp{Pos: at, Op: op, Operand: p.expr(p.need(n, "argument"))}
	case "not_operator":
		return &UnaryOp{Pos: at, Op: Not, Operand: p.expr(p.need(n, "argument"))}
	case "boolean_operator":
		return p.boolOp(n)
	case "comparison_operator":
		return p.compare(n)
	case "conditional_expression":
		args := n.args()
		if len(args) != 3 {
			p.errorf(at, "invalid syntax")
		}
		return &IfExp{Pos: at, Then: p.expr(args[0]), Cond: p.expr(args[1]), Else: p.expr(args[2])}
	case "lambda":
		saved := p.inFunc
		p.inFunc = true
		defer func() { p.inFunc = saved }()
		// Defaults are evaluated outside the lambda, but "return" cannot
		// appear in an expression, so inFunc does not matter for them.
		params := p.params(n.child("parameters"))
		return &Lambda{Pos: at, Params: params, Body: p.value(p.need(n, "body"))}
	case "named_expression":
		name := p.need(n, "name")
		if name.kind != "identifier" {
			p.errorf(p.at(name), "invalid syntax")
		}
		return &NamedExpr{Pos: at, Target: &Name{Pos: p.at(name), Id: p.text(name)}, Value: p.expr(p.need(n, "value"))}

	case "list_comprehension":
		elt, gens := p.comprehension(n)
		return &ListComp{Pos: at, Elt: elt, Generators: gens}
	case "set_comprehension":
		elt, gens := p.comprehension(n)
		return &SetComp{Pos: at, Elt: elt, Generators: gens}
	case "generator_expression":
		elt, gens := p.comprehension(n)
		return &GeneratorExp{Pos: at, Elt: elt, Generators: gens}
	case "dictionary_comprehension":
		body := p.need(n, "body")
		if body.kind != "pair" {
			p.errorf(p.at(body), "invalid syntax")
		}
		key, value := p.expr(p.need(body, "key")), p.expr(p.need(body, "value"))
		_, gens := p.comprehension(n)
		return &DictComp{Pos: at, Key: key, Value: value, Generators: gens}

	case "await":
		p.unsupported(at, "await expression")
	case "yield":
		p.unsupported(at, "yield")
	case "dictionary_splat":
		p.errorf(at, "invalid syntax")
	case "keyword_argument", "slice", "pair", "as_pattern", "ERROR":
		p.errorf(at, "invalid syntax")
	}
	p.unsupported(at, "%s", kindName(n.kind))
	return nil
}

// isStarInParens reports whether a parenthesized_expression is a
// parenthesized starred expression "(*a)" (tree-sitter's
// parenthesized_list_splat).
func isStarInParens(n *cnode) bool {
	args := n.args()
	return len(args) == 1 && (args[0].kind == "list_splat" || args[0].kind == "parenthesized_expression" && isStarInParens(args[0]))
}

// only returns the single named child of n (the operand of "*x" or
// "**x"), or reports invalid syntax.
func (p *parser) only(n *cnode) *cnode {
	args := n.args()
	if len(args) != 1 {
		p.errorf(p.at(n), "invalid syntax")
	}
	return args[0]
}

// element lowers an expression that may be a starred expression "*x":
// an element of a tuple, list or set display or target, a positional
// argument, an assignment or del target (checkTarget rejects a
// misplaced star there with CPython's message).
func (p *parser) element(n *cnode) Expr {
	if n.kind == "list_splat" || n.kind == "list_splat_pattern" {
		p.nest(n)
		defer p.unnest()
		return &Starred{Pos: p.at(n), Value: p.expr(p.only(n))}
	}
	if star := leadingStar(n); star != nil {
		// tree-sitter sometimes reads "*a.b" as (*a).b: the star
		// applies to the whole expression, so lower n with the star
		// node standing for its operand.
		saved := p.starOperand
		p.starOperand = star
		defer func() { p.starOperand = saved }()
		return &Starred{Pos: p.at(star), Value: p.expr(n)}
	}
	return p.expr(n)
}

// leadingStar returns the list_splat at the start of a postfix or
// binary expression ("*a.b", "*a[i]", "*f(x)", "*a + b"), or nil.
func leadingStar(n *cnode) *cnode {
	for {
		var next *cnode
		switch n.kind {
		case "attribute":
			next = n.child("object")
		case "subscript":
			next = n.child("value")
		case "call":
			next = n.child("function")
		case "binary_operator":
			next = n.child("left")
		case "list_splat", "list_splat_pattern":
			return n
		}
		if next == nil {
			return nil
		}
		n = next
	}
}

// elements lowers the elements of a tuple, list or set display, or of a
// tuple or list pattern.
func (p *parser) elements(n *cnode) []Expr {
	var elts []Expr
	for _, c := range n.args() {
		if c.kind == "parenthesized_expression" && isStarInParens(c) {
			p.errorf(p.at(c), "cannot use starred expression here")
		}
		elts = append(elts, p.element(c))
	}
	return elts
}

// subscript lowers "value[index]", "value[i, j]" and slices.
func (p *parser) subscript(n *cnode) Expr {
	s := &Subscript{Pos: p.at(n), Value: p.expr(p.need(n, "value"))}
	idx := n.childrenOf("subscript")
	if len(idx) == 0 {
		p.errorf(p.after(n), "invalid syntax")
	}
	var elts []Expr
	starred := false
	for _, c := range idx {
		if c.kind == "slice" {
			elts = append(elts, p.slice(c))
		} else {
			e := p.element(c)
			_, isStar := e.(*Starred)
			starred = starred || isStar
			elts = append(elts, e)
		}
	}
	if len(elts) == 1 && !n.has(",") && !starred {
		s.Index = elts[0]
	} else {
		s.Index = &Tuple{Pos: elts[0].Position(), Elts: elts}
	}
	return s
}

// slice lowers "lo:hi:step", whose parts are all optional.
func (p *parser) slice(n *cnode) Expr {
	s := &Slice{Pos: p.at(n)}
	colons := 0
	for _, c := range n.children {
		switch {
		case c.kind == ":" && !c.named:
			colons++
		case c.named && !c.extra:
			e := p.expr(c)
			switch colons {
			case 0:
				s.Lo = e
			case 1:
				s.Hi = e
			default:
				s.Step = e
			}
		}
	}
	return s
}

// call lowers "f(args)" and "f(x for x in y)".
func (p *parser) call(n *cnode) Expr {
	c := &Call{Pos: p.at(n), Func: p.expr(p.need(n, "function"))}
	args := p.need(n, "arguments")
	if args.kind == "generator_expression" {
		// "f(x for x in y, z)": tree-sitter reads ", z" as part of the
		// generator's iterable.
		for _, clause := range args.args() {
			if clause.kind == "for_in_clause" && clause.has(",") {
				p.errorf(p.at(p.need(args, "body")), "Generator expression must be parenthesized")
			}
		}
		c.Args = []Expr{p.expr(args)}
		return c
	}
	c.Args, c.Keywords = p.callArgs(args)
	return c
}

// callArgs lowers an argument_list: positional arguments (with *x) and
// keyword arguments (with **x), checking CPython's ordering rules.
func (p *parser) callArgs(n *cnode) (args []Expr, keywords []*Keyword) {
	if n.kind != "argument_list" {
		p.errorf(p.at(n), "invalid syntax")
	}
	seen := map[string]bool{}
	sawKeyword, sawDoubleStar := false, false
	list := n.args()
	for _, c := range list {
		at := p.at(c)
		switch c.kind {
		case "keyword_argument":
			name := p.need(c, "name")
			if name.kind != "identifier" {
				p.errorf(p.at(name), "invalid syntax")
			}
			id := p.text(name)
			if seen[id] {
				p.errorf(at, "keyword argument repeated: %s", id)
			}
			seen[id] = true
			sawKeyword = true
			keywords = append(keywords, &Keyword{Pos: at, Name: id, Value: p.value(p.need(c, "value"))})
		case "dictionary_splat":
			sawDoubleStar = true
			keywords = append(keywords, &Keyword{Pos: at, Value: p.expr(p.only(c))})
		case "list_splat":
			if sawDoubleStar {
				p.errorf(at, "iterable argument unpacking follows keyword argument unpacking")
			}
			args = append(args, p.element(c))
		default:
			if c.kind == "parenthesized_expression" && isStarInParens(c) {
				p.errorf(at, "cannot use starred expression here")
			}
			switch {
			case sawDoubleStar:
				p.errorf(at, "positional argument follows keyword argument unpacking")
			case sawKeyword:
				p.errorf(at, "positional argument follows keyword argument")
			}
			if c.kind == "generator_expression" && len(list) > 1 && !p.parenthesized(c) {
				p.errorf(at, "Generator expression must be parenthesized")
			}
			args = append(args, p.expr(c))
		}
	}
	return args, keywords
}

// parenthesized reports whether a generator expression inside an
// argument list has its own parentheses: "f((x for x in y), 1)". Without
// them, tree-sitter's node starts at the element, not at a "(".
func (p *parser) parenthesized(n *cnode) bool {
	return n.end > n.start && p.src[n.start] == '('
}

// boolOp lowers "a and b and c" into one BoolOp; tree-sitter nests it
// to the left. A parenthesized operand stays a separate BoolOp.
func (p *parser) boolOp(n *cnode) Expr {
	opTok := n.child("operator")
	if opTok == nil {
		p.errorf(p.at(n), "invalid syntax")
	}
	op := And
	if opTok.kind == "or" {
		op = Or
	}
	var operands []*cnode
	cur := n
	for {
		left, right := p.need(cur, "left"), p.need(cur, "right")
		operands = append(operands, right)
		if left.kind != "boolean_operator" || left.child("operator") == nil || left.child("operator").kind != opTok.kind {
			operands = append(operands, left)
			break
		}
		cur = left
		p.nest(cur)
		defer p.unnest()
	}
	b := &BoolOp{Pos: p.at(n), Op: op}
	for i := len(operands) - 1; i >= 0; i-- {
		b.Values = append(b.Values, p.expr(operands[i]))
	}
	return b
}

// compare lowers a comparison chain "a < b <= c".
func (p *parser) compare(n *cnode) Expr {
	c := &Compare{Pos: p.at(n)}
	for _, k := range n.children {
		switch {
		case k.field == "operators":
			if k.kind == "<>" {
				p.unsupported(p.at(k), "'<>' operator (Python 2); use '!='")
			}
			op, ok := cmpOperators[k.kind]
			if !ok {
				p.errorf(p.at(k), "invalid syntax")
			}
			c.Ops = append(c.Ops, op)
		case k.named && !k.extra:
			e := p.expr(k)
			if c.Left == nil {
				c.Left = e
			} else {
				c.Comparators = append(c.Comparators, e)
			}
		}
	}
	if c.Left == nil || len(c.Ops) == 0 || len(c.Ops) != len(c.Comparators) {
		p.errorf(p.at(n), "invalid syntax")
	}
	return c
}

// comprehension lowers the element (field body, unless it is a pair)
// and the for and if clauses of a comprehension.
func (p *parser) comprehension(n *cnode) (Expr, []*Comprehension) {
	body := p.need(n, "body")
	var elt Expr
	if body.kind != "pair" {
		if body.kind == "list_splat" {
			p.errorf(p.at(body), "iterable unpacking cannot be used in comprehension")
		}
		elt = p.expr(body)
	}
	var gens []*Comprehension
	for _, c := range n.args() {
		switch c.kind {
		case "for_in_clause":
			if c.has("async") {
				p.unsupported(p.at(c), "async comprehension")
			}
			right := c.childrenOf("right")
			if len(right) != 1 || c.has(",") {
				p.errorf(p.at(c), "invalid syntax")
			}
			g := &Comprehension{Pos: p.at(c), Target: p.element(p.need(c, "left"))}
			p.checkTarget(g.Target, forTarget, true)
			g.Iter = p.value(right[0])
			gens = append(gens, g)
		case "if_clause":
			if len(gens) == 0 {
				p.errorf(p.at(c), "invalid syntax")
			}
			g := gens[len(gens)-1]
			g.Ifs = append(g.Ifs, p.expr(p.only(c)))
		}
	}
	if len(gens) == 0 {
		p.errorf(p.at(n), "invalid syntax")
	}
	return elt, gens
}
