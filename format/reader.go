// This file defines Reader, which streams the batches of a trace file.

package format

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// ReaderAtSeeker is what a Reader reads from, such as an *os.File or a
// *bytes.Reader.
type ReaderAtSeeker interface {
	io.ReaderAt
	io.Seeker
}

// A Reader reads a trace batch by batch. Its memory does not grow with the
// length of the trace: it holds one Arrow record batch at a time.
//
// A file whose footer is missing or damaged, such as one whose writer
// crashed, is read as a stream: Next returns every complete batch, then
// io.EOF, and Truncated reports true.
type Reader struct {
	name   string
	file   *os.File // closed by Close when Open opened it
	header Header
	cols   columnIndex
	seqCol int // a version 1 file's seq column, or noColumn

	msgs       *messageReader
	ipc        *ipc.Reader
	pending    arrow.Record // the first batch, read by the constructor
	numBatches int          // from the footer, or -1
	truncated  bool

	batch   int    // the number of the next batch
	seq     uint64 // the seq the next event must have
	opDict  *array.Data
	opMap   []Op // op dictionary index -> Op
	layDict *array.Data
	layMap  []Layer
	done    bool
	err     error // the error that ended reading

	fastOK  bool         // the schema allows the fast path (fast.go)
	fast    batchColumns // the columns of the batch the fast path decodes
	pool    *decodePool  // the fast path's decoders, made on the first compressed batch
	scratch [][]byte     // per field: the fast path's decompressed buffer
	nFast   int          // batches the fast path decoded, for tests
	closed  bool
}

// Open opens the trace file at path. Its errors name the file, e.g.
// "format: open trace.arrow: not an Arrow IPC file (starts with 504b0304)".
func Open(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("format: %w", err)
	}
	r, err := newReader(f, path, memory.NewGoAllocator())
	if err != nil {
		f.Close()
		return nil, err
	}
	r.file = f
	return r, nil
}

// NewReader returns a reader of the trace in r; name names it in errors.
// It reads the header and the first batch. Close does not close r.
func NewReader(r ReaderAtSeeker, name string) (*Reader, error) {
	return newReader(r, name, memory.NewGoAllocator())
}

// newReader is NewReader with the allocator of the record batches' memory.
func newReader(ra ReaderAtSeeker, name string, mem memory.Allocator) (*Reader, error) {
	r := &Reader{name: name, numBatches: -1, seq: 1}
	if err := r.open(ra, mem); err != nil {
		r.Close()
		return nil, fmt.Errorf("format: open %s: %w", name, err)
	}
	return r, nil
}

func (r *Reader) open(ra ReaderAtSeeker, mem memory.Allocator) error {
	size, err := ra.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	if err := checkMagic(ra, size); err != nil {
		return err
	}
	mem = &cappedAllocator{mem: mem, max: allocationCap(size)}

	// The footer says the file is complete, and where its messages end.
	end := size
	strict := false
	if start, n, ok := readFooter(ra, size); ok {
		// The footer also holds the schema and the position of every
		// message; the reader streams the messages instead, and checks
		// at the end that it found every batch the footer lists.
		end, strict, r.numBatches = start, true, n
	}
	r.truncated = !strict
	r.msgs = newMessageReader(io.NewSectionReader(ra, magicLen, end-magicLen), end-magicLen, mem, strict)
	err = guard(func() (err error) {
		r.ipc, err = ipc.NewReaderFromMessageReader(r.msgs, ipc.WithAllocator(mem))
		return err
	})
	if err != nil {
		ended := r.msgs.cut || (r.msgs.remaining == 0 && r.msgs.err == nil)
		r.msgs.Release()
		if ended {
			return errorf(ErrCorrupt, "the file ends inside its schema")
		}
		return errorf(ErrCorrupt, "schema: %w", err)
	}
	meta, cols, seqCol, err := readSchema(r.ipc.Schema())
	if err != nil {
		return err
	}
	r.header.Meta, r.cols, r.seqCol = meta, cols, seqCol
	r.fastOK = fastSchema(r.ipc.Schema())

	// The type and site tables are the dictionaries, which come with the
	// first batch.
	rec, err := r.read()
	switch {
	case err == io.EOF:
		return r.checkEnd()
	case err != nil:
		return fmt.Errorf("batch 0: %w", err)
	}
	rec.Retain() // the ipc reader releases it on its next call
	r.pending = rec
	return guard(func() error {
		r.header.Types = dictionaryNames(rec.Column(r.cols[colType]))
		r.header.Sites = dictionaryNames(rec.Column(r.cols[colSite]))
		if err := checkTable("type", r.header.Types, NoType, MaxTypes); err != nil {
			return errorf(ErrCorrupt, "%w", err)
		}
		if err := checkTable("site", r.header.Sites, UnknownSite, MaxSites); err != nil {
			return errorf(ErrCorrupt, "%w", err)
		}
		return nil
	})
}

