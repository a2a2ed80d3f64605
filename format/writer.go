// This file defines Writer, which stores batches of events as an Arrow IPC
// file.

package format

import (
	"fmt"
	"io"
	"runtime"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Compression is how a writer compresses the column buffers of each batch.
// Readers handle every kind without being told.
type Compression uint8

const (
	None Compression = iota // no compression: the fastest to write and read
	LZ4                     // LZ4 frames: fast, about half the size
	Zstd                    // Zstandard: smallest, slower to read
)

var compressionNames = [...]string{None: "none", LZ4: "lz4", Zstd: "zstd"}

// String returns the compression's name: "none", "lz4" or "zstd".
func (c Compression) String() string {
	if int(c) < len(compressionNames) {
		return compressionNames[c]
	}
	return fmt.Sprintf("compression(%d)", uint8(c))
}

// ParseCompression returns the Compression named s ("none", "lz4", "zstd").
func ParseCompression(s string) (Compression, error) {
	for c, name := range compressionNames {
		if s == name {
			return Compression(c), nil
		}
	}
	return None, fmt.Errorf("format: unknown compression %q (want none, lz4 or zstd)", s)
}

// writerConfig holds the settings of a Writer.
type writerConfig struct {
	compression Compression
	mem         memory.Allocator
	version     int
}

// WriterOption configures a Writer.
type WriterOption func(*writerConfig)

// WithCompression sets how batches are compressed. The default is None.
// Compressed batches are compressed column by column on up to GOMAXPROCS
// goroutines.
func WithCompression(c Compression) WriterOption {
	return func(cfg *writerConfig) { cfg.compression = c }
}

// withAllocator sets the allocator of the Arrow writer's working memory
// (tests pass a checked allocator). The default is a Go allocator.
func withAllocator(mem memory.Allocator) WriterOption {
	return func(cfg *writerConfig) { cfg.mem = mem }
}

// withVersion sets the format version written: tests write version 1
// files, with their seq column, to check that readers still take them.
func withVersion(v int) WriterOption {
	return func(cfg *writerConfig) { cfg.version = v }
}

// A Writer writes a trace: the header, then each batch given to Write as one
// Arrow record batch, then, on Close, the file's footer. A trace whose
// writer never closed (a crash) still holds every batch written; readers
// recover them.
//
// Write takes the batch's columns as they are, without copying them:
// writing costs little more than the I/O.
type Writer struct {
	name   string // the file's name in errors, or ""
	header Header
	fw     *ipc.FileWriter
	schema *arrow.Schema
	dicts  [numColumns]arrow.Array // the op, layer, type and site dictionaries
	seqCol bool                    // write seq, a version 1 column

	seq     uint64 // the seq the next event must have
	batches int    // record batches written
	opIdx   []byte // scratch: the op column as int8 indices
	layIdx  []byte // scratch: the layer column as int8 indices
	err     error  // the first error that spoiled the file
	closed  bool
}

// NewWriter returns a writer of a trace with header h to w. It checks the
// header: Types[0] must be NoType, Sites[0] UnknownSite, and the names of
// each table distinct and not empty. Nothing is written until the first
// Write or Close.
func NewWriter(w io.WriteSeeker, h Header, opts ...WriterOption) (*Writer, error) {
	cfg := writerConfig{mem: memory.NewGoAllocator(), version: Version}
	for _, opt := range opts {
		opt(&cfg)
	}
	name := fileName(w)
	if err := h.check(); err != nil {
		return nil, fmt.Errorf("format: write %s%w", name, err)
	}
	h.Meta.FormatVersion = cfg.version
	if h.Meta.Params == "" {
		h.Meta.Params = "{}"
	}
	h.Types = append([]string(nil), h.Types...)
	h.Sites = append([]string(nil), h.Sites...)
	schema := newSchema(h.Meta)

	ipcOpts := []ipc.Option{ipc.WithSchema(schema), ipc.WithAllocator(cfg.mem)}
	// The columns compress independently: on 2 cores this writes LZ4 1.7
	// and zstd 1.3 times faster than one goroutine does.
	parallel := ipc.WithCompressConcurrency(min(runtime.GOMAXPROCS(0), numColumns))
	switch cfg.compression {
	case None:
	case LZ4:
		ipcOpts = append(ipcOpts, ipc.WithLZ4(), parallel)
	case Zstd:
		ipcOpts = append(ipcOpts, ipc.WithZstd(), parallel)
	default:
		return nil, fmt.Errorf("format: write %sunknown %v", name, cfg.compression)
	}
	fw, err := ipc.NewFileWriter(w, ipcOpts...)
	if err != nil {
		return nil, fmt.Errorf("format: write %s%w", name, err)
	}
	wr := &Writer{
		name:   name,
		header: h,
		fw:     fw,
		schema: schema,
		seqCol: cfg.version == 1,
		seq:    1,
	}
	wr.dicts[colOp] = stringArray(opNames[:])
	wr.dicts[colLayer] = stringArray(layerNames[:])
	wr.dicts[colType] = stringArray(h.Types)
	wr.dicts[colSite] = stringArray(h.Sites)
	return wr, nil
}

// fileName returns "name: " when w is a named file, such as an *os.File,
// and "" otherwise.
func fileName(w any) string {
	if f, ok := w.(interface{ Name() string }); ok {
		return f.Name() + ": "
	}
	return ""
}

// Write writes b as one record batch. It checks every event first: seq must
// continue from the previous batch (the first event is 1; seq is checked,
// not stored, since the row's position says it), op and layer
// must be known, type and site must index the header's tables. A batch
// that fails these checks is not written and the writer stays usable; an
// error from the file spoils the writer, and every later call returns it.
// An empty batch writes nothing.
func (w *Writer) Write(b *Batch) error {
	if err := w.usable(); err != nil {
		return err
	}
	if b.Len() == 0 {
		return nil
	}
	if err := w.check(b); err != nil {
		return fmt.Errorf("format: write %sbatch %d: %w", w.name, w.batches, err)
	}
	if err := w.write(b); err != nil {
		w.err = fmt.Errorf("format: write %sbatch %d: %w", w.name, w.batches, err)
		return w.err
	}
	w.seq += uint64(b.Len())
	return nil
}

func (w *Writer) usable() error {
	switch {
	case w.err != nil:
		return w.err
	case w.closed:
		return fmt.Errorf("format: write %swriter is closed", w.name)
	}
	return nil
}

// check reports the first event of b that the writer must refuse.
func (w *Writer) check(b *Batch) error {
	if !b.columnsEqual() {
		return fmt.Errorf("columns of unequal length (seq %d, op %d, layer %d, type %d, size %d, block %d, addr %d, site %d)",
			len(b.Seq), len(b.Op), len(b.Layer), len(b.Type), len(b.Size), len(b.Block), len(b.Addr), len(b.Site))
	}
	if b.Len() > MaxBatchLen {
		return fmt.Errorf("%d events, at most %d fit a batch", b.Len(), MaxBatchLen)
	}
	ntypes, nsites := len(w.header.Types), len(w.header.Sites)
	for i, seq := range b.Seq {
		switch {
		case seq != w.seq+uint64(i):
			return fmt.Errorf("row %d: seq %d, want %d", i, seq, w.seq+uint64(i))
		case b.Op[i] >= NumOps:
			return fmt.Errorf("row %d (seq %d): unknown %v", i, seq, b.Op[i])
		case b.Layer[i] >= NumLayers:
			return fmt.Errorf("row %d (seq %d): unknown %v", i, seq, b.Layer[i])
		case int(b.Type[i]) >= ntypes:
			return fmt.Errorf("row %d (seq %d): type index %d outside the type table (%d names)", i, seq, b.Type[i], ntypes)
		case int(b.Site[i]) >= nsites:
			return fmt.Errorf("row %d (seq %d): site index %d outside the site table (%d names)", i, seq, b.Site[i], nsites)
		}
	}
	return nil
}

// write stores b, whose values have been checked, as one record batch.
// The record's buffers are b's own memory, except for the op and layer
// indices, which are narrowed to int8 in scratch space.
func (w *Writer) write(b *Batch) error {
	n := b.Len()
	w.opIdx = w.opIdx[:0]
	for _, op := range b.Op {
		w.opIdx = append(w.opIdx, byte(op))
	}
	w.layIdx = w.layIdx[:0]
	for _, l := range b.Layer {
		w.layIdx = append(w.layIdx, byte(l))
	}
	return w.writeRecord(n, arrow.Uint64Traits.CastToBytes(b.Seq), w.opIdx, w.layIdx,
		arrow.Uint16Traits.CastToBytes(b.Type), arrow.Int64Traits.CastToBytes(b.Size),
		arrow.Int64Traits.CastToBytes(b.Block), arrow.Uint64Traits.CastToBytes(b.Addr),
		arrow.Uint32Traits.CastToBytes(b.Site))
}

// writeRecord writes a record batch of n rows whose columns hold the given
// values, without copying them. seq is written only to a version 1 file.
func (w *Writer) writeRecord(n int, seq, op, layer, typ, size, block, addr, site []byte) error {
	cols := make([]arrow.Array, 0, numColumns+1)
	if w.seqCol {
		cols = append(cols, primitive(arrow.PrimitiveTypes.Uint64, n, seq))
	}
	cols = append(cols,
		dictionary(opType, n, op, w.dicts[colOp]),
		dictionary(layerType, n, layer, w.dicts[colLayer]),
		dictionary(typeType, n, typ, w.dicts[colType]),
		primitive(arrow.PrimitiveTypes.Int64, n, size),
		primitive(arrow.PrimitiveTypes.Int64, n, block),
		primitive(arrow.PrimitiveTypes.Uint64, n, addr),
		dictionary(siteType, n, site, w.dicts[colSite]))
	rec := array.NewRecord(w.schema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	defer rec.Release()
	if err := w.fw.Write(rec); err != nil {
		return err
	}
	w.batches++
	return nil
}

// Close writes the file's footer. It does not close the underlying file.
// A trace without events still gets one empty batch, which carries the
// type and site tables. Close returns the error that spoiled the writer,
// if any; a second Close does nothing.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return nil
	}
	w.closed = true
	if w.batches == 0 {
		if err := w.writeRecord(0, nil, nil, nil, nil, nil, nil, nil, nil); err != nil {
			w.err = fmt.Errorf("format: write %s%w", w.name, err)
			return w.err
		}
	}
	if err := w.fw.Close(); err != nil {
		w.err = fmt.Errorf("format: write %sfooter: %w", w.name, err)
		return w.err
	}
	return nil
}

