package recorder

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/heaptrace/heaptrace/format"
	"github.com/heaptrace/heaptrace/model"
)

// TestVocabulary keeps the model's and the format's names of ops and layers
// equal, value by value: the recorder converts them by value.
func TestVocabulary(t *testing.T) {
	if got, want := format.OpNames(), model.OpNames(); !reflect.DeepEqual(got, want) {
		t.Errorf("format.OpNames() = %q\nmodel.OpNames() = %q", got, want)
	}
	if got, want := format.LayerNames(), model.LayerNames(); !reflect.DeepEqual(got, want) {
		t.Errorf("format.LayerNames() = %q\nmodel.LayerNames() = %q", got, want)
	}
	for i := range model.OpNames() {
		if got, want := format.Op(i).String(), model.Op(i).String(); got != want {
			t.Errorf("op %d: format says %q, model says %q", i, got, want)
		}
	}
}

func testHeader() format.Header {
	return format.Header{
		Meta:  format.Meta{Profile: "cpython-3.11", Workload: "test", ToolVersion: "test", Params: `{"seed":1}`},
		Types: []string{format.NoType, "int", "list", "list.items", "arena"},
		Sites: []string{format.UnknownSite, "<module> (t.py:1)", "f (t.py:3)"},
	}
}

// events returns n events as a model would make them, cycling through every
// op and layer.
func events(n int) []model.Event {
	evs := make([]model.Event, n)
	for i := range evs {
		seq := uint64(i + 1)
		evs[i] = model.Event{
			Seq:   seq,
			Op:    model.Op(i % len(model.OpNames())),
			Layer: model.Layer(i / 3 % len(model.LayerNames())),
			Type:  model.TypeID(i % 5),
			Size:  int64(i*7 - 100),
			Block: int64(i * 8),
			Addr:  model.Addr(0x7f0000000000 + seq*16),
			Site:  model.SiteID(i % 3),
		}
	}
	return evs
}

// record records evs to a new file and returns its path.
func record(t *testing.T, evs []model.Event, opts ...Option) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "trace.arrow")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := New(f, testHeader(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		r.Observe(e)
	}
	if got := r.Events(); got != uint64(len(evs)) {
		t.Errorf("Events() = %d, want %d", got, len(evs))
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// readBack reads a trace and returns its events as model events and the
// number of batches.
func readBack(t *testing.T, path string) ([]model.Event, *format.Reader) {
	t.Helper()
	r, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	var (
		b   format.Batch
		evs []model.Event
	)
	for {
		err := r.Next(&b)
		if err == io.EOF {
			return evs, r
		}
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < b.Len(); i++ {
			evs = append(evs, model.Event{
				Seq: b.Seq[i], Op: model.Op(b.Op[i]), Layer: model.Layer(b.Layer[i]), Type: model.TypeID(b.Type[i]),
				Size: b.Size[i], Block: b.Block[i], Addr: model.Addr(b.Addr[i]), Site: model.SiteID(b.Site[i]),
			})
		}
	}
}

func compareEvents(t *testing.T, got, want []model.Event) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("read %d events, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("event %d: got %v, want %v", i, got[i], want[i])
		}
	}
}

func TestRecord(t *testing.T) {
	for _, c := range []format.Compression{format.None, format.LZ4, format.Zstd} {
		t.Run(c.String(), func(t *testing.T) {
			want := events(10000)
			path := record(t, want, WithBatchSize(1000), WithCompression(c))
			got, r := readBack(t, path)
			compareEvents(t, got, want)
			if r.NumBatches() != 10 {
				t.Errorf("NumBatches() = %d, want 10", r.NumBatches())
			}
			if h := r.Header(); !reflect.DeepEqual(h.Types, testHeader().Types) || h.Meta.Params != `{"seed":1}` {
				t.Errorf("header %+v, want %+v", h, testHeader())
			}
		})
	}
}

// TestBatchBoundaries records k*batch and k*batch±1 events.
func TestBatchBoundaries(t *testing.T) {
	const batch = 8
	for _, n := range []int{0, 1, batch - 1, batch, batch + 1, 3*batch - 1, 3 * batch, 3*batch + 1} {
		want := events(n)
		got, r := readBack(t, record(t, want, WithBatchSize(batch)))
		compareEvents(t, got, want)
		wantBatches := (n + batch - 1) / batch
		if n == 0 {
			wantBatches = 1 // the empty batch that carries the tables
		}
		if r.NumBatches() != wantBatches {
			t.Errorf("%d events: %d batches, want %d", n, r.NumBatches(), wantBatches)
		}
	}
}

