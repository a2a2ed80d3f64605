package syntax

// This file defines the syntax tree: positions, the Node, Stmt and Expr
// interfaces, and one struct type per construct of the supported subset.

import (
	"fmt"
	"math/big"
)

// A Pos is a position in a source file: a 1-based line and a 1-based
// column counted in characters (runes, not bytes). A tab counts as one
// character. The zero Pos means "no position".
type Pos struct {
	Line, Col int
}

// String returns "line:col".
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// IsValid reports whether p is a real position (Line ≥ 1).
func (p Pos) IsValid() bool { return p.Line >= 1 }

// A Node is any node of the syntax tree: a *File, a Stmt, an Expr, or
// one of the helper nodes *Param, *Keyword, *Comprehension,
// *ExceptHandler and *Alias.
type Node interface {
	// Position returns where the node starts: the first character of a
	// statement's keyword (or of its first expression), or of an
	// expression.
	Position() Pos
}

// A Stmt is a statement.
type Stmt interface {
	Node
	stmt()
}

// An Expr is an expression.
type Expr interface {
	Node
	expr()
}

// A File is a parsed source file.
type File struct {
	Name  string   // the file name given to Parse
	Body  []Stmt   // the module's statements
	Lines []string // the source lines, without line terminators, for tracebacks
}

// Position returns 1:1.
func (f *File) Position() Pos { return Pos{1, 1} }

// ---- Statements ----

// An ExprStmt is an expression evaluated for its side effects. A
// docstring is an ExprStmt whose Value is a *Str.
type ExprStmt struct {
	Pos   Pos
	Value Expr
}

// An Assign is an assignment of one value to one or more targets:
// "a = b = value" has Targets [a, b]. Targets are assigned left to right
// after Value is evaluated. A target is a *Name, *Attribute, *Subscript,
// or a *Tuple or *List of targets containing at most one *Starred.
//
// An annotated assignment "x: T = value" is also an Assign: the
// annotation is checked for syntax and then discarded.
type Assign struct {
	Pos     Pos
	Targets []Expr
	Value   Expr
}

// An AugAssign is an augmented assignment "target op= value". Target is
// a *Name, *Attribute or *Subscript.
type AugAssign struct {
	Pos    Pos
	Target Expr
	Op     Operator
	Value  Expr
}

// A Delete is "del targets". Each target is a *Name, *Attribute,
// *Subscript, or a *Tuple or *List of targets (no *Starred).
type Delete struct {
	Pos     Pos
	Targets []Expr
}

// A Pass is the "pass" statement.
type Pass struct{ Pos Pos }

// A Break is the "break" statement; the parser checks that it is inside
// a loop.
type Break struct{ Pos Pos }

// A Continue is the "continue" statement; the parser checks that it is
// inside a loop.
type Continue struct{ Pos Pos }

// A Return is "return" or "return value"; Value is nil for a bare
// return. The parser checks that it is inside a function.
type Return struct {
	Pos   Pos
	Value Expr // nil for a bare "return"
}

// An If is "if Cond: Body else: Else". An elif clause is lowered to an
// Else holding exactly one *If, whose Pos is the elif keyword's.
type If struct {
	Pos  Pos
	Cond Expr
	Body []Stmt
	Else []Stmt // nil if absent
}

// A While is "while Cond: Body else: Else".
type While struct {
	Pos  Pos
	Cond Expr
	Body []Stmt
	Else []Stmt // nil if absent; runs when the loop ends without break
}

// A For is "for Target in Iter: Body else: Else". Target is a *Name,
// *Attribute, *Subscript, or a *Tuple or *List of targets without
// *Starred.
type For struct {
	Pos    Pos
	Target Expr
	Iter   Expr
	Body   []Stmt
	Else   []Stmt // nil if absent; runs when the loop ends without break
}

// A FuncDef is "def Name(Params): Body". Parameter and return
// annotations are checked for syntax and then discarded.
type FuncDef struct {
	Pos    Pos
	Name   string
	Params Params
	Body   []Stmt
}

