package syntax

// This file defines Parse, the Error type, and the bridge from
// tree-sitter: the source is parsed by the tree-sitter Python grammar,
// copied into a Go-side concrete syntax tree (cnode) so that no C object
// outlives Parse, checked for the errors tree-sitter does not report
// (indentation, brackets), and lowered to the AST by lower.go.

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	sitter "github.com/tree-sitter/go-tree-sitter"
	python "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// An Error is a syntax error, or a construct the parser recognizes but
// heaptrace does not support. Parse returns the first one, as *Error.
type Error struct {
	Pos         Pos
	File        string
	Msg         string // without the "unsupported: " prefix
	Unsupported bool   // the source is (probably) valid Python, outside the subset
}

// Error returns "file:line:col: msg", or "file:line:col: unsupported: msg".
func (e *Error) Error() string {
	if e.Unsupported {
		return fmt.Sprintf("%s:%d:%d: unsupported: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// Parse parses the Python 3 source src, read from filename (used only
// in positions and errors), and returns its syntax tree. The error, if
// any, is an *Error: the first syntax error or unsupported construct.
func Parse(filename string, src []byte) (*File, error) {
	src, err := normalize(src)
	if err != nil {
		err.File = filename
		return nil, err
	}
	p := &parser{src: src, file: filename}
	p.splitLines()

	root := p.parseTree()
	root = p.reparseTypeStatements(root)
	if err := p.check(root); err != nil {
		return nil, err
	}
	f := &File{Name: filename, Lines: p.lines}
	if err := p.lowerFile(root, f); err != nil {
		return nil, err
	}
	return f, nil
}

// typePlaceholder replaces the name "type" where tree-sitter misreads it
// as the Python 3.12 keyword; it has the same length, so that positions
// do not change.
const typePlaceholder = "TyPe"

// reparseTypeStatements works around tree-sitter reading statements
// that start with the name "type", such as "type(x).attr = v", as Python
// 3.12 type alias statements, which do not exist in Python 3.11: it
// replaces that "type" by a placeholder name and parses again; expr
// turns the placeholder back into the name "type".
func (p *parser) reparseTypeStatements(root *cnode) *cnode {
	for round := 0; round < 3; round++ {
		var found []int
		for _, n := range allNodes(root) {
			if n.kind == "type_alias_statement" && len(n.children) > 0 && n.children[0].kind == "type" {
				found = append(found, n.children[0].start)
			}
		}
		if len(found) == 0 {
			return root
		}
		if p.typeNames == nil {
			p.typeNames = map[int]bool{}
			p.src = bytes.Clone(p.src) // do not modify the caller's slice
		}
		for _, off := range found {
			copy(p.src[off:], typePlaceholder)
			p.typeNames[off] = true
		}
		root = p.parseTree()
	}
	return root
}

// allNodes returns the statement-level nodes of the tree: the module's
// children and, recursively, the statements of blocks.
func allNodes(n *cnode) []*cnode {
	var out []*cnode
	var visit func(n *cnode)
	visit = func(n *cnode) {
		for _, c := range n.children {
			if !c.named {
				continue
			}
			out = append(out, c)
			switch c.kind {
			case "block", "ERROR", "if_statement", "elif_clause", "else_clause",
				"for_statement", "while_statement", "try_statement", "except_clause",
				"finally_clause", "with_statement", "function_definition",
				"class_definition", "decorated_definition", "match_statement",
				"case_clause":
				visit(c)
			}
		}
	}
	visit(n)
	return out
}

// normalize returns src as CPython's tokenizer sees it: without a UTF-8
// byte order mark, with "\r\n" and "\r" line endings turned into "\n".
// It rejects invalid UTF-8 and NUL bytes.
func normalize(src []byte) ([]byte, *Error) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	if line, enc := encodingDeclaration(src); enc != "" {
		norm := strings.ReplaceAll(strings.ToLower(enc), "_", "-")
		if norm != "utf8" && norm != "utf-8" && !strings.HasPrefix(norm, "utf-8-") {
			return nil, &Error{Pos: Pos{line, 1}, Msg: fmt.Sprintf("source encoding %s (only UTF-8 is supported)", enc), Unsupported: true}
		}
	}
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return nil, &Error{Pos: Pos{line, col}, Msg: fmt.Sprintf("Non-UTF-8 code starting with '\\x%02x'", src[i])}
		case r == 0:
			return nil, &Error{Pos: Pos{line, col}, Msg: "source code cannot contain null bytes"}
		case r == '\n' || r == '\r' && (i+1 == len(src) || src[i+1] != '\n'):
			line, col = line+1, 1
		default:
			col++
		}
		i += size
	}
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	return src, nil
}