// Batches returns the number of record batches written so far.
func (w *Writer) Batches() int { return w.batches }

// Events returns the number of events written so far.
func (w *Writer) Events() uint64 { return w.seq - 1 }

// primitive returns an array of n values of a fixed-width type dt held in
// values, without copying them.
func primitive(dt arrow.DataType, n int, values []byte) arrow.Array {
	data := array.NewData(dt, n, []*memory.Buffer{nil, memory.NewBufferBytes(values)}, nil, 0, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

// dictionary returns a dictionary array of type dt whose n indices are held
// in indices and whose values are dict.
func dictionary(dt *arrow.DictionaryType, n int, indices []byte, dict arrow.Array) arrow.Array {
	idx := primitive(dt.IndexType, n, indices)
	defer idx.Release()
	return array.NewDictionaryArray(dt, idx, dict)
}

// stringArray returns a utf8 array of names in Go memory. Dictionaries live
// as long as their writer, and the Arrow writer keeps a reference to each
// one it has written, so they are not taken from the writer's allocator.
func stringArray(names []string) arrow.Array {
	offsets := make([]int32, 0, len(names)+1)
	var data []byte
	offsets = append(offsets, 0)
	for _, s := range names {
		data = append(data, s...)
		offsets = append(offsets, int32(len(data)))
	}
	d := array.NewData(arrow.BinaryTypes.String, len(names),
		[]*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(offsets)), memory.NewBufferBytes(data)},
		nil, 0, 0)
	defer d.Release()
	return array.MakeFromData(d)
}
