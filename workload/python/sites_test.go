package python

import (
	"testing"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
)

// Every event carries the site (function and line) that made it, and
// call/return markers bracket the callee's events, so a reader can rebuild
// each event's call stack.
func TestSitesAndCallStacks(t *testing.T) {
	src := `def make(n):
    out = []
    for i in range(n):
        out.append(str(i) * 3)
    return out

def outer():
    return make(300)

x = outer()
y = [i * 2.5 for i in range(10)]
`
	p, err := Parse("s.py", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var events []model.Event
	h, _ := model.NewHeap(model.DefaultConfig(), model.ObserverFunc(func(e model.Event) { events = append(events, e) }))
	in, err := p.Declare(pyobj.New(h, pyobj.CPython311()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	setup := len(events)
	if err := in.Run(); err != nil {
		t.Fatal(err)
	}
	sites := h.SiteNames()
	types := h.TypeNames()
	var stack []string // call sites of open calls
	maxDepth := 0
	strAt := map[string]int{}
	for _, e := range events[setup:] {
		switch e.Op {
		case model.OpCall:
			stack = append(stack, sites[e.Site])
			maxDepth = max(maxDepth, len(stack))
		case model.OpReturn:
			if len(stack) == 0 {
				t.Fatalf("return without call at %v", e)
			}
			stack = stack[:len(stack)-1]
		case model.OpAlloc:
			if e.Layer == model.LayerObject && types[e.Type] == "str" {
				strAt[sites[e.Site]]++
				if len(stack) != 2 || stack[0] != "<module> (s.py:10)" || stack[1] != "outer (s.py:8)" {
					t.Fatalf("str allocated under stack %v", stack)
				}
			}
		}
	}
	if len(stack) != 0 {
		t.Errorf("unclosed calls: %v", stack)
	}
	if strAt["make (s.py:4)"] == 0 || len(strAt) != 1 {
		t.Errorf("strs allocated at %v, want all at make (s.py:4)", strAt)
	}
	if maxDepth != 2 {
		t.Errorf("deepest stack %d, want 2 (<module> -> outer -> make)", maxDepth)
	}
}

// A reference cycle outlives its last reference until the collector runs;
// LiveInCycles reports such objects.
func TestCyclesAreReported(t *testing.T) {
	p, err := Parse("c.py", []byte("import gc\ngc.disable()\na = []\nb = [a]\na.append(b)\ndel a, b\n"))
	if err != nil {
		t.Fatal(err)
	}
	h, _ := model.NewHeap(model.DefaultConfig(), nil)
	in, _ := p.Declare(pyobj.New(h, pyobj.CPython311()), Options{})
	if err := in.Run(); err != nil {
		t.Fatal(err)
	}
	if n := in.LiveInCycles(); n != 2 {
		t.Errorf("%d objects live in cycles, want the 2 lists", n)
	}
	if n := in.collect(2); n != 2 {
		t.Errorf("a full collection freed %d objects, want 2", n)
	}
	if n := in.LiveInCycles(); n != 0 {
		t.Errorf("%d objects still in cycles after collecting", n)
	}
}
