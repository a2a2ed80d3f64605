package python

import (
	"math/big"
	"unsafe"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
	"github.com/heaptrace/heaptrace/workload/python/syntax"
)

// This file defines the Python objects the interpreter works with. Each
// carries an Obj header: its reference count and, when it lives on the
// model heap, the address of its allocation. Static objects (None, True,
// small ints, the empty tuple and string, code constants) exist before the
// script starts and are never freed, as in CPython.

// Value is a Python object.
type Value interface {
	header() *Obj
}

// Obj is the header of every Python object.
type Obj struct {
	rc     int32
	static bool
	addr   model.Addr
}

func (o *Obj) header() *Obj { return o }

// NoneType, bool.
type (
	NoneType struct{ Obj }
	Bool     struct {
		Obj
		v bool
	}
	EllipsisType struct{ Obj }
)

var (
	None     = &NoneType{Obj{static: true}}
	True     = &Bool{Obj{static: true}, true}
	False    = &Bool{Obj{static: true}, false}
	Ellipsis = &EllipsisType{Obj{static: true}}
)

func boolOf(b bool) *Bool {
	if b {
		return True
	}
	return False
}

// Int is a Python int: an int64 when it fits, else a big.Int.
type Int struct {
	Obj
	v int64
	b *big.Int // nil when v holds the value
}

// Float is a Python float.
type Float struct {
	Obj
	v float64
}

// Str is a Python str. n is its length in code points.
type Str struct {
	Obj
	s      string
	kind   pyobj.StrKind
	n      int
	hashed bool   // its hash was computed: CPython will not resize it in place
	buf    []byte // backing store while the str grows in place (see appendText)
}

// appendText grows s in place. Go strings are immutable, so the text
// lives in a buffer that only ever grows at its end (earlier views of it
// stay valid), amortised like the realloc it models.
func (s *Str) appendText(t string) {
	if len(s.buf) != len(s.s) {
		s.buf = make([]byte, len(s.s), 2*(len(s.s)+len(t)))
		copy(s.buf, s.s)
	}
	s.buf = append(s.buf, t...)
	s.s = unsafe.String(unsafe.SliceData(s.buf), len(s.buf))
}

// Bytes is a Python bytes object.
type Bytes struct {
	Obj
	b string
}

// Tuple is a Python tuple.
type Tuple struct {
	Obj
	items []Value
}

// List is a Python list; mem is its object and item array on the heap.
type List struct {
	Obj
	items []Value
	mem   *pyobj.List
}

// Dict is a Python dict: entries in insertion order, deleted ones nil.
type Dict struct {
	Obj
	mem     *pyobj.Dict
	index   map[hkey]int
	entries []dictEntry
}

type dictEntry struct {
	key, val Value
	hk       hkey
	live     bool
}

// Set is a Python set or frozenset; the slot order of mem is its
// iteration order.
type Set struct {
	Obj
	mem    *pyobj.Set
	items  map[hkey]Value
	frozen bool
}

// Cell holds a variable shared between a function and its closures.
type Cell struct {
	Obj
	v Value // nil when unbound
}

// Function is a function made by def, lambda, or a comprehension.
type Function struct {
	Obj
	code       *Code
	defaults   []Value // positional defaults, for the last len(defaults) parameters
	defTuple   *Tuple  // the defaults tuple when it was allocated (non-constant defaults)
	kwDefaults map[string]Value
	kwDict     *Dict // the allocated kw-defaults dict
	closure    *Tuple
	globals    *Dict
}

// Builtin is a built-in function or a built-in method bound to self.
type Builtin struct {
	Obj
	name string
	self Value // nil for a function
	fn   builtinFunc
	// argsTuple: the C function is METH_VARARGS (or a type without
	// vectorcall): each call packs its arguments into a tuple.
	argsTuple bool
}

type builtinFunc func(in *Interp, self Value, args []Value, kw []kwArg) (Value, error)

type kwArg struct {
	name string
	val  Value
}

