// Package syntax parses Python 3 source into heaptrace's syntax tree.
//
// heaptrace runs Python scripts on a model of CPython 3.11's heap. This
// package is the first phase: Parse reads a script and returns a *File,
// a small abstract syntax tree (AST) of the subset of Python the
// evaluator supports, or the first error, an *Error. Everything outside
// the subset is rejected here, with its position, so that the evaluator
// never meets a construct it does not know.
//
// # Phases
//
//  1. tree-sitter's Python grammar parses the source into a concrete
//     syntax tree, which is copied into Go memory (parse.go); the C tree
//     is freed before Parse returns.
//  2. check.go finds the errors tree-sitter does not report or reports
//     badly: indentation (tree-sitter accepts a misplaced indent),
//     brackets, and the first ERROR or MISSING node, reworded as
//     CPython does for the common cases ("expected ':'", "'(' was never
//     closed", "unterminated string literal", "cannot assign to ...").
//  3. lower.go and expr.go lower the concrete tree to the AST (ast.go),
//     decoding literals (literal.go) and checking what CPython's parser
//     and compiler check but the grammar allows: targets, parameter and
//     argument order, return/break/continue placement, future imports.
//
// # The subset
//
// Statements: expression statements (a docstring is an *ExprStmt of a
// *Str), assignment (chained "a = b = v", unpacking with one starred
// target), augmented assignment, annotated assignment with a value (the
// annotation is discarded), del, pass, break, continue, return, if/elif/
// else, while/else, for/else, def (positional parameters with defaults,
// *args, keyword-only parameters with defaults, **kwargs; annotations
// discarded), class (bases only), global, nonlocal, import, from-import
// (relative, aliased, "*"), assert, raise (with "from"), try/except/
// else/finally.
//
// Expressions: names; int (any size), float, str, bytes and f-string
// literals; True, False, None, "..."; tuple, list, set and dict displays
// (with *x and **m); attribute, subscript and slice; calls (with *args,
// keywords, **kwargs, and a generator as sole argument); the binary
// operators + - * / // % ** << >> & | ^ @; unary - + ~ not; and/or;
// comparison chains including in, not in, is, is not; conditional
// expressions; lambda; list, set and dict comprehensions and generator
// expressions (several for and if clauses); assignment expressions
// (x := v).
//
// Unsupported (Error.Unsupported is set, and the message names the
// construct): decorators; async def, async for, async with, await and
// async comprehensions; with; match; yield and yield from; type
// parameters (def f[T]); except*; positional-only parameters
// ("/"); class keyword arguments (metaclass=) and starred bases;
// annotations without a value ("x: int"); a starred target in a for loop
// or comprehension ("for a, *b in c"); imaginary numbers; "\N{...}"
// escapes; surrogate code points in strings; from __future__ import
// barry_as_FLUFL; and the Python 2 forms tree-sitter's grammar also
// accepts: print and exec statements, backquotes, the "<>" operator.
//
// # Representation
//
// The AST imitates go.starlark.net/syntax: one struct type per
// construct, implementing Stmt or Expr, each with its Pos; operators are
// typed enumerations (Operator, UnaryOperator, BoolOperator,
// CmpOperator) whose String method gives the Python spelling. Walk
// traverses a tree; Fprint prints it (the golden tests' format).
//
// Parentheses leave no node: "(x)" is x. Constants have one type each:
// *Int (a *big.Int), *Float, *Str (the decoded value as UTF-8), *Bytes
// (the raw bytes in a Go string), *Bool, *None, *Ellipsis. There is no
// constant folding: -1 is a *UnaryOp of USub on *Int 1, and implicit
// concatenation "'a' 'b'" is the only operation done at parse time, as
// in CPython's parser. An f-string is a *JoinedStr of *Str and
// *FormattedValue parts, or a *Str if it has no replacement field; "{x=}"
// is lowered to the text "x=" and a field with the repr conversion, as
// CPython does. elif becomes a nested *If in Else. "a and b and c" is
// one *BoolOp. Annotations are checked for syntax and discarded.
//
// # Positions
//
// A Pos is a 1-based line and a 1-based column counted in characters
// (runes), not bytes, as in CPython's SyntaxError offsets; a tab is one
// character. Lines end at "\n", "\r\n" or "\r"; a UTF-8 byte order mark
// is skipped. A statement's position is its first character (its keyword
// or its first expression). An expression's position is where its text
// starts, as CPython's col_offset: "(a) + b" starts at the parenthesis
// and the a inside it one column later; a tuple "(1, 2)" and a generator
// expression include their own parentheses. File.Lines
// keeps the source lines for tracebacks.
//
// # Errors
//
// Parse returns the first error as an *Error whose Error method gives
// "file:line:col: message", or "file:line:col: unsupported: what". Syntax
// errors use CPython 3.11's message where this package recognizes the
// case (the position may differ by a few columns from CPython's, which
// sometimes points at the end of a token); otherwise the message is
// "invalid syntax" at the start of the region tree-sitter could not
// parse. Checks that need scopes are left to the evaluator: a nonlocal
// name without binding, a name used before its global declaration.
//
// # Known gaps
//
// Checked against CPython 3.11's ast module on about 15,000 files (the
// standard library and its tests, site-packages, the Google Cloud SDK):
// every file CPython compiles parses here with the same tree (node
// kinds, constant values, positions) or is reported unsupported, and
// every file CPython rejects is rejected, with two exceptions.
// tree-sitter cannot parse a bracketed continuation line indented less
// than its block after a "." ("(bar.\n baz)" inside a def, seen only in
// CPython's own position tests). Identifiers are not NFKC-normalized as
// CPython does ("µ" MICRO SIGN stays distinct from "μ").
//
// # Why tree-sitter
//
// heaptrace needs classes, del, f-strings and try statements.
// go.starlark.net/syntax parses a Python-like language without them (11
// of the 37 constructs of the subset), and gpython's parser follows
// Python 3.4 (no f-strings). tree-sitter's Python grammar parses all of
// modern Python 3 and recovers from errors; its price is cgo, and a
// grammar more permissive than CPython's (it accepts Python 2 print
// statements, misplaced indentation, "1 <> 2"), which is why every node
// kind not listed in the lowering is rejected and why check.go exists.
package syntax
