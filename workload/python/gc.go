package python

import "github.com/heaptrace/heaptrace/model/pyobj"

// This file defines the cyclic garbage collector, as CPython 3.11 runs it
// (Modules/gcmodule.c): every fresh allocation of a GC object counts
// towards generation 0 and every GC object freed counts back; when the
// count passes 700 the youngest generations are collected. Objects that
// only reference each other are freed then; survivors age. Every 10
// collections of a generation trigger one of the next; a full collection
// (also gc.collect()) also empties the free lists. From 3.12
// (Profile.GCAtEvalBreaker) passing the threshold only schedules the
// collection, which runs at the next eval-breaker check (evalBreaker).

type gcState struct {
	enabled    bool
	collecting bool
	scheduled  bool // a collection waits for the next eval-breaker check
	atBreaker  bool // Profile.GCAtEvalBreaker
	count      [3]int
	threshold  [3]int
	gens       [3]map[Value]struct{}
	longLived  int // long_lived_total
	pending    int // long_lived_pending
	collected  int // objects freed by the collector
	runs       [3]int
}

func (g *gcState) init(thresholds [3]int, atBreaker bool) {
	g.enabled = true
	g.threshold = thresholds
	g.atBreaker = atBreaker
	for i := range g.gens {
		g.gens[i] = map[Value]struct{}{}
	}
}

// gcTrack counts a fresh allocation of a GC object (_PyObject_GC_Link),
// which may start a collection.
func (in *Interp) gcTrack(string) {
	g := &in.gc
	g.count[0]++
	if g.count[0] > g.threshold[0] && g.enabled && !g.collecting {
		if g.atBreaker {
			g.scheduled = true
			return
		}
		g.collecting = true
		in.collectGenerations()
		g.collecting = false
	}
}

// evalBreaker is a check of the eval breaker (3.12+): a scheduled
// collection runs, if a generation's count is still past its threshold
// (_Py_RunGC).
func (in *Interp) evalBreaker() {
	g := &in.gc
	if !g.scheduled {
		return
	}
	g.scheduled = false
	if g.enabled && !g.collecting {
		g.collecting = true
		in.collectGenerations()
		g.collecting = false
	}
}

// gcUntrack counts a GC object freed (PyObject_GC_Del).
func (in *Interp) gcUntrack(string) {
	if in.gc.count[0] > 0 {
		in.gc.count[0]--
	}
}

// gcNew accounts for a new GC object: fresh says it was allocated (not
// taken from a free list, which does not count), and containers that can
// be part of a cycle are tracked. A tuple of atomic items is untracked
// straight away, as the collector would do on its first pass.
func (in *Interp) gcNew(v Value, fresh bool) {
	if fresh {
		in.gcTrack("")
	}
	if t, ok := v.(*Tuple); ok {
		for _, x := range t.items {
			switch x.(type) {
			case *List, *Dict, *Set, *Tuple, *Instance, *Function, *Cell:
				in.track(v)
				return
			}
		}
		return
	}
	in.track(v)
}

// gcFree accounts for a GC object going away: freed says its memory was
// released (not parked on a free list).
func (in *Interp) gcFree(v Value, freed bool) {
	in.untrack(v)
	if freed {
		in.gcUntrack("")
	}
}

// track registers a container the collector can see (in generation 0).
func (in *Interp) track(v Value) { in.gc.gens[0][v] = struct{}{} }

func (in *Interp) untrack(v Value) {
	for i := range in.gc.gens {
		delete(in.gc.gens[i], v)
	}
}

func (in *Interp) collectGenerations() {
	g := &in.gc
	for i := 2; i >= 0; i-- {
		if g.count[i] > g.threshold[i] {
			if i == 2 && g.pending < g.longLived/4 {
				continue
			}
			in.collect(i)
			return
		}
	}
}

