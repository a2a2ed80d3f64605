package synthetic

import (
	"strings"
	"testing"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
)

func run(t *testing.T, name string, scale int) (*model.Heap, *pyobj.Objects) {
	t.Helper()
	w, err := Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	h, err := model.NewHeap(model.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	o := pyobj.New(h, pyobj.CPython311())
	if err := w.Declare(o).Do(scale); err != nil {
		t.Fatal(err)
	}
	if err := h.Check(); err != nil {
		t.Fatal(err)
	}
	return h, o
}

func TestEveryWorkloadRuns(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			w, _ := Lookup(name)
			h, _ := run(t, name, w.DefaultScale/10)
			if h.Stats().RequestedPeak == 0 {
				t.Error("allocated nothing")
			}
		})
	}
}

func TestLookupUnknownListsKnown(t *testing.T) {
	_, err := Lookup("nope")
	if err == nil || !strings.Contains(err.Error(), "list-growth") || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("err = %v; want the unknown name and the known ones", err)
	}
}

// After the list is dropped, what stays is what CPython 3.11 keeps after
// `L = [i*0.5 for i in range(300)]; del L` (2456 bytes: 100 floats on
// their free list and the list object on its own).
func TestListGrowthLeavesFreeLists(t *testing.T) {
	for _, n := range []int{300, 5000} {
		h, o := run(t, "list-growth", n)
		if got := h.Stats().Requested; got != 2456 {
			t.Errorf("n=%d: %d bytes live at the end, want 2456", n, got)
		}
		if o.Floats.Parked() != 100 || o.Lists.Parked() != 1 {
			t.Errorf("n=%d: parked %d floats, %d lists", n, o.Floats.Parked(), o.Lists.Parked())
		}
	}
}

// A leak grows with the number of calls; churn does not.
func TestLeakGrowsChurnDoesNot(t *testing.T) {
	small, _ := run(t, "leaky-cache", 1000)
	big, _ := run(t, "leaky-cache", 4000)
	if r := float64(big.Stats().Requested) / float64(small.Stats().Requested); r < 3.5 {
		t.Errorf("leaky-cache: 4x the calls kept %.2fx the bytes, want about 4x", r)
	}
	c1, _ := run(t, "dict-churn", 20000)
	c2, _ := run(t, "dict-churn", 40000)
	// the live window is n/20, so the final size doubles, not the history
	if r := float64(c2.Stats().Requested) / float64(c1.Stats().Requested); r > 2.2 {
		t.Errorf("dict-churn: 2x the events kept %.2fx the bytes", r)
	}
}

// Freeing every other object frees no arena: every pool keeps live blocks.
func TestFragmentationPinsArenas(t *testing.T) {
	h, _ := run(t, "fragmentation", 20000)
	s := h.Stats()
	if s.Arenas != s.ArenasEver {
		t.Errorf("arenas were released: %d mapped of %d ever", s.Arenas, s.ArenasEver)
	}
	// the 208-byte tuple blocks fill half of every pool they occupy
	if used := float64(s.BlockBytes) / float64(int64(s.Pools)*16384); used > 0.8 {
		t.Errorf("pools are %.0f%% used, want about half", 100*used)
	}
}
