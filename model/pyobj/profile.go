package pyobj

// Profile holds the layout numbers and policies of one CPython version.
// Everything the per-type allocators do that differs between versions is
// a field here, so a new version is a new Profile and its calibration
// table, not a new allocator.
type Profile struct {
	Name string // written in traces, e.g. "cpython-3.11"

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
	ListSplitPrealloc int // PREALLOC_SIZE(MAX_PREALLOC) of str.split
}

// CPython311 returns the numbers of CPython 3.11 on 64-bit Linux
// (../../shared/reference/cpython-3.11-memory.md cites each one).
func CPython311() Profile {
	return Profile{
		Name:   "cpython-3.11",
		GCHead: 16,

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
	}
}
