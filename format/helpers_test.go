// This file defines helpers shared by the tests: an in-memory file, a
// header, and generators of events.

package format

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"testing"

	"github.com/apache/arrow/go/v15/arrow/memory"
)

// memFile is an in-memory io.WriteSeeker.
type memFile struct {
	buf []byte
	pos int64
}

func (f *memFile) Write(p []byte) (int, error) {
	if end := f.pos + int64(len(p)); end > int64(len(f.buf)) {
		f.buf = append(f.buf, make([]byte, end-int64(len(f.buf)))...)
	}
	copy(f.buf[f.pos:], p)
	f.pos += int64(len(p))
	return len(p), nil
}

func (f *memFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += f.pos
	case io.SeekEnd:
		offset += int64(len(f.buf))
	}
	if offset < 0 {
		return 0, errors.New("memFile: negative position")
	}
	f.pos = offset
	return offset, nil
}

// testHeader returns a header with a few types and sites.
func testHeader() Header {
	return Header{
		Meta: Meta{
			Profile:     "cpython-3.11",
			Workload:    "words.py",
			ToolVersion: "test",
			Params:      `{"arena_size":262144,"pool_size":16384}`,
			SetupEvents: 7,
		},
		Types: []string{NoType, "int", "str", "list", "list.items", "dict", "dict.keys", "arena", "pool"},
		Sites: []string{UnknownSite, "<module> (words.py:1)", "count_words (words.py:12)", "grow (g.py:3)"},
	}
}

// allKinds returns a batch that uses every op and every layer, starting
// at seq first.
func allKinds(first uint64) *Batch {
	var b Batch
	seq := first
	for op := Op(0); op < NumOps; op++ {
		for l := Layer(0); l < NumLayers; l++ {
			b.Append(seq, op, l, uint16(seq%9), int64(seq)*8-3, int64(seq)*8, 0x7f0000000000+seq*16, uint32(seq%4))
			seq++
		}
	}
	return &b
}

// synthetic returns n events from first on, shaped like a model's: mostly
// object and pymalloc allocations and frees of a few sizes, reusing
// addresses, with calls and returns around them.
func synthetic(first uint64, n int, rng *rand.Rand) *Batch {
	var b Batch
	sizes := []int64{16, 28, 32, 48, 56, 64, 72, 96, 120, 232, 600, 4096}
	live := make([]uint64, 0, 1024)
	seq := first
	for b.Len() < n {
		switch r := rng.Intn(100); {
		case r < 4:
			b.Append(seq, OpCall, LayerInterp, 0, 0, 0, 0, uint32(1+rng.Intn(3)))
		case r < 8:
			b.Append(seq, OpReturn, LayerInterp, 0, 0, 0, 0, 0)
		case r < 55 || len(live) == 0:
			size := sizes[rng.Intn(len(sizes))]
			addr := 0x7f0000000000 + uint64(rng.Intn(1<<16))*16
			live = append(live, addr)
			b.Append(seq, OpAlloc, LayerObject, uint16(1+rng.Intn(8)), size, (size+15)&^15, addr, uint32(rng.Intn(4)))
		default:
			i := rng.Intn(len(live))
			addr := live[i]
			live[i] = live[len(live)-1]
			live = live[:len(live)-1]
			b.Append(seq, OpFree, LayerObject, uint16(1+rng.Intn(8)), 32, 32, addr, uint32(rng.Intn(4)))
		}
		seq++
	}
	return &b
}

// slice returns rows [i, j) of b.
func (b *Batch) slice(i, j int) *Batch {
	return &Batch{b.Seq[i:j], b.Op[i:j], b.Layer[i:j], b.Type[i:j], b.Size[i:j], b.Block[i:j], b.Addr[i:j], b.Site[i:j]}
}

