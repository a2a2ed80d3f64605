package model

import "fmt"

// This file defines pymalloc, the small-object allocator of
// Objects/obmalloc.c: arenas carved into pools, pools into blocks of one
// size class. See doc.go for the picture and the numbers.

// Pool is one POOL_SIZE slice of an arena serving blocks of one size
// class. It is empty (on its arena's free pool list), used (on the
// usedpools list of its class) or full (on no list).
type Pool struct {
	arena    *Arena
	addr     Addr     // the pool header's address; blocks follow it
	class    int      // szidx; -1 before first use
	used     int      // ref.count: blocks handed out
	nblocks  int      // NUMBLOCKS(class)
	virgin   int      // index of the next never-used block (nextoffset)
	freeList []int32  // freed blocks, most recently freed last (freeblock)
	req      []int32  // per block: the request it holds, 0 when free (the heap's bookkeeping)
	typ      []TypeID // per block: the type of its object
	next     *Pool    // usedpools / freepools links
	prev     *Pool
}

// Arena is one ARENA_SIZE mapping from the OS, carved into pools.
type Arena struct {
	base      Addr  // mapping start
	poolAddr  Addr  // next never-used pool (pool_address)
	firstPool Addr  // the first pool boundary inside the mapping
	nfree     int   // nfreepools
	ntotal    int   // ntotalpools: 64, or 63 when the mapping is not pool aligned
	freePools *Pool // empty pools, LIFO (freepools)
	next      *Arena
	prev      *Arena
}

// ObjectAllocator is pymalloc: requests of 1..SmallRequestThreshold bytes,
// rounded up to a size class, served from pools.
type ObjectAllocator struct {
	h   *Heap
	cfg Config

	usedPools []*Pool        // per class: pools with a free block, most recently refilled first
	pools     map[Addr]*Pool // pool address -> pool, for frees
	usable    *Arena         // usable_arenas: sorted by ascending nfree
	nfp2lasta []*Arena       // nfp2lasta[n]: the last arena in usable with n free pools
	maxPools  int            // MAX_POOLS_IN_ARENA

	// the pool that the method pool found last, and its address: frees
	// come in runs within a pool, and the map's hashing showed in the
	// profile of a recording
	lastPool     *Pool
	lastPoolAddr Addr

	arenaObjects int // length of the arena vector (maxarenas)
	arenasLive   int // narenas_currently_allocated
	vector       Addr
	arenasEver   int

	blockBytes int64 // bytes of blocks handed out
	poolsInUse int   // pools that are used or full
}

func newObjectAllocator(h *Heap) *ObjectAllocator {
	c := h.cfg
	maxPools := int(c.ArenaSize / c.PoolSize)
	return &ObjectAllocator{
		h: h, cfg: c,
		usedPools: make([]*Pool, c.NumSizeClasses()),
		pools:     make(map[Addr]*Pool),
		nfp2lasta: make([]*Arena, maxPools+1),
		maxPools:  maxPools,
	}
}

// alloc serves n bytes (1..threshold) and returns the block's address and size.
func (o *ObjectAllocator) alloc(n int64, t TypeID) (Addr, int64) {
	class := o.cfg.SizeClass(n)
	pool := o.usedPools[class]
	if pool == nil {
		pool = o.newPool(class, t)
	}
	var i int
	if k := len(pool.freeList); k > 0 {
		i = int(pool.freeList[k-1])
		pool.freeList = pool.freeList[:k-1]
	} else {
		i = pool.virgin
		pool.virgin++
	}
	pool.used++
	if pool.used == pool.nblocks {
		o.unlinkUsed(pool) // full: on no list
	}
	size := o.cfg.ClassSize(class)
	a := pool.addr + Addr(o.cfg.PoolOverhead) + Addr(int64(i)*size)
	o.blockBytes += size
	o.h.emit(LayerPymalloc, OpAlloc, t, n, size, a)
	return a, size
}

