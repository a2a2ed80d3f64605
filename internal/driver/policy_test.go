package driver

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
)

func TestProfiles(t *testing.T) {
	ps, err := Profiles("3.13, 3.11,3.13")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Name != "cpython-3.13" || ps[1].Name != "cpython-3.11" {
		t.Errorf("got %v, want 3.13 then 3.11, once each", ps)
	}
	if p, err := Profile(""); err != nil || p.Name != "cpython-3.11" {
		t.Errorf("default profile %q, %v; want cpython-3.11", p.Name, err)
	}
	for _, bad := range []string{"3.10", "4", "cpython"} {
		if _, err := Profiles(bad); err == nil || !strings.Contains(err.Error(), "known: 3.11, 3.12, 3.13") {
			t.Errorf("%q: error %v, want the known versions listed", bad, err)
		}
	}
}

func TestPolicyApply(t *testing.T) {
	cfg, p := model.DefaultConfig(), pyobj.CPython312()
	pol := Policy{Allocator: "pymalloc", ArenaSize: 256 << 10, PoolSize: 8 << 10, FreeLists: map[string]int{"float": 0, "dict-keys": 7}}
	if err := pol.Apply(&cfg, &p); err != nil {
		t.Fatal(err)
	}
	if !cfg.UsePymalloc || cfg.ArenaSize != 256<<10 || cfg.PoolSize != 8<<10 || p.FloatFreeList != 0 || p.DictKeysFreeList != 7 || p.ListFreeList != 80 {
		t.Errorf("config %+v, profile free lists %d %d %d", cfg, p.FloatFreeList, p.DictKeysFreeList, p.ListFreeList)
	}
	cfg, p = model.DefaultConfig(), pyobj.CPython311()
	if err := (Policy{Allocator: "malloc"}).Apply(&cfg, &p); err != nil || cfg.UsePymalloc {
		t.Errorf("malloc: UsePymalloc %v, %v", cfg.UsePymalloc, err)
	}
	for _, tc := range []struct {
		pol  Policy
		want string
	}{
		{Policy{Allocator: "tcmalloc"}, "--allocator tcmalloc: unknown allocator (known: pymalloc, malloc)"},
		{Policy{Allocator: "malloc", ArenaSize: 1 << 20}, "--allocator malloc does not use it"},
		{Policy{ArenaSize: 1000}, "--arena-size 1000: need a power of two"},
		{Policy{PoolSize: 2048}, "--pool-size 2048: need a power of two of at least 4096"},
		{Policy{ArenaSize: 16 << 10, PoolSize: 16 << 10}, "--arena-size 16384: an arena must hold at least two pools"},
		{Policy{FreeLists: map[string]int{"set": 3}}, `free list "set": unknown (known: float, tuple, list, dict, dict-keys)`},
		{Policy{FreeLists: map[string]int{"tuple": -1}}, "--tuple-free-list -1: need 0"},
	} {
		cfg, p := model.DefaultConfig(), pyobj.CPython311()
		if err := tc.pol.Apply(&cfg, &p); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.pol, err, tc.want)
		}
	}
}

// heaptrace.params: the allocator, every field of model.Config at the top
// level (analyze's fragmentation report reads PoolSize and ArenaSize
// there), and the free-list lengths.
func TestParams(t *testing.T) {
	cfg, p := model.DefaultConfig(), pyobj.CPython313()
	cfg.UsePymalloc = false
	p.FloatFreeList = 3
	s, err := Params(cfg, p)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Allocator string
		PoolSize  int64
		ArenaSize int64
		FreeLists map[string]int `json:"free_lists"`
	}
	if err := json.Unmarshal([]byte(s), &got); err != nil {
		t.Fatal(err)
	}
	if got.Allocator != "malloc" || got.PoolSize != 16<<10 || got.ArenaSize != 1<<20 || got.FreeLists["float"] != 3 || got.FreeLists["tuple"] != 2000 || len(got.FreeLists) != 5 {
		t.Errorf("params %s", s)
	}
}