// checkMagic checks that the file starts like an Arrow IPC file.
func checkMagic(ra io.ReaderAt, size int64) error {
	if size < magicLen {
		return errorf(ErrNotArrow, "not an Arrow IPC file (%d bytes)", size)
	}
	var head [magicLen]byte
	if _, err := ra.ReadAt(head[:], 0); err != nil {
		return err
	}
	if string(head[:len(magic)]) != magic {
		return errorf(ErrNotArrow, "not an Arrow IPC file (starts with %x)", head[:])
	}
	return nil
}

// readFooter returns where the footer of the file starts and the number of
// record batches it lists, or ok false when the file has no sound footer.
func readFooter(ra io.ReaderAt, size int64) (start int64, batches int, ok bool) {
	if size < magicLen+int64(footerTail) {
		return 0, 0, false
	}
	var tail [footerTail]byte
	if _, err := ra.ReadAt(tail[:], size-int64(footerTail)); err != nil || string(tail[4:]) != magic {
		return 0, 0, false
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	start = size - int64(footerTail) - n
	if start < magicLen || n > maxFooter {
		return 0, 0, false
	}
	footer := make([]byte, n)
	if _, err := ra.ReadAt(footer, start); err != nil {
		return 0, 0, false
	}
	batches, err := verifyFooter(footer)
	return start, batches, err == nil
}

// guard calls f and returns a panic in it as an error. Arrow's decoders
// panic on some damaged input; this is the one place that recovers.
func guard(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errorf(ErrCorrupt, "arrow: %v", p)
		}
	}()
	return f()
}

// read returns the next record batch, or io.EOF at the end of the data.
// The record is valid until the next call.
func (r *Reader) read() (arrow.Record, error) {
	var ok bool
	if err := guard(func() error { ok = r.ipc.Next(); return nil }); err != nil {
		return nil, err
	}
	if ok {
		return r.ipc.Record(), nil
	}
	err := r.ipc.Err()
	switch {
	case err == nil, r.msgs.cut:
		return nil, io.EOF
	case errors.Is(err, ErrCorrupt):
		return nil, err
	}
	return nil, errorf(ErrCorrupt, "%w", err)
}

// dictionaryNames returns the values of the dictionary of a dictionary
// column of strings.
func dictionaryNames(col arrow.Array) []string {
	dict := col.(*array.Dictionary).Dictionary().(*array.String)
	names := make([]string, dict.Len())
	for i := range names {
		names[i] = dict.Value(i)
	}
	return names
}

// Header returns the trace's metadata and its type and site tables. The
// tables are empty when the file was cut short before its first batch.
func (r *Reader) Header() Header {
	h := r.header
	h.Types = append([]string(nil), h.Types...)
	h.Sites = append([]string(nil), h.Sites...)
	return h
}

// NumBatches returns the number of batches that the file's footer lists,
// or -1 when the file has no footer (it was cut short).
func (r *Reader) NumBatches() int { return r.numBatches }

// Compression returns how the trace's first record batch is compressed
// (None when it has none yet): what a copy of the trace, such as Repair's,
// keeps by default.
func (r *Reader) Compression() Compression { return r.msgs.codec }

// Truncated reports whether the file has no sound footer, so that it was
// read as a stream up to its last complete batch. It is known from the
// start and final once Next has returned io.EOF.
func (r *Reader) Truncated() bool { return r.truncated }