// Params are the parameters of a function or lambda, in source order:
//
//	def f(a, b=1, *args, c, d=2, **kwargs)
//
// has Args [a, b=1], Vararg args, KwOnly [c, d=2] and Kwarg kwargs.
// Parameter names are distinct. In Args, once a parameter has a
// Default, all following ones have one; KwOnly parameters may have
// defaults in any order. Defaults are evaluated left to right when the
// def or lambda is executed, Args before KwOnly.
type Params struct {
	Args   []*Param // positional-or-keyword parameters
	Vararg *Param   // *args, or nil
	KwOnly []*Param // keyword-only parameters (after "*" or "*args")
	Kwarg  *Param   // **kwargs, or nil
}

// A Param is one parameter. Vararg and Kwarg have no Default.
type Param struct {
	Pos     Pos
	Name    string
	Default Expr // nil if none
}

// A ClassDef is "class Name(Bases): Body". Keyword arguments
// (metaclass=...) and decorators are not supported.
type ClassDef struct {
	Pos   Pos
	Name  string
	Bases []Expr
	Body  []Stmt
}

// A Global is "global Names".
type Global struct {
	Pos   Pos
	Names []string
}

// A Nonlocal is "nonlocal Names". The parser checks that it is inside a
// function.
type Nonlocal struct {
	Pos   Pos
	Names []string
}

// An Import is "import a.b.c as d, e".
type Import struct {
	Pos   Pos
	Names []*Alias
}

// An ImportFrom is "from Module import Names", or with Level leading
// dots, a relative import: "from ..pkg import x" has Level 2 and Module
// "pkg"; "from . import x" has Level 1 and Module "". For
// "from m import *", Names holds one Alias named "*". "from __future__
// import x" is an ImportFrom of "__future__".
type ImportFrom struct {
	Pos    Pos
	Module string // dotted name; "" for "from . import x"
	Level  int    // number of leading dots; 0 for an absolute import
	Names  []*Alias
}

// An Alias is one imported name: Name is a dotted name ("os.path") for
// Import and a plain name for ImportFrom; AsName is "" without "as".
type Alias struct {
	Pos    Pos
	Name   string
	AsName string
}

// An Assert is "assert Test, Msg".
type Assert struct {
	Pos  Pos
	Test Expr
	Msg  Expr // nil if absent
}

// A Raise is "raise", "raise Exc" or "raise Exc from Cause".
type Raise struct {
	Pos   Pos
	Exc   Expr // nil for a bare "raise" (re-raise)
	Cause Expr // nil if there is no "from" clause
}

// A Try is "try: Body" followed by except clauses, an optional else
// clause and an optional finally clause. There is at least one handler
// or a Finally; Else needs a handler; a bare "except:" is the last
// handler.
type Try struct {
	Pos      Pos
	Body     []Stmt
	Handlers []*ExceptHandler
	Else     []Stmt // nil if absent
	Finally  []Stmt // nil if absent
}

// An ExceptHandler is "except Type as Name: Body".
type ExceptHandler struct {
	Pos  Pos
	Type Expr   // nil for a bare "except:"; may be a *Tuple
	Name string // "" without "as"
	Body []Stmt
}

// ---- Expressions ----

// A Name is a use of, or an assignment to, an identifier.
type Name struct {
	Pos Pos
	Id  string
}

// An Int is an integer literal of any size. "0x_ff", "0o17", "0b1" and
// "1_000" are decoded. A negative number is a *UnaryOp of USub applied
// to an Int: the parser does no constant folding.
type Int struct {
	Pos   Pos
	Value *big.Int // never nil, never negative
}

// A Float is a floating-point literal ("1.5", "1e5", ".5", "1_0.5").
// Literals too large for a float64 are +Inf, as in CPython.
type Float struct {
	Pos   Pos
	Value float64
}

