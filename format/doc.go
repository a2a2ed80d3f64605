// Package format defines heaptrace's trace files: what a trace holds, how
// it is stored, and how it is written and read back.
//
// # Traces
//
// A trace records everything a modelled CPython heap did while a workload
// ran: every allocation and free at every layer of the memory manager,
// from the object requests that tracemalloc sees down to the arenas mapped
// from the operating system, with the interpreter's calls and returns
// between them. One event is one row. A trace is an Apache Arrow IPC file
// (the "Feather v2" file format), so DuckDB, pandas (through pyarrow),
// Polars and Arrow JS read it as a table; SCHEMA.md describes it for them.
//
// This package imports no other heaptrace package: the model's vocabulary
// reaches it through package recorder, which maps model events to rows.
//
// # Columns
//
// The columns, in this order:
//
//	column  Arrow type                meaning
//	op      dictionary<int8, utf8>    what happened: see Op
//	layer   dictionary<int8, utf8>    who did it: object, pymalloc, raw, os, interp (see Layer)
//	type    dictionary<int16, utf8>   object type name ("int", "list.items", "arena"); "none" when there is none
//	size    int64                     requested bytes, what tracemalloc counts; for collect, the generation
//	block   int64                     bytes the layer really set aside: size class, malloc chunk, mapping
//	addr    uint64                    simulated address; 0 for interp rows
//	site    dictionary<int32, utf8>   where the workload was, e.g. "count_words (words.py:12)"; "?" when unknown
//
// No column has nulls. An event's number, seq, is not a column: it is the
// row's position in the file, from 1, counted across batches (Batch.Seq
// holds it). The ops are
//
//	alloc         an allocation of size bytes begins at addr
//	free          the allocation at addr ends; size repeats its requested bytes
//	realloc_from  the first half of a realloc: the old allocation ends
//	realloc_to    the second half: the new allocation begins, possibly at the same addr
//	cache         a dead object is parked on a per-type free list: its memory stays
//	              allocated (tracemalloc still counts it) but no object uses it
//	reuse         a parked object is taken off a free list for a new object: no request
//	              reaches the allocator
//	call          a function call begins (layer interp); site is where the call was made
//	return        the call ends (layer interp); site is where the callee returned
//	collect       the cyclic garbage collector ran (layer interp); size is the generation
//
// and the layers, from the top:
//
//	object    the request API (PyObject_Malloc, PyMem_Malloc, their Realloc and Free):
//	          the requests tracemalloc counts; size is the request
//	pymalloc  the small-object allocator: blocks of a size class carved from pools in
//	          arenas; size is the request, block the size class
//	raw       the raw allocator (malloc): requests over 512 bytes and pymalloc's
//	          bookkeeping; block is the malloc chunk
//	os        memory mapped from the operating system: arenas, heap segments, large
//	          mappings
//	interp    interpreter markers (call, return, collect) that hold no memory
//
// One request usually appears on several layers, each row saying what that
// layer did: an object alloc of 56 bytes, the pymalloc alloc of the
// 64-byte block that holds it, and, when a new arena was needed, an os
// alloc before them.
//
// # Rules
//
// Writers keep these rules and readers may rely on them:
//
//   - Rows are in event order: the first row is event 1, and numbers
//     run on across batches without a gap.
//   - The two halves of a realloc are adjacent rows of the same layer,
//     realloc_from first: tracemalloc never counts both at once, and
//     neither does a running sum over the rows.
//   - cache and reuse do not change how many bytes are allocated; only
//     alloc, free and the realloc halves do.
//   - Every call has a matching return later in the trace, unless the trace
//     was cut short; calls nest.
//   - type indexes the type dictionary and site the site dictionary; index
//     0 of each is "none" and "?". Readers check that every index is in
//     range.
//
// # tracemalloc's numbers
//
// tracemalloc's current traced memory after an event is a running sum over
// the rows of layer object, in seq order: alloc and realloc_to add size,
// free and realloc_from subtract it, other ops add nothing. Its peak is the
// largest value the sum reaches. The same sum over block, for the pymalloc
// and raw layers, gives the bytes the allocators really hold; over the os
// layer, the process's mapped memory. See ExampleReader.
//
// # Call stacks
//
// Stacks are not stored per row. They are rebuilt by replaying the rows in
// order: a call row pushes its site (where the call was made), a return
// row pops it, and each other row happens inside the innermost open call,
// at its own site. For this program
//
//	1 def grow(xs, n):
//	2     for i in range(n):
//	3         xs.append(i)
//	4     return xs
//	5
//	6 xs = grow([], 5)
//	7 del xs
//
// the trace holds, among others, these rows (as Dump prints them):
//
//	#2 object alloc list size=56 block=56 addr=0x7f0000001000 site=<module> (g.py:6)
//	#4 interp call none size=0 block=0 addr=0x0 site=<module> (g.py:6)
//	#5 object alloc list.items size=32 block=32 addr=0x7f0000002000 site=grow (g.py:3)
//	#7 object realloc_from list.items size=32 block=32 addr=0x7f0000002000 site=grow (g.py:3)
//	#8 object realloc_to list.items size=64 block=64 addr=0x7f0000003000 site=grow (g.py:3)
//	#9 interp return none size=0 block=0 addr=0x0 site=grow (g.py:4)
//	#10 object free list.items size=64 block=64 addr=0x7f0000003000 site=<module> (g.py:7)
//	#11 object cache list size=56 block=56 addr=0x7f0000001000 site=<module> (g.py:7)
//
// Row 4 opens a call made at g.py:6, so rows 5 to 8 have the stack
// "grow (g.py:3)" called from "<module> (g.py:6)"; row 9 closes it, and
// rows 10 and 11 run at module level again. The running sum over the
// object rows is 56, 88, 56, 120, 56, 56: tracemalloc's peak is 120 bytes,
// reached at row 8 in grow, and 56 bytes stay traced at the end, because
// the cached list still holds its memory.
//
// # Batches and dictionaries
//
// Rows are stored in Arrow record batches; a Batch is one of them, column
// by column. The recorder writes a batch every 65536 events. The type and
// site names are Arrow dictionaries, which an IPC file stores once per
// column: the workload declares every type name and every source site
// before it runs (a Header), and every batch shares those tables. The op
// and layer dictionaries hold the names of this package's Op and Layer
// values; readers map them back by name, not by position.
//
// A trace without events holds one empty batch, which carries the tables.
//
// # Metadata
//
// The Arrow schema carries these key/value strings:
//
//	heaptrace.format_version  "2": the format version, the one required key
//	heaptrace.profile         the modelled interpreter, e.g. "cpython-3.11"
//	heaptrace.workload        what ran, e.g. "words.py"
//	heaptrace.tool_version    the heaptrace that wrote the file
//	heaptrace.params          the model's parameters, a JSON object ("{}" if none)
//	heaptrace.setup_events    events 1..N are set-up: state that exists before
//	                          measuring starts (see Meta.SetupEvents)
//
// # Cut-short files
//
// The writer writes each batch through to the file as it comes; only the
// footer waits for Close. A file whose writer died has every batch written
// before the crash but no footer. Reader reads it as a stream up to its
// last complete batch and reports Truncated; NumBatches is then unknown.
//
// # Compression
//
// Batches may be compressed with LZ4 or Zstandard (WithCompression); a
// Writer's default is none, heaptrace record's is zstd. WithLevel trades
// writing time for size (LevelBest: zstd's smallest files take about a
// fifth less room and 2.5 to 4 times longer to write). Readers need no
// option. Arrow JS reads compressed files only with a codec registered by
// hand.
//
// The Writer writes the IPC file itself (ipcwrite.go) rather than through
// Arrow's FileWriter, which makes a new compressor, megabytes of tables,
// for every batch; the Reader decodes record batches, compressed or not,
// on a fast path of its own (fast.go), a compressed batch's columns in
// parallel (decodepool.go), and leaves the rest to Arrow's reader. Sizes, per event: 32 bytes uncompressed; compressed, they
// depend on how predictable the addresses are (see the README's Speed
// section).
//
// # Versions
//
// Version is 2. It changes when a reader of the previous version would
// misread a new file: a column removed, renamed or retyped, a meaning
// changed (an op, a layer, what size or block hold), a rule dropped. It
// does not change for additions that old readers can ignore: a new
// column (readers find columns by name and skip the others), a new
// metadata key. A new op or layer name is not such an addition: readers
// refuse names they do not know, so it changes the version. Readers take
// every version from OldestVersion to Version and refuse others with
// ErrVersion.
//
// Version 1 stored seq as a uint64 column. Version 2 dropped it: a counter
// is incompressible to the LZ77 compressors Arrow offers (its low byte is
// a new literal on every row), so after zstd it cost about one byte per
// event, more than every other column together. Readers still read
// version 1 files, and check their seq against the row numbers.
//
// # Errors
//
// Readers return errors that name the file, and the batch when there is
// one ("format: read trace.arrow: batch 12: row 3: seq 1002, want 1001"),
// of four kinds to test with errors.Is: ErrNotArrow, ErrNotTrace,
// ErrVersion and ErrCorrupt. No input makes a reader panic: damaged files
// are checked before Arrow decodes them, and the memory decoding may take
// is bounded: a compressed buffer must decode to exactly its column's
// bytes, and decoding stops there (TestHostileFramesBounded).
package format
