// This file defines the reader's fast path: record batches, compressed or
// not, are decoded here, straight from the message body (or the reader's
// decoders, a column per goroutine: decodepool.go) into the Batch, instead
// of through Arrow's reader.
//
// Arrow v15's reader copies each buffer out of the message body into a
// buffer of its own, cleared first, allocates a record per batch and, for
// a compressed batch, a new decoder: for a trace, which is all fixed-width
// columns, that is most of the cost of reading. A batch qualifies for the
// fast path when the schema holds fixed-width columns only (each one node
// and two buffers), the message is a record batch, uncompressed or
// compressed by buffer with LZ4 frames or zstd, and every node and buffer
// is where the Batch's columns need it, each decoding to exactly its
// column's bytes; anything else (the first batch with its dictionaries, a
// dictionary batch, a batch whose layout is odd, a frame that does not
// decode to its column) goes to Arrow as before, so Arrow's checks and
// errors stay those of every odd file. Every column's layout is checked,
// and every frame's header (plausible), before any memory is set aside
// for the batch, so a few hostile bytes claiming millions of rows cost
// nothing; a column that fails to decode keeps no memory.

package format

import (
	"encoding/binary"
	"runtime"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
)

const batchLength = 0 // RecordBatch: length (long)

// fastSchema reports whether every field of s is fixed-width and flat, so
// that field i of a record batch is node i and buffers 2i and 2i+1.
func fastSchema(s *arrow.Schema) bool {
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		return false // the body is little-endian, and read in place
	}
	for _, f := range s.Fields() {
		switch f.Type.ID() {
		case arrow.DICTIONARY:
			d := f.Type.(*arrow.DictionaryType)
			if !arrow.IsInteger(d.IndexType.ID()) {
				return false
			}
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
			arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
			arrow.FLOAT32, arrow.FLOAT64:
		default:
			return false
		}
	}
	return true
}

// readFast fills b from the next message if it is a record batch that the
// fast path decodes; otherwise it leaves the message for Arrow's reader
// and returns false.
func (r *Reader) readFast(b *Batch) (bool, error) {
	meta, body, err := r.msgs.raw()
	if err != nil {
		// the error is kept: Arrow's reader meets it again
		return false, nil
	}
	var (
		c  *batchColumns
		ok bool
	)
	// a panic here is a damaged file, which Arrow's path then reports (the
	// codecs, on the decoding pool's goroutines, recover their own)
	if guard(func() error { c, ok = r.fastColumns(meta, body, b); return nil }) != nil {
		ok = false
	}
	if !ok {
		r.msgs.unread()
		return false, nil
	}
	r.nFast++
	// a compressed batch's 8-byte columns were decoded into b's memory;
	// an uncompressed one's are in the body, which the next message reuses
	err = guard(func() error { return r.fillColumns(b, c, !c.inBatch) })
	r.msgs.recycle()
	return true, err
}

// fastCodec returns the codec of a BodyCompression table comp (codecLZ4Frame
// or codecZstd) when the fast path decodes it, or -1.
func (r *Reader) fastCodec(v *fbVerifier, comp fbTable) int {
	codec, method := int8(codecLZ4Frame), int8(0) // the defaults
	if p, err := v.field(comp, 0, 1); err != nil {
		return -1
	} else if p != 0 {
		codec = int8(v.buf[p])
	}
	if p, err := v.field(comp, 1, 1); err != nil {
		return -1
	} else if p != 0 {
		method = int8(v.buf[p])
	}
	if method != 0 || (codec != codecLZ4Frame && codec != codecZstd) {
		return -1
	}
	return int(codec)
}

