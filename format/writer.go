// This file defines Writer, which stores batches of events as an Arrow IPC
// file.

package format

import (
	"fmt"
	"io"

	"github.com/apache/arrow/go/v15/arrow"
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
func (c Compression) String() string { return nameOf(compressionNames[:], c, "compression") }

// ParseCompression returns the Compression named s ("none", "lz4", "zstd").
func ParseCompression(s string) (Compression, error) {
	if c, ok := parseName[Compression](compressionNames[:], s); ok {
		return c, nil
	}
	return None, fmt.Errorf("format: unknown compression %q (want none, lz4 or zstd)", s)
}

// nameOf returns names[v], or kind(v) for a v that has no name.
func nameOf[T ~uint8](names []string, v T, kind string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", kind, uint8(v))
}

// parseName returns the value whose name in names is s.
func parseName[T ~uint8](names []string, s string) (T, bool) {
	for v, name := range names {
		if s == name {
			return T(v), true
		}
	}
	return 0, false
}

// Level is how hard a writer works at compressing: recording time traded
// for file size. Every level is read the same way, and a smaller file is
// also quicker to decompress. The levels are klauspost/compress's four for
// zstd and pierrec/lz4's fast and high-compression modes for LZ4.
type Level uint8

const (
	LevelDefault Level = iota // zstd's level 3 or so, LZ4's fast mode: recording speed first
	LevelFastest              // zstd's level 1 or so; LZ4's fast mode
	LevelBetter               // zstd's level 7 or so; LZ4's high-compression mode, a short search
	LevelBest                 // zstd's level 11 or so; LZ4's high-compression mode, its longest search
)

var levelNames = [...]string{LevelDefault: "default", LevelFastest: "fastest", LevelBetter: "better", LevelBest: "best"}

// String returns the level's name: "default", "fastest", "better" or "best".
func (l Level) String() string { return nameOf(levelNames[:], l, "level") }

// ParseLevel returns the Level named s ("fastest", "default", "better",
// "best").
func ParseLevel(s string) (Level, error) {
	if l, ok := parseName[Level](levelNames[:], s); ok {
		return l, nil
	}
	return LevelDefault, fmt.Errorf("format: unknown compression level %q (want fastest, default, better or best)", s)
}

// writerConfig holds the settings of a Writer.
type writerConfig struct {
	compression Compression
	level       Level
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

// WithLevel sets how hard a compressing writer works (WithCompression);
// the default is LevelDefault. A level other than the default without a
// codec is an error: it would be silently ignored.
func WithLevel(l Level) WriterOption {
	return func(cfg *writerConfig) { cfg.level = l }
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
	name    string // the file's name in errors, or ""
	header  Header
	enc     *ipcWriter
	started bool                 // the schema and dictionaries are written
	dicts   [numColumns][]string // the op, layer, type and site dictionaries
	seqCol  bool                 // write seq, a version 1 column

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
	cfg := writerConfig{version: Version}
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

	if cfg.level != LevelDefault && cfg.compression == None {
		return nil, fmt.Errorf("format: write %scompression level %v without a codec (compression none)", name, cfg.level)
	}
	if int(cfg.level) >= len(levelNames) {
		return nil, fmt.Errorf("format: write %sunknown compression %v", name, cfg.level)
	}
	enc, err := newIPCWriter(w, schema, cfg.compression, cfg.level)
	if err != nil {
		return nil, fmt.Errorf("format: write %s%w", name, err)
	}
	wr := &Writer{
		name:   name,
		header: h,
		enc:    enc,
		seqCol: cfg.version == 1,
		seq:    1,
	}
	wr.dicts[colOp] = opNames[:]
	wr.dicts[colLayer] = layerNames[:]
	wr.dicts[colType] = h.Types
	wr.dicts[colSite] = h.Sites
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
// values, without copying them; the schema and dictionaries go first. seq
// is written only to a version 1 file.
func (w *Writer) writeRecord(n int, seq, op, layer, typ, size, block, addr, site []byte) error {
	if !w.started {
		w.started = true
		if err := w.enc.start([][]string{w.dicts[colOp], w.dicts[colLayer], w.dicts[colType], w.dicts[colSite]}); err != nil {
			return err
		}
	}
	cols := make([]ipcColumn, 0, numColumns+1)
	if w.seqCol {
		cols = append(cols, ipcColumn{[][]byte{seq}})
	}
	for _, values := range [][]byte{op, layer, typ, size, block, addr, site} {
		cols = append(cols, ipcColumn{[][]byte{values}})
	}
	if err := w.enc.writeBatch(-1, n, cols); err != nil {
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
	if err := w.enc.finish(); err != nil {
		w.err = fmt.Errorf("format: write %sfooter: %w", w.name, err)
		return w.err
	}
	return nil
}

// Batches returns the number of record batches written so far.
func (w *Writer) Batches() int { return w.batches }

// Events returns the number of events written so far.
func (w *Writer) Events() uint64 { return w.seq - 1 }
