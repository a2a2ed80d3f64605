package pyobj

import (
	"fmt"
	"maps"
	"strings"
)

// Profile holds the layout numbers and policies of one CPython version.
// Everything the per-type allocators, and the interpreter above them, do
// that differs between versions is a field here: numbers (sizes, free-list
// lengths, thresholds) and a few named behaviours (booleans saying which
// of two measured ways a version takes). A new version is a new Profile
// and its calibration table (testdata/cpython-X.Y.json), not a new
// allocator or interpreter.
type Profile struct {
	Name    string // written in traces, e.g. "cpython-3.11"
	Version string // the CPython minor version, e.g. "3.11"

	GCHead int64 // sizeof(PyGC_Head), paid by every GC-tracked object

	// int (Objects/longobject.c)
	IntHeader     int64 // offsetof(PyLongObject, ob_digit)
	IntDigitBytes int64 // sizeof(digit)
	IntDigitBits  uint  // PyLong_SHIFT
	IntMedium     int64 // sizeof(PyLongObject): what _PyLong_FromMedium asks for
	SmallIntMin   int64 // -_PY_NSMALLNEGINTS
	SmallIntMax   int64 // _PY_NSMALLPOSINTS - 1

	FloatSize int64 // sizeof(PyFloatObject)

	// str (Objects/unicodeobject.c): PyUnicode_New
	StrASCIIHeader   int64 // sizeof(PyASCIIObject)
	StrCompactHeader int64 // sizeof(PyCompactUnicodeObject)

	BytesHeader int64 // PyBytesObject_SIZE: offsetof(ob_sval) + 1

	TupleHeader int64 // sizeof(PyTupleObject) - sizeof(PyObject *), without the GC head
	ListObject  int64 // sizeof(PyListObject), without the GC head
	DictObject  int64 // sizeof(PyDictObject), without the GC head
	DictKeys    int64 // sizeof(PyDictKeysObject)
	SetObject   int64 // sizeof(PySetObject) with its 8-slot smalltable, without the GC head
	SetMinSize  int   // PySet_MINSIZE
	PtrSize     int64

	// free lists (Include/internal/pycore_*.h)
	FloatFreeList     int // PyFloat_MAXFREELIST
	TupleMaxSaveSize  int // PyTuple_MAXSAVESIZE: sizes 1..this are pushed, 1..this-1 popped
	TupleFreeListLen  int // PyTuple_MAXFREELIST, per size
	ListFreeList      int // PyList_MAXFREELIST
	DictFreeList      int // PyDict_MAXFREELIST
	DictKeysFreeList  int // keys tables of 8 unicode slots only
	ListSplitPrealloc int // MAX_PREALLOC of str.split (Objects/stringlib/split.h)

	// FixedSizes is the request, and sys.getsizeof, of every object type
	// of one fixed size (functions, cells, iterators, ranges, bound
	// methods...), by type name; for "generator", the part without its
	// frame's slots (each local and value-stack slot adds PtrSize).
	FixedSizes map[string]int64
	// ClassBlocks are the blocks type_new allocates for every class
	// whatever its body and bases besides the type object
	// (FixedSizes["type"]), its instances' shared keys first; the bases
	// and mro tuples, the __dict__ and
	// __weakref__ descriptors (FixedSizes["getset_descriptor"], for a class
	// no base gave them) and each base's first subclasses dict come on top.
	// ClassOnceBlocks are those the first class of a run adds, which later
	// classes share (measured: one, two and three `class C: pass` in a row,
	// and subclasses).
	ClassBlocks     []int64
	ClassOnceBlocks []int64
	// GCThresholds are the cyclic collector's thresholds
	// (gc.get_threshold()).
	GCThresholds [3]int

	// Named behaviours: what a version does differently, each measured.

	// ListResizeFreesEmpty: list_resize to 0 items frees the item array
	// (3.12+); before, it was reallocated to 0 bytes, a live 0-byte block.
	ListResizeFreesEmpty bool
	// SplitPreallocByLength: str.split without maxsplit presizes its list
	// for the most pieces the string can have, (len-1)/2+1 on whitespace
	// and len/len(sep)+1 with a separator (3.12+); before, always
	// ListSplitPrealloc slots.
	SplitPreallocByLength bool
	// InlineComprehensions: list, set and dict comprehensions run inside
	// the enclosing code (PEP 709, 3.12+): no function object, no closure
	// tuple, and the enclosing function's variables they use are not
	// made cells. Generator expressions still make a function.
	InlineComprehensions bool
	// NoArgsTuple lists the calls that 3.11 makes with an args tuple
	// (METH_VARARGS functions, types without vectorcall) and this version
	// makes without one: built-ins by name ("min"), methods as
	// "type.method" ("str.find"). 3.13 converted min, max, str, int and
	// str's search methods to vectorcall or METH_FASTCALL.
	NoArgsTuple []string
	// InstanceValuesInline: an instance's attribute values live in its
	// object block (3.13+): one request of the object and the values,
	// sized before the class's shared keys give up a slot. Before, the
	// values array was a separate request sized after.
	InstanceValuesInline bool
	// ClassStaticAttributes: a class body also stores __firstlineno__
	// first and __static_attributes__ last in its namespace (3.13+), and
	// both stay in the type's dict.
	ClassStaticAttributes bool
	// Latin1SingletonUTF8: sys.getsizeof of a cached one-character
	// non-ASCII latin-1 str counts its UTF-8 form too (3 bytes; 3.12+,
	// where these singletons are static objects carrying it). They are
	// never allocated, so only sizes reported by getsizeof change.
	Latin1SingletonUTF8 bool
	// GCAtEvalBreaker: an allocation that takes the collector's count past
	// its threshold only schedules a collection, which runs at the
	// interpreter's next eval-breaker check (a function's start, a loop's
	// back edge, the end of a call to C) if the count is still past it
	// (3.12+); before, the allocation itself ran the collection.
	GCAtEvalBreaker bool
	// FloatOpsReuseOperand: the specialised float +, - and * put their
	// result in an operand that only the operation holds, in place,
	// instead of a new float (3.12+, DECREF_INPUTS_AND_REUSE_FLOAT).
	FloatOpsReuseOperand bool
	// SumIntExact: sum() makes its int result with PyLong_FromSsize_t,
	// exact digits (28 bytes for one digit; 3.12+), not PyLong_FromLong's
	// sizeof(PyLongObject) (32).
	SumIntExact bool
	// KwNamesOnStack: a call with keyword arguments pushes the tuple of
	// their names on the value stack (3.13+), one slot deeper, which a
	// generator object's size counts.
	KwNamesOnStack bool
	// GCPhaseStrings: each collection makes the str "start" before it and
	// "stop" after it, for gc.callbacks, even when there are none (3.12+);
	// the first counts in the peak.
	GCPhaseStrings bool
	// QuickenDelay is the number of calls and loop back-edges after which
	// a code object's instructions start to specialise (3.11's
	// QUICKENING_WARMUP_DELAY, 8); 0 when code is quickened as it is
	// created (3.12+).
	QuickenDelay int
	// SpecializeAfter is how many times an adaptive instruction of
	// quickened code runs unspecialised first: 0 in 3.11 (its counter
	// starts at 0), 1 in 3.12+ (adaptive_counter_warmup).
	SpecializeAfter int
}