// TestRefusedEvent records an event the trace cannot hold: the recorder
// keeps the events before it, drops the rest, and says why.
func TestRefusedEvent(t *testing.T) {
	tests := []struct {
		name string
		edit func(e *model.Event)
		msg  string
	}{
		{"type", func(e *model.Event) { e.Type = 5 }, "type 5 outside the header's 5 types"},
		{"site", func(e *model.Event) { e.Site = 99 }, "site 99 outside the header's 3 sites"},
		{"seq", func(e *model.Event) { e.Seq = 7 }, "seq 7, want 13"},
		{"op", func(e *model.Event) { e.Op = 42 }, "unknown op(42)"},
		{"layer", func(e *model.Event) { e.Layer = 9 }, "unknown layer(9)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs := events(30)
			tt.edit(&evs[12])
			path := filepath.Join(t.TempDir(), "trace.arrow")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r, err := New(f, testHeader(), WithBatchSize(5))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				r.Observe(e)
			}
			err = r.Close()
			if err == nil || !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "recorder: event #") {
				t.Fatalf("Close() = %v, want an error naming the event and %q", err, tt.msg)
			}
			if r.Err() != err {
				t.Errorf("Err() = %v, Close() = %v", r.Err(), err)
			}
			if r.Events() != 12 {
				t.Errorf("Events() = %d, want 12", r.Events())
			}
			got, _ := readBack(t, path)
			compareEvents(t, got, evs[:12])
		})
	}
}

// failingFile fails every write.
type failingFile struct{ pos int64 }

var errDiskFull = errors.New("disk full")

func (f *failingFile) Write(p []byte) (int, error)             { return 0, errDiskFull }
func (f *failingFile) Seek(int64, int) (int64, error)          { return f.pos, nil }
func (f *failingFile) ReadAt(p []byte, off int64) (int, error) { return 0, io.EOF }

func TestWriteError(t *testing.T) {
	r, err := New(&failingFile{}, testHeader(), WithBatchSize(4))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events(20) {
		r.Observe(e)
	}
	if !errors.Is(r.Err(), errDiskFull) {
		t.Errorf("Err() = %v, want errDiskFull", r.Err())
	}
	// the first batch's write fails while the second fills, and the
	// error is seen when the second is handed over
	if r.Events() != 8 {
		t.Errorf("Events() = %d, want 8 (the first batch, whose write failed, and the one filled meanwhile)", r.Events())
	}
	if err := r.Close(); !errors.Is(err, errDiskFull) {
		t.Errorf("Close() = %v, want errDiskFull", err)
	}
}

func TestNewErrors(t *testing.T) {
	for _, n := range []int{0, -1, format.MaxBatchLen + 1} {
		if _, err := New(&sizeFile{}, testHeader(), WithBatchSize(n)); err == nil {
			t.Errorf("New with batch size %d succeeded", n)
		}
	}
	h := testHeader()
	h.Types[0] = "int"
	if _, err := New(&sizeFile{}, h); err == nil || !strings.HasPrefix(err.Error(), "recorder: format: ") {
		t.Errorf("New with a bad header = %v", err)
	}
}