// Range is a range object.
type Range struct {
	Obj
	start, stop, step, length int64
	lengthObj                 *Int    // the computed length as an int object (allocated when > 256)
	bounds                    []Value // the int objects given for start, stop and step, held as range_new holds them
}

// Exception is an exception instance.
type Exception struct {
	Obj
	typ  *ExcType
	args *Tuple
	msg  string
	tb   []traceEntry // where it was raised, innermost last
}

// ExcType is an exception class.
type ExcType struct {
	Obj
	name   string
	parent *ExcType
}

// Module is an imported module (math, ...).
type Module struct {
	Obj
	name  string
	attrs map[string]Value
}

// Class is a user-defined class.
type Class struct {
	Obj
	name     string
	bases    []*Class
	attrs    map[string]Value
	typeID   model.TypeID
	keysAddr model.Addr      // the shared keys of its instances' attributes
	blocks   []model.Addr    // the type object and its other fixed blocks
	dict     *Dict           // the type's __dict__
	keyOrder []string        // attribute names in the shared keys
	keySet   map[string]bool //
	usable   int             // dk_usable of the shared keys
	subclass *Dict           // tp_subclasses: made with the first subclass
}

// Instance is an instance of a user-defined class.
type Instance struct {
	Obj
	class  *Class
	attrs  map[string]Value
	order  []string
	values model.Addr // the inline values array
	vals   int64
}

// staticStr returns a static (never freed) str, as code constants are.
func staticStr(s string) *Str {
	return &Str{Obj: Obj{static: true}, s: s, kind: pyobj.KindOf(s), n: runeCount(s)}
}

func runeCount(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}

// Code is a compiled scope: a module, function, lambda or comprehension.
type Code struct {
	name     string // "<module>", "f", "<lambda>", "<listcomp>"...
	qualname string
	file     string
	kind     codeKind
	pos      syntax.Pos
	params   *syntax.Params
	body     []syntax.Stmt
	expr     syntax.Expr // lambda body
	comp     syntax.Expr // comprehension node

	locals  []string // fast locals: parameters first
	slot    map[string]int
	cells   map[string]bool // locals captured by inner scopes
	frees   []string        // names captured from enclosing scopes, in closure order
	freeIdx map[string]int
	globals map[string]bool // declared global
	scope   map[string]nameKind

	constDefaults bool // every default is a constant: no tuple is built
	warmup        int  // RESUME and back-edges so far; quickened at Profile.QuickenDelay
	sites         map[int]model.SiteID
	refs          map[*syntax.Name]nameRef
	siteLines     []int
	hasNonlocal   bool
	inlined       bool  // a comprehension run in the enclosing frame (PEP 709)
	host          *Code // for an inlined comprehension, the code it runs in
	genSize       int64 // a generator expression's generator object, once known
}

type codeKind uint8

const (
	codeModule codeKind = iota
	codeFunction
	codeLambda
	codeComprehension
	codeGenExpr
	codeClass
)

type nameKind uint8

const (
	nameGlobal         nameKind = iota // module-level or declared global: the globals dict
	nameLocal                          // a fast local
	nameCell                           // a local captured by an inner scope
	nameFree                           // captured from an enclosing function
	nameImplicitGlobal                 // not assigned here: globals, then builtins
	nameOuter                          // an inlined comprehension's use of an enclosing function's variable
)

// specialized reports whether the adaptive instruction at node, run now
// in fr, runs specialised: once its code is quickened (3.11: after
// Profile.QuickenDelay calls and back-edges; 3.12+ at once), after it has
// run Profile.SpecializeAfter times (3.11: none; 3.12+: once). Each call
// counts one run.
func (in *Interp) specialized(fr *Frame, node syntax.Node) bool {
	p := &in.o.Profile
	if fr.code.warmup < p.QuickenDelay {
		return false
	}
	if p.SpecializeAfter == 0 {
		return true
	}
	n := in.runs[node]
	if n >= p.SpecializeAfter {
		return true
	}
	if in.runs == nil {
		in.runs = map[syntax.Node]int{}
	}
	in.runs[node] = n + 1
	return false
}