// Next fills b with the next batch, reusing b's memory where it can, and
// returns io.EOF after the last one: b's columns are valid until the next
// call with b. Batches are numbered from 0 in errors. A batch may be
// empty: a trace without events holds one empty batch.
//
// Next checks what it reads: ops and layers are mapped to this package's
// codes by name, type and site indices must be inside the header's
// tables, and, in a version 1 file, the stored seq must count up from 1
// without a gap (later versions number rows as they come). A violation ends the
// reading with an ErrCorrupt error, returned again by every later call.
func (r *Reader) Next(b *Batch) error {
	switch {
	case r.err != nil:
		return r.err
	case r.done:
		return io.EOF
	case r.closed:
		return fmt.Errorf("format: read %s: reader is closed", r.name)
	}
	err := r.next(b)
	switch {
	case err == io.EOF:
		r.done = true
		if err := r.checkEnd(); err != nil {
			r.err = fmt.Errorf("format: read %s: %w", r.name, err)
			return r.err
		}
		return io.EOF
	case err != nil:
		b.Reset()
		r.err = fmt.Errorf("format: read %s: batch %d: %w", r.name, r.batch, err)
		return r.err
	}
	r.batch++
	return nil
}

func (r *Reader) next(b *Batch) error {
	rec := r.pending
	if rec != nil {
		r.pending = nil
		defer rec.Release()
	} else {
		if r.fastOK {
			if ok, err := r.readFast(b); ok {
				return err
			}
		}
		var err error
		if rec, err = r.read(); err != nil {
			return err
		}
	}
	return guard(func() error { return r.fill(b, rec) })
}

// checkEnd checks, at the end of the data, that the file held every batch
// its footer lists.
func (r *Reader) checkEnd() error {
	if r.numBatches >= 0 && r.batch != r.numBatches {
		return errorf(ErrCorrupt, "the footer lists %d batches, the file holds %d", r.numBatches, r.batch)
	}
	return nil
}

// batchColumns are the values of one batch's columns as decoded, before they
// are checked and mapped into a Batch.
type batchColumns struct {
	n           int
	inBatch     bool // size, block and addr are the Batch's own memory
	seq, addr   []uint64
	size, block []int64
	ops, layers []int8
	types       []int16
	sites       []int32
}

// fill fills b with the events of rec, checking them.
func (r *Reader) fill(b *Batch, rec arrow.Record) error {
	n := int(rec.NumRows())
	if n > MaxBatchLen {
		return errorf(ErrCorrupt, "%d events, at most %d fit a batch", n, MaxBatchLen)
	}
	for c := range r.cols {
		if err := checkColumn(rec.Column(r.cols[c]), columns[c].Name, n); err != nil {
			return err
		}
	}
	var seq []uint64
	if r.seqCol != noColumn {
		col := rec.Column(r.seqCol)
		if err := checkColumn(col, seqField.Name, n); err != nil {
			return err
		}
		seq = col.(*array.Uint64).Uint64Values()
	}
	ops := rec.Column(r.cols[colOp]).(*array.Dictionary)
	if err := r.mapOps(ops); err != nil {
		return err
	}
	layers := rec.Column(r.cols[colLayer]).(*array.Dictionary)
	if err := r.mapLayers(layers); err != nil {
		return err
	}
	types := rec.Column(r.cols[colType]).(*array.Dictionary)
	if err := r.checkTable(colType, types, len(r.header.Types)); err != nil {
		return err
	}
	sites := rec.Column(r.cols[colSite]).(*array.Dictionary)
	if err := r.checkTable(colSite, sites, len(r.header.Sites)); err != nil {
		return err
	}
	c := batchColumns{
		n:      n,
		seq:    seq,
		size:   rec.Column(r.cols[colSize]).(*array.Int64).Int64Values(),
		block:  rec.Column(r.cols[colBlock]).(*array.Int64).Int64Values(),
		addr:   rec.Column(r.cols[colAddr]).(*array.Uint64).Uint64Values(),
		ops:    ops.Indices().(*array.Int8).Int8Values(),
		layers: layers.Indices().(*array.Int8).Int8Values(),
		types:  types.Indices().(*array.Int16).Int16Values(),
		sites:  sites.Indices().(*array.Int32).Int32Values(),
	}
	return r.fillColumns(b, &c, false)
}

