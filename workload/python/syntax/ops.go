package syntax

// This file defines the operator enumerations. Each String method returns
// the operator's Python spelling.

// An Operator is a binary arithmetic or bitwise operator, used by *BinOp
// and *AugAssign.
type Operator uint8

// The binary operators, named as in CPython's ast module.
const (
	Add      Operator = iota + 1 // +
	Sub                          // -
	Mult                         // *
	MatMult                      // @
	Div                          // /
	FloorDiv                     // //
	Mod                          // %
	Pow                          // **
	LShift                       // <<
	RShift                       // >>
	BitOr                        // |
	BitXor                       // ^
	BitAnd                       // &
)

var operatorNames = [...]string{
	Add: "+", Sub: "-", Mult: "*", MatMult: "@", Div: "/", FloorDiv: "//",
	Mod: "%", Pow: "**", LShift: "<<", RShift: ">>", BitOr: "|", BitXor: "^",
	BitAnd: "&",
}

// String returns the operator's spelling, such as "//". The augmented
// form is String() + "=".
func (op Operator) String() string {
	if int(op) < len(operatorNames) && operatorNames[op] != "" {
		return operatorNames[op]
	}
	return "Operator(?)"
}

// A UnaryOperator is a prefix operator, used by *UnaryOp.
type UnaryOperator uint8

// The unary operators, named as in CPython's ast module.
const (
	Invert UnaryOperator = iota + 1 // ~
	Not                             // not
	UAdd                            // +
	USub                            // -
)

var unaryNames = [...]string{Invert: "~", Not: "not", UAdd: "+", USub: "-"}

// String returns the operator's spelling, such as "not".
func (op UnaryOperator) String() string {
	if int(op) < len(unaryNames) && unaryNames[op] != "" {
		return unaryNames[op]
	}
	return "UnaryOperator(?)"
}

// A BoolOperator is "and" or "or", used by *BoolOp.
type BoolOperator uint8

// The boolean operators.
const (
	And BoolOperator = iota + 1 // and
	Or                          // or
)

// String returns "and" or "or".
func (op BoolOperator) String() string {
	switch op {
	case And:
		return "and"
	case Or:
		return "or"
	}
	return "BoolOperator(?)"
}

// A CmpOperator is a comparison operator, used by *Compare.
type CmpOperator uint8

// The comparison operators, named as in CPython's ast module.
const (
	Eq    CmpOperator = iota + 1 // ==
	NotEq                        // !=
	Lt                           // <
	LtE                          // <=
	Gt                           // >
	GtE                          // >=
	Is                           // is
	IsNot                        // is not
	In                           // in
	NotIn                        // not in
)

var cmpNames = [...]string{
	Eq: "==", NotEq: "!=", Lt: "<", LtE: "<=", Gt: ">", GtE: ">=",
	Is: "is", IsNot: "is not", In: "in", NotIn: "not in",
}

// String returns the operator's spelling, such as "not in".
func (op CmpOperator) String() string {
	if int(op) < len(cmpNames) && cmpNames[op] != "" {
		return cmpNames[op]
	}
	return "CmpOperator(?)"
}

// binaryOperators maps tree-sitter operator tokens, and the augmented
// assignment tokens, to Operators.
var binaryOperators = map[string]Operator{
	"+": Add, "-": Sub, "*": Mult, "@": MatMult, "/": Div, "//": FloorDiv,
	"%": Mod, "**": Pow, "<<": LShift, ">>": RShift, "|": BitOr, "^": BitXor,
	"&": BitAnd,
}

var cmpOperators = map[string]CmpOperator{
	"==": Eq, "!=": NotEq, "<": Lt, "<=": LtE, ">": Gt, ">=": GtE,
	"is": Is, "is not": IsNot, "in": In, "not in": NotIn,
}
