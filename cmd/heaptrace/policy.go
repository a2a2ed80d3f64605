package main

import (
	"fmt"
	"strings"

	"github.com/heaptrace/heaptrace/internal/driver"
	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
	"github.com/spf13/cobra"
)

// This file defines record's "what if" flags: the Python version, the
// allocator policy and its tunables, each defaulting to CPython's value.

// addPolicyFlags adds --python, --allocator, --arena-size, --pool-size and
// a --NAME-free-list flag per free list to cmd.
func addPolicyFlags(cmd *cobra.Command, opts *recordOptions) {
	f := cmd.Flags()
	f.StringVar(&opts.python, "python", pyobj.Versions()[0], "the Python version to model: "+strings.Join(pyobj.Versions(), ", "))
	f.StringVar(&opts.allocator, "allocator", "pymalloc", "pymalloc, or malloc for every request (PYTHONMALLOC=malloc)")
	cfg := model.DefaultConfig()
	f.String("arena-size", sizeFlag(cfg.ArenaSize), "pymalloc's arena size (ARENA_SIZE), a power of two")
	f.String("pool-size", sizeFlag(cfg.PoolSize), "pymalloc's pool size (POOL_SIZE), a power of two of at least 4KiB")
	p := pyobj.CPython311()
	help := map[string]string{
		"float":     "floats kept for reuse (PyFloat_MAXFREELIST)",
		"tuple":     "tuples of each size 1..19 kept for reuse (PyTuple_MAXFREELIST)",
		"list":      "list objects kept for reuse (PyList_MAXFREELIST)",
		"dict":      "dict objects kept for reuse (PyDict_MAXFREELIST)",
		"dict-keys": "8-slot str-keyed dict keys tables kept for reuse",
	}
	for _, name := range pyobj.FreeListNames() {
		n, _ := p.FreeList(name)
		f.Int(name+"-free-list", *n, help[name]+"; 0: none")
	}
}

// sizeFlag writes n as a flag's default: "1MiB", "16KiB".
func sizeFlag(n int64) string {
	switch {
	case n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	case n%(1<<10) == 0:
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return fmt.Sprint(n)
}

// policyFlagsChanged copies the tunables given on the command line into
// opts: the others keep the profile's and the model's values.
func policyFlagsChanged(cmd *cobra.Command, opts *recordOptions) {
	f := cmd.Flags()
	if f.Changed("arena-size") {
		opts.arenaSize, _ = f.GetString("arena-size")
	}
	if f.Changed("pool-size") {
		opts.poolSize, _ = f.GetString("pool-size")
	}
	for _, name := range pyobj.FreeListNames() {
		if f.Changed(name + "-free-list") {
			if opts.freeLists == nil {
				opts.freeLists = map[string]int{}
			}
			opts.freeLists[name], _ = f.GetInt(name + "-free-list")
		}
	}
}

// model returns the heap configuration and the profile the flags ask for;
// an error names the flag at fault.
func (o *recordOptions) model() (model.Config, pyobj.Profile, error) {
	cfg := model.DefaultConfig()
	profile, err := driver.Profile(o.python)
	if err != nil {
		return cfg, profile, usageError("%v", err)
	}
	pol := driver.Policy{Allocator: o.allocator, FreeLists: o.freeLists}
	if o.arenaSize != "" {
		if pol.ArenaSize, err = parseSize(o.arenaSize); err != nil || pol.ArenaSize == 0 {
			return cfg, profile, usageError("--arena-size %s: need a size such as 1MiB", o.arenaSize)
		}
	}
	if o.poolSize != "" {
		if pol.PoolSize, err = parseSize(o.poolSize); err != nil || pol.PoolSize == 0 {
			return cfg, profile, usageError("--pool-size %s: need a size such as 16KiB", o.poolSize)
		}
	}
	if err := pol.Apply(&cfg, &profile); err != nil {
		return cfg, profile, usageError("%v", err)
	}
	return cfg, profile, nil
}
