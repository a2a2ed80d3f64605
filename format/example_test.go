package format_test

import (
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/heaptrace/heaptrace/format"
)

// writeGrow writes the trace of this program to path:
//
//	1 def grow(xs, n):
//	2     for i in range(n):
//	3         xs.append(i)
//	4     return xs
//	5
//	6 xs = grow([], 5)
//	7 del xs
func writeGrow(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := format.Header{
		Meta:  format.Meta{Profile: "cpython-3.11", Workload: "g.py", ToolVersion: "example"},
		Types: []string{format.NoType, "list", "list.items"},
		Sites: []string{format.UnknownSite, "<module> (g.py:6)", "grow (g.py:3)", "grow (g.py:4)", "<module> (g.py:7)"},
	}
	w, err := format.NewWriter(f, h, format.WithCompression(format.Zstd))
	if err != nil {
		return err
	}
	const (
		list, items                    = 1, 2
		module6, grow3, grow4, module7 = 1, 2, 3, 4
	)
	var b format.Batch
	b.Append(1, format.OpAlloc, format.LayerObject, list, 56, 56, 0x7f0000001000, module6)
	b.Append(2, format.OpCall, format.LayerInterp, 0, 0, 0, 0, module6)
	b.Append(3, format.OpAlloc, format.LayerObject, items, 32, 32, 0x7f0000002000, grow3)
	b.Append(4, format.OpReallocFrom, format.LayerObject, items, 32, 32, 0x7f0000002000, grow3)
	b.Append(5, format.OpReallocTo, format.LayerObject, items, 64, 64, 0x7f0000003000, grow3)
	b.Append(6, format.OpReturn, format.LayerInterp, 0, 0, 0, 0, grow4)
	if err := w.Write(&b); err != nil {
		return err
	}
	b.Reset()
	b.Append(7, format.OpFree, format.LayerObject, items, 64, 64, 0x7f0000003000, module7)
	b.Append(8, format.OpCache, format.LayerObject, list, 56, 56, 0x7f0000001000, module7)
	if err := w.Write(&b); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return f.Close()
}

// This example writes a trace in two batches and prints it.
func ExampleWriter() {
	path := filepath.Join(os.TempDir(), "heaptrace-example-writer.arrow")
	defer os.Remove(path)
	if err := writeGrow(path); err != nil {
		log.Fatal(err)
	}
	r, err := format.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	if err := format.Dump(os.Stdout, r); err != nil {
		log.Fatal(err)
	}
	// Output:
	// heaptrace trace, format version 2
	// profile:      cpython-3.11
	// workload:     g.py
	// tool_version: example
	// params:       {}
	// setup_events: 0
	// types:        3
	// sites:        5
	// batches:      2
	// #1 object alloc list size=56 block=56 addr=0x7f0000001000 site=<module> (g.py:6)
	// #2 interp call none size=0 block=0 addr=0x0 site=<module> (g.py:6)
	// #3 object alloc list.items size=32 block=32 addr=0x7f0000002000 site=grow (g.py:3)
	// #4 object realloc_from list.items size=32 block=32 addr=0x7f0000002000 site=grow (g.py:3)
	// #5 object realloc_to list.items size=64 block=64 addr=0x7f0000003000 site=grow (g.py:3)
	// #6 interp return none size=0 block=0 addr=0x0 site=grow (g.py:4)
	// #7 object free list.items size=64 block=64 addr=0x7f0000003000 site=<module> (g.py:7)
	// #8 object cache list size=56 block=56 addr=0x7f0000001000 site=<module> (g.py:7)
	// events:       8
}

// This example reads a trace batch by batch and computes what tracemalloc
// reports, its current and peak traced memory: a running sum over the
// object layer, where alloc and realloc_to add their size and free and
// realloc_from subtract it. It also replays calls and returns to find the
// call stack of the peak's event.
func ExampleReader() {
	path := filepath.Join(os.TempDir(), "heaptrace-example-reader.arrow")
	defer os.Remove(path)
	if err := writeGrow(path); err != nil {
		log.Fatal(err)
	}
	r, err := format.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	sites := r.Header().Sites

	var (
		b             format.Batch
		current, peak int64
		stack         []string // call sites, outermost first
		peakStack     []string // the peak's site and its callers, innermost first
	)
	for {
		err := r.Next(&b)
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		for i := 0; i < b.Len(); i++ {
			switch b.Op[i] {
			case format.OpCall:
				stack = append(stack, sites[b.Site[i]])
				continue
			case format.OpReturn:
				stack = stack[:len(stack)-1]
				continue
			}
			if b.Layer[i] != format.LayerObject {
				continue
			}
			switch b.Op[i] {
			case format.OpAlloc, format.OpReallocTo:
				current += b.Size[i]
			case format.OpFree, format.OpReallocFrom:
				current -= b.Size[i]
			}
			if current > peak {
				peak = current
				peakStack = append(peakStack[:0], sites[b.Site[i]])
				for j := len(stack) - 1; j >= 0; j-- {
					peakStack = append(peakStack, stack[j])
				}
			}
		}
	}
	fmt.Printf("current %d bytes, peak %d bytes\n", current, peak)
	fmt.Printf("peak reached at %q\n", peakStack)
	// Output:
	// current 56 bytes, peak 120 bytes
	// peak reached at ["grow (g.py:3)" "<module> (g.py:6)"]
}
