package analyze

import (
	"errors"
	"fmt"
	"io"

	"github.com/heaptrace/heaptrace/format"
)

// Validation is the verdict on a trace's internal consistency.
type Validation struct {
	Trace        string    `json:"trace"`
	Events       uint64    `json:"events"`
	Batches      int       `json:"batches"`
	Truncated    bool      `json:"truncated"`
	Problems     []Problem `json:"problems"`
	ProblemCount int       `json:"problem_count"`
	// ReadError is the error that stopped the reading (a corrupt batch),
	// or "".
	ReadError string `json:"read_error,omitempty"`
}

// Problem is an event that contradicts the trace before it.
type Problem struct {
	Seq     uint64 `json:"seq"`
	Layer   string `json:"layer"`
	Message string `json:"message"`
}

// Valid reports whether the trace was read to its end without a problem.
func (v *Validation) Valid() bool { return v.ProblemCount == 0 && v.ReadError == "" }

type vAlloc struct {
	size, block int64
}

// Validate reads a trace to its end and checks what the reader does not:
// at every layer, each allocation is of an address not already live, each
// free and realloc_from matches a live allocation of the same size, the
// halves of a realloc are adjacent, free-list markers name live objects,
// pymalloc blocks are size classes that hold their request, and every
// return has its call. The format's own checks (schema, version,
// contiguous event numbers, known names) come with reading. At most
// maxProblems problems are listed (all are counted); memory grows with
// the live allocations only.
func Validate(r *format.Reader, name string, maxProblems int) *Validation {
	v := &Validation{Trace: name}
	var live [format.NumLayers]map[uint64]vAlloc
	for i := range live {
		live[i] = map[uint64]vAlloc{}
	}
	depth := 0
	var pending struct {
		open  bool
		seq   uint64
		layer format.Layer
	}
	problem := func(seq uint64, l format.Layer, format_ string, args ...any) {
		v.ProblemCount++
		if len(v.Problems) < maxProblems {
			v.Problems = append(v.Problems, Problem{seq, l.String(), fmt.Sprintf(format_, args...)})
		}
	}
	var b format.Batch
	for {
		err := r.Next(&b)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			v.ReadError = err.Error()
			break
		}
		v.Batches++
		v.Events += uint64(b.Len())
		for i, op := range b.Op {
			seq, l, addr, size, block := b.Seq[i], b.Layer[i], b.Addr[i], b.Size[i], b.Block[i]
			if pending.open && op != format.OpReallocTo {
				problem(pending.seq, pending.layer, "realloc_from without its realloc_to in the next event")
				pending.open = false
			}
			if size < 0 || block < 0 {
				problem(seq, l, "negative size %d or block %d", size, block)
			}
			switch op {
			case format.OpAlloc, format.OpReallocTo:
				if op == format.OpReallocTo {
					if !pending.open || pending.layer != l {
						problem(seq, l, "realloc_to without a realloc_from before it")
					}
					pending.open = false
				}
				if l == format.LayerInterp {
					problem(seq, l, "%s in the interp layer", op)
					continue
				}
				if old, ok := live[l][addr]; ok {
					problem(seq, l, "%s at %#x, which is already live (%d bytes)", op, addr, old.size)
				}
				if l == format.LayerPymalloc && (block%16 != 0 || block > 512 || block < size || (size > 0 && block-size >= 16)) {
					problem(seq, l, "block of %d bytes is not the size class of a %d-byte request", block, size)
				}
				live[l][addr] = vAlloc{size, block}
			case format.OpFree, format.OpReallocFrom:
				old, ok := live[l][addr]
				switch {
				case !ok:
					problem(seq, l, "%s of %#x, which is not allocated", op, addr)
				case old.size != size:
					problem(seq, l, "%s of %#x says %d bytes; it was allocated with %d", op, addr, size, old.size)
				}
				delete(live[l], addr)
				if op == format.OpReallocFrom {
					pending.open, pending.seq, pending.layer = true, seq, l
				}
			case format.OpCache, format.OpReuse:
				if _, ok := live[l][addr]; !ok || l != format.LayerObject {
					problem(seq, l, "%s of %#x, which is not a live object", op, addr)
				}
			case format.OpCall:
				depth++
			case format.OpReturn:
				if depth == 0 {
					problem(seq, l, "return without a call")
				} else {
					depth--
				}
			}
		}
	}
	v.Truncated = r.Truncated()
	if pending.open {
		problem(pending.seq, pending.layer, "realloc_from without its realloc_to at the end")
	}
	if v.Problems == nil {
		v.Problems = []Problem{}
	}
	return v
}
