package model

import "testing"

func TestTracemallocView(t *testing.T) {
	tm := NewTracemalloc()
	h := newTestHeap(t, tm)
	typ := h.Type("dict.keys")
	before := mustMalloc(t, h, typ, 120) // exists before tracing
	kept := mustMalloc(t, h, typ, 64)
	tm.Start()
	a := mustMalloc(t, h, typ, 208)
	h.Free(before)                     // untraced: counts nothing
	moved, err := h.Realloc(kept, 400) // an untraced block reallocated becomes traced
	if err != nil {
		t.Fatal(err)
	}
	h.Cache(a) // parked: still counted
	if tm.Current() != 608 || tm.Peak() != 608 || tm.Blocks() != 2 {
		t.Errorf("current %d peak %d blocks %d; want 608, 608, 2", tm.Current(), tm.Peak(), tm.Blocks())
	}
	h.Free(moved)
	h.Free(a)
	if tm.Current() != 0 || tm.Peak() != 608 || tm.Blocks() != 0 {
		t.Errorf("after freeing: current %d peak %d blocks %d", tm.Current(), tm.Peak(), tm.Blocks())
	}
}
