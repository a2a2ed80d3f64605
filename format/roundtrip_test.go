package format

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"reflect"
	"testing"

	"github.com/apache/arrow/go/v15/arrow/memory"
)

func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	kinds := allKinds(1)
	more := synthetic(uint64(kinds.Len()+1), 1000, rng)
	last := allKinds(uint64(kinds.Len() + more.Len() + 1))
	batches := []*Batch{kinds, more.slice(0, 1), more.slice(1, 999), more.slice(999, 1000), last}
	// every version this package reads, each with every compression
	for v := OldestVersion; v <= Version; v++ {
		for _, c := range []Compression{None, LZ4, Zstd} {
			t.Run(fmt.Sprintf("v%d/%s", v, c), func(t *testing.T) { roundTrip(t, v, c, batches) })
		}
	}
}

// roundTrip writes batches as a trace of format version v, compressed with c,
// and checks that they read back the same.
func roundTrip(t *testing.T, v int, c Compression, batches []*Batch) {
	wmem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer wmem.AssertSize(t, 0)
	data := writeTrace(t, testHeader(), batches, WithCompression(c), withAllocator(wmem), withVersion(v))

	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r, err := newReader(bytes.NewReader(data), "trace.arrow", mem)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got, want := r.NumBatches(), len(batches); got != want {
		t.Errorf("NumBatches() = %d, want %d", got, want)
	}
	var b Batch
	for i, wb := range batches {
		if err := r.Next(&b); err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
		if d := diffBatches(&b, wb); d != "" {
			t.Errorf("batch %d: %s", i, d)
		}
	}
	if err := r.Next(&b); err != io.EOF {
		t.Errorf("Next after the last batch = %v, want io.EOF", err)
	}
	if r.Truncated() {
		t.Error("Truncated() = true for a complete file")
	}
	// every batch after the first (which brings the
	// dictionaries) of an uncompressed file takes the fast path
	wantFast := 0
	if c == None {
		wantFast = len(batches) - 1
	}
	if r.nFast != wantFast {
		t.Errorf("%d batches decoded by the fast path, want %d", r.nFast, wantFast)
	}
	if got := r.Header().Meta.FormatVersion; got != v {
		t.Errorf("format version %d, want %d", got, v)
	}
}

func TestMetadataRoundTrip(t *testing.T) {
	h := testHeader()
	data := writeTrace(t, h, []*Batch{allKinds(1)})
	r, err := NewReader(bytes.NewReader(data), "trace.arrow")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := h
	want.Meta.FormatVersion = Version
	if got := r.Header(); !reflect.DeepEqual(got, want) {
		t.Errorf("Header() = %+v\nwant %+v", got, want)
	}
}