// decompress prepares the compressed buffer p of field f (Batch column
// col), which must hold want bytes: p is an int64 length, then a frame; a
// length of -1 means the bytes follow as they are. It returns the bytes at
// once when they are stored as they are and the column is not one of the
// Batch's own (size, block, addr: those are written into the Batch's
// memory, which is allocated only once every column's layout is right).
// Otherwise the buffer becomes a job in r.pool.jobs, and decompress
// returns job true. It returns false when p cannot be the column (Arrow's
// path then reports what is wrong).
func (r *Reader) decompress(codec, f, col int, p []byte, want int64) (stored []byte, job, ok bool) {
	if want == 0 || len(p) < 8 {
		return nil, false, false
	}
	n := int64(binary.LittleEndian.Uint64(p))
	p = p[8:]
	j := colJob{codec: codec, col: col, src: p, want: want}
	switch {
	case n == -1 && int64(len(p)) < want:
		return nil, false, false
	case n == -1 && !batchOwned(col):
		return p[:want], false, true
	case n == -1:
		j.codec, j.src = codecStored, p[:want]
	case n != want || !plausible(codec, p, want):
		return nil, false, false
	case !batchOwned(col):
		for len(r.scratch) <= f {
			r.scratch = append(r.scratch, nil)
		}
		j.dst = r.scratch[f]
	}
	r.pool.jobs = append(r.pool.jobs, j)
	return nil, true, true
}

// batchOwned reports whether Batch column col is decoded into the Batch's
// own memory rather than the reader's.
func batchOwned(col int) bool {
	return col == colSize || col == colBlock || col == colAddr
}

// fastColumns returns the columns of the message with metadata meta and
// body body, pointing into the body or the reader's memory, or false when
// the fast path does not decode it. A compressed batch's 8-byte columns
// are decoded straight into b's memory (batchColumns.inBatch), which
// saves copying them there after. When it returns false, b is for Arrow's
// path to fill: its 8-byte columns may hold anything, or be nil after a
// frame that did not decode.
func (r *Reader) fastColumns(meta, body []byte, b *Batch) (*batchColumns, bool) {
	v := fbVerifier{buf: meta} // verified when it was read
	h, ok := v.recordBatchOf()
	if !ok {
		return nil, false
	}
	codec := -1 // none
	if comp, ok, err := v.subtable(h, batchCompression); err != nil {
		return nil, false
	} else if ok {
		if codec = r.fastCodec(&v, comp); codec < 0 {
			return nil, false
		}
	}
	lp, err := v.field(h, batchLength, 8)
	if err != nil || lp == 0 {
		return nil, false
	}
	n := int64(binary.LittleEndian.Uint64(meta[lp:]))
	if n < 0 || n > MaxBatchLen {
		return nil, false
	}
	nodes, nodeAt, err := v.vector(h, batchNodes, sizeFieldNode)
	if err != nil {
		return nil, false
	}
	bufs, bufAt, err := v.vector(h, batchBuffers, sizeBuffer)
	if err != nil {
		return nil, false
	}
	// field f is node f, buffers 2f (validity) and 2f+1
	col := func(f, width, i int) []byte {
		if f >= nodes || 2*f+1 >= bufs {
			return nil
		}
		node := meta[nodeAt+f*sizeFieldNode:]
		if int64(binary.LittleEndian.Uint64(node)) != n || binary.LittleEndian.Uint64(node[8:]) != 0 {
			return nil // a length or nulls that Arrow's path reports
		}
		buf := meta[bufAt+(2*f+1)*sizeBuffer:]
		off, size := int64(binary.LittleEndian.Uint64(buf)), int64(binary.LittleEndian.Uint64(buf[8:]))
		want := n * int64(width)
		if codec >= 0 {
			// off is aligned, so the bytes of a buffer stored as is
			// (length -1) are too
			if off < 0 || off%8 != 0 || size < 0 || off > int64(len(body)) || size > int64(len(body))-off {
				return nil
			}
			stored, job, ok := r.decompress(codec, f, i, body[off:off+size], want)
			switch {
			case !ok:
				return nil
			case job:
				return []byte{} // decoded below, with the other columns
			}
			return stored
		}
		if off < 0 || off%8 != 0 || size < want || off > int64(len(body)) || want > int64(len(body))-off {
			return nil
		}
		return body[off : off+want]
	}
	if codec >= 0 && r.pool == nil {
		var err error
		if r.pool, err = newDecodePool(decodeHelpers()); err != nil {
			return nil, false
		}
		runtime.AddCleanup(r, (*decodePool).close, r.pool)
	}
	if r.pool != nil {
		r.pool.jobs = r.pool.jobs[:0]
	}
	// the columns' layout one by one, stopping at the first that is
	// wrong; then the compressed ones, decoded together
	var (
		cols   [numColumns + 1][]byte // seq (version 1) last
		jobsOf [numColumns + 1]int    // cols[i]'s job in r.pool.jobs, plus one (0: none)
	)
	fields := [numColumns + 1]struct{ field, width int }{
		colOp: {r.cols[colOp], 1}, colLayer: {r.cols[colLayer], 1}, colType: {r.cols[colType], 2},
		colSize: {r.cols[colSize], 8}, colBlock: {r.cols[colBlock], 8}, colAddr: {r.cols[colAddr], 8},
		colSite: {r.cols[colSite], 4}, numColumns: {r.seqCol, 8},
	}
	for i, f := range fields {
		if f.field == noColumn || n == 0 {
			continue
		}
		if cols[i] = col(f.field, f.width, i); cols[i] == nil {
			return nil, false
		}
		if len(cols[i]) == 0 {
			jobsOf[i] = len(r.pool.jobs)
		}
	}
	if r.pool != nil && len(r.pool.jobs) > 0 && !r.decodeJobs(b, int(n), &cols, &jobsOf, fields[:]) {
		return nil, false
	}
	c := &r.fast
	*c = batchColumns{
		n:       int(n),
		inBatch: codec >= 0,
		seq:     view[uint64](cols[numColumns]),
		ops:     view[int8](cols[colOp]),
		layers:  view[int8](cols[colLayer]),
		types:   view[int16](cols[colType]),
		size:    view[int64](cols[colSize]),
		block:   view[int64](cols[colBlock]),
		addr:    view[uint64](cols[colAddr]),
		sites:   view[int32](cols[colSite]),
	}
	return c, true
}

