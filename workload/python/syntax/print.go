package syntax

// This file defines Fprint, a debug printer with a stable output used by
// the golden tests.

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Fprint writes the tree rooted at n to w, one node per line, children
// indented by two spaces under their parent:
//
//	Assign @1:1
//	  targets:
//	    Name x @1:1
//	  value: BinOp + @1:5
//	    left: Int 1 @1:5
//	    right: Name y @1:9
//
// Each line is "field: Kind details @line:col"; a list field is a line
// "field:" followed by its elements. Nil fields and empty lists are
// omitted. Strings are printed Go-quoted, bytes with \x escapes.
func Fprint(w io.Writer, n Node) error {
	pr := &printer{}
	pr.node("", n)
	_, err := io.WriteString(w, pr.b.String())
	return err
}

type printer struct {
	b      strings.Builder
	indent int
}

// line writes one line at the current indentation.
func (pr *printer) line(label, text string) {
	pr.b.WriteString(strings.Repeat("  ", pr.indent))
	if label != "" {
		pr.b.WriteString(label)
		pr.b.WriteString(": ")
	}
	pr.b.WriteString(text)
	pr.b.WriteByte('\n')
}

// list writes a list field: a label line, then the nodes one level deeper.
func (pr *printer) list(label string, nodes []Node) {
	if len(nodes) == 0 {
		return
	}
	pr.line("", label+":")
	pr.indent++
	for _, n := range nodes {
		pr.node("", n)
	}
	pr.indent--
}

func stmtNodes(stmts []Stmt) []Node {
	nodes := make([]Node, len(stmts))
	for i, s := range stmts {
		nodes[i] = s
	}
	return nodes
}

func exprNodes(exprs []Expr) []Node {
	nodes := make([]Node, len(exprs))
	for i, e := range exprs {
		nodes[i] = e
	}
	return nodes
}

// expr writes an optional expression field.
func (pr *printer) expr(label string, e Expr) {
	if e != nil {
		pr.node(label, e)
	}
}

// head writes the line of node n, then its children (written by body)
// one level deeper.
func (pr *printer) head(label string, n Node, kind string, body func()) {
	pr.line(label, fmt.Sprintf("%s @%s", kind, n.Position()))
	if body != nil {
		pr.indent++
		body()
		pr.indent--
	}
}

func (pr *printer) params(ps *Params) {
	pr.list("args", paramNodes(ps.Args))
	if ps.Vararg != nil {
		pr.node("vararg", ps.Vararg)
	}
	pr.list("kwonly", paramNodes(ps.KwOnly))
	if ps.Kwarg != nil {
		pr.node("kwarg", ps.Kwarg)
	}
}

func paramNodes(ps []*Param) []Node {
	nodes := make([]Node, len(ps))
	for i, p := range ps {
		nodes[i] = p
	}
	return nodes
}

func (pr *printer) comps(gens []*Comprehension) {
	nodes := make([]Node, len(gens))
	for i, g := range gens {
		nodes[i] = g
	}
	pr.list("generators", nodes)
}

