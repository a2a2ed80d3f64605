package model

import "fmt"

// Layer names the level of the memory manager that made an event, from the
// top (what a Python program asks for) to the bottom (what the OS gives).
type Layer uint8

const (
	// LayerObject is the request API (PyObject_Malloc, PyMem_Malloc and
	// their Realloc and Free): the requests tracemalloc counts. Sizes are
	// the requested byte counts.
	LayerObject Layer = iota
	// LayerPymalloc is the small-object allocator: blocks of a size class
	// carved from pools inside arenas. Size is the request, Block the class.
	LayerPymalloc
	// LayerRaw is the raw allocator (malloc): requests over 512 bytes and
	// pymalloc's own bookkeeping. Block is the malloc chunk size.
	LayerRaw
	// LayerOS is memory mapped from the operating system: pymalloc arenas,
	// the raw allocator's heap segments and its large direct mappings.
	LayerOS
	// LayerInterp carries interpreter markers (calls, returns, collections)
	// that give the other events their call stacks. They hold no memory.
	LayerInterp
	numLayers
)

var layerNames = [numLayers]string{"object", "pymalloc", "raw", "os", "interp"}

// String returns the layer's name as written in traces.
func (l Layer) String() string {
	if l < numLayers {
		return layerNames[l]
	}
	return fmt.Sprintf("layer(%d)", uint8(l))
}

// LayerNames lists every layer's name, indexed by Layer.
func LayerNames() []string { return append([]string(nil), layerNames[:]...) }

// Op is what an event did.
type Op uint8

const (
	// OpAlloc starts an allocation at Addr of Size requested bytes.
	OpAlloc Op = iota
	// OpFree ends the allocation at Addr; Size repeats its requested bytes.
	OpFree
	// OpReallocFrom and OpReallocTo are the two halves of one realloc, always
	// adjacent and in this order: the old allocation ends, the new one begins
	// (possibly at the same address). tracemalloc never counts both at once,
	// so neither does a running sum over the two rows.
	OpReallocFrom
	OpReallocTo
	// OpCache parks a dead object on a per-type free list: its allocation
	// stays live (tracemalloc still counts it) but no object uses it.
	OpCache
	// OpReuse takes a parked object off a free list for a new object: no new
	// request reaches the allocator.
	OpReuse
	// OpCall and OpReturn bracket a function call (LayerInterp). Site on a
	// call is where the call was made; events until the matching return
	// happen inside the callee.
	OpCall
	OpReturn
	// OpCollect marks a run of the cyclic garbage collector (LayerInterp);
	// Size is the generation collected.
	OpCollect
	numOps
)

var opNames = [numOps]string{"alloc", "free", "realloc_from", "realloc_to", "cache", "reuse", "call", "return", "collect"}

// String returns the operation's name as written in traces.
func (o Op) String() string {
	if o < numOps {
		return opNames[o]
	}
	return fmt.Sprintf("op(%d)", uint8(o))
}

// OpNames lists every operation's name, indexed by Op.
func OpNames() []string { return append([]string(nil), opNames[:]...) }

// Addr is an address in the model's simulated address space. Zero is never
// a valid address.
type Addr uint64

// TypeID indexes a Heap's type table (see Heap.Types).
type TypeID uint16

// SiteID indexes a Heap's site table (see Heap.Sites). Site 0 is "unknown".
type SiteID uint32

// Event is one thing the heap did. Events are values: an observer may keep
// them. Seq numbers every event of a heap, across all layers, from 1.
type Event struct {
	Seq   uint64
	Op    Op
	Layer Layer
	Type  TypeID
	Size  int64 // requested bytes (for OpCollect, the generation)
	Block int64 // bytes the layer really set aside: size class, chunk, mapping
	Addr  Addr
	Site  SiteID
}

// String formats the event on one line, e.g.
// "#12 object alloc type=3 size=28 block=32 addr=0x7f0000003030 site=5".
func (e Event) String() string {
	return fmt.Sprintf("#%d %s %s type=%d size=%d block=%d addr=%#x site=%d",
		e.Seq, e.Layer, e.Op, e.Type, e.Size, e.Block, uint64(e.Addr), e.Site)
}

// Observer receives every event of a heap, in order. Observe must not call
// back into the heap.
type Observer interface {
	Observe(Event)
}

// ObserverFunc adapts a function to the Observer interface.
type ObserverFunc func(Event)

// Observe calls f(e).
func (f ObserverFunc) Observe(e Event) { f(e) }

// Tee returns an observer that passes each event to every observer in turn.
func Tee(observers ...Observer) Observer {
	var list []Observer
	for _, o := range observers {
		if o != nil {
			list = append(list, o)
		}
	}
	if len(list) == 1 {
		return list[0]
	}
	return tee(list)
}

type tee []Observer

func (t tee) Observe(e Event) {
	for _, o := range t {
		o.Observe(e)
	}
}