// CPython311 returns the numbers of CPython 3.11 on 64-bit Linux
// (../../shared/reference/cpython-3.11-memory.md cites each one).
func CPython311() Profile {
	return Profile{
		Name:    "cpython-3.11",
		Version: "3.11",
		GCHead:  16,

		IntHeader:     24,
		IntDigitBytes: 4,
		IntDigitBits:  30,
		IntMedium:     32,
		SmallIntMin:   -5,
		SmallIntMax:   256,

		FloatSize: 24,

		StrASCIIHeader:   48,
		StrCompactHeader: 72,
		BytesHeader:      33,

		TupleHeader: 24,
		ListObject:  40,
		DictObject:  48,
		DictKeys:    32,
		SetObject:   200,
		SetMinSize:  8,
		PtrSize:     8,

		FloatFreeList:     100,
		TupleMaxSaveSize:  20,
		TupleFreeListLen:  2000,
		ListFreeList:      80,
		DictFreeList:      80,
		DictKeysFreeList:  80,
		ListSplitPrealloc: 12,

		FixedSizes: map[string]int64{
			"function":                   152,
			"cell":                       40,
			"range":                      48,
			"range_iterator":             48,
			"longrange_iterator":         64,
			"list_iterator":              48,
			"list_reverseiterator":       48,
			"tuple_iterator":             48,
			"str_ascii_iterator":         48,
			"str_iterator":               48,
			"bytes_iterator":             48,
			"dict_keyiterator":           72,
			"dict_valueiterator":         72,
			"dict_itemiterator":          72,
			"dict_keys":                  40,
			"dict_values":                40,
			"dict_items":                 40,
			"set_iterator":               64,
			"enumerate":                  72,
			"zip":                        64,
			"map":                        48,
			"filter":                     48,
			"reversed":                   48,
			"generator":                  168, // without its frame's slots (a pointer per local and stack slot)
			"builtin_function_or_method": 72,
			"method":                     64,
			"slice":                      56,
			"exception":                  72,
			"traceback":                  64,
			"frame":                      112,
			"instance":                   56,
			"type":                       960,
			"getset_descriptor":          64,
		},
		ClassBlocks:     []int64{768, 32, 80},
		ClassOnceBlocks: []int64{64},
		GCThresholds:    [3]int{700, 10, 10},

		QuickenDelay: 8,
	}
}