// A Str is a string literal after escape decoding and implicit
// concatenation ("'a' 'b'" is one Str "ab"), including an f-string that
// has no replacement fields. Value holds the code points of the Python
// string as UTF-8; lone surrogates are not supported.
type Str struct {
	Pos   Pos
	Value string
}

// A Bytes is a bytes literal (b'...') after escape decoding and implicit
// concatenation. Value holds the raw bytes (not UTF-8).
type Bytes struct {
	Pos   Pos
	Value string
}

// A JoinedStr is an f-string, after implicit concatenation with its
// neighbouring literals: the concatenation of its Values, each a *Str
// (literal text, never empty, never two in a row) or a *FormattedValue.
// A JoinedStr used as an expression has at least one *FormattedValue:
// an f-string without replacement fields is a *Str. (A FormatSpec may
// hold only *Str values.)
type JoinedStr struct {
	Pos    Pos
	Values []Expr
}

// A FormattedValue is one replacement field "{Value!Conversion:FormatSpec}"
// of an f-string: format(conv(Value), spec), where conv is str, repr or
// ascii for Conversion 's', 'r' or 'a' and the identity for 0, and spec
// is "" when FormatSpec is nil. The debugging form "{x=}" is lowered as
// CPython does: a literal "x=" followed by a FormattedValue whose
// Conversion is 'r' unless a conversion or format spec was given.
type FormattedValue struct {
	Pos        Pos
	Value      Expr
	Conversion rune       // 's', 'r', 'a', or 0 for none
	FormatSpec *JoinedStr // nil if absent; its Values may be all *Str
}

// A Bool is True or False.
type Bool struct {
	Pos   Pos
	Value bool
}

// A None is the None constant.
type None struct{ Pos Pos }

// An Ellipsis is the "..." constant.
type Ellipsis struct{ Pos Pos }

// A Tuple is a tuple display "(a, b)" or "a, b", or a tuple target. Pos
// is the opening parenthesis if there is one, else the first element.
type Tuple struct {
	Pos  Pos
	Elts []Expr // may contain *Starred
}

// A List is a list display "[a, b]", or a list target.
type List struct {
	Pos  Pos
	Elts []Expr // may contain *Starred
}

// A Set is a set display "{a, b}" (never empty).
type Set struct {
	Pos  Pos
	Elts []Expr // may contain *Starred
}

// A Dict is a dict display "{k: v, **m}". Keys and Values have the same
// length; a nil Keys[i] means "**Values[i]" (unpack a mapping).
type Dict struct {
	Pos    Pos
	Keys   []Expr
	Values []Expr
}

// A Starred is "*Value": in a call's Args, in a Tuple, List or Set
// display, or in a Tuple or List target.
type Starred struct {
	Pos   Pos
	Value Expr
}

// An Attribute is "Value.Attr".
type Attribute struct {
	Pos   Pos
	Value Expr
	Attr  string
}

// A Subscript is "Value[Index]". Index is a *Slice for "a[lo:hi:step]"
// and a *Tuple for "a[i, j]" (whose elements may be *Slice).
type Subscript struct {
	Pos   Pos
	Value Expr
	Index Expr
}

// A Slice is "Lo:Hi:Step" inside a subscript; each part may be nil. It
// appears only as a Subscript's Index or an element of that Index Tuple.
type Slice struct {
	Pos          Pos
	Lo, Hi, Step Expr
}

// A Call is "Func(Args, Keywords)". Args are the positional arguments,
// including *Starred ones, in source order; Keywords are "name=value" and
// "**mapping" arguments in source order. A generator expression given as
// the only argument "f(x for x in y)" is a *GeneratorExp in Args.
// Keyword names are distinct.
type Call struct {
	Pos      Pos
	Func     Expr
	Args     []Expr
	Keywords []*Keyword
}

// A Keyword is a keyword argument "Name=Value", or "**Value" when Name
// is "".
type Keyword struct {
	Pos   Pos
	Name  string // "" for **Value
	Value Expr
}