// writeTrace writes the batches as a trace and returns the file's bytes.
func writeTrace(t testing.TB, h Header, batches []*Batch, opts ...WriterOption) []byte {
	t.Helper()
	var f memFile
	w, err := NewWriter(&f, h, opts...)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range batches {
		if err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return f.buf
}

// readAll reads every batch of a trace, merged into one.
func readAll(r *Reader) (*Batch, int, error) {
	var all, b Batch
	n := 0
	for {
		err := r.Next(&b)
		if err == io.EOF {
			return &all, n, nil
		}
		if err != nil {
			return &all, n, err
		}
		n++
		for i := 0; i < b.Len(); i++ {
			all.Append(b.Seq[i], b.Op[i], b.Layer[i], b.Type[i], b.Size[i], b.Block[i], b.Addr[i], b.Site[i])
		}
	}
}

// diffBatches describes the first difference between two batches, or
// returns "".
func diffBatches(got, want *Batch) string {
	if got.Len() != want.Len() {
		return fmt.Sprintf("%d events, want %d", got.Len(), want.Len())
	}
	for i := 0; i < want.Len(); i++ {
		if got.Seq[i] != want.Seq[i] || got.Op[i] != want.Op[i] || got.Layer[i] != want.Layer[i] ||
			got.Type[i] != want.Type[i] || got.Size[i] != want.Size[i] || got.Block[i] != want.Block[i] ||
			got.Addr[i] != want.Addr[i] || got.Site[i] != want.Site[i] {
			return fmt.Sprintf("event %d: got %s, want %s", i, got.row(i), want.row(i))
		}
	}
	return ""
}

// row formats row i of b.
func (b *Batch) row(i int) string {
	return fmt.Sprint(b.Seq[i], b.Op[i], b.Layer[i], b.Type[i], b.Size[i], b.Block[i], b.Addr[i], b.Site[i])
}

// readBytes opens a trace held in memory with a checked allocator and reads
// it all.
func readBytes(t *testing.T, data []byte) (*Reader, *Batch, int, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r, err := newReader(bytes.NewReader(data), "trace.arrow", mem)
	if err != nil {
		return nil, nil, 0, err
	}
	defer r.Close()
	all, n, err := readAll(r)
	return r, all, n, err
}

// workedExample returns the header and events of the trace of a tiny
// program, the one the package documentation walks through:
//
//	1 def grow(xs, n):
//	2     for i in range(n):
//	3         xs.append(i)
//	4     return xs
//	5
//	6 xs = grow([], 5)
//	7 del xs
func workedExample() (Header, *Batch) {
	h := Header{
		Meta:  Meta{Profile: "cpython-3.11", Workload: "g.py", ToolVersion: "test", Params: `{"arena_size":1048576}`},
		Types: []string{NoType, "list", "list.items", "arena"},
		Sites: []string{UnknownSite, "<module> (g.py:6)", "grow (g.py:3)", "grow (g.py:4)", "<module> (g.py:7)"},
	}
	const (
		none, list, items, arena                = 0, 1, 2, 3
		unknown, module6, grow3, grow4, module7 = 0, 1, 2, 3, 4
		base                                    = 0x7f0000000000
	)
	var b Batch
	seq := uint64(0)
	add := func(op Op, l Layer, typ uint16, size, block int64, addr uint64, site uint32) {
		seq++
		b.Append(seq, op, l, typ, size, block, addr, site)
	}
	add(OpAlloc, LayerOS, arena, 1<<20, 1<<20, base, unknown)
	add(OpAlloc, LayerObject, list, 56, 56, base+0x1000, module6)
	add(OpAlloc, LayerPymalloc, list, 56, 64, base+0x1000, module6)
	add(OpCall, LayerInterp, none, 0, 0, 0, module6)
	add(OpAlloc, LayerObject, items, 32, 32, base+0x2000, grow3)
	add(OpAlloc, LayerPymalloc, items, 32, 32, base+0x2000, grow3)
	add(OpReallocFrom, LayerObject, items, 32, 32, base+0x2000, grow3)
	add(OpReallocTo, LayerObject, items, 64, 64, base+0x3000, grow3)
	add(OpReturn, LayerInterp, none, 0, 0, 0, grow4)
	add(OpFree, LayerObject, items, 64, 64, base+0x3000, module7)
	add(OpCache, LayerObject, list, 56, 56, base+0x1000, module7)
	add(OpCollect, LayerInterp, none, 0, 0, 0, module7)
	return h, &b
}
