// Package samples bundles small Python scripts that each show one memory
// pattern of CPython 3.11, for running on heaptrace's interpreter
// (heaptrace record samples/NAME.py) and comparing with the real one.
//
// Every script is deterministic and self-contained: no imports, no classes,
// pseudo-random data from a linear congruential generator. Each begins with
// a header comment saying what memory behaviour it shows and what to look
// for in the analysis, and ends by printing a one-line summary. Each runs
// in well under a second on CPython with a tracemalloc peak between about
// 50 KB and 5 MB.
//
//	comprehensions.py    list, dict and set comprehensions, and a generator
//	                     expression passed to sum()
//	dict_churn.py        a dict with a sliding window of keys: insert/delete
//	                     churn, resizes by live count
//	float_arith.py       float-heavy arithmetic reusing the float free list
//	fragmentation.py     allocate many strs, free every other one, then
//	                     allocate bigger ones: half-empty pools
//	fstring_records.py   f-string formatting of records into report lines
//	grid.py              nested lists: a grid rebuilt each step
//	large_objects.py     strs and lists over 512 bytes, served by malloc
//	leaky_cache.py       a memoising dict that is never evicted
//	list_append.py       a list grown by append: item array over-allocation
//	recursive_tree.py    a recursive function building a tree of nested tuples
//	ref_cycle.py         rings of lists referring to each other, freed only
//	                     by the cyclic GC
//	set_ops.py           union, intersection and difference of sets of ints
//	small_tuples.py      many small tuples, and the tuple free lists
//	sorting.py           sorted() of a list of tuples with key=lambda
//	string_building.py   s += piece in a warm function (in-place growth)
//	                     versus ''.join
//	word_count.py        split a generated text and count words with a dict
//
// Names lists the files and Read returns one.
package samples