// checkColumn checks that a column of a batch of n rows has n values, none
// of them null.
func checkColumn(col arrow.Array, name string, n int) error {
	if col.Len() != n {
		return errorf(ErrCorrupt, "column %s has %d values, the batch %d rows", name, col.Len(), n)
	}
	if col.NullN() != 0 {
		return errorf(ErrCorrupt, "column %s has %d nulls", name, col.NullN())
	}
	return nil
}

// fillColumns fills b with the events of c, checking them. The 8-byte
// columns are copied into b's memory when copy is true (c points into
// memory that is reused); otherwise b points at them: Arrow's buffers
// come from a Go allocator, whose memory stays valid after the record is
// released for as long as b holds it. Their capacity is then cut at their
// length, so that appending to b copies rather than writing past them.
func (r *Reader) fillColumns(b *Batch, c *batchColumns, copyCols bool) error {
	n := c.n
	if copyCols {
		b.Size = resize(b.Size, n)
		copy(b.Size, c.size[:n])
		b.Block = resize(b.Block, n)
		copy(b.Block, c.block[:n])
		b.Addr = resize(b.Addr, n)
		copy(b.Addr, c.addr[:n])
	} else {
		b.Size = c.size[:n:n]
		b.Block = c.block[:n:n]
		b.Addr = c.addr[:n:n]
	}
	// Seq is the row's number, counted across the file; a version 1 file
	// also stores it, and the two must agree.
	b.Seq = resize(b.Seq, n)
	if c.seq != nil {
		for i, seq := range c.seq[:n] {
			if seq != r.seq+uint64(i) {
				return errorf(ErrCorrupt, "row %d: seq %d, want %d", i, seq, r.seq+uint64(i))
			}
		}
	}
	for i := range b.Seq {
		b.Seq[i] = r.seq + uint64(i)
	}

	b.Op = resize(b.Op, n)
	if i := mapCodes(b.Op, c.ops[:n], r.opMap); i >= 0 {
		return errorf(ErrCorrupt, "row %d: op index %d outside the op dictionary (%d names)", i, c.ops[i], len(r.opMap))
	}
	b.Layer = resize(b.Layer, n)
	if i := mapCodes(b.Layer, c.layers[:n], r.layMap); i >= 0 {
		return errorf(ErrCorrupt, "row %d: layer index %d outside the layer dictionary (%d names)", i, c.layers[i], len(r.layMap))
	}
	b.Type = resize(b.Type, n)
	if i := copyIndices(b.Type, c.types[:n], len(r.header.Types)); i >= 0 {
		return errorf(ErrCorrupt, "row %d: type index %d outside the type table (%d names)", i, c.types[i], len(r.header.Types))
	}
	b.Site = resize(b.Site, n)
	if i := copyIndices(b.Site, c.sites[:n], len(r.header.Sites)); i >= 0 {
		return errorf(ErrCorrupt, "row %d: site index %d outside the site table (%d names)", i, c.sites[i], len(r.header.Sites))
	}
	r.seq += uint64(n)
	return nil
}

// mapCodes sets dst to the codes that m gives the dictionary indices src,
// and returns the first row whose index is outside m, or -1. A file
// heaptrace wrote lists the names in the codes' order, so that m maps
// each index to itself: the indices are then checked a word at a time
// and copied as they are (a branch per row was a third of the time it
// took to read an uncompressed trace).
func mapCodes[T Op | Layer](dst []T, src []int8, m []T) int {
	identity := true
	for i, code := range m {
		identity = identity && int(code) == i
	}
	if identity && allBelow(bytesOf(src), 1, uint64(len(m))) {
		copy(bytesOf(dst), bytesOf(src))
		return -1
	}
	for i, x := range src {
		if x < 0 || int(x) >= len(m) {
			return i
		}
		dst[i] = m[x]
	}
	return -1
}