func (pr *printer) node(label string, n Node) {
	switch n := n.(type) {
	case *File:
		pr.line(label, "File "+strconv.Quote(n.Name))
		pr.indent++
		for _, s := range n.Body {
			pr.node("", s)
		}
		pr.indent--

	case *ExprStmt:
		pr.head(label, n, "ExprStmt", func() { pr.node("value", n.Value) })
	case *Assign:
		pr.head(label, n, "Assign", func() {
			pr.list("targets", exprNodes(n.Targets))
			pr.node("value", n.Value)
		})
	case *AugAssign:
		pr.head(label, n, "AugAssign "+n.Op.String()+"=", func() {
			pr.node("target", n.Target)
			pr.node("value", n.Value)
		})
	case *Delete:
		pr.head(label, n, "Delete", func() { pr.list("targets", exprNodes(n.Targets)) })
	case *Pass:
		pr.head(label, n, "Pass", nil)
	case *Break:
		pr.head(label, n, "Break", nil)
	case *Continue:
		pr.head(label, n, "Continue", nil)
	case *Return:
		pr.head(label, n, "Return", func() { pr.expr("value", n.Value) })
	case *If:
		pr.head(label, n, "If", func() {
			pr.node("cond", n.Cond)
			pr.list("body", stmtNodes(n.Body))
			pr.list("else", stmtNodes(n.Else))
		})
	case *While:
		pr.head(label, n, "While", func() {
			pr.node("cond", n.Cond)
			pr.list("body", stmtNodes(n.Body))
			pr.list("else", stmtNodes(n.Else))
		})
	case *For:
		pr.head(label, n, "For", func() {
			pr.node("target", n.Target)
			pr.node("iter", n.Iter)
			pr.list("body", stmtNodes(n.Body))
			pr.list("else", stmtNodes(n.Else))
		})
	case *FuncDef:
		pr.head(label, n, "FuncDef "+n.Name, func() {
			pr.params(&n.Params)
			pr.list("body", stmtNodes(n.Body))
		})
	case *Param:
		pr.head(label, n, "Param "+n.Name, func() { pr.expr("default", n.Default) })
	case *ClassDef:
		pr.head(label, n, "ClassDef "+n.Name, func() {
			pr.list("bases", exprNodes(n.Bases))
			pr.list("body", stmtNodes(n.Body))
		})
	case *Global:
		pr.head(label, n, "Global "+strings.Join(n.Names, ", "), nil)
	case *Nonlocal:
		pr.head(label, n, "Nonlocal "+strings.Join(n.Names, ", "), nil)
	case *Import:
		pr.head(label, n, "Import", func() {
			for _, a := range n.Names {
				pr.node("", a)
			}
		})
	case *ImportFrom:
		pr.head(label, n, "ImportFrom "+strings.Repeat(".", n.Level)+n.Module, func() {
			for _, a := range n.Names {
				pr.node("", a)
			}
		})
	case *Alias:
		text := "Alias " + n.Name
		if n.AsName != "" {
			text += " as " + n.AsName
		}
		pr.head(label, n, text, nil)
	case *Assert:
		pr.head(label, n, "Assert", func() {
			pr.node("test", n.Test)
			pr.expr("msg", n.Msg)
		})
	case *Raise:
		pr.head(label, n, "Raise", func() {
			pr.expr("exc", n.Exc)
			pr.expr("cause", n.Cause)
		})
	case *Try:
		pr.head(label, n, "Try", func() {
			pr.list("body", stmtNodes(n.Body))
			for _, h := range n.Handlers {
				pr.node("", h)
			}
			pr.list("else", stmtNodes(n.Else))
			pr.list("finally", stmtNodes(n.Finally))
		})
	case *ExceptHandler:
		text := "ExceptHandler"
		if n.Name != "" {
			text += " as " + n.Name
		}
		pr.head(label, n, text, func() {
			pr.expr("type", n.Type)
			pr.list("body", stmtNodes(n.Body))
		})

	case *Name:
		pr.head(label, n, "Name "+n.Id, nil)
	case *Int:
		pr.head(label, n, "Int "+n.Value.String(), nil)
	case *Float:
		pr.head(label, n, "Float "+floatRepr(n.Value), nil)
	case *Str:
		pr.head(label, n, "Str "+strconv.Quote(n.Value), nil)
	case *Bytes:
		pr.head(label, n, "Bytes "+bytesRepr(n.Value), nil)
	case *JoinedStr:
		pr.head(label, n, "JoinedStr", func() { pr.list("values", exprNodes(n.Values)) })
	case *FormattedValue:
		text := "FormattedValue"
		if n.Conversion != 0 {
			text += " !" + string(n.Conversion)
		}
		pr.head(label, n, text, func() {
			pr.node("value", n.Value)
			if n.FormatSpec != nil {
				pr.node("spec", n.FormatSpec)
			}
		})
	case *Bool:
		text := "Bool False"
		if n.Value {
			text = "Bool True"
		}
		pr.head(label, n, text, nil)
	case *None:
		pr.head(label, n, "None", nil)
	case *Ellipsis:
		pr.head(label, n, "Ellipsis", nil)
	case *Tuple:
		pr.head(label, n, "Tuple", func() { pr.list("elts", exprNodes(n.Elts)) })
	case *List:
		pr.head(label, n, "List", func() { pr.list("elts", exprNodes(n.Elts)) })
	case *Set:
		pr.head(label, n, "Set", func() { pr.list("elts", exprNodes(n.Elts)) })
	case *Dict:
		pr.head(label, n, "Dict", func() {
			for i, v := range n.Values {
				if i < len(n.Keys) && n.Keys[i] != nil {
					pr.node("key", n.Keys[i])
					pr.node("value", v)
				} else {
					pr.node("**", v)
				}
			}
		})
	case *Starred:
		pr.head(label, n, "Starred", func() { pr.node("value", n.Value) })
	case *Attribute:
		pr.head(label, n, "Attribute ."+n.Attr, func() { pr.node("value", n.Value) })
	case *Subscript:
		pr.head(label, n, "Subscript", func() {
			pr.node("value", n.Value)
			pr.node("index", n.Index)
		})
	case *Slice:
		pr.head(label, n, "Slice", func() {
			pr.expr("lo", n.Lo)
			pr.expr("hi", n.Hi)
			pr.expr("step", n.Step)
		})
	case *Call:
		pr.head(label, n, "Call", func() {
			pr.node("func", n.Func)
			pr.list("args", exprNodes(n.Args))
			nodes := make([]Node, len(n.Keywords))
			for i, k := range n.Keywords {
				nodes[i] = k
			}
			pr.list("keywords", nodes)
		})
	case *Keyword:
		text := "Keyword " + n.Name
		if n.Name == "" {
			text = "Keyword **"
		}
		pr.head(label, n, text, func() { pr.node("value", n.Value) })
	case *BinOp:
		pr.head(label, n, "BinOp "+n.Op.String(), func() {
			pr.node("left", n.Left)
			pr.node("right", n.Right)
		})
	case *UnaryOp:
		pr.head(label, n, "UnaryOp "+n.Op.String(), func() { pr.node("operand", n.Operand) })
	case *BoolOp:
		pr.head(label, n, "BoolOp "+n.Op.String(), func() { pr.list("values", exprNodes(n.Values)) })
	case *Compare:
		pr.head(label, n, "Compare", func() {
			pr.node("left", n.Left)
			for i, op := range n.Ops {
				if i < len(n.Comparators) {
					pr.node(op.String(), n.Comparators[i])
				}
			}
		})
	case *IfExp:
		pr.head(label, n, "IfExp", func() {
			pr.node("cond", n.Cond)
			pr.node("then", n.Then)
			pr.node("else", n.Else)
		})
	case *Lambda:
		pr.head(label, n, "Lambda", func() {
			pr.params(&n.Params)
			pr.node("body", n.Body)
		})
	case *NamedExpr:
		pr.head(label, n, "NamedExpr", func() {
			pr.node("target", n.Target)
			pr.node("value", n.Value)
		})
	case *ListComp:
		pr.head(label, n, "ListComp", func() {
			pr.node("elt", n.Elt)
			pr.comps(n.Generators)
		})
	case *SetComp:
		pr.head(label, n, "SetComp", func() {
			pr.node("elt", n.Elt)
			pr.comps(n.Generators)
		})
	case *DictComp:
		pr.head(label, n, "DictComp", func() {
			pr.node("key", n.Key)
			pr.node("value", n.Value)
			pr.comps(n.Generators)
		})
	case *GeneratorExp:
		pr.head(label, n, "GeneratorExp", func() {
			pr.node("elt", n.Elt)
			pr.comps(n.Generators)
		})
	case *Comprehension:
		pr.head(label, n, "Comprehension", func() {
			pr.node("target", n.Target)
			pr.node("iter", n.Iter)
			pr.list("ifs", exprNodes(n.Ifs))
		})
	case nil:
		pr.line(label, "<nil>")
	default:
		pr.line(label, fmt.Sprintf("%T", n))
	}
}

// floatRepr formats f as Python's repr does: "100000.0", "1e-05",
// "1e+16", "inf".
func floatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // shortest digits: "1.5e+10"
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}

// bytesRepr formats b like Python's repr of bytes, but always with
// double quotes: b"a\x00\n".
func bytesRepr(b string) string {
	var sb strings.Builder
	sb.WriteString(`b"`)
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\r':
			sb.WriteString(`\r`)
		case c == '\t':
			sb.WriteString(`\t`)
		case c >= 0x20 && c < 0x7f:
			sb.WriteByte(c)
		default:
			fmt.Fprintf(&sb, `\x%02x`, c)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}
