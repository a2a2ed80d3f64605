// This file defines the event vocabulary of a trace: what an event did (Op)
// and which layer of the memory manager did it (Layer).
//
// The names are the trace's words: they are what the op and layer
// dictionaries of a file hold, and a reader maps a file's names back to
// these codes by name, never by position. The order and the names are
// those of the model (package model); recorder's tests keep the two equal.

package format

import "fmt"

// Op is what an event did.
type Op uint8

const (
	// OpAlloc starts an allocation at Addr of Size requested bytes.
	OpAlloc Op = iota
	// OpFree ends the allocation at Addr; Size repeats its requested bytes.
	OpFree
	// OpReallocFrom and OpReallocTo are the two halves of one realloc,
	// always adjacent and in this order: the old allocation ends, the new
	// one begins (possibly at the same address).
	OpReallocFrom
	OpReallocTo
	// OpCache parks a dead object on a per-type free list: its allocation
	// stays live (tracemalloc still counts it) but no object uses it.
	OpCache
	// OpReuse takes a parked object off a free list for a new object: no
	// new request reaches the allocator.
	OpReuse
	// OpCall and OpReturn bracket a function call (LayerInterp). Site on a
	// call is where the call was made; events until the matching return
	// happen inside the callee.
	OpCall
	OpReturn
	// OpCollect marks a run of the cyclic garbage collector (LayerInterp);
	// Size is the generation collected.
	OpCollect

	// NumOps is the number of operations: every valid Op is below it.
	NumOps = iota
)

var opNames = [NumOps]string{"alloc", "free", "realloc_from", "realloc_to", "cache", "reuse", "call", "return", "collect"}

// String returns the operation's name as written in traces.
func (o Op) String() string {
	if o < NumOps {
		return opNames[o]
	}
	return fmt.Sprintf("op(%d)", uint8(o))
}

// OpNames lists every operation's name, indexed by Op.
func OpNames() []string { return append([]string(nil), opNames[:]...) }

// Layer names the level of the memory manager that made an event, from the
// top (what a Python program asks for) to the bottom (what the OS gives).
type Layer uint8

const (
	// LayerObject is the request API (PyObject_Malloc, PyMem_Malloc and
	// their Realloc and Free): the requests tracemalloc counts.
	LayerObject Layer = iota
	// LayerPymalloc is the small-object allocator: blocks of a size class
	// carved from pools inside arenas. Size is the request, Block the class.
	LayerPymalloc
	// LayerRaw is the raw allocator (malloc): requests over 512 bytes and
	// pymalloc's own bookkeeping. Block is the malloc chunk size.
	LayerRaw
	// LayerOS is memory mapped from the operating system: arenas, heap
	// segments and large direct mappings.
	LayerOS
	// LayerInterp carries interpreter markers (calls, returns, collections)
	// that give the other events their call stacks. They hold no memory.
	LayerInterp

	// NumLayers is the number of layers: every valid Layer is below it.
	NumLayers = iota
)

var layerNames = [NumLayers]string{"object", "pymalloc", "raw", "os", "interp"}

// String returns the layer's name as written in traces.
func (l Layer) String() string {
	if l < NumLayers {
		return layerNames[l]
	}
	return fmt.Sprintf("layer(%d)", uint8(l))
}

// LayerNames lists every layer's name, indexed by Layer.
func LayerNames() []string { return append([]string(nil), layerNames[:]...) }
