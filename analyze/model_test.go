package analyze

import (
	"strings"
	"testing"
)

func TestAllocatorOf(t *testing.T) {
	for params, want := range map[string]string{
		`{"allocator":"malloc","UsePymalloc":false}`: "malloc",
		`{"allocator":"pymalloc"}`:                   "pymalloc",
		`{"UsePymalloc":false}`:                      "malloc",
		`{"PoolSize":16384}`:                         "pymalloc",
		`{}`:                                         "pymalloc",
		``:                                           "pymalloc",
	} {
		if got := allocatorOf(params); got != want {
			t.Errorf("allocatorOf(%q) = %q, want %q", params, got, want)
		}
	}
}

// Two traces of different models: each difference is a warning, so a
// diff never silently mixes them.
func TestModelWarnings(t *testing.T) {
	a := &Report{Profile: "cpython-3.11", Allocator: "pymalloc", params: `{"allocator":"pymalloc","ArenaSize":1048576,"free_lists":{"float":100,"list":80}}`}
	if w := modelWarnings(a, a); len(w) != 0 {
		t.Errorf("same model: %q", w)
	}
	b := &Report{Profile: "cpython-3.13", Allocator: "malloc", params: `{"allocator":"malloc","ArenaSize":262144,"free_lists":{"list":80,"float":0}}`}
	got := strings.Join(modelWarnings(a, b), "\n")
	for _, want := range []string{
		"A was recorded with profile cpython-3.11 and B with cpython-3.13",
		"A was recorded with allocator pymalloc and B with malloc",
		`different model parameters (ArenaSize 1048576 vs 262144, free_lists {"float":100,"list":80} vs {"float":0,"list":80})`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings lack %q:\n%s", want, got)
		}
	}
}
