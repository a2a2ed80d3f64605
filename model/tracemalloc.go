package model

// Tracemalloc is an Observer that computes what CPython's tracemalloc
// reports for the object layer: allocations made before Start are
// untraced (freeing them counts nothing; reallocating one makes the new
// block traced), objects parked on free lists still count, and the peak is
// the largest current value after any allocation.
type Tracemalloc struct {
	tracing  bool
	untraced map[Addr]bool
	live     map[Addr]int64
	current  int64
	peak     int64
}

// NewTracemalloc returns a view that is not tracing yet.
func NewTracemalloc() *Tracemalloc {
	return &Tracemalloc{untraced: map[Addr]bool{}, live: map[Addr]int64{}}
}

// Start begins tracing, like tracemalloc.start().
func (t *Tracemalloc) Start() { t.tracing = true }

// Observe follows one event.
func (t *Tracemalloc) Observe(e Event) {
	if e.Layer != LayerObject {
		return
	}
	switch e.Op {
	case OpAlloc, OpReallocTo:
		if !t.tracing {
			t.untraced[e.Addr] = true
			return
		}
		t.live[e.Addr] = e.Size
		t.current += e.Size
		t.peak = max(t.peak, t.current)
	case OpFree, OpReallocFrom:
		if t.untraced[e.Addr] {
			delete(t.untraced, e.Addr)
			return
		}
		if n, ok := t.live[e.Addr]; ok {
			t.current -= n
			delete(t.live, e.Addr)
		}
	}
}

// Current returns the bytes of live traced allocations.
func (t *Tracemalloc) Current() int64 { return t.current }

// Peak returns the largest Current seen since Start.
func (t *Tracemalloc) Peak() int64 { return t.peak }

// Blocks returns the number of live traced allocations.
func (t *Tracemalloc) Blocks() int { return len(t.live) }

// Sizes returns the request sizes of the live traced allocations.
func (t *Tracemalloc) Sizes() []int64 {
	out := make([]int64, 0, len(t.live))
	for _, n := range t.live {
		out = append(out, n)
	}
	return out
}
