// Package model is heaptrace's heap: a deterministic model of CPython's
// memory manager, layer by layer, that reports every allocate and free to
// an Observer. It imports nothing of heaptrace and knows nothing of files.
//
// # Layers
//
// The numbers are CPython 3.11's on 64-bit Linux with glibc (DefaultConfig);
// the reference for each is ../shared/reference/cpython-3.11-memory.md and
// the source it cites (mostly Objects/obmalloc.c).
//
//	   Python objects: int, float, str, tuple, list, dict, set ...      package pyobj
//	   (sizes, growth rules, free lists: the per-type allocators)
//	---------------------------------------------------------------
//	3  request API  Heap.Malloc / Realloc / Free       LayerObject   what tracemalloc counts
//	---------------------------------------------------------------
//	2  pymalloc     ObjectAllocator: arenas > pools    LayerPymalloc requests of 1..512 bytes
//	                > blocks of 32 size classes
//	---------------------------------------------------------------
//	1  malloc       RawAllocator: glibc-like chunks    LayerRaw      0 or > 512 bytes, and
//	                from a brk heap or own mappings                  pymalloc's arena vector
//	---------------------------------------------------------------
//	0  OS           OSMemory: page mappings            LayerOS       1 MiB arenas, heap
//	                                                                 segments, big chunks
//
// Calls and returns of the workload (LayerInterp) carry no memory: they
// give the events above their call stacks.
//
// # Strategy (pymalloc)
//
// A request of n bytes, 1 <= n <= 512, is rounded up to a multiple of 16:
// its size class. Each class has a list of used pools, pools with at least
// one free block; the request takes a block from the first. A pool is 16
// KiB, a 48-byte header and then NUMBLOCKS equal blocks. A freed block goes
// to the head of its pool's free list (LIFO); never-used blocks are handed
// out in address order after the free list is empty.
//
// A pool is in one of three states:
//
//	used   some blocks handed out, some free: on usedpools[class]
//	full   every block handed out: on no list; a free sends it to the
//	       front of usedpools[class], so the next request refills it
//	empty  no block handed out: on its arena's free pool list (LIFO),
//	       ready for any class (the same class keeps its free list)
//
// A new pool comes from the first usable arena: one of its empty pools,
// else the next never-used pool of the arena. Usable arenas (with at least
// one empty or never-used pool) are kept sorted by how many pools they have
// free, fewest first, so allocations concentrate in the fullest arenas and
// nearly empty ones can drain. An arena whose pools are all empty again is
// unmapped, unless it is the last usable arena (kept to avoid thrashing,
// bpo-37257). Arenas are 1 MiB mappings; a mapping that does not start on
// a 16 KiB boundary loses its partial first pool and holds 63 pools, not 64
// (mmap only promises 4 KiB alignment; the default address space starts one
// page off a pool boundary, as most real mappings do).
//
// # Numbers
//
//	ALIGNMENT                16      size classes are multiples of 16
//	SMALL_REQUEST_THRESHOLD  512     larger requests go to malloc
//	size classes             32      16, 32, ..., 512
//	POOL_SIZE                16 KiB
//	POOL_OVERHEAD            48      sizeof(struct pool_header), 16-aligned
//	ARENA_SIZE               1 MiB   64 pools, 63 when not pool aligned
//	INITIAL_ARENA_OBJECTS    16      the arena vector (48 bytes each, raw
//	                                 memory, doubled when full)
//
// The size classes (generated; TestDocSizeClasses keeps this table true):
//
//	class  block  blocks/pool  wasted/pool
//	    0     16         1021            0
//	    1     32          510           16
//	    2     48          340           16
//	    3     64          255           16
//	    4     80          204           16
//	    5     96          170           16
//	    6    112          145           96
//	    7    128          127           80
//	    8    144          113           64
//	    9    160          102           16
//	   10    176           92          144
//	   11    192           85           16
//	   12    208           78          112
//	   13    224           72          208
//	   14    240           68           16
//	   15    256           63          208
//	   16    272           60           16
//	   17    288           56          208
//	   18    304           53          224
//	   19    320           51           16
//	   20    336           48          208
//	   21    352           46          144
//	   22    368           44          144
//	   23    384           42          208
//	   24    400           40          336
//	   25    416           39          112
//	   26    432           37          352
//	   27    448           36          208
//	   28    464           35           96
//	   29    480           34           16
//	   30    496           32          464
//	   31    512           31          464
//
// # The raw allocator
//
// glibc's malloc is modelled for footprint, not for which free chunk it
// picks: a request costs request+8 bytes rounded up to 16, at least 32
// (request2size). Chunks of 128 KiB or more get their own mapping; freeing
// one raises that threshold to its size, up to 32 MiB. Smaller chunks come
// from a heap that grows in segments of the shortfall plus M_TOP_PAD
// (128 KiB), takes the lowest free range that fits, coalesces free ranges,
// and gives a wholly free top segment back once the free top reaches the
// trim threshold. Realloc grows in place into a free neighbour.
//
// # Events
//
// Every layer reports its own allocations: a small request is one event at
// LayerObject and one at LayerPymalloc (plus an arena mapping at LayerOS
// when one is needed); a large one is a LayerObject and a LayerRaw event.
// Lower layers report first, as the hooks of tracemalloc see a request
// after the allocator has served it. A realloc is an adjacent
// OpReallocFrom, OpReallocTo pair, so a running sum never counts the old
// and the new size at once, as tracemalloc does not. Free lists report
// OpCache and OpReuse: the allocation stays live.
package model