// pool returns the live pool holding address a, or nil.
func (o *ObjectAllocator) pool(a Addr) *Pool {
	pa := a &^ Addr(o.cfg.PoolSize-1)
	if o.lastPool != nil && pa == o.lastPoolAddr {
		return o.lastPool
	}
	p := o.pools[pa]
	if p != nil {
		o.lastPool, o.lastPoolAddr = p, pa
	}
	return p
}

// blockSize returns the size class of the block at a.
func (o *ObjectAllocator) blockSize(a Addr) int64 {
	return o.cfg.ClassSize(o.pool(a).class)
}

// free returns the block at a (request n) to its pool.
func (o *ObjectAllocator) free(a Addr, n int64, t TypeID) {
	pool := o.pool(a)
	if pool == nil || pool.used == 0 {
		panic(fmt.Sprintf("model: pymalloc free of %#x, which is not a live block", uint64(a)))
	}
	size := o.cfg.ClassSize(pool.class)
	idx := int32(int64(a-pool.addr-Addr(o.cfg.PoolOverhead)) / size)
	wasFull := pool.used == pool.nblocks
	pool.freeList = append(pool.freeList, idx)
	pool.used--
	o.blockBytes -= size
	o.h.emit(LayerPymalloc, OpFree, t, n, size, a)
	switch {
	case wasFull:
		o.insertUsed(pool) // front of usedpools: the next request reuses it
	case pool.used == 0:
		o.unlinkUsed(pool)
		o.poolsInUse--
		o.insertFree(pool)
	}
}

// reallocInPlace reports whether pymalloc keeps the block at a for n bytes:
// the same size class or a shrink that saves under a quarter.
func (o *ObjectAllocator) reallocInPlace(a Addr, n int64) bool {
	size := o.blockSize(a)
	return n <= size && 4*n > 3*size
}

func (o *ObjectAllocator) insertUsed(p *Pool) {
	head := o.usedPools[p.class]
	p.prev, p.next = nil, head
	if head != nil {
		head.prev = p
	}
	o.usedPools[p.class] = p
}

func (o *ObjectAllocator) unlinkUsed(p *Pool) {
	if p.prev != nil {
		p.prev.next = p.next
	} else if o.usedPools[p.class] == p {
		o.usedPools[p.class] = p.next
	}
	if p.next != nil {
		p.next.prev = p.prev
	}
	p.next, p.prev = nil, nil
}

// newPool is allocate_from_new_pool: a pool from the head of usable_arenas,
// preferring its cached empty pools, else carving a new one; a new arena
// when no arena is usable.
func (o *ObjectAllocator) newPool(class int, t TypeID) *Pool {
	if o.usable == nil {
		a := o.newArena()
		o.usable = a
		o.nfp2lasta[a.nfree] = a
	}
	ua := o.usable
	if o.nfp2lasta[ua.nfree] == ua {
		o.nfp2lasta[ua.nfree] = nil
	}
	if ua.nfree > 1 {
		o.nfp2lasta[ua.nfree-1] = ua
	}
	var p *Pool
	if p = ua.freePools; p != nil {
		ua.freePools = p.next
		p.next = nil
	} else {
		p = &Pool{arena: ua, addr: ua.poolAddr, class: -1}
		ua.poolAddr += Addr(o.cfg.PoolSize)
		o.pools[p.addr] = p
	}
	ua.nfree--
	if ua.nfree == 0 {
		o.usable = ua.next
		if o.usable != nil {
			o.usable.prev = nil
		}
		ua.next, ua.prev = nil, nil
	}
	if p.class != class { // a pool reused for its old class keeps its free list
		p.class = class
		p.nblocks = o.cfg.BlocksPerPool(class)
		p.virgin = 0
		p.freeList = p.freeList[:0]
		if len(p.req) != p.nblocks {
			p.req = make([]int32, p.nblocks)
			p.typ = make([]TypeID, p.nblocks)
		}
	}
	o.poolsInUse++
	o.insertUsed(p)
	return p
}

