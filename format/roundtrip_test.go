package format

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"reflect"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
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
func roundTrip(t *testing.T, v int, c Compression, batches []*Batch, opts ...WriterOption) []byte {
	data := writeTrace(t, testHeader(), batches, append([]WriterOption{WithCompression(c), withVersion(v)}, opts...)...)

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
	// dictionaries) takes the fast path
	wantFast := len(batches) - 1
	if r.nFast != wantFast {
		t.Errorf("%d batches decoded by the fast path, want %d", r.nFast, wantFast)
	}
	if got := r.Header().Meta.FormatVersion; got != v {
		t.Errorf("format version %d, want %d", got, v)
	}
	return data
}

// TestLevels writes the same batches with each codec at each level: every
// file reads back the same, and the best level's is the smallest.
func TestLevels(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	kinds := allKinds(1)
	batches := []*Batch{kinds, synthetic(uint64(kinds.Len()+1), 20000, rng)}
	for _, c := range []Compression{LZ4, Zstd} {
		size := map[Level]int{}
		for _, l := range []Level{LevelFastest, LevelDefault, LevelBetter, LevelBest} {
			t.Run(fmt.Sprintf("%s/%s", c, l), func(t *testing.T) {
				size[l] = len(roundTrip(t, Version, c, batches, WithLevel(l)))
			})
		}
		if size[LevelBest] >= size[LevelDefault] {
			t.Errorf("%s: the best level's file takes %d bytes, the default's %d", c, size[LevelBest], size[LevelDefault])
		}
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

// TestArrowReadsTrace reads traces with Arrow Go's own file reader, which
// walks the footer (heaptrace's reader streams the messages instead): every
// batch it finds through the footer holds the rows written, the schema
// carries the metadata, and the dictionaries are the tables.
func TestArrowReadsTrace(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	batches := []*Batch{allKinds(1)}
	batches = append(batches, synthetic(uint64(batches[0].Len()+1), 3000, rng))
	h := testHeader()
	type file struct {
		v     int
		c     Compression
		level Level
	}
	var files []file
	for v := OldestVersion; v <= Version; v++ {
		for _, c := range []Compression{None, LZ4, Zstd} {
			files = append(files, file{v, c, LevelDefault})
		}
	}
	// the high-compression modes' frames, which Arrow decodes as any other
	files = append(files, file{Version, LZ4, LevelBest}, file{Version, Zstd, LevelBest})
	for _, f := range files {
		v, c := f.v, f.c
		t.Run(fmt.Sprintf("v%d/%s/%s", v, c, f.level), func(t *testing.T) {
			data := writeTrace(t, h, batches, WithCompression(c), WithLevel(f.level), withVersion(v))
			// no checked allocator: Arrow v15's file reader never
			// frees the dictionary messages, of any file
			r, err := ipc.NewFileReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if got, want := r.NumRecords(), len(batches); got != want {
				t.Fatalf("footer lists %d batches, want %d", got, want)
			}
			if got, _ := r.Schema().Metadata().GetValue(KeyFormatVersion); got != fmt.Sprint(v) {
				t.Errorf("format version %q, want %d", got, v)
			}
			for i, want := range batches {
				rec, err := r.RecordAt(i)
				if err != nil {
					t.Fatalf("batch %d: %v", i, err)
				}
				defer rec.Release()
				if got := int(rec.NumRows()); got != want.Len() {
					t.Fatalf("batch %d: %d rows, want %d", i, got, want.Len())
				}
				col := func(name string) arrow.Array { return rec.Column(rec.Schema().FieldIndices(name)[0]) }
				addr := col("addr").(*array.Uint64).Uint64Values()
				size := col("size").(*array.Int64).Int64Values()
				sites := col("site").(*array.Dictionary)
				siteNames := sites.Dictionary().(*array.String)
				ops := col("op").(*array.Dictionary)
				for j := range want.Len() {
					if addr[j] != want.Addr[j] || size[j] != want.Size[j] {
						t.Fatalf("batch %d row %d: addr %#x size %d, want %#x %d", i, j, addr[j], size[j], want.Addr[j], want.Size[j])
					}
					if got := siteNames.Value(sites.GetValueIndex(j)); got != h.Sites[want.Site[j]] {
						t.Fatalf("batch %d row %d: site %q, want %q", i, j, got, h.Sites[want.Site[j]])
					}
					if got := ops.Dictionary().(*array.String).Value(ops.GetValueIndex(j)); got != want.Op[j].String() {
						t.Fatalf("batch %d row %d: op %q, want %q", i, j, got, want.Op[j])
					}
				}
				if v == 1 {
					seq := col("seq").(*array.Uint64).Uint64Values()
					if seq[0] != want.Seq[0] || seq[len(seq)-1] != want.Seq[want.Len()-1] {
						t.Errorf("batch %d: seq %d..%d, want %d..%d", i, seq[0], seq[len(seq)-1], want.Seq[0], want.Seq[want.Len()-1])
					}
				}
			}
		})
	}
}

// TestNextAllocatesNothing checks that reading a batch, once the first has
// been read, allocates nothing, uncompressed or zstd (the default): an
// analysis of a long trace makes no garbage per batch, so its memory does
// not drift up with the trace's length as the collector lets garbage pile
// up. (LZ4 is left out: pierrec/lz4's frame reader allocates about 20 small
// objects per frame.)
func TestNextAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	rng := rand.New(rand.NewSource(5))
	const n, batches = 512, 200
	all := synthetic(1, n*batches, rng)
	bs := make([]*Batch, batches)
	for i := range bs {
		bs[i] = all.slice(i*n, (i+1)*n)
	}
	for _, c := range []Compression{None, Zstd} {
		t.Run(c.String(), func(t *testing.T) {
			data := writeTrace(t, testHeader(), bs, WithCompression(c))
			r, err := NewReader(bytes.NewReader(data), "trace.arrow")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var b Batch
			for range 3 { // the first batch (Arrow's) and the fast path's first use
				if err := r.Next(&b); err != nil {
					t.Fatal(err)
				}
			}
			allocs := testing.AllocsPerRun(batches-10, func() {
				if err := r.Next(&b); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("%.1f allocations per batch, want 0", allocs)
			}
		})
	}
}