// codingRE matches a PEP 263 encoding declaration.
var codingRE = regexp.MustCompile(`^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`)

// encodingDeclaration returns the line (1 or 2) and the encoding named
// by a PEP 263 declaration ("# -*- coding: latin-1 -*-"), or 0 and "".
func encodingDeclaration(src []byte) (int, string) {
	for line := 1; line <= 2 && len(src) > 0; line++ {
		text := src
		if i := bytes.IndexAny(src, "\r\n"); i >= 0 {
			text, src = src[:i], src[i+1:]
			src = bytes.TrimPrefix(src, []byte("\n")) // after "\r"
		} else {
			src = nil
		}
		if m := codingRE.FindSubmatch(text); m != nil {
			return line, string(m[1])
		}
		// Only a blank or comment line may precede the declaration.
		if t := bytes.TrimLeft(text, " \t\f"); len(t) > 0 && t[0] != '#' {
			break
		}
	}
	return 0, ""
}

// A parser holds the state of one call to Parse.
type parser struct {
	src        []byte
	file       string
	lines      []string
	ascii      []bool // ascii[i] reports whether lines[i] is all ASCII
	lineStarts []int  // byte offset in src where each line starts
	hasError   bool   // the tree-sitter tree has ERROR or MISSING nodes

	// Lowering context.
	inFunc  bool // inside a def or lambda body (and not in a nested class body)
	inLoop  bool // inside a loop body (and not in a nested def or class)
	inClass bool // directly inside a class body
	depth   int  // expression nesting, bounded by maxDepth
	// starOperand is a list_splat node that expr lowers as its operand:
	// element has moved its star outward.
	starOperand *cnode
	// typeNames holds the offsets of the names "type" replaced by
	// typePlaceholder (see reparseTypeStatements).
	typeNames map[int]bool
	err       *Error
}

