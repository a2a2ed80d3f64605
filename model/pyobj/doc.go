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
// set_merge). Profile holds every number; CPython311 is the calibrated one.
//
// The numbers are measured, not assumed: testdata/calibrate.py asks the
// real interpreter for sys.getsizeof and tracemalloc's request sizes of
// 1567 objects and TestCalibration replays each row through these
// allocators.
package pyobj
