// Package analyze replays a heaptrace trace, batch by batch, and answers
// what a user asks of it: what used the memory, when, where in the code,
// and what was never given back. It reads package format only.
//
// # Reports
//
// Run computes the reports named in Options.Reports (ReportNames; all of
// them when none is named) in one pass:
//
//	summary        events, allocations and frees, the peak and final bytes at each
//	               layer (objects: requested bytes as tracemalloc counts them;
//	               allocator: pymalloc blocks and malloc chunks in use; os: mapped)
//	types          per object type: requests, bytes, live at the peak and at the end,
//	               requested bytes and the allocator's block bytes side by side
//	peak           each layer's peak and its parts; what was live at the object
//	               layer's peak, by type and by site
//	growth         requested bytes over the run, in all and per type
//	leaks          what is live at the end, by site and type, with its call stack
//	sites          the sites and call stacks that allocated most, and held most at
//	               the peak
//	sizes          requests by size class, and who served them (a free list,
//	               pymalloc, the raw allocator)
//	lifetimes      how many events objects live, by type; temporary allocations
//	fragmentation  pymalloc's arenas, pools and blocks; arenas held by one block
//
// Report.WriteText, WriteJSON and WriteCSV print them; the README documents
// the JSON and CSV shapes. Diff compares the reports of two traces, and
// Threshold (ParseThreshold) is a --fail-if condition on one trace or a
// pair.
//
// # Replay
//
// Replay is streaming: its memory is the live allocations, the type, site
// and call-stack tables and bounded curves, never the events, so a trace of
// any length is analysed in the memory its live heap needs. The hot loop
// switches on each row's layer and op and updates slices indexed by type,
// site and stack ids: no interface call, no allocation per event beyond
// the live-object table. Call stacks are rebuilt from the call and return
// rows and interned as a tree, so each object carries its stack as one
// number. The live objects, the stack tree's index and the pools of the
// fragmentation report are open-addressing tables keyed by uint64, not Go
// maps, whose hashing showed in the profiles. A live object's slot is 32
// bytes, two to a cache line, for every lookup is a cache miss: its
// birth and call stack are kept apart, and only when the lifetimes, sites
// or leaks report needs them.
//
// Run replays in a pipeline of three goroutines, a batch at a time. The
// first decodes the batches and replays their allocator and os layers
// (and the fragmentation report, which follows pymalloc's blocks into the
// os layer's arenas), which depend on nothing above them. The second is
// the object table (objects.go): it keeps the live objects and the call
// stacks, and for each object-layer row writes down the object the row
// ended, parked or replaced (a resolved record). The third counts: it
// walks the rows with their resolved records, in order, and keeps the
// tallies, the peaks and the curves, with no lookup by address. Each
// stage keeps its own anomalies, merged in event order at the end. The
// split is where the work divides evenly: the table's lookups are cache
// misses, the counting is arithmetic on small tables, and on two cores
// the three stages keep both busy.
//
// The allocator layer is a running sum of signed blocks, a table lookup
// and a multiply a row (lower.go): the rows' layers and ops follow no
// pattern, and a branch on them per row cost more than the sum itself.
//
// # Memory
//
// The live objects are the one table that grows with the trace: a trace
// of a billion allocations never freed would need tens of gigabytes.
// Options.MaxMemory bounds it (the command line's default is half the
// memory the machine, or its container, gives the process): a replay
// whose table would grow past the bound stops with an error that names
// the event and offers the bounded replay.
//
// A bounded replay (Options.Bounded) keeps no live objects: a free row
// repeats its allocation's size, block and type, so the object table
// takes what a free ends from the row itself, and keeps only the objects
// parked on free lists (a reuse takes one over whole; CPython bounds how
// many are parked). Summary, types, the peak by type, growth, sizes and
// fragmentation come out as in a full replay for a consistent trace (the
// tests check it); what needs each object's allocation site or birth
// (leaks, sites, lifetimes, the peak's sites, the object holding an arena)
// is left out, and frees are not checked against allocations. It is also
// the fastest replay: the object table's stage counts as it goes and
// writes no records (fastbounded.go), and a row whose address holds no
// parked or untraced object (an 8 KiB bit filter says so) takes no lookup
// at all.
//
// The live bytes per type, site and stack "at the peak" are snapshots
// taken lazily: the peak is known only once the heap shrinks, so the
// snapshot is taken just before the first decrease after a new peak, and
// copies only the entries changed since the snapshot before, which makes
// its cost O(events) over the run rather than O(events × sites).
//
// Curves are downsampled as they stream (Downsampler): samples are cut
// into buckets and each bucket keeps its lowest and highest point, so the
// peak and every trough that matters survive, whatever the trace's length.
//
// # Definitions
//
// The object layer follows tracemalloc's rules: an allocation made in the
// trace's set-up events (format.Meta.SetupEvents) is untraced, and freeing
// it counts nothing; objects parked on free lists still count, but are not
// leaks. A realloc is attributed to the site of the realloc and keeps the
// allocation's birth.
//
// An object's lifetime runs from its allocation (or the reuse of a parked
// block) to its free (or its parking on a free list), in events.
//
// A temporary allocation is heaptrack's: an allocation whose free is the
// very next allocation-related event at the object layer, with no other
// allocation or free in between. Calls, lower layers, free-list parks and
// reuses are not allocation-related events; a realloc is not a free.
//
// An arena is held by one block when every block in it was freed but one:
// pymalloc cannot give it back to the OS while that block lives. Blocks are
// placed by address: a pool is the block's address rounded down to the pool
// size, and pools belong to the arena mapping (os rows of type "arena")
// that contains them.
//
// Filters (Options.Type, Options.Site) select object-layer allocations;
// every object-layer figure is then of the selected allocations, while the
// allocator and os layers, shared by all, are never filtered.
//
// # Bad input
//
// Events that contradict what came before (a free of an address that is
// not allocated, or freed already; a return without a call; a pymalloc
// block outside every arena) are reported as anomalies with their event
// number, and the replay goes on.
package analyze