// CPython312 returns the numbers of CPython 3.12 on 64-bit Linux: 3.11's
// with the differences measured on 3.12.1 (testdata/cpython-3.12.json,
// and the reference's section 8).
func CPython312() Profile {
	p := CPython311()
	p.Name, p.Version = "cpython-3.12", "3.12"
	// PEP 623 removed wstr: 8 bytes off PyASCIIObject, 16 off the compact form
	p.StrASCIIHeader, p.StrCompactHeader = 40, 56
	p.FixedSizes = maps.Clone(p.FixedSizes)
	p.FixedSizes["function"] = 160
	p.FixedSizes["range_iterator"] = 40
	p.FixedSizes["instance"] = 48
	p.FixedSizes["generator"] = 160
	p.FixedSizes["type"] = 976
	p.ListResizeFreesEmpty = true
	p.SplitPreallocByLength = true
	p.InlineComprehensions = true
	p.Latin1SingletonUTF8 = true
	p.GCAtEvalBreaker = true
	p.GCPhaseStrings = true
	p.FloatOpsReuseOperand = true
	p.SumIntExact = true
	p.QuickenDelay, p.SpecializeAfter = 0, 1
	return p
}

// CPython313 returns the numbers of CPython 3.13 (default build, GIL and
// pymalloc) on 64-bit Linux: 3.12's with the differences measured on
// 3.13.0.
func CPython313() Profile {
	p := CPython312()
	p.Name, p.Version = "cpython-3.13", "3.13"
	p.FixedSizes = maps.Clone(p.FixedSizes)
	p.FixedSizes["type"] = 984
	p.GCThresholds = [3]int{2000, 10, 10}
	p.NoArgsTuple = []string{"min", "max", "str", "int", "str.startswith", "str.endswith",
		"str.count", "str.find", "str.rfind", "str.index", "str.rindex"}
	p.InstanceValuesInline = true
	p.KwNamesOnStack = true
	p.ClassStaticAttributes = true
	return p
}

// Profiles returns every calibrated profile, oldest first.
func Profiles() []Profile {
	return []Profile{CPython311(), CPython312(), CPython313()}
}

// Versions returns the versions of Profiles, e.g. ["3.11", "3.12", "3.13"].
func Versions() []string {
	var vs []string
	for _, p := range Profiles() {
		vs = append(vs, p.Version)
	}
	return vs
}

// LookupProfile returns the profile of a CPython version: "3.12", or a
// profile name, "cpython-3.12". An unknown version is an error listing
// the known ones.
func LookupProfile(version string) (Profile, error) {
	v := strings.TrimPrefix(strings.TrimSpace(version), "cpython-")
	for _, p := range Profiles() {
		if p.Version == v {
			return p, nil
		}
	}
	return Profile{}, fmt.Errorf("pyobj: no profile for Python %q (known: %s)", version, strings.Join(Versions(), ", "))
}

// SplitPrealloc returns the slots str.split's list starts with for a
// string of strLen characters split on a separator of sepLen characters
// (0: on whitespace), with maxsplit (negative: no limit). The caller
// handles a separator longer than the string, which gives a list of
// exactly one item.
func (p *Profile) SplitPrealloc(strLen, sepLen, maxsplit int) int {
	maxcount := maxsplit
	if maxcount < 0 {
		maxcount = 1 << 62
		if p.SplitPreallocByLength {
			if sepLen == 0 {
				maxcount = (strLen-1)/2 + 1 // C division: (-1)/2 == 0
			} else {
				maxcount = strLen/sepLen + 1
			}
		}
	}
	if maxcount >= p.ListSplitPrealloc {
		return p.ListSplitPrealloc
	}
	return maxcount + 1
}

// FreeListNames are the free lists whose lengths a "what if" run can
// change, by the names FreeList takes: the float, tuple (per size), list,
// dict and dict-keys free lists.
func FreeListNames() []string { return []string{"float", "tuple", "list", "dict", "dict-keys"} }

// FreeList returns the length field of the named free list (see
// FreeListNames), or false for an unknown name.
func (p *Profile) FreeList(name string) (*int, bool) {
	switch name {
	case "float":
		return &p.FloatFreeList, true
	case "tuple":
		return &p.TupleFreeListLen, true
	case "list":
		return &p.ListFreeList, true
	case "dict":
		return &p.DictFreeList, true
	case "dict-keys":
		return &p.DictKeysFreeList, true
	}
	return nil, false
}
