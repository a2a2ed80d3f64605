// This file defines replay, the pass over a trace that the pprof profile
// and the charts' by-type areas are made from: tracemalloc's view of the
// object layer, with each live allocation's type and call stack.

package export

import (
	"errors"
	"fmt"
	"io"

	"github.com/heaptrace/heaptrace/analyze"
	"github.com/heaptrace/heaptrace/format"
)

// tally is what the replay counts for one (call stack, type) pair.
type tally struct {
	allocs, allocBytes int64 // requests (allocs and realloc_tos) and their bytes
	live, liveBytes    int64 // live now
	peak, peakBytes    int64 // live just after the mark snapshotAt
}

// tallyKey is a (call stack, type) pair.
type tallyKey struct {
	stack uint32
	typ   uint16
}

// liveObject is one live allocation at the object layer.
type liveObject struct {
	size  int64
	tally int32
}

// replay keeps tracemalloc's figures over a trace, in the rules of
// format's package documentation that package analyze follows: the
// object layer only; allocations made in the set-up events count nothing,
// and neither does freeing them; objects parked on a free list stay live;
// a reuse makes a new object, of the reuse's type at its site, in the
// parked one's memory. It tallies by (call stack, type), or by type alone
// when stacks are off.
type replay struct {
	setup    uint64
	untraced map[uint64]bool
	live     map[uint64]liveObject
	cur      int64

	keys    map[tallyKey]int32
	tallies []tally
	tkeys   []tallyKey

	stacksOn bool
	stacks   stackTable

	// limit bounds the memory of live (0: none): run stops, after the
	// batch that passed it, with an error naming the trace (name)
	limit int64
	name  string
}

// liveObjectBytes is what a live object costs in replay.live, a Go map:
// its key and value, and the map's slack (measured with
// TestLiveObjectBytes).
const liveObjectBytes = 64

func newReplay(h format.Header, stacks bool) *replay {
	return &replay{
		setup:    h.Meta.SetupEvents,
		untraced: map[uint64]bool{},
		live:     map[uint64]liveObject{},
		keys:     map[tallyKey]int32{},
		stacksOn: stacks,
		stacks:   newStackTable(),
	}
}

// run replays r to its end. After the event of each seq in marks (in
// increasing order), it calls at with the mark's index.
func (p *replay) run(r *format.Reader, marks []uint64, at func(mark int), progress func(done, total int)) (uint64, error) {
	var b format.Batch
	var events uint64
	next := 0
	total := r.NumBatches()
	for done := 1; ; done++ {
		err := r.Next(&b)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return events, err
		}
		for i, seq := range b.Seq {
			switch b.Layer[i] {
			case format.LayerObject:
				p.object(seq, b.Op[i], b.Type[i], b.Size[i], b.Addr[i], b.Site[i])
			case format.LayerInterp:
				if p.stacksOn {
					switch b.Op[i] {
					case format.OpCall:
						p.stacks.push(b.Site[i])
					case format.OpReturn:
						p.stacks.pop()
					}
				}
			}
			for next < len(marks) && marks[next] <= seq {
				at(next)
				next++
			}
		}
		events += uint64(b.Len())
		if p.limit > 0 && int64(len(p.live))*liveObjectBytes > p.limit {
			return events, memoryError(p.name, b.Seq[len(b.Seq)-1], int64(len(p.live)), p.limit)
		}
		if progress != nil {
			progress(done, total)
		}
	}
	for ; next < len(marks); next++ {
		at(next) // marks past the end see the final state
	}
	return events, nil
}

// tally returns the index of the tally of typ at site, in the current
// call stack.
func (p *replay) tally(typ uint16, site uint32) int32 {
	k := tallyKey{typ: typ}
	if p.stacksOn {
		k.stack = p.stacks.leaf(site)
	}
	i, ok := p.keys[k]
	if !ok {
		i = int32(len(p.tallies))
		p.keys[k] = i
		p.tallies = append(p.tallies, tally{})
		p.tkeys = append(p.tkeys, k)
	}
	return i
}