// A BinOp is "Left Op Right".
type BinOp struct {
	Pos   Pos
	Left  Expr
	Op    Operator
	Right Expr
}

// A UnaryOp is "Op Operand": -x, +x, ~x, not x.
type UnaryOp struct {
	Pos     Pos
	Op      UnaryOperator
	Operand Expr
}

// A BoolOp is "a and b and c" or "a or b": Values has at least two
// elements and is evaluated left to right with short-circuiting. A
// parenthesized operand keeps its own BoolOp: "(a and b) and c" has
// Values [BoolOp(a and b), c].
type BoolOp struct {
	Pos    Pos
	Op     BoolOperator
	Values []Expr
}

// A Compare is a comparison chain "Left Ops[0] Comparators[0] Ops[1]
// Comparators[1] ...": "a < b <= c" means "a < b and b <= c" with b
// evaluated once. Ops and Comparators have the same length (≥ 1).
type Compare struct {
	Pos         Pos
	Left        Expr
	Ops         []CmpOperator
	Comparators []Expr
}

// An IfExp is the conditional expression "Then if Cond else Else".
type IfExp struct {
	Pos  Pos
	Cond Expr
	Then Expr
	Else Expr
}

// A Lambda is "lambda Params: Body".
type Lambda struct {
	Pos    Pos
	Params Params
	Body   Expr
}

// A NamedExpr is the assignment expression "Target := Value".
type NamedExpr struct {
	Pos    Pos
	Target *Name
	Value  Expr
}

// A ListComp is "[Elt for ... in ... if ...]".
type ListComp struct {
	Pos        Pos
	Elt        Expr
	Generators []*Comprehension // at least one
}

// A SetComp is "{Elt for ... in ... if ...}".
type SetComp struct {
	Pos        Pos
	Elt        Expr
	Generators []*Comprehension // at least one
}

// A DictComp is "{Key: Value for ... in ... if ...}".
type DictComp struct {
	Pos        Pos
	Key, Value Expr
	Generators []*Comprehension // at least one
}

// A GeneratorExp is "(Elt for ... in ... if ...)".
type GeneratorExp struct {
	Pos        Pos
	Elt        Expr
	Generators []*Comprehension // at least one
}

// A Comprehension is one "for Target in Iter if Ifs[0] if Ifs[1]..."
// clause of a comprehension; the clauses nest left to right. Target is
// as in *For. As in CPython, the Iter of the first clause is evaluated
// in the enclosing scope and the rest in the comprehension's own scope.
type Comprehension struct {
	Pos    Pos
	Target Expr
	Iter   Expr
	Ifs    []Expr
}

// Position methods.

func (x *ExprStmt) Position() Pos      { return x.Pos }
func (x *Assign) Position() Pos        { return x.Pos }
func (x *AugAssign) Position() Pos     { return x.Pos }
func (x *Delete) Position() Pos        { return x.Pos }
func (x *Pass) Position() Pos          { return x.Pos }
func (x *Break) Position() Pos         { return x.Pos }
func (x *Continue) Position() Pos      { return x.Pos }
func (x *Return) Position() Pos        { return x.Pos }
func (x *If) Position() Pos            { return x.Pos }
func (x *While) Position() Pos         { return x.Pos }
func (x *For) Position() Pos           { return x.Pos }
func (x *FuncDef) Position() Pos       { return x.Pos }
func (x *Param) Position() Pos         { return x.Pos }
func (x *ClassDef) Position() Pos      { return x.Pos }
func (x *Global) Position() Pos        { return x.Pos }
func (x *Nonlocal) Position() Pos      { return x.Pos }
func (x *Import) Position() Pos        { return x.Pos }
func (x *ImportFrom) Position() Pos    { return x.Pos }
func (x *Alias) Position() Pos         { return x.Pos }
func (x *Assert) Position() Pos        { return x.Pos }
func (x *Raise) Position() Pos         { return x.Pos }
func (x *Try) Position() Pos           { return x.Pos }
func (x *ExceptHandler) Position() Pos { return x.Pos }

