package synthetic

import (
	"fmt"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
)

// This file defines the workloads. Each run function mirrors, allocation
// for allocation, the Python in its description.

func init() {
	register(&Workload{
		Name: "list-growth",
		Description: "a list that grows by append, then is dropped: " +
			"L = []; for i in range(n): L.append(i * 0.5); del L",
		DefaultScale: 20000,
		sites:        []string{"<module>", "append", "drop"},
		run:          listGrowth,
	})
	register(&Workload{
		Name: "dict-churn",
		Description: "a dict of str keys with a window of live keys: insert the new key, delete the oldest; " +
			"deletions never shrink a dict, so it resizes by live count: " +
			"d = {}; for i in range(n): d['key%d' % i] = i; if i >= w: del d['key%d' % (i - w)]",
		DefaultScale: 20000,
		sites:        []string{"<module>", "insert", "delete"},
		run:          dictChurn,
	})
	register(&Workload{
		Name: "leaky-cache",
		Description: "a memoising cache that is never evicted: each call stores a fresh tuple result " +
			"under a new str key, and makes temporary lists that die: the cache is still live at the end",
		DefaultScale: 5000,
		sites:        []string{"<module>", "compute", "cache_store"},
		run:          leakyCache,
	})
	register(&Workload{
		Name: "fragmentation",
		Description: "many small tuples, then every other one freed: half-empty pools pin their arenas, " +
			"so the OS layer does not shrink though half the objects are gone",
		DefaultScale: 100000,
		sites:        []string{"<module>", "build", "thin_out", "rebuild"},
		run:          fragmentation,
	})
	register(&Workload{
		Name: "steady",
		Description: "a service's steady state: a fixed working set of 10,000 records (a str, a tuple, a list) " +
			"of which one is replaced per step, forever: the trace grows with the steps, the live heap does not",
		DefaultScale: 100000,
		sites:        []string{"<module>", "make_record", "drop_record"},
		run:          steady,
	})
	register(&Workload{
		Name: "big-strings",
		Description: "strings over 512 bytes go to malloc, not pymalloc: a list of 4 KiB strings " +
			"built and dropped twice, showing the malloc heap grow, trim and the mmap threshold",
		DefaultScale: 200,
		sites:        []string{"<module>", "build", "drop"},
		run:          bigStrings,
	})
}

func listGrowth(e *env, n int) error {
	o := e.o
	e.at("<module>")
	l, err := o.Lists.New(0)
	if err != nil {
		return err
	}
	var items []model.Addr
	e.at("append")
	for i := 0; i < n; i++ {
		f, err := o.Floats.New()
		if err != nil {
			return err
		}
		items = append(items, f)
		if err := o.Lists.Resize(l, l.Len+1); err != nil {
			return err
		}
	}
	e.at("drop")
	o.Lists.Free(l)
	for _, f := range items {
		o.Floats.Free(f)
	}
	return nil
}

// strKey allocates the str 'key%d' % i.
func strKey(o *pyobj.Objects, prefix string, i int) (model.Addr, error) {
	return o.Strs.New(pyobj.StrASCII, len(fmt.Sprintf("%s%d", prefix, i)))
}

// newInt allocates i as an int made by arithmetic (nothing for small ints).
func newInt(o *pyobj.Objects, i int) (model.Addr, error) {
	if i >= -5 && i <= 256 {
		return 0, nil
	}
	return o.Ints.New(1, pyobj.IntFromLong)
}

func freeInt(o *pyobj.Objects, a model.Addr) {
	if a != 0 {
		o.Ints.Free(a)
	}
}

func dictChurn(e *env, n int) error {
	o := e.o
	window := max(n/20, 1)
	e.at("<module>")
	d, err := o.Dicts.New()
	if err != nil {
		return err
	}
	type entry struct{ key, val model.Addr }
	var live []entry
	for i := 0; i < n; i++ {
		e.at("insert")
		k, err := strKey(o, "key", i)
		if err != nil {
			return err
		}
		v, err := newInt(o, i)
		if err != nil {
			return err
		}
		if err := o.Dicts.Insert(d, true); err != nil {
			return err
		}
		live = append(live, entry{k, v})
		if i >= window {
			e.at("delete")
			old := live[0]
			live = live[1:]
			o.Dicts.Delete(d)
			o.Strs.Free(old.key)
			freeInt(o, old.val)
		}
	}
	return nil
}