func (p *parser) splitLines() {
	text := string(p.src)
	text = strings.TrimSuffix(text, "\n")
	if text == "" && len(p.src) == 0 {
		p.lines = []string{}
	} else {
		p.lines = strings.Split(text, "\n")
	}
	p.ascii = make([]bool, len(p.lines))
	p.lineStarts = make([]int, len(p.lines))
	off := 0
	for i, l := range p.lines {
		p.ascii[i] = isASCII(l)
		p.lineStarts[i] = off
		off += len(l) + 1
	}
	if len(p.lineStarts) == 0 {
		p.lineStarts = []int{0}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// pos converts a tree-sitter point (0-based row, 0-based byte column)
// into a Pos (1-based line, 1-based rune column).
func (p *parser) pos(row, byteCol int) Pos {
	if row < 0 || row >= len(p.lines) || byteCol <= 0 {
		return Pos{row + 1, 1}
	}
	if p.ascii[row] {
		return Pos{row + 1, byteCol + 1}
	}
	line := p.lines[row]
	if byteCol > len(line) {
		byteCol = len(line)
	}
	return Pos{row + 1, utf8.RuneCountInString(line[:byteCol]) + 1}
}

// errorf records a syntax error at pos and abandons lowering (see
// lowerFile, which recovers).
func (p *parser) errorf(at Pos, format string, args ...any) {
	p.err = &Error{Pos: at, File: p.file, Msg: fmt.Sprintf(format, args...)}
	panic(bailout{})
}

// unsupported records an unsupported construct at pos and abandons
// lowering.
func (p *parser) unsupported(at Pos, format string, args ...any) {
	p.err = &Error{Pos: at, File: p.file, Msg: fmt.Sprintf(format, args...), Unsupported: true}
	panic(bailout{})
}

// bailout is the panic value used by errorf and unsupported to unwind
// the lowering after the first error.
type bailout struct{}

// ---- The tree-sitter bridge ----

// A cnode is a node of tree-sitter's concrete syntax tree, copied into
// Go memory. Anonymous nodes (keywords, punctuation) are kept: the
// lowering needs some of them (operators, commas, "async").
type cnode struct {
	kind     string // tree-sitter kind: "if_statement", "identifier", ":", "ERROR"...
	field    string // field name in the parent, or ""
	named    bool
	missing  bool // inserted by error recovery; empty in the source
	extra    bool // comment, line continuation or ERROR outside the grammar
	start    int  // byte offsets into the normalized source
	end      int
	startRow int // 0-based row and byte column of start
	startCol int
	endRow   int
	endCol   int
	children []*cnode
}

var (
	languageOnce sync.Once
	language     *sitter.Language
	kindNames    []string // kind name by kind id
	kindNamed    []bool   // whether the kind is a named node, by kind id
	fieldNames   []string // field name by field id; fieldNames[0] == ""
)

// errorKindID is the kind id of ERROR nodes (tree-sitter's
// ts_builtin_sym_error).
const errorKindID = 1<<16 - 1

func loadLanguage() {
	language = sitter.NewLanguage(python.Language())
	kindNames = make([]string, language.NodeKindCount())
	kindNamed = make([]bool, len(kindNames))
	for i := range kindNames {
		kindNames[i] = language.NodeKindForId(uint16(i))
		kindNamed[i] = language.NodeKindIsNamed(uint16(i))
	}
	fieldNames = make([]string, language.FieldCount()+1)
	for i := 1; i < len(fieldNames); i++ {
		fieldNames[i] = language.FieldNameForId(uint16(i))
	}
}

// parseTree runs tree-sitter on p.src and returns the copied tree.
func (p *parser) parseTree() *cnode {
	languageOnce.Do(loadLanguage)
	tsp := sitter.NewParser()
	defer tsp.Close()
	if err := tsp.SetLanguage(language); err != nil {
		panic(err) // the grammar is compiled in: cannot happen
	}
	tree := tsp.Parse(p.src, nil)
	defer tree.Close()
	cursor := tree.Walk()
	defer cursor.Close()
	// MISSING nodes exist only in trees with errors: skip the check
	// (a call into C per node) otherwise.
	p.hasError = tree.RootNode().HasError()
	return p.copyTree(cursor, p.hasError)
}

// copyTree copies the subtree at the cursor's node. The cursor is left
// where it started. Each call into tree-sitter crosses cgo, so copyTree
// asks only for the kind, field and byte range of each node, and
// derives the rest.
func (p *parser) copyTree(c *sitter.TreeCursor, checkMissing bool) *cnode {
	n := c.Node()
	cn := &cnode{
		start: int(n.StartByte()),
		end:   int(n.EndByte()),
	}
	switch id := int(n.KindId()); {
	case id < len(kindNames):
		cn.kind, cn.named = kindNames[id], kindNamed[id]
	case id == errorKindID:
		cn.kind, cn.named = "ERROR", true
	default:
		cn.kind, cn.named = n.Kind(), n.IsNamed()
	}
	switch cn.kind {
	case "comment", "line_continuation", "ERROR":
		cn.extra = true
	}
	if checkMissing {
		cn.missing = n.IsMissing()
	}
	if id := int(c.FieldId()); id < len(fieldNames) {
		cn.field = fieldNames[id]
	}
	cn.startRow, cn.startCol = p.rowCol(cn.start)
	cn.endRow, cn.endCol = p.rowCol(cn.end)
	if c.GotoFirstChild() {
		for {
			cn.children = append(cn.children, p.copyTree(c, checkMissing))
			if !c.GotoNextSibling() {
				break
			}
		}
		c.GotoParent()
	}
	return cn
}

// rowCol returns the 0-based row and byte column of a byte offset.
func (p *parser) rowCol(off int) (row, col int) {
	row = sort.Search(len(p.lineStarts), func(i int) bool { return p.lineStarts[i] > off }) - 1
	if row < 0 {
		row = 0
	}
	return row, off - p.lineStarts[row]
}

// isError reports whether n is an ERROR node.
func (n *cnode) isError() bool { return n.kind == "ERROR" }

// child returns the first child with the given field name, or nil.
func (n *cnode) child(field string) *cnode {
	for _, c := range n.children {
		if c.field == field {
			return c
		}
	}
	return nil
}

// childrenOf returns the named children with the given field name.
func (n *cnode) childrenOf(field string) []*cnode {
	var cs []*cnode
	for _, c := range n.children {
		if c.field == field && c.named && !c.extra {
			cs = append(cs, c)
		}
	}
	return cs
}

// args returns the named children that are neither comments nor line
// continuations.
func (n *cnode) args() []*cnode {
	var cs []*cnode
	for _, c := range n.children {
		if c.named && !c.extra {
			cs = append(cs, c)
		}
	}
	return cs
}

// has reports whether n has an anonymous child token tok ("," or "async").
func (n *cnode) has(tok string) bool {
	return n.token(tok) != nil
}

// token returns n's first anonymous child token tok, or nil.
func (n *cnode) token(tok string) *cnode {
	for _, c := range n.children {
		if !c.named && c.kind == tok {
			return c
		}
	}
	return nil
}

// text returns n's source text.
func (p *parser) text(n *cnode) string { return string(p.src[n.start:n.end]) }

// at returns n's start position.
func (p *parser) at(n *cnode) Pos { return p.pos(n.startRow, n.startCol) }

// after returns n's end position.
func (p *parser) after(n *cnode) Pos { return p.pos(n.endRow, n.endCol) }