// insertFree is insert_to_freepool: park an empty pool on its arena, keep
// usable_arenas sorted, and give a wholly free arena back to the OS unless
// it is the last usable one (bpo-37257).
func (o *ObjectAllocator) insertFree(p *Pool) {
	ao := p.arena
	p.next = ao.freePools
	ao.freePools = p
	nf := ao.nfree
	lastnf := o.nfp2lasta[nf]
	if lastnf == ao {
		prev := ao.prev
		if prev != nil && prev.nfree == nf {
			o.nfp2lasta[nf] = prev
		} else {
			o.nfp2lasta[nf] = nil
		}
	}
	nf++
	ao.nfree = nf

	if nf == ao.ntotal && ao.next != nil { // case 1: release the arena
		if ao.prev == nil {
			o.usable = ao.next
		} else {
			ao.prev.next = ao.next
		}
		ao.next.prev = ao.prev
		o.releaseArena(ao)
		return
	}
	if nf == 1 { // case 2: it was full; it goes first
		ao.next, ao.prev = o.usable, nil
		if o.usable != nil {
			o.usable.prev = ao
		}
		o.usable = ao
		if o.nfp2lasta[1] == nil {
			o.nfp2lasta[1] = ao
		}
		return
	}
	if o.nfp2lasta[nf] == nil {
		o.nfp2lasta[nf] = ao
	}
	if ao == lastnf { // case 4: still in order
		return
	}
	// case 3: slide right, to just after lastnf
	if ao.prev != nil {
		ao.prev.next = ao.next
	} else {
		o.usable = ao.next
	}
	ao.next.prev = ao.prev
	ao.prev = lastnf
	ao.next = lastnf.next
	if ao.next != nil {
		ao.next.prev = ao
	}
	lastnf.next = ao
}

// newArena is new_arena: grow the arena vector if every arena object is in
// use (a raw allocation tracemalloc does not see), then map ARENA_SIZE.
func (o *ObjectAllocator) newArena() *Arena {
	if o.arenasLive == o.arenaObjects {
		n := o.arenaObjects << 1
		if n == 0 {
			n = o.cfg.InitialArenaObjects
		}
		size := int64(n) * o.cfg.ArenaObjectSize
		if o.vector == 0 {
			o.vector, _ = o.h.raw.malloc(size, o.h.typeArenaVector)
		} else {
			o.vector, _ = o.h.raw.realloc(o.vector, size, o.h.typeArenaVector)
		}
		o.arenaObjects = n
	}
	base, size := o.h.os.Map(o.cfg.ArenaSize)
	o.h.emit(LayerOS, OpAlloc, o.h.typeArena, size, size, base)
	a := &Arena{base: base, ntotal: o.maxPools}
	first := base
	if excess := int64(base) & (o.cfg.PoolSize - 1); excess != 0 {
		a.ntotal--
		first += Addr(o.cfg.PoolSize - excess)
	}
	a.poolAddr, a.firstPool, a.nfree = first, first, a.ntotal
	o.arenasLive++
	o.arenasEver++
	return a
}

func (o *ObjectAllocator) releaseArena(a *Arena) {
	for pa := a.firstPool; pa < a.poolAddr; pa += Addr(o.cfg.PoolSize) {
		delete(o.pools, pa)
	}
	o.lastPool = nil
	a.next, a.prev, a.freePools = nil, nil, nil
	size := o.h.os.Unmap(a.base)
	o.h.emit(LayerOS, OpFree, o.h.typeArena, size, size, a.base)
	o.arenasLive--
}

// Arenas returns the number of arenas mapped now.
func (o *ObjectAllocator) Arenas() int { return o.arenasLive }

// ArenasEver returns the number of arenas mapped since the start.
func (o *ObjectAllocator) ArenasEver() int { return o.arenasEver }

// Pools returns the number of pools in use (not empty).
func (o *ObjectAllocator) Pools() int { return o.poolsInUse }

// Bytes returns the bytes of blocks handed out.
func (o *ObjectAllocator) Bytes() int64 { return o.blockBytes }
