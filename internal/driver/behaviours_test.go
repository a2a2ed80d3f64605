package driver

import (
	"context"
	"encoding/json"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/heaptrace/heaptrace/internal/cpython"
	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
	"github.com/heaptrace/heaptrace/workload/python"
)

var update = flag.Bool("update", false, "measure testdata/behaviours/*.py again on the installed CPythons and rewrite testdata/behaviours.json")

// behaviours is testdata/behaviours.json: each script of
// testdata/behaviours measured on the real CPython of each profile's
// version by the harness (go test -update measures them again).
type behaviours struct {
	Pythons map[string]string                          `json:"pythons"` // version -> the full version measured
	Scripts map[string]map[string]behaviourMeasurement `json:"scripts"` // script -> version -> figures
}

type behaviourMeasurement struct {
	Current int64                       `json:"current"`
	Peak    int64                       `json:"peak"`
	Blocks  int                         `json:"blocks"`
	ByType  map[string]cpython.TypeSize `json:"by_type"`
}

const behavioursFile = "testdata/behaviours.json"

// knownGaps are the scripts whose tracemalloc figures the model does not
// reproduce exactly yet, and why; they are held within 20%, and their
// objects by type exactly.
var knownGaps = map[string]string{
	"classes.py":    "the transient blocks of type_new and the class body's frame while a class is made (peak only)",
	"exceptions.py": "the traceback and frame objects of a propagating exception (peak), and 3.11's lazily normalised exceptions (one args tuple more on the free list)",
}

// TestBehaviours runs each script of testdata/behaviours, one per
// behaviour that differs between versions, on the model with every
// profile, and holds it to what CPython measured: tracemalloc's current
// and peak, the live blocks and the objects reachable from the globals by
// type, all exactly. It needs no CPython: the measurements are committed.
func TestBehaviours(t *testing.T) {
	scripts, err := filepath.Glob("testdata/behaviours/*.py")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	if *update {
		measureBehaviours(t, scripts)
	}
	data, err := os.ReadFile(behavioursFile)
	if err != nil {
		t.Fatal(err)
	}
	var want behaviours
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	for _, p := range pyobj.Profiles() {
		t.Run(p.Version, func(t *testing.T) {
			for _, path := range scripts {
				name := filepath.Base(path)
				w, ok := want.Scripts[name][p.Version]
				if !ok {
					t.Errorf("%s: no CPython %s measurement (go test -update with CPython %s installed)", name, p.Version, p.Version)
					continue
				}
				src, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				prog, err := python.Parse(name, src)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				m, err := Measure(prog, python.Options{}, p, model.Config{})
				if err != nil || m.RunErr != nil {
					t.Fatalf("%s: %v %v", name, err, m.RunErr)
				}
				exact := m.Current == w.Current && m.Peak == w.Peak && m.Blocks == w.Blocks
				if why, ok := knownGaps[name]; ok {
					if !within(m.Current, w.Current, 20) || !within(m.Peak, w.Peak, 20) {
						t.Errorf("%s: model current %d, peak %d; CPython %s %d, %d: more than 20%% apart (known gap: %s)",
							name, m.Current, m.Peak, want.Pythons[p.Version], w.Current, w.Peak, why)
					} else if !exact {
						t.Logf("%s: model current %d, peak %d; CPython %d, %d (known gap: %s)", name, m.Current, m.Peak, w.Current, w.Peak, why)
					}
				} else if !exact {
					t.Errorf("%s: model current %d, peak %d, blocks %d; CPython %s %d, %d, %d",
						name, m.Current, m.Peak, m.Blocks, want.Pythons[p.Version], w.Current, w.Peak, w.Blocks)
				}
				for _, typ := range slices.Sorted(maps.Keys(union(m.ByType, w.ByType))) {
					got, exp := m.ByType[typ], w.ByType[typ]
					if got.Count != exp.Count || got.Bytes != exp.Bytes {
						t.Errorf("%s: %s: model %d objects, %d bytes; CPython %d, %d", name, typ, got.Count, got.Bytes, exp.Count, exp.Bytes)
					}
				}
			}
		})
	}
}

func union(a map[string]python.TypeSize, b map[string]cpython.TypeSize) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// measureBehaviours measures every script on every installed version and
// rewrites behaviours.json; a version not installed keeps its figures.
func measureBehaviours(t *testing.T, scripts []string) {
	var all behaviours
	if data, err := os.ReadFile(behavioursFile); err == nil {
		if err := json.Unmarshal(data, &all); err != nil {
			t.Fatal(err)
		}
	}
	if all.Pythons == nil {
		all.Pythons = map[string]string{}
	}
	all.Scripts = keep(all.Scripts, scripts)
	for _, p := range pyobj.Profiles() {
		ip, err := cpython.Find(p.Version)
		if err != nil {
			t.Logf("-update: %v: keeping the %s figures", err, p.Version)
			continue
		}
		all.Pythons[p.Version] = ip.Version
		for _, path := range scripts {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			m, err := ip.Measure(ctx, path)
			cancel()
			if err != nil {
				t.Fatalf("%s on %s: %v", path, ip.Version, err)
			}
			if m.Error != nil {
				t.Fatalf("%s on %s raised %v", path, ip.Version, m.Error)
			}
			name := filepath.Base(path)
			if all.Scripts[name] == nil {
				all.Scripts[name] = map[string]behaviourMeasurement{}
			}
			all.Scripts[name][p.Version] = behaviourMeasurement{m.Current, m.Peak, m.Blocks, m.ByType}
		}
	}
	data, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(behavioursFile, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// keep drops the figures of scripts that are gone.
func keep(m map[string]map[string]behaviourMeasurement, scripts []string) map[string]map[string]behaviourMeasurement {
	out := map[string]map[string]behaviourMeasurement{}
	for _, path := range scripts {
		if v, ok := m[filepath.Base(path)]; ok {
			out[filepath.Base(path)] = v
		}
	}
	return out
}

// within reports whether got is within pct percent of want.
func within(got, want int64, pct float64) bool {
	d := float64(got - want)
	if d < 0 {
		d = -d
	}
	return d <= float64(want)*pct/100
}
