package model

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

func newTestHeap(t testing.TB, obs Observer) *Heap {
	t.Helper()
	h, err := NewHeap(DefaultConfig(), obs)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func mustMalloc(t testing.TB, h *Heap, typ TypeID, n int64) Addr {
	t.Helper()
	a, err := h.Malloc(typ, n)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func mustCheck(t testing.TB, h *Heap) {
	t.Helper()
	if err := h.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestSizeClasses(t *testing.T) {
	c := DefaultConfig()
	for _, tc := range []struct {
		n         int64
		class     int
		size      int64
		perPool   int
		pymalloc  bool
		chunkSize int64
	}{
		{1, 0, 16, 1021, true, 32},
		{16, 0, 16, 1021, true, 32},
		{17, 1, 32, 510, true, 32},
		{28, 1, 32, 510, true, 48},
		{48, 2, 48, 340, true, 64},
		{64, 3, 64, 255, true, 80},
		{128, 7, 128, 127, true, 144},
		{256, 15, 256, 63, true, 272},
		{512, 31, 512, 31, true, 528},
		{513, -1, 0, 0, false, 528},
		{0, -1, 0, 0, false, 32},
	} {
		class := c.SizeClass(tc.n)
		if class != tc.class {
			t.Errorf("SizeClass(%d) = %d, want %d", tc.n, class, tc.class)
		}
		if tc.pymalloc {
			if got := c.ClassSize(class); got != tc.size {
				t.Errorf("ClassSize(%d) = %d, want %d", class, got, tc.size)
			}
			if got := c.BlocksPerPool(class); got != tc.perPool {
				t.Errorf("BlocksPerPool(%d) = %d, want %d", class, got, tc.perPool)
			}
		}
		if got := c.ChunkSize(tc.n); got != tc.chunkSize {
			t.Errorf("ChunkSize(%d) = %d, want %d", tc.n, got, tc.chunkSize)
		}
	}
	if n := c.NumSizeClasses(); n != 32 {
		t.Errorf("NumSizeClasses = %d, want 32", n)
	}
}

func TestConfigValidate(t *testing.T) {
	for name, mutate := range map[string]func(*Config){
		"alignment":  func(c *Config) { c.Alignment = 24 },
		"threshold":  func(c *Config) { c.SmallRequestThreshold = 500 },
		"pool":       func(c *Config) { c.PoolSize = 1000 },
		"arena":      func(c *Config) { c.ArenaSize = c.PoolSize },
		"mmap":       func(c *Config) { c.MmapThresholdMax = 1 },
		"addresses":  func(c *Config) { c.HeapBase = c.MmapTop },
		"big blocks": func(c *Config) { c.SmallRequestThreshold = c.PoolSize },
	} {
		c := DefaultConfig()
		mutate(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: Validate accepted a broken config", name)
		}
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("default config: %v", err)
	}
}

// A pool of 16-byte blocks holds 1021; an arena 63 pools (its mapping is
// not 16 KiB aligned); the 1022nd block opens a second pool and the
// 63*1021+1st a second arena.
func TestPoolsAndArenasFill(t *testing.T) {
	h := newTestHeap(t, nil)
	typ := h.Type("int")
	perArena := 63 * 1021
	for i := 0; i < perArena; i++ {
		mustMalloc(t, h, typ, 16)
		switch i + 1 {
		case 1021:
			if s := h.Stats(); s.Pools != 1 {
				t.Fatalf("after 1021 blocks: %d pools, want 1", s.Pools)
			}
		case 1022:
			if s := h.Stats(); s.Pools != 2 {
				t.Fatalf("after 1022 blocks: %d pools, want 2", s.Pools)
			}
		}
	}
	if s := h.Stats(); s.Arenas != 1 || s.Pools != 63 {
		t.Fatalf("after %d blocks: %d arenas, %d pools; want 1, 63", perArena, s.Arenas, s.Pools)
	}
	mustMalloc(t, h, typ, 16)
	s := h.Stats()
	if s.Arenas != 2 || s.Pools != 64 {
		t.Fatalf("one more block: %d arenas, %d pools; want 2, 64", s.Arenas, s.Pools)
	}
	// two 1 MiB arenas plus the malloc heap segment holding the arena vector
	if want := 2<<20 + s.MallocHeap; s.OSMapped != want {
		t.Errorf("OS mapped %d, want %d", s.OSMapped, want)
	}
	mustCheck(t, h)
}

// Freed blocks are reused last-freed first, and a pool that was full goes
// to the front of its class's list.
func TestBlockReuseOrder(t *testing.T) {
	h := newTestHeap(t, nil)
	typ := h.Type("float")
	a := mustMalloc(t, h, typ, 24)
	b := mustMalloc(t, h, typ, 24)
	c := mustMalloc(t, h, typ, 24)
	if b-a != 32 || c-b != 32 {
		t.Fatalf("virgin blocks not in address order: %#x %#x %#x", a, b, c)
	}
	h.Free(b)
	h.Free(a)
	if got := mustMalloc(t, h, typ, 17); got != a {
		t.Errorf("first reuse %#x, want the last freed %#x", got, a)
	}
	if got := mustMalloc(t, h, typ, 32); got != b {
		t.Errorf("second reuse %#x, want %#x", got, b)
	}
	mustCheck(t, h)

	// Fill pool 1 and open pool 2; a free in pool 1 sends it to the front.
	var first []Addr
	for i := 0; i < 510-3; i++ {
		first = append(first, mustMalloc(t, h, typ, 32))
	}
	inPool2 := mustMalloc(t, h, typ, 32)
	if h.obj.pool(inPool2) == h.obj.pool(a) {
		t.Fatal("pool 1 should be full")
	}
	h.Free(first[10])
	if got := mustMalloc(t, h, typ, 32); got != first[10] {
		t.Errorf("after a free in a full pool, next block %#x, want %#x from that pool", got, first[10])
	}
	mustCheck(t, h)
}

// Freeing everything returns every arena but the last usable one to the
// OS (bpo-37257), and empty pools are reused before new ones are carved.
func TestArenaRelease(t *testing.T) {
	h := newTestHeap(t, nil)
	typ := h.Type("tuple")
	var addrs []Addr
	for i := 0; i < 3*63*31; i++ { // three arenas of 512-byte blocks
		addrs = append(addrs, mustMalloc(t, h, typ, 512))
	}
	if s := h.Stats(); s.Arenas != 3 {
		t.Fatalf("%d arenas, want 3", s.Arenas)
	}
	for _, a := range addrs {
		h.Free(a)
		mustCheck(t, h)
	}
	s := h.Stats()
	if s.Arenas != 1 || s.Pools != 0 || s.Requested != 0 || s.BlockBytes != 0 {
		t.Fatalf("after freeing all: %+v; want 1 arena kept, nothing in use", s)
	}
	if s.OSMapped != 1<<20+s.MallocHeap {
		t.Errorf("OS mapped %d, want one arena + heap %d", s.OSMapped, s.MallocHeap)
	}
	// The kept arena serves the next request without a new mapping.
	mustMalloc(t, h, typ, 100)
	if s := h.Stats(); s.ArenasEver != 3 || s.Arenas != 1 {
		t.Errorf("reuse mapped a new arena: %+v", s)
	}
}

func TestRealloc(t *testing.T) {
	for _, tc := range []struct {
		from, to int64
		inPlace  bool
		raw      bool
	}{
		{32, 32, true, false},
		{32, 25, true, false},  // 4*25 > 3*32
		{32, 24, false, false}, // 4*24 == 3*32: shrink moves
		{32, 33, false, false}, // next class
		{64, 600, false, true}, // to malloc
		{256, 512, false, false},
		{600, 700, true, true}, // grows into the free space after it
		{600, 100, true, true}, // a raw chunk stays raw
		{64, 0, false, true},   // realloc to 0 goes to malloc(1)
	} {
		t.Run(fmt.Sprintf("%d->%d", tc.from, tc.to), func(t *testing.T) {
			var events []Event
			h := newTestHeap(t, ObserverFunc(func(e Event) {
				if e.Layer == LayerObject {
					events = append(events, e)
				}
			}))
			typ := h.Type("list.items")
			a := mustMalloc(t, h, typ, tc.from)
			na, err := h.Realloc(a, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			if (na == a) != tc.inPlace {
				t.Errorf("in place = %v, want %v", na == a, tc.inPlace)
			}
			if l, _ := h.getLive(na); l.raw != tc.raw {
				t.Errorf("raw = %v, want %v", l.raw, tc.raw)
			}
			if s := h.Stats(); s.Requested != tc.to || s.RequestedPeak != max(tc.from, tc.to) {
				t.Errorf("requested %d peak %d, want %d and %d", s.Requested, s.RequestedPeak, tc.to, max(tc.from, tc.to))
			}
			want := []Op{OpAlloc, OpReallocFrom, OpReallocTo}
			if len(events) != 3 {
				t.Fatalf("object events %v", events)
			}
			for i, e := range events {
				if e.Op != want[i] {
					t.Errorf("event %d op %v, want %v", i, e.Op, want[i])
				}
			}
			if events[1].Size != tc.from || events[1].Addr != a || events[2].Size != tc.to || events[2].Addr != na {
				t.Errorf("realloc events %v", events[1:])
			}
			mustCheck(t, h)
		})
	}
}

func TestRawAllocator(t *testing.T) {
	var osEvents []Event
	h := newTestHeap(t, ObserverFunc(func(e Event) {
		if e.Layer == LayerOS {
			osEvents = append(osEvents, e)
		}
	}))
	typ := h.Type("dict.keys")
	a := mustMalloc(t, h, typ, 600)
	if s := h.Stats(); s.RawBytes != 608 || s.MallocHeap != 135168 {
		t.Fatalf("600 bytes: raw %d heap %d; want a 608-byte chunk in a 132 KiB heap", s.RawBytes, s.MallocHeap)
	}
	b := mustMalloc(t, h, typ, 1000)
	if b <= a {
		t.Errorf("second chunk %#x below the first %#x", b, a)
	}
	h.Free(a)
	h.Free(b)
	if s := h.Stats(); s.MallocHeap != 0 || s.OSMapped != 0 {
		t.Errorf("after freeing all: heap %d mapped %d; want the heap trimmed", s.MallocHeap, s.OSMapped)
	}
	// 200 KiB is over the mmap threshold: its own mapping. Freeing it
	// raises the threshold, so the same request then comes from the heap.
	big := mustMalloc(t, h, typ, 200<<10)
	if s := h.Stats(); s.OSMapped != 200<<10+4096 || s.MallocHeap != 0 {
		t.Errorf("200 KiB: mapped %d heap %d; want a direct mapping", s.OSMapped, s.MallocHeap)
	}
	h.Free(big)
	mustMalloc(t, h, typ, 200<<10)
	if s := h.Stats(); s.MallocHeap == 0 {
		t.Error("after the dynamic threshold rose, 200 KiB still mapped directly")
	}
	mustCheck(t, h)
	var sum int64
	for _, e := range osEvents {
		switch e.Op {
		case OpAlloc:
			sum += e.Size
		case OpFree:
			sum -= e.Size
		}
	}
	if sum != h.Stats().OSMapped {
		t.Errorf("OS events sum to %d, the heap maps %d", sum, h.Stats().OSMapped)
	}
}

func TestLimit(t *testing.T) {
	h := newTestHeap(t, nil)
	h.SetLimit(100)
	typ := h.Type("str")
	a := mustMalloc(t, h, typ, 60)
	if _, err := h.Malloc(typ, 41); err != ErrOutOfMemory {
		t.Errorf("over the limit: err %v", err)
	}
	if _, err := h.Realloc(a, 101); err != ErrOutOfMemory {
		t.Errorf("realloc over the limit: err %v", err)
	}
	if _, err := h.Realloc(a, 100); err != nil {
		t.Errorf("realloc to the limit: %v", err)
	}
}

// layerTotals sums an event stream per layer, as an analyzer would.
type layerTotals struct {
	live  [numLayers]int64
	peak  [numLayers]int64
	addrs map[Addr]int64 // object layer: live address -> size
	err   error
}

func (l *layerTotals) Observe(e Event) {
	switch e.Op {
	case OpAlloc, OpReallocTo:
		if e.Layer == LayerObject {
			if _, ok := l.addrs[e.Addr]; ok && l.err == nil {
				l.err = fmt.Errorf("%v: address already live", e)
			}
			l.addrs[e.Addr] = e.Size
		}
		l.live[e.Layer] += e.Size
		l.peak[e.Layer] = max(l.peak[e.Layer], l.live[e.Layer])
	case OpFree, OpReallocFrom:
		if e.Layer == LayerObject {
			if size, ok := l.addrs[e.Addr]; (!ok || size != e.Size) && l.err == nil {
				l.err = fmt.Errorf("%v: freed address not live with that size", e)
			}
			delete(l.addrs, e.Addr)
		}
		l.live[e.Layer] -= e.Size
	}
}

// Random work with every invariant checked after each step, and the event
// stream's totals checked against the heap's own.
func TestRandomWorkload(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			tot := &layerTotals{addrs: map[Addr]int64{}}
			h := newTestHeap(t, tot)
			rng := rand.New(rand.NewSource(seed))
			types := []TypeID{h.Type("a"), h.Type("b"), h.Type("c")}
			var live []Addr
			size := func() int64 {
				switch rng.Intn(10) {
				case 0:
					return rng.Int63n(300 << 10)
				case 1, 2:
					return 513 + rng.Int63n(4000)
				default:
					return rng.Int63n(513)
				}
			}
			for step := 0; step < 3000; step++ {
				switch op := rng.Intn(10); {
				case op < 5 || len(live) == 0:
					live = append(live, mustMalloc(t, h, types[rng.Intn(3)], size()))
				case op < 8:
					i := rng.Intn(len(live))
					h.Free(live[i])
					live[i] = live[len(live)-1]
					live = live[:len(live)-1]
				default:
					i := rng.Intn(len(live))
					na, err := h.Realloc(live[i], size())
					if err != nil {
						t.Fatal(err)
					}
					live[i] = na
				}
				if step%7 == 0 || step > 2900 {
					mustCheck(t, h)
				}
			}
			for _, a := range live {
				h.Free(a)
			}
			mustCheck(t, h)
			if tot.err != nil {
				t.Fatal(tot.err)
			}
			s := h.Stats()
			if tot.live[LayerObject] != 0 || tot.peak[LayerObject] != s.RequestedPeak {
				t.Errorf("object layer: events leave %d live, peak %d; heap peak %d", tot.live[LayerObject], tot.peak[LayerObject], s.RequestedPeak)
			}
			if tot.live[LayerOS] != s.OSMapped {
				t.Errorf("OS layer: events leave %d mapped, heap maps %d", tot.live[LayerOS], s.OSMapped)
			}
			if s.Arenas > 1 {
				t.Errorf("%d arenas left after freeing everything", s.Arenas)
			}
		})
	}
}

func TestTee(t *testing.T) {
	var a, b int
	obs := Tee(ObserverFunc(func(Event) { a++ }), nil, ObserverFunc(func(Event) { b++ }))
	h := newTestHeap(t, obs)
	h.Free(mustMalloc(t, h, h.Type("int"), 32))
	if a != b || a != int(h.Events()) || a < 4 {
		t.Errorf("tee delivered %d and %d of %d events", a, b, h.Events())
	}
}

func BenchmarkMallocFree(b *testing.B) {
	h := newTestHeap(b, nil)
	typ := h.Type("int")
	ring := make([]Addr, 4096)
	for i := range ring {
		ring[i] = mustMalloc(b, h, typ, int64(16+i%200))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := i % len(ring)
		h.Free(ring[j])
		ring[j] = mustMalloc(b, h, typ, int64(16+(i*7)%500))
	}
	b.ReportMetric(float64(h.Events())/b.Elapsed().Seconds()/1e6, "Mevents/s")
}

// With checking on, a heap whose bookkeeping is corrupted reports the
// event after which an invariant broke.
func TestSetCheck(t *testing.T) {
	h := newTestHeap(t, nil)
	h.SetCheck(true)
	typ := h.Type("int")
	a := mustMalloc(t, h, typ, 32)
	mustMalloc(t, h, typ, 600)
	if err := h.CheckErr(); err != nil {
		t.Fatalf("a sound heap: %v", err)
	}
	h.requested += 8 // break the accounting behind the heap's back
	h.Free(a)
	if err := h.CheckErr(); err == nil || !strings.Contains(err.Error(), "after event #") || !strings.Contains(err.Error(), "requested bytes") {
		t.Errorf("CheckErr() = %v; want the broken accounting, with the event", err)
	}
}
