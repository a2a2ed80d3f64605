// Package pyobj holds the per-type allocators of CPython's objects: how
// each type lays out its memory, grows, caches and frees it. It sits on top
// of model's request API (every object is one or more Heap.Malloc
// requests) and below the interpreter, which decides when objects live and
// die.
//
//	type    object request               extra allocations              cache
//	int     24+4n, or 32 from the         -                              -5..256 static
//	        PyLong_FromLong fast path
//	float   24                            -                              free list of 100
//	str     48+n+1 ASCII; 72+(n+1)k       -                              '' and latin-1 chars
//	bytes   33+n                          -                              b'' and single bytes
//	tuple   40+8n (GC head included)      -                              () static; free lists
//	                                                                     for sizes 1..20, 2000 each
//	list    56                            item array 8*allocated          free list of 80 objects
//	dict    64                            keys table (index + entries)   free list of 80 objects,
//	                                                                     80 8-slot str-key tables
//	set     216 (8 slots inline)          table 16*slots past 8           -
//
// Growth rules are CPython's own: list_resize's over-allocation and
// shrink, dict's insertion resize to 3*used and conversion of a str-keyed
// table to general, set's fill*5 >= mask*3 with the real probe sequence
// (dummy slots are reused, so set growth depends on hash values), and the
// constructors' presizing (list_preallocate_exact, dict_new_presized,
// set_merge).
//
// # Profiles
//
// Profile holds every number, and the few behaviours that differ between
// CPython versions as named fields (ListResizeFreesEmpty,
// InlineComprehensions, InstanceValuesInline...), which the allocators
// and the interpreter consult; nothing branches on a version string.
// CPython311, CPython312 and CPython313 are the calibrated profiles; each
// later one starts from the one before and changes what was measured to
// change (the str headers lost wstr in 3.12, functions grew to 160 bytes,
// instances keep their values inline in 3.13...). LookupProfile finds
// one by version.
//
// The numbers are measured, not assumed: testdata/calibrate.py asks the
// real interpreter for sys.getsizeof and tracemalloc's request sizes of
// 1567 objects, once per version (testdata/cpython-3.11.json, -3.12,
// -3.13), and TestCalibration replays each row of each table through its
// profile's allocators.
package pyobj
