package format

import (
	"bytes"
	"math/rand"
	"runtime"
	"testing"
	"time"
)

// goroutinesBack waits a moment for the goroutine count to come back to
// want, and reports whether it did.
func goroutinesBack(want int) bool {
	for i := 0; i < 100; i++ {
		if runtime.NumGoroutine() <= want {
			return true
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

// A compressed trace is decoded a column per goroutine, and reads the same
// as one read with a single goroutine; the helpers end with Close, or
// with the Reader when it is dropped without Close.
func TestDecodeHelpers(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	all := synthetic(1, 6000, rng)
	bs := []*Batch{all.slice(0, 2000), all.slice(2000, 4000), all.slice(4000, 6000)}
	for _, c := range []Compression{LZ4, Zstd} {
		t.Run(c.String(), func(t *testing.T) {
			data := writeTrace(t, testHeader(), bs, WithCompression(c))
			before := runtime.NumGoroutine()
			read := func(procs int, close bool) *Batch {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				r, err := NewReader(bytes.NewReader(data), "trace.arrow")
				if err != nil {
					t.Fatal(err)
				}
				got, _, err := readAll(r)
				if err != nil {
					t.Fatal(err)
				}
				if want := min(procs-1, maxDecodeHelpers); r.pool == nil || cap(r.pool.wake) != want {
					t.Errorf("GOMAXPROCS %d: pool %v, want %d helpers", procs, r.pool, want)
				}
				if close {
					r.Close()
				}
				return got
			}
			one := read(1, true)
			if d := diffBatches(one, all); d != "" {
				t.Fatalf("one goroutine: %s", d)
			}
			for _, procs := range []int{2, 4} {
				if d := diffBatches(read(procs, true), one); d != "" {
					t.Errorf("GOMAXPROCS %d, against one goroutine: %s", procs, d)
				}
			}
			if !goroutinesBack(before) {
				t.Errorf("%d goroutines after Close, %d before", runtime.NumGoroutine(), before)
			}
			read(4, false)
			if !goroutinesBack(before) {
				t.Errorf("%d goroutines after a Reader was dropped, %d before", runtime.NumGoroutine(), before)
			}
		})
	}
}
