package format

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// arrowFile writes an Arrow IPC file of the given schema holding one record
// of n rows whose columns are built by the given functions.
func arrowFile(t testing.TB, schema *arrow.Schema, rows int) []byte {
	t.Helper()
	var f memFile
	w, err := ipc.NewFileWriter(&f, ipc.WithSchema(schema))
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
	defer b.Release()
	for i := range schema.Fields() {
		fb := b.Field(i)
		for j := 0; j < rows; j++ {
			switch fb := fb.(type) {
			case *array.Int32Builder:
				fb.Append(int32(j))
			case *array.Uint64Builder:
				fb.Append(uint64(j + 1))
			case *array.Int64Builder:
				fb.Append(int64(j))
			case *array.BinaryDictionaryBuilder:
				fb.AppendString("alloc")
			default:
				t.Fatalf("arrowFile: no values for %T", fb)
			}
		}
	}
	rec := b.NewRecord()
	defer rec.Release()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return f.buf
}

// traceSchema returns the schema of a trace with the given metadata, its
// field named drop left out and the field named retype made int32.
func traceSchema(md map[string]string, drop, retype string) *arrow.Schema {
	var fields []arrow.Field
	for _, f := range columns {
		switch f.Name {
		case drop:
			continue
		case retype:
			f.Type = arrow.PrimitiveTypes.Int32
		}
		fields = append(fields, f)
	}
	m := arrow.MetadataFrom(md)
	return arrow.NewSchema(fields, &m)
}

// rawWriter returns a writer whose batches skip the writer's checks, to
// make traces that break the format's rules.
// version 0 is Version.
func rawWriter(t *testing.T, f *memFile, version int) *Writer {
	t.Helper()
	if version == 0 {
		version = Version
	}
	w, err := NewWriter(f, testHeader(), withVersion(version))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func writeRaw(t *testing.T, w *Writer, b *Batch) {
	t.Helper()
	if err := w.write(b); err != nil {
		t.Fatal(err)
	}
}

func TestOpenErrors(t *testing.T) {
	v1 := map[string]string{KeyFormatVersion: "1"}
	v2 := map[string]string{KeyFormatVersion: "2"}
	trace := writeTrace(t, testHeader(), []*Batch{allKinds(1)})
	rng := rand.New(rand.NewSource(1))
	random := make([]byte, 4096)
	rng.Read(random)

	tests := []struct {
		name string
		data []byte
		kind error
		msg  string // a part of the error's message
	}{
		{"empty", nil, ErrNotArrow, "format: open trace.arrow: not an Arrow IPC file (0 bytes)"},
		{"short", []byte("ARROW"), ErrNotArrow, "not an Arrow IPC file (5 bytes)"},
		{"random", random, ErrNotArrow, "not an Arrow IPC file (starts with"},
		{"zip", append([]byte("PK\x03\x04"), random...), ErrNotArrow, "starts with 504b0304"},
		{"magic only", []byte("ARROW1\x00\x00"), ErrCorrupt, "ends inside its schema"},
		{"magic and garbage", append([]byte("ARROW1\x00\x00\xff\xff\xff\xff"), random...), ErrCorrupt, "trace.arrow"},
		{"other schema", arrowFile(t, arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.PrimitiveTypes.Int32}}, nil), 3),
			ErrNotTrace, "not a heaptrace trace: no heaptrace.format_version metadata"},
		{"version 3", arrowFile(t, traceSchema(map[string]string{KeyFormatVersion: "3"}, "", ""), 2),
			ErrVersion, "format version 3, this heaptrace reads versions 1 to 2"},
		{"version 0", arrowFile(t, traceSchema(map[string]string{KeyFormatVersion: "0"}, "", ""), 2),
			ErrVersion, "format version 0, this heaptrace reads versions 1 to 2"},
		{"columns without metadata", arrowFile(t, traceSchema(nil, "", ""), 2), ErrNotTrace, "no heaptrace.format_version metadata"},
		{"version text", arrowFile(t, traceSchema(map[string]string{KeyFormatVersion: "one"}, "", ""), 2),
			ErrVersion, `format version "one"`},
		{"missing column", arrowFile(t, traceSchema(v2, "addr", ""), 2), ErrNotTrace, "not a heaptrace trace: no column addr"},
		{"retyped column", arrowFile(t, traceSchema(v2, "", "size"), 2), ErrNotTrace, "column size is int32, want int64"},
		{"version 1 without seq", arrowFile(t, traceSchema(v1, "", ""), 2), ErrNotTrace, "not a heaptrace trace: no column seq"},
		{"footer only", trace[len(trace)-100:], ErrNotArrow, "not an Arrow IPC file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			r, err := newReader(bytes.NewReader(tt.data), "trace.arrow", mem)
			if err == nil {
				r.Close()
				t.Fatalf("opened; want an error like %q", tt.msg)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("error %q is not %v", err, tt.kind)
			}
			if !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), "format: open trace.arrow: ") {
				t.Errorf("error %q, want it to contain %q and the file's name", err, tt.msg)
			}
		})
	}
}

func TestOpenMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace.arrow")
	_, err := Open(path)
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Open(missing) = %v, want os.ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file", err)
	}
}

func TestOpenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace.arrow")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWriter(f, testHeader(), WithCompression(Zstd))
	if err != nil {
		t.Fatal(err)
	}
	want := allKinds(1)
	if err := w.Write(want); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := readAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffBatches(got, want); d != "" {
		t.Error(d)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestCorruptBatches reads traces whose batches break the format's rules.
func TestCorruptBatches(t *testing.T) {
	tests := []struct {
		name    string
		version int // the file's format version; 0 is Version
		write   func(t *testing.T, w *Writer)
		batch   int    // the batch named in the error
		msg     string // a part of the error's message
	}{
		// version 1 files store seq, which must count the rows
		{"first seq not 1", 1, func(t *testing.T, w *Writer) { writeRaw(t, w, allKinds(2)) },
			0, "row 0: seq 2, want 1"},
		{"gap in a batch", 1, func(t *testing.T, w *Writer) {
			b := allKinds(1)
			for i := 10; i < b.Len(); i++ {
				b.Seq[i]++
			}
			writeRaw(t, w, b)
		}, 0, "row 10: seq 12, want 11"},
		{"gap between batches", 1, func(t *testing.T, w *Writer) {
			writeRaw(t, w, allKinds(1))
			writeRaw(t, w, allKinds(47))
		}, 1, "row 0: seq 47, want 46"},
		{"type out of range", 0, func(t *testing.T, w *Writer) {
			b := allKinds(1)
			b.Type[3] = 9
			writeRaw(t, w, b)
		}, 0, "row 3: type index 9 outside the type table (9 names)"},
		{"negative site", 0, func(t *testing.T, w *Writer) {
			b := allKinds(1)
			b.Site[5] = 1 << 31
			writeRaw(t, w, b)
		}, 0, "row 5: site index -2147483648 outside the site table"},
		{"op out of range", 0, func(t *testing.T, w *Writer) {
			b := allKinds(1)
			b.Op[0] = NumOps
			writeRaw(t, w, b)
		}, 0, "row 0: op index 9 outside the op dictionary (9 names)"},
		{"unknown op name", 0, func(t *testing.T, w *Writer) {
			names := OpNames()
			names[4] = "explode"
			w.dicts[colOp] = names
			writeRaw(t, w, allKinds(1))
		}, 0, `op name "explode" is not one of`},
		{"unknown layer name", 0, func(t *testing.T, w *Writer) {
			w.dicts[colLayer] = []string{"object", "heap"}
			writeRaw(t, w, allKinds(1))
		}, 0, `layer name "heap" is not one of`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f memFile
			w := rawWriter(t, &f, tt.version)
			tt.write(t, w)
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			_, _, n, err := readBytes(t, f.buf)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("read error %v, want ErrCorrupt", err)
			}
			want := "format: read trace.arrow: batch " + string(rune('0'+tt.batch)) + ": " + tt.msg
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q\nwant it to contain %q", err, want)
			}
			if n != tt.batch {
				t.Errorf("read %d batches before the error, want %d", n, tt.batch)
			}
		})
	}
}