func (x *Name) Position() Pos           { return x.Pos }
func (x *Int) Position() Pos            { return x.Pos }
func (x *Float) Position() Pos          { return x.Pos }
func (x *Str) Position() Pos            { return x.Pos }
func (x *Bytes) Position() Pos          { return x.Pos }
func (x *JoinedStr) Position() Pos      { return x.Pos }
func (x *FormattedValue) Position() Pos { return x.Pos }
func (x *Bool) Position() Pos           { return x.Pos }
func (x *None) Position() Pos           { return x.Pos }
func (x *Ellipsis) Position() Pos       { return x.Pos }
func (x *Tuple) Position() Pos          { return x.Pos }
func (x *List) Position() Pos           { return x.Pos }
func (x *Set) Position() Pos            { return x.Pos }
func (x *Dict) Position() Pos           { return x.Pos }
func (x *Starred) Position() Pos        { return x.Pos }
func (x *Attribute) Position() Pos      { return x.Pos }
func (x *Subscript) Position() Pos      { return x.Pos }
func (x *Slice) Position() Pos          { return x.Pos }
func (x *Call) Position() Pos           { return x.Pos }
func (x *Keyword) Position() Pos        { return x.Pos }
func (x *BinOp) Position() Pos          { return x.Pos }
func (x *UnaryOp) Position() Pos        { return x.Pos }
func (x *BoolOp) Position() Pos         { return x.Pos }
func (x *Compare) Position() Pos        { return x.Pos }
func (x *IfExp) Position() Pos          { return x.Pos }
func (x *Lambda) Position() Pos         { return x.Pos }
func (x *NamedExpr) Position() Pos      { return x.Pos }
func (x *ListComp) Position() Pos       { return x.Pos }
func (x *SetComp) Position() Pos        { return x.Pos }
func (x *DictComp) Position() Pos       { return x.Pos }
func (x *GeneratorExp) Position() Pos   { return x.Pos }
func (x *Comprehension) Position() Pos  { return x.Pos }

// Statement markers.

func (*ExprStmt) stmt()   {}
func (*Assign) stmt()     {}
func (*AugAssign) stmt()  {}
func (*Delete) stmt()     {}
func (*Pass) stmt()       {}
func (*Break) stmt()      {}
func (*Continue) stmt()   {}
func (*Return) stmt()     {}
func (*If) stmt()         {}
func (*While) stmt()      {}
func (*For) stmt()        {}
func (*FuncDef) stmt()    {}
func (*ClassDef) stmt()   {}
func (*Global) stmt()     {}
func (*Nonlocal) stmt()   {}
func (*Import) stmt()     {}
func (*ImportFrom) stmt() {}
func (*Assert) stmt()     {}
func (*Raise) stmt()      {}
func (*Try) stmt()        {}

// Expression markers.

func (*Name) expr()           {}
func (*Int) expr()            {}
func (*Float) expr()          {}
func (*Str) expr()            {}
func (*Bytes) expr()          {}
func (*JoinedStr) expr()      {}
func (*FormattedValue) expr() {}
func (*Bool) expr()           {}
func (*None) expr()           {}
func (*Ellipsis) expr()       {}
func (*Tuple) expr()          {}
func (*List) expr()           {}
func (*Set) expr()            {}
func (*Dict) expr()           {}
func (*Starred) expr()        {}
func (*Attribute) expr()      {}
func (*Subscript) expr()      {}
func (*Slice) expr()          {}
func (*Call) expr()           {}
func (*BinOp) expr()          {}
func (*UnaryOp) expr()        {}
func (*BoolOp) expr()         {}
func (*Compare) expr()        {}
func (*IfExp) expr()          {}
func (*Lambda) expr()         {}
func (*NamedExpr) expr()      {}
func (*ListComp) expr()       {}
func (*SetComp) expr()        {}
func (*DictComp) expr()       {}
func (*GeneratorExp) expr()   {}