func (p *replay) object(seq uint64, op format.Op, typ uint16, size int64, addr uint64, site uint32) {
	if seq <= p.setup {
		switch op {
		case format.OpAlloc, format.OpReallocTo:
			p.untraced[addr] = true
		case format.OpFree, format.OpReallocFrom:
			delete(p.untraced, addr)
		}
		return
	}
	if len(p.untraced) > 0 && p.untraced[addr] {
		switch op {
		case format.OpFree, format.OpReallocFrom:
			delete(p.untraced, addr)
			return
		case format.OpCache, format.OpReuse:
			return
		}
	}
	switch op {
	case format.OpAlloc, format.OpReallocTo:
		if old, ok := p.live[addr]; ok {
			p.release(old) // an anomaly: analyze reports it
		}
		o := liveObject{size: size, tally: p.tally(typ, site)}
		t := &p.tallies[o.tally]
		t.allocs++
		t.allocBytes += size
		p.acquire(addr, o)
	case format.OpFree, format.OpReallocFrom:
		if old, ok := p.live[addr]; ok {
			delete(p.live, addr)
			p.release(old)
		}
	case format.OpReuse:
		if old, ok := p.live[addr]; ok {
			p.release(old)
			p.acquire(addr, liveObject{size: old.size, tally: p.tally(typ, site)})
		}
	}
}

func (p *replay) acquire(addr uint64, o liveObject) {
	p.live[addr] = o
	p.cur += o.size
	t := &p.tallies[o.tally]
	t.live++
	t.liveBytes += o.size
}

func (p *replay) release(o liveObject) {
	p.cur -= o.size
	t := &p.tallies[o.tally]
	t.live--
	t.liveBytes -= o.size
}

// snapshot copies what is live now into each tally's peak figures.
func (p *replay) snapshot() {
	for i := range p.tallies {
		t := &p.tallies[i]
		t.peak, t.peakBytes = t.live, t.liveBytes
	}
}

// liveByType returns the bytes live now of each type.
func (p *replay) liveByType(ntypes int) []int64 {
	out := make([]int64, ntypes)
	for i, t := range p.tallies {
		out[p.tkeys[i].typ] += t.liveBytes
	}
	return out
}

// stackTable interns call stacks as a tree: node 0 is the root (no
// frame), and a node is its parent stack with one more site. A call row
// pushes the node of the call's site; an event's stack is the node of its
// own site below the innermost open call.
type stackTable struct {
	nodes  []stackNode
	index  map[stackNode]uint32
	frames []uint32 // open calls, innermost last
}

type stackNode struct {
	parent, site uint32
}

func newStackTable() stackTable {
	return stackTable{nodes: []stackNode{{}}, index: map[stackNode]uint32{}}
}

func (s *stackTable) intern(parent, site uint32) uint32 {
	n := stackNode{parent, site}
	if id, ok := s.index[n]; ok {
		return id
	}
	id := uint32(len(s.nodes))
	s.nodes = append(s.nodes, n)
	s.index[n] = id
	return id
}

func (s *stackTable) top() uint32 {
	if len(s.frames) == 0 {
		return 0
	}
	return s.frames[len(s.frames)-1]
}

func (s *stackTable) push(site uint32) { s.frames = append(s.frames, s.intern(s.top(), site)) }

func (s *stackTable) pop() {
	if len(s.frames) > 0 {
		s.frames = s.frames[:len(s.frames)-1]
	}
}

// leaf returns the stack of an event at site.
func (s *stackTable) leaf(site uint32) uint32 { return s.intern(s.top(), site) }

// sites returns the sites of stack id, innermost first.
func (s *stackTable) sites(id uint32) []uint32 {
	var out []uint32
	for id != 0 {
		n := s.nodes[id]
		out = append(out, n.site)
		id = n.parent
	}
	return out
}

// memoryError is the error of an export whose live objects, at event seq,
// take more than limit bytes (Options.MaxMemory), in its own replay or in
// analyze's: it says what to do in export's terms.
func memoryError(trace string, seq uint64, objects, limit int64) error {
	return fmt.Errorf("export %s: event #%d: %s objects are live, and holding more takes over --max-memory %s: "+
		"the profile and the charts follow each live object. Raise --max-memory if the machine has the memory; "+
		"Parquet, CSV and JSON lines exports need no memory per object",
		trace, seq, analyze.Count(objects), analyze.Bytes(limit))
}

// asMemoryError rephrases analyze's MemoryError as memoryError, and
// returns any other error as it is.
func asMemoryError(err error) error {
	var me *analyze.MemoryError
	if errors.As(err, &me) {
		return memoryError(me.Trace, me.Seq, me.Objects, me.Limit)
	}
	return err
}
