package driver

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
)

// This file defines the "what if" side of a run: the Python version
// (a pyobj profile), the allocator policy and its tunables, as the command
// line names them, and how a trace's metadata records them.

// Allocators are the allocator policies: CPython's default, pymalloc for
// requests up to 512 bytes and malloc above, and malloc for everything
// (PYTHONMALLOC=malloc).
var Allocators = []string{"pymalloc", "malloc"}

// Profile returns the profile of a Python version, "3.11" when version is
// empty. An unknown version is an error listing the known ones.
func Profile(version string) (pyobj.Profile, error) {
	if version == "" {
		return pyobj.CPython311(), nil
	}
	p, err := pyobj.LookupProfile(version)
	if err != nil {
		return p, fmt.Errorf("--python %s: unknown version (known: %s)", version, strings.Join(pyobj.Versions(), ", "))
	}
	return p, nil
}

// Profiles returns the profiles of a comma-separated list of versions,
// in the order given, each once.
func Profiles(versions string) ([]pyobj.Profile, error) {
	var out []pyobj.Profile
	for _, v := range strings.Split(versions, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		p, err := Profile(v)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(out, func(q pyobj.Profile) bool { return q.Name == p.Name }) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--python %q: name a version (known: %s)", versions, strings.Join(pyobj.Versions(), ", "))
	}
	return out, nil
}

// Policy is how the heap allocates, and the tunables a run changes. The
// zero value is CPython's: pymalloc, 1 MiB arenas, 16 KiB pools, and the
// profile's free-list lengths.
type Policy struct {
	Allocator string // "pymalloc" (also "") or "malloc"
	ArenaSize int64  // pymalloc's ARENA_SIZE; 0: CPython's
	PoolSize  int64  // pymalloc's POOL_SIZE; 0: CPython's
	// FreeLists sets free-list lengths by name (pyobj.FreeListNames); a
	// free list left out keeps the profile's length.
	FreeLists map[string]int
}

// maxArena bounds --arena-size: the model maps whole arenas.
const maxArena = 1 << 30

// maxFreeList bounds a free list's length: far past CPython's (2000 at
// most), short of what would stop being a free list.
const maxFreeList = 1 << 20

// Apply sets cfg and profile for the policy and says, naming the flag,
// which setting is wrong.
func (pol Policy) Apply(cfg *model.Config, profile *pyobj.Profile) error {
	switch pol.Allocator {
	case "", "pymalloc":
		cfg.UsePymalloc = true
	case "malloc":
		cfg.UsePymalloc = false
		if pol.ArenaSize != 0 || pol.PoolSize != 0 {
			return fmt.Errorf("--arena-size and --pool-size shape pymalloc; --allocator malloc does not use it")
		}
	default:
		return fmt.Errorf("--allocator %s: unknown allocator (known: %s)", pol.Allocator, strings.Join(Allocators, ", "))
	}
	pow2 := func(n int64) bool { return n > 0 && n&(n-1) == 0 }
	if pol.ArenaSize != 0 {
		if !pow2(pol.ArenaSize) || pol.ArenaSize > maxArena {
			return fmt.Errorf("--arena-size %d: need a power of two, at most %d (1 GiB)", pol.ArenaSize, int64(maxArena))
		}
		cfg.ArenaSize = pol.ArenaSize
	}
	if pol.PoolSize != 0 {
		if !pow2(pol.PoolSize) || pol.PoolSize < cfg.PageSize || pol.PoolSize < cfg.PoolOverhead+cfg.SmallRequestThreshold {
			return fmt.Errorf("--pool-size %d: need a power of two of at least %d (a page)", pol.PoolSize, max(cfg.PageSize, cfg.PoolOverhead+cfg.SmallRequestThreshold))
		}
		cfg.PoolSize = pol.PoolSize
	}
	if cfg.ArenaSize < 2*cfg.PoolSize {
		if pol.ArenaSize != 0 {
			return fmt.Errorf("--arena-size %d: an arena must hold at least two pools of %d bytes", cfg.ArenaSize, cfg.PoolSize)
		}
		return fmt.Errorf("--pool-size %d: an arena of %d bytes must hold at least two such pools (raise --arena-size)", cfg.PoolSize, cfg.ArenaSize)
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(pol.FreeLists)) {
		n := pol.FreeLists[name]
		field, ok := profile.FreeList(name)
		if !ok {
			return fmt.Errorf("free list %q: unknown (known: %s)", name, strings.Join(pyobj.FreeListNames(), ", "))
		}
		if n < 0 || n > maxFreeList {
			return fmt.Errorf("--%s-free-list %d: need 0 (no free list) to %d", name, n, maxFreeList)
		}
		*field = n
	}
	return nil
}

// AllocatorOf returns the allocator policy a configuration runs.
func AllocatorOf(cfg model.Config) string {
	if cfg.UsePymalloc {
		return "pymalloc"
	}
	return "malloc"
}

// traceParams is what a trace's heaptrace.params holds: the allocator
// policy, every number of the heap's configuration (model.Config's fields,
// at the top level) and the free-list lengths of the profile.
type traceParams struct {
	Allocator string `json:"allocator"`
	model.Config
	FreeLists map[string]int `json:"free_lists"`
}

// Params returns the JSON of heaptrace.params for a run with cfg and
// profile.
func Params(cfg model.Config, profile pyobj.Profile) (string, error) {
	p := traceParams{Allocator: AllocatorOf(cfg), Config: cfg, FreeLists: map[string]int{}}
	for _, name := range pyobj.FreeListNames() {
		n, _ := profile.FreeList(name)
		p.FreeLists[name] = *n
	}
	b, err := json.Marshal(p)
	return string(b), err
}