// decodeJobs decodes the batch's compressed columns together, and sets
// cols[i] to each; it returns false if one of them does not decode to its
// column. Size, block and addr are decoded into b's memory, n rows, and
// dropped from b if a column fails (a hostile batch may claim millions of
// rows); the other columns into memory the reader keeps, which it keeps
// only for the columns that decoded.
func (r *Reader) decodeJobs(b *Batch, n int, cols *[numColumns + 1][]byte, jobsOf *[numColumns + 1]int, fields []struct{ field, width int }) bool {
	for k := range r.pool.jobs {
		switch j := &r.pool.jobs[k]; j.col {
		case colSize:
			b.Size = resize(b.Size, n)
			j.dst = bytesOf(b.Size)
		case colBlock:
			b.Block = resize(b.Block, n)
			j.dst = bytesOf(b.Block)
		case colAddr:
			b.Addr = resize(b.Addr, n)
			j.dst = bytesOf(b.Addr)
		}
	}
	r.pool.run(len(r.pool.jobs))
	ok := true
	for i, k := range jobsOf {
		if k == 0 {
			continue
		}
		j := &r.pool.jobs[k-1]
		if j.out == nil {
			ok = false // a damaged or hostile frame: keep none of what it made
		}
		if !batchOwned(i) {
			r.scratch[fields[i].field] = j.out
		}
		cols[i] = j.out
	}
	clear(r.pool.jobs) // they point into the body and the batch
	r.pool.jobs = r.pool.jobs[:0]
	if !ok {
		b.Size, b.Block, b.Addr = nil, nil, nil
	}
	return ok
}

// bytesOf returns the memory of s as bytes.
func bytesOf[T ~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(s[0])))
}

// view returns the bytes of p as values of T: p is 8-byte aligned (the
// body is, and so are its buffers) and holds a whole number of them.
func view[T any](p []byte) []T {
	var zero T
	n := len(p) / int(unsafe.Sizeof(zero))
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(p))), n)
}