// collect runs one collection of generation gen and the younger ones, and
// returns how many objects it freed.
func (in *Interp) collect(gen int) int {
	g := &in.gc
	in.gcPhase("start")
	defer in.gcPhase("stop")
	g.runs[gen]++
	in.h.Collect(gen)
	if gen+1 < 3 {
		g.count[gen+1]++
	}
	for i := 0; i <= gen; i++ {
		g.count[i] = 0
	}
	cand := map[Value]int{}
	for i := 0; i <= gen; i++ {
		for v := range g.gens[i] {
			cand[v] = 0
		}
	}
	reachable := in.reachable(cand)
	var garbage []Value
	for v := range cand {
		if !reachable[v] {
			garbage = append(garbage, v)
		}
	}
	// survivors age one generation
	next := gen + 1
	if next > 2 {
		next = 2
	}
	survivors := 0
	for i := 0; i <= gen; i++ {
		for v := range g.gens[i] {
			if reachable[v] {
				delete(g.gens[i], v)
				g.gens[next][v] = struct{}{}
				survivors++
			}
		}
	}
	if gen == 1 {
		g.pending += survivors
	}
	if gen == 2 {
		g.longLived = survivors
		g.pending = 0
	}
	// break the cycles: hold every garbage object, clear it, then let go
	for _, v := range garbage {
		incref(v)
	}
	for _, v := range garbage {
		in.clearRefs(v)
	}
	for _, v := range garbage {
		in.decref(v)
	}
	g.collected += len(garbage)
	if gen == 2 {
		in.o.ClearFreeLists() // not the slice cache, which gc.collect() leaves
	}
	return len(garbage)
}

// gcPhase is invoke_gc_callback's phase str, made and dropped whether or
// not a callback is registered (Profile.GCPhaseStrings).
func (in *Interp) gcPhase(phase string) {
	if !in.o.Profile.GCPhaseStrings {
		return
	}
	if a, err := in.o.Strs.New(pyobj.StrASCII, len(phase)); err == nil {
		in.o.Strs.Free(a)
	}
}

// referents calls f for each object v references directly.
func (in *Interp) referents(v Value, f func(Value)) {
	switch v := v.(type) {
	case *List:
		for _, x := range v.items {
			f(x)
		}
	case *Tuple:
		for _, x := range v.items {
			f(x)
		}
	case *Dict:
		for _, e := range v.entries {
			if e.live {
				f(e.key)
				f(e.val)
			}
		}
	case *Set:
		for _, x := range v.items {
			f(x)
		}
	case *Cell:
		if v.v != nil {
			f(v.v)
		}
	case *Function:
		if v.defTuple != nil {
			f(v.defTuple)
		}
		if v.kwDict != nil {
			f(v.kwDict)
		}
		if v.closure != nil {
			f(v.closure)
		}
	case *Instance:
		for _, x := range v.attrs {
			f(x)
		}
	}
}

// clearRefs is tp_clear: drop the references v holds.
func (in *Interp) clearRefs(v Value) {
	switch v := v.(type) {
	case *List:
		in.listClear(v)
	case *Dict:
		in.dictClear(v)
	case *Set:
		items := in.setKeys(v)
		for _, x := range items {
			incref(x)
		}
		for _, x := range items {
			in.setDiscard(v, x)
		}
		in.decrefAll(items)
	case *Cell:
		if x := v.v; x != nil {
			v.v = nil
			in.decref(x)
		}
	case *Function:
		if c := v.closure; c != nil {
			v.closure = nil
			in.decref(c)
		}
	case *Instance:
		attrs := v.attrs
		v.attrs = map[string]Value{}
		for _, k := range v.order {
			if x, ok := attrs[k]; ok {
				in.decref(x)
			}
		}
		v.order = nil
	}
}

// reachable is the heart of a collection: starting from each candidate's
// reference count, subtract the references candidates hold to each other;
// what is left is referenced from outside, and so is everything it
// reaches. The other candidates are only kept alive by cycles.
func (in *Interp) reachable(cand map[Value]int) map[Value]bool {
	for v := range cand {
		cand[v] = int(v.header().rc)
	}
	for v := range cand {
		in.referents(v, func(r Value) {
			if n, ok := cand[r]; ok {
				cand[r] = n - 1
			}
		})
	}
	reachable := map[Value]bool{}
	var stack []Value
	for v, n := range cand {
		if n > 0 {
			reachable[v] = true
			stack = append(stack, v)
		}
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		in.referents(v, func(r Value) {
			if _, ok := cand[r]; ok && !reachable[r] {
				reachable[r] = true
				stack = append(stack, r)
			}
		})
	}
	return reachable
}

// LiveInCycles counts the objects a full collection would free now: what
// is still live only because of reference cycles.
func (in *Interp) LiveInCycles() int {
	cand := map[Value]int{}
	for i := range in.gc.gens {
		for v := range in.gc.gens[i] {
			cand[v] = 0
		}
	}
	return len(cand) - len(in.reachable(cand))
}