// TestOpDictionaryOrder checks that ops and layers are read by name: a file
// may order its dictionaries as it likes.
func TestOpDictionaryOrder(t *testing.T) {
	var f memFile
	w := rawWriter(t, &f, 0)
	ops, layers := OpNames(), LayerNames()
	reverse := func(s []string) {
		for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
			s[i], s[j] = s[j], s[i]
		}
	}
	reverse(ops)
	reverse(layers)
	w.dicts[colOp] = ops
	w.dicts[colLayer] = layers
	b := allKinds(1)
	writeRaw(t, w, b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, got, _, err := readBytes(t, f.buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range b.Op {
		b.Op[i] = NumOps - 1 - b.Op[i]
		b.Layer[i] = NumLayers - 1 - b.Layer[i]
	}
	if d := diffBatches(got, b); d != "" {
		t.Error(d)
	}
}

func TestEmptyTrace(t *testing.T) {
	data := writeTrace(t, testHeader(), nil)
	r, got, n, err := readBytes(t, data)
	if err != nil {
		t.Fatal(err)
	}
	if got.Len() != 0 || n != 1 || r.NumBatches() != 1 || r.Truncated() {
		t.Errorf("empty trace: %d events in %d batches, NumBatches %d, Truncated %v; want 0 in 1, 1, false",
			got.Len(), n, r.NumBatches(), r.Truncated())
	}
	if h := r.Header(); len(h.Types) != len(testHeader().Types) || len(h.Sites) != len(testHeader().Sites) {
		t.Errorf("empty trace: %d types, %d sites; want %d, %d", len(h.Types), len(h.Sites), len(testHeader().Types), len(testHeader().Sites))
	}
}

// cutTrace writes a trace and returns its bytes and the offset at which
// each batch ends.
func cutTrace(t *testing.T, c Compression) (data []byte, ends []int64, want []*Batch) {
	t.Helper()
	var f memFile
	w, err := NewWriter(&f, testHeader(), WithCompression(c))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(2))
	seq := uint64(1)
	for _, n := range []int{45, 1, 300, 7} {
		b := synthetic(seq, n, rng)
		if err := w.Write(b); err != nil {
			t.Fatal(err)
		}
		seq += uint64(n)
		ends = append(ends, f.pos)
		want = append(want, b)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return f.buf, ends, want
}

// cutOffsets returns where TestCutShort cuts a file of size bytes whose
// batches end at ends: every offset near the end of a batch or in the
// footer, and every third one elsewhere.
func cutOffsets(size int, ends []int64) []int {
	near := func(cut int) bool {
		for _, end := range ends {
			if d := cut - int(end); -16 <= d && d <= 16 {
				return true
			}
		}
		return cut > int(ends[len(ends)-1])
	}
	var cuts []int
	for cut := 0; cut < size; cut++ {
		if cut%3 == 0 || near(cut) {
			cuts = append(cuts, cut)
		}
	}
	return cuts
}

// TestCutShort reads a trace cut at many offsets: each complete batch must
// come back, and the reader must say the file was cut short.
func TestCutShort(t *testing.T) {
	for _, c := range []Compression{None, Zstd} {
		t.Run(c.String(), func(t *testing.T) {
			data, ends, batches := cutTrace(t, c)
			cuts := cutOffsets(len(data), ends)
			t.Logf("%d cuts of a file of %d bytes", len(cuts), len(data))
			for _, cut := range cuts {
				complete := 0
				var want Batch
				for i, end := range ends {
					if end <= int64(cut) {
						complete++
						b := batches[i]
						for j := 0; j < b.Len(); j++ {
							want.Append(b.Seq[j], b.Op[j], b.Layer[j], b.Type[j], b.Size[j], b.Block[j], b.Addr[j], b.Site[j])
						}
					}
				}
				r, got, n, err := readBytes(t, data[:cut])
				if r == nil {
					// Only a file cut before its first batch may fail to open.
					if complete > 0 || err == nil {
						t.Fatalf("cut at %d: open: %v", cut, err)
					}
					if !strings.Contains(err.Error(), "trace.arrow") {
						t.Errorf("cut at %d: error %q does not name the file", cut, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("cut at %d: %v", cut, err)
				}
				if n != complete || !r.Truncated() || r.NumBatches() != -1 {
					t.Fatalf("cut at %d of %d: %d batches, Truncated %v, NumBatches %d; want %d, true, -1",
						cut, len(data), n, r.Truncated(), r.NumBatches(), complete)
				}
				if d := diffBatches(got, &want); d != "" {
					t.Fatalf("cut at %d: %s", cut, d)
				}
			}
		})
	}
}

// TestDamagedFooter reads a complete trace whose footer is spoiled: it is
// read as a stream, to the last batch.
func TestDamagedFooter(t *testing.T) {
	data, _, batches := cutTrace(t, None)
	var want Batch
	for _, b := range batches {
		for j := 0; j < b.Len(); j++ {
			want.Append(b.Seq[j], b.Op[j], b.Layer[j], b.Type[j], b.Size[j], b.Block[j], b.Addr[j], b.Site[j])
		}
	}
	for _, tt := range []struct {
		name   string
		offset int // from the end
		value  byte
	}{
		{"magic", 1, 'X'},
		{"length", 10, 0xff},
		{"footer", 40, 0xff},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spoiled := bytes.Clone(data)
			spoiled[len(spoiled)-tt.offset] ^= tt.value
			r, got, _, err := readBytes(t, spoiled)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffBatches(got, &want); d != "" {
				t.Error(d)
			}
			if !r.Truncated() {
				t.Error("Truncated() = false")
			}
		})
	}
}

func TestNextAfterClose(t *testing.T) {
	r, err := NewReader(bytes.NewReader(writeTrace(t, testHeader(), []*Batch{allKinds(1)})), "trace.arrow")
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	var b Batch
	if err := r.Next(&b); err == nil || err == io.EOF {
		t.Errorf("Next after Close = %v, want an error", err)
	}
}

// TestReaderMemoryFlat reads traces of 4 and of 64 batches: the most memory
// the reader holds at once must not grow with the number of batches.
func TestReaderMemoryFlat(t *testing.T) {
	peak := func(nbatches int) int {
		rng := rand.New(rand.NewSource(4))
		const n = 4096
		all := synthetic(1, nbatches*n, rng)
		batches := make([]*Batch, nbatches)
		for i := range batches {
			batches[i] = all.slice(i*n, (i+1)*n)
		}
		data := writeTrace(t, testHeader(), batches)
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		r, err := newReader(bytes.NewReader(data), "trace.arrow", mem)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		most := mem.CurrentAlloc()
		var b Batch
		for {
			err := r.Next(&b)
			most = max(most, mem.CurrentAlloc())
			if err == io.EOF {
				return most
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	small, large := peak(4), peak(64)
	t.Logf("most Arrow memory held: %d bytes for 4 batches, %d for 64", small, large)
	if large > small {
		t.Errorf("reading 64 batches held %d bytes, 4 batches %d: memory grows with the file", large, small)
	}
}

// Batches read in turn keep their events until they are read into again,
// whatever is read into the others meanwhile: the reader reuses its own
// memory from batch to batch, never a Batch's that the caller still holds.
func TestBatchesReadInTurnKeepTheirEvents(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	var want []*Batch
	for i := 0; i < 12; i++ {
		want = append(want, synthetic(uint64(1+i*500), 500, rng))
	}
	for _, c := range []Compression{None, LZ4, Zstd} {
		data := writeTrace(t, testHeader(), want, WithCompression(c))
		r, err := NewReader(bytes.NewReader(data), "turns")
		if err != nil {
			t.Fatal(err)
		}
		ring := make([]Batch, 3)
		for i := range want {
			b := &ring[i%len(ring)]
			if err := r.Next(b); err != nil {
				t.Fatalf("%s: batch %d: %v", c, i, err)
			}
			// the batches read before, still held, are intact
			for k := max(0, i-len(ring)+1); k <= i; k++ {
				if d := diffBatches(&ring[k%len(ring)], want[k]); d != "" {
					t.Fatalf("%s: after reading batch %d, batch %d: %s", c, i, k, d)
				}
			}
		}
		r.Close()
	}
}