func leakyCache(e *env, n int) error {
	o := e.o
	e.at("<module>")
	cache, err := o.Dicts.New()
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		e.at("compute")
		// scratch = [x * x for x in range(8)]: a list that dies
		scratch, err := o.Lists.New(0)
		if err != nil {
			return err
		}
		for j := 0; j < 8; j++ {
			if err := o.Lists.Resize(scratch, scratch.Len+1); err != nil {
				return err
			}
		}
		// result = (i, str(i), total): a 3-tuple that the cache keeps
		if _, err := o.Tuples.New(3); err != nil {
			return err
		}
		if _, err := newInt(o, i); err != nil {
			return err
		}
		if _, err := o.Strs.New(pyobj.StrASCII, len(fmt.Sprint(i))+1); err != nil {
			return err
		}
		o.Lists.Free(scratch)
		e.at("cache_store")
		if _, err := strKey(o, "request-", i); err != nil {
			return err
		}
		if err := o.Dicts.Insert(cache, true); err != nil {
			return err
		}
	}
	return nil
}

func fragmentation(e *env, n int) error {
	o := e.o
	e.at("build")
	tuples := make([]model.Addr, n)
	for i := range tuples {
		// 21-tuples: too long for the tuple free list, so frees reach pymalloc
		t, err := o.Tuples.New(21)
		if err != nil {
			return err
		}
		tuples[i] = t
	}
	e.at("thin_out")
	for i := 0; i < n; i += 2 {
		o.Tuples.Free(tuples[i], 21)
		tuples[i] = 0
	}
	e.at("rebuild")
	// objects of another size class cannot use the holes
	for i := 0; i < n/2; i++ {
		if _, err := o.Floats.New(); err != nil {
			return err
		}
	}
	return nil
}

func bigStrings(e *env, n int) error {
	o := e.o
	for round := 0; round < 2; round++ {
		e.at("build")
		l, err := o.Lists.New(0)
		if err != nil {
			return err
		}
		strs := make([]model.Addr, 0, n)
		for i := 0; i < n; i++ {
			s, err := o.Strs.New(pyobj.StrASCII, 4096)
			if err != nil {
				return err
			}
			strs = append(strs, s)
			if err := o.Lists.Resize(l, l.Len+1); err != nil {
				return err
			}
		}
		e.at("drop")
		o.Lists.Free(l)
		for _, s := range strs {
			o.Strs.Free(s)
		}
	}
	return nil
}

// steady replaces one record of a fixed working set per step.
func steady(e *env, n int) error {
	o := e.o
	const working = 10000
	type record struct {
		key, tup model.Addr
		list     *pyobj.List
	}
	set := make([]record, working)
	make1 := func(i int) (record, error) {
		e.at("make_record")
		k, err := strKey(o, "record-", i)
		if err != nil {
			return record{}, err
		}
		t, err := o.Tuples.New(3)
		if err != nil {
			return record{}, err
		}
		l, err := o.Lists.New(0)
		if err != nil {
			return record{}, err
		}
		for j := 0; j < i%7; j++ {
			if err := o.Lists.Resize(l, l.Len+1); err != nil {
				return record{}, err
			}
		}
		return record{k, t, l}, nil
	}
	for i := range set {
		r, err := make1(i)
		if err != nil {
			return err
		}
		set[i] = r
	}
	for step := 0; step < n; step++ {
		i := step % working
		e.at("drop_record")
		old := set[i]
		o.Lists.Free(old.list)
		o.Tuples.Free(old.tup, 3)
		o.Strs.Free(old.key)
		r, err := make1(working + step)
		if err != nil {
			return err
		}
		set[i] = r
	}
	return nil
}