// TestMemoryFlat checks that recording allocates nothing per event: the
// batch buffer is reused.
func TestMemoryFlat(t *testing.T) {
	r, err := New(&sizeFile{}, testHeader(), WithBatchSize(4096))
	if err != nil {
		t.Fatal(err)
	}
	e := events(1)[0]
	allocs := testing.AllocsPerRun(100000, func() {
		r.Observe(e)
		e.Seq++
	})
	if allocs != 0 {
		t.Errorf("%v allocations per event, want 0", allocs)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

// sizeFile is an io.WriteSeeker that keeps nothing but its size.
type sizeFile struct{ pos, size int64 }

func (f *sizeFile) Write(p []byte) (int, error) {
	f.pos += int64(len(p))
	f.size = max(f.size, f.pos)
	return len(p), nil
}

func (f *sizeFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += f.pos
	case io.SeekEnd:
		offset += f.size
	}
	f.pos = offset
	return offset, nil
}

// BenchmarkObserve records events in batches of the default size; ns/op is
// the cost of one event, writing included.
func BenchmarkObserve(b *testing.B) {
	for _, c := range []format.Compression{format.None, format.Zstd} {
		b.Run(c.String(), func(b *testing.B) {
			var f sizeFile
			r, err := New(&f, testHeader(), WithCompression(c))
			if err != nil {
				b.Fatal(err)
			}
			evs := events(4096)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				e := evs[i%len(evs)]
				e.Seq = uint64(i + 1)
				r.Observe(e)
			}
			if err := r.Close(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(f.size)/float64(b.N), "bytes/event")
		})
	}
}

// With a flush interval, a batch that is not full reaches the file once
// the interval has passed: a recording killed afterwards keeps it.
func TestFlushInterval(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flush.arrow")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := New(f, testHeader(), WithBatchSize(1<<20), WithFlushInterval(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 4096; i++ {
		r.Observe(model.Event{Seq: uint64(i), Op: model.OpAlloc, Layer: model.LayerObject, Type: 1, Size: 32, Block: 32, Addr: model.Addr(i * 64), Site: 1})
	}
	time.Sleep(5 * time.Millisecond)
	for i := 4097; i <= 8192; i++ {
		r.Observe(model.Event{Seq: uint64(i), Op: model.OpAlloc, Layer: model.LayerObject, Type: 1, Size: 32, Block: 32, Addr: model.Addr(i * 64), Site: 1})
	}
	// no Close: read the file as a crash would leave it, once the writing
	// goroutine has written the batch the interval flushed
	var (
		n         int
		truncated bool
	)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if n, truncated = countEvents(t, path); n == 8192 {
			break
		}
	}
	if n != 8192 || !truncated {
		t.Errorf("a cut-short file holds %d events (truncated %v), want the 8192 flushed by the interval", n, truncated)
	}
}

// countEvents returns how many events the trace at path holds, and whether
// it is cut short.
func countEvents(t *testing.T, path string) (int, bool) {
	t.Helper()
	rd, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var b format.Batch
	n := 0
	for rd.Next(&b) == nil {
		n += b.Len()
	}
	return n, rd.Truncated()
}

// fullDisk is a file that takes limit bytes and then fails as a full disk
// does (os.File.Write returns ENOSPC).
type fullDisk struct {
	f     *os.File
	limit int64
	n     int64
}

func (d *fullDisk) Write(p []byte) (int, error) {
	if d.n+int64(len(p)) > d.limit {
		k := d.limit - d.n
		if k > 0 {
			d.f.Write(p[:k])
			d.n += k
		}
		return int(max(k, 0)), errors.New("write: no space left on device")
	}
	n, err := d.f.Write(p)
	d.n += int64(n)
	return n, err
}

func (d *fullDisk) Seek(off int64, whence int) (int64, error) { return d.f.Seek(off, whence) }

// A disk that fills up mid-recording: the recorder reports the error, and
// the file holds every batch written before it, readable.
func TestDiskFull(t *testing.T) {
	path := filepath.Join(t.TempDir(), "full.arrow")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := New(&fullDisk{f: f, limit: 60 << 10}, testHeader(), WithBatchSize(500))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 20000; i++ {
		r.Observe(model.Event{Seq: uint64(i), Op: model.OpAlloc, Layer: model.LayerObject, Type: 1, Size: 32, Block: 32, Addr: model.Addr(i * 64), Site: 1})
	}
	err = r.Close()
	if err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("Close() = %v, want the disk-full error", err)
	}
	rd, err := format.Open(path)
	if err != nil {
		t.Fatalf("the part written is not readable: %v", err)
	}
	defer rd.Close()
	var b format.Batch
	n := 0
	for rd.Next(&b) == nil {
		n += b.Len()
	}
	if n == 0 || n%500 != 0 || !rd.Truncated() {
		t.Errorf("read %d events (truncated %v); want whole batches of 500, cut short", n, rd.Truncated())
	}
	t.Logf("%d events readable of 20000 after the disk filled at 60 KiB", n)
}
