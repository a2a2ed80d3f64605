package model

import "fmt"

// Config holds the numbers that shape the heap. DefaultConfig returns
// CPython 3.11's on 64-bit Linux with glibc; doc.go says where each comes
// from. Every field is a tunable a "what if" run may change.
type Config struct {
	// pymalloc (Objects/obmalloc.c)
	Alignment             int64 // ALIGNMENT: size classes are multiples of it
	SmallRequestThreshold int64 // SMALL_REQUEST_THRESHOLD: larger requests go to the raw allocator
	ArenaSize             int64 // ARENA_SIZE: one OS mapping
	PoolSize              int64 // POOL_SIZE: one size class's slice of an arena
	PoolOverhead          int64 // POOL_OVERHEAD: the pool header, rounded to Alignment
	InitialArenaObjects   int   // INITIAL_ARENA_OBJECTS: first length of the arena vector
	ArenaObjectSize       int64 // sizeof(struct arena_object): the vector is raw memory
	// UsePymalloc false routes every request to the raw allocator, like
	// PYTHONMALLOC=malloc.
	UsePymalloc bool

	// raw allocator (glibc malloc)
	PageSize         int64 // mappings are multiples of it
	MallocAlign      int64 // MALLOC_ALIGNMENT: chunk sizes are multiples of it
	MallocOverhead   int64 // SIZE_SZ: the chunk header a request pays for
	MinChunk         int64 // MINSIZE: the smallest chunk
	MmapThreshold    int64 // M_MMAP_THRESHOLD's start: larger requests are mapped directly
	MmapThresholdMax int64 // DEFAULT_MMAP_THRESHOLD_MAX: the dynamic threshold's ceiling
	TopPad           int64 // M_TOP_PAD: extra bytes asked for whenever the heap grows

	// address space
	MmapTop  Addr // mappings are placed top-down below this address
	HeapBase Addr // the raw allocator's heap (brk) starts here
}

// DefaultConfig returns CPython 3.11's numbers on 64-bit Linux.
func DefaultConfig() Config {
	return Config{
		Alignment:             16,
		SmallRequestThreshold: 512,
		ArenaSize:             1 << 20,
		PoolSize:              16 << 10,
		PoolOverhead:          48,
		InitialArenaObjects:   16,
		ArenaObjectSize:       48,
		UsePymalloc:           true,

		PageSize:         4096,
		MallocAlign:      16,
		MallocOverhead:   8,
		MinChunk:         32,
		MmapThreshold:    128 << 10,
		MmapThresholdMax: 32 << 20,
		TopPad:           128 << 10,

		// One page past a 16 KiB boundary, as most mmap results are: the
		// first arena loses its partial first pool and holds 63 pools.
		MmapTop:  0x7f0000001000,
		HeapBase: 0x555500000000,
	}
}

// Validate reports the first setting that the allocators cannot work with.
func (c Config) Validate() error {
	pow2 := func(n int64) bool { return n > 0 && n&(n-1) == 0 }
	switch {
	case !pow2(c.Alignment):
		return fmt.Errorf("model: alignment %d is not a power of two", c.Alignment)
	case c.SmallRequestThreshold < c.Alignment || c.SmallRequestThreshold%c.Alignment != 0:
		return fmt.Errorf("model: small request threshold %d is not a multiple of the alignment %d", c.SmallRequestThreshold, c.Alignment)
	case !pow2(c.PageSize):
		return fmt.Errorf("model: page size %d is not a power of two", c.PageSize)
	case !pow2(c.PoolSize) || c.PoolSize < c.PageSize:
		return fmt.Errorf("model: pool size %d is not a power of two of at least a page", c.PoolSize)
	case !pow2(c.ArenaSize) || c.ArenaSize < 2*c.PoolSize:
		return fmt.Errorf("model: arena size %d is not a power of two holding at least two pools", c.ArenaSize)
	case c.PoolOverhead < 0 || c.PoolOverhead+c.SmallRequestThreshold > c.PoolSize:
		return fmt.Errorf("model: a pool of %d bytes cannot hold its header and one %d-byte block", c.PoolSize, c.SmallRequestThreshold)
	case c.InitialArenaObjects < 1 || c.ArenaObjectSize < 1:
		return fmt.Errorf("model: the arena vector needs at least one object of at least one byte")
	case !pow2(c.MallocAlign) || c.MinChunk < c.MallocAlign || c.MallocOverhead < 0:
		return fmt.Errorf("model: malloc alignment %d, minimum chunk %d and overhead %d do not fit", c.MallocAlign, c.MinChunk, c.MallocOverhead)
	case c.MmapThreshold < c.PageSize || c.MmapThresholdMax < c.MmapThreshold:
		return fmt.Errorf("model: mmap threshold %d..%d is not at least a page and ordered", c.MmapThreshold, c.MmapThresholdMax)
	case c.TopPad < 0:
		return fmt.Errorf("model: negative top pad %d", c.TopPad)
	case c.MmapTop%Addr(c.PageSize) != 0 || c.HeapBase%Addr(c.PageSize) != 0 || c.HeapBase >= c.MmapTop:
		return fmt.Errorf("model: address space bounds %#x..%#x are not page aligned and ordered", c.HeapBase, c.MmapTop)
	}
	return nil
}

// NumSizeClasses returns how many pymalloc size classes there are.
func (c Config) NumSizeClasses() int { return int(c.SmallRequestThreshold / c.Alignment) }

// SizeClass returns the pymalloc class index serving a request of n bytes,
// or -1 when pymalloc does not serve it (n == 0 or n > the threshold).
func (c Config) SizeClass(n int64) int {
	if n <= 0 || n > c.SmallRequestThreshold {
		return -1
	}
	return int((n - 1) / c.Alignment)
}

// ClassSize returns the block size of size class i: INDEX2SIZE.
func (c Config) ClassSize(i int) int64 { return int64(i+1) * c.Alignment }

// BlocksPerPool returns NUMBLOCKS for size class i.
func (c Config) BlocksPerPool(i int) int { return int((c.PoolSize - c.PoolOverhead) / c.ClassSize(i)) }

// ChunkSize returns the malloc chunk glibc carves for a request of n bytes:
// request2size, with malloc(0) treated as malloc(1) as CPython does.
func (c Config) ChunkSize(n int64) int64 {
	if n <= 0 {
		n = 1
	}
	sz := (n + c.MallocOverhead + c.MallocAlign - 1) &^ (c.MallocAlign - 1)
	if sz < c.MinChunk {
		sz = c.MinChunk
	}
	return sz
}

func roundUp(n, to int64) int64 { return (n + to - 1) / to * to }