// copyIndices copies the table indices src into dst, and returns the first
// row whose index is negative or n or more, or -1. S and D have one size.
func copyIndices[S int16 | int32, D uint16 | uint32](dst []D, src []S, n int) int {
	if allBelow(bytesOf(src), int(unsafe.Sizeof(S(0))), uint64(n)) {
		copy(bytesOf(dst), bytesOf(src))
		return -1
	}
	for i, x := range src {
		if x < 0 || int(x) >= n {
			return i
		}
	}
	return -1
}

// allBelow reports whether every value of p, signed little-endian
// integers of width bytes (1, 2 or 4), is in [0, n). It looks at 8 bytes
// at a time: adding high-n to a value under high (its top bit clear)
// sets the top bit exactly when the value is n or more, and carries
// nothing into the next value; a value with its top bit set is negative,
// and what its carry does to its neighbour does not matter, as the answer
// is false either way.
func allBelow(p []byte, width int, n uint64) bool {
	if len(p) == 0 {
		return true
	}
	if n == 0 {
		return false
	}
	high := uint64(1) << (8*width - 1)
	lanes := [...]uint64{1: 0x0101010101010101, 2: 0x0001000100010001, 4: 0x0000000100000001}[width]
	add, tops := (high-min(n, high))*lanes, high*lanes
	var acc uint64
	for ; len(p) >= 8; p = p[8:] {
		x := binary.LittleEndian.Uint64(p)
		acc |= x + add | x
	}
	var tail [8]byte // zeros: below any n > 0
	copy(tail[:], p)
	x := binary.LittleEndian.Uint64(tail[:])
	acc |= x + add | x
	return acc&tops == 0
}

// checkTable checks that the dictionary of a type or site column is the
// table of the header (a stream could change it; a file cannot).
func (r *Reader) checkTable(col int, d *array.Dictionary, want int) error {
	if got := d.Dictionary().Len(); got != want {
		return errorf(ErrCorrupt, "%s: dictionary of %d names, the header has %d", describe(col), got, want)
	}
	return nil
}

// mapOps maps the op dictionary's names to Op codes, when it is new.
func (r *Reader) mapOps(d *array.Dictionary) error {
	if data := d.Dictionary().Data().(*array.Data); data != r.opDict {
		m, err := nameMap(d, opNames[:], "op")
		if err != nil {
			return err
		}
		r.opDict, r.opMap = data, make([]Op, len(m))
		for i, code := range m {
			r.opMap[i] = Op(code)
		}
	}
	return nil
}

// mapLayers maps the layer dictionary's names to Layer codes, when it is
// new.
func (r *Reader) mapLayers(d *array.Dictionary) error {
	if data := d.Dictionary().Data().(*array.Data); data != r.layDict {
		m, err := nameMap(d, layerNames[:], "layer")
		if err != nil {
			return err
		}
		r.layDict, r.layMap = data, make([]Layer, len(m))
		for i, code := range m {
			r.layMap[i] = Layer(code)
		}
	}
	return nil
}

// nameMap maps each name of the dictionary of d to its index in known.
func nameMap(d *array.Dictionary, known []string, what string) ([]int, error) {
	dict, ok := d.Dictionary().(*array.String)
	if !ok {
		return nil, errorf(ErrCorrupt, "%s dictionary is %s, want utf8", what, d.Dictionary().DataType())
	}
	if dict.NullN() != 0 {
		return nil, errorf(ErrCorrupt, "%s dictionary has nulls", what)
	}
	m := make([]int, dict.Len())
	for i := range m {
		name := dict.Value(i)
		m[i] = -1
		for code, k := range known {
			if name == k {
				m[i] = code
				break
			}
		}
		if m[i] < 0 {
			return nil, errorf(ErrCorrupt, "%s name %q is not one of %q", what, name, known)
		}
	}
	return m, nil
}

// resize returns s with length n, reusing its memory when it is large
// enough.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// Close releases the reader's memory, and closes the file if Open opened
// it.
func (r *Reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if r.pending != nil {
		r.pending.Release()
		r.pending = nil
	}
	if r.ipc != nil {
		r.ipc.Release()
		r.ipc = nil
	}
	if r.pool != nil {
		r.pool.close()
	}
	r.scratch = nil
	if r.file != nil {
		if err := r.file.Close(); err != nil {
			return fmt.Errorf("format: close %s: %w", r.name, err)
		}
	}
	return nil
}
