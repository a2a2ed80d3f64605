// This file defines the reader's fast path: record batches, compressed or
// not, are decoded here, straight from the message body (or one decoder
// kept per reader) into the Batch, instead of through Arrow's reader.
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
// errors stay those of every odd file. Decoding stops at the first column
// that fails, and keeps no memory for it.

package format

import (
	"encoding/binary"
	"errors"
	"io"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
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
	// the codecs are other people's code: a panic in one is a damaged
	// file, which Arrow's path then reports
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

// decompress returns the want bytes that the compressed buffer p of field
// f holds, decoded into dst if it is not nil (memory of the Batch being
// filled, of want bytes) or else into memory the reader keeps for that
// field, or nil when p is not exactly that (Arrow's path then reports
// what is wrong). p is an int64 length, then a frame; a length of -1
// means the bytes follow as they are.
func (r *Reader) decompress(codec, f int, p []byte, want int64, dst []byte) []byte {
	if want == 0 {
		return nil
	}
	if len(p) < 8 {
		return nil
	}
	n := int64(binary.LittleEndian.Uint64(p))
	p = p[8:]
	if n == -1 {
		if int64(len(p)) < want {
			return nil
		}
		if dst != nil {
			return dst[:copy(dst, p[:want])]
		}
		return p[:want]
	}
	if n != want {
		return nil
	}
	own := dst == nil
	if own {
		for len(r.scratch) <= f {
			r.scratch = append(r.scratch, nil)
		}
		dst = r.scratch[f]
	}
	var err error
	if codec == codecZstd {
		dst, err = r.unzstd(dst, p, want)
	} else {
		dst, err = r.unlz4(dst, p, want)
	}
	if err != nil || int64(len(dst)) != want {
		// a damaged or hostile frame: keep none of what it made
		if own {
			r.scratch[f] = nil
		}
		return nil
	}
	if own {
		r.scratch[f] = dst
	}
	return dst
}

// unzstd decodes the zstd frame p, which must hold want bytes, into dst's
// memory if it is large enough. A frame that states its size must state
// want, and decoding stops at want bytes, so a small frame cannot make
// the reader allocate more than its column's size.
func (r *Reader) unzstd(dst, p []byte, want int64) ([]byte, error) {
	var h zstd.Header
	if err := h.Decode(p); err != nil {
		return nil, err
	}
	if h.HasFCS && h.FrameContentSize != uint64(want) {
		return nil, errFrameSize
	}
	if r.zstd == nil {
		var err error
		r.zstd, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecodeAllCapLimit(true),
			zstd.WithDecoderMaxMemory(8*MaxBatchLen))
		if err != nil {
			return nil, err
		}
	}
	if int64(cap(dst)) < want {
		dst = make([]byte, 0, want)
	}
	return r.zstd.DecodeAll(p, dst[:0:want])
}

// unlz4 decodes the LZ4 frame p, which must hold want bytes, into dst's
// memory if it is large enough. LZ4 expands a block at most about 255
// times, so a frame too short for want is refused before anything is
// allocated.
func (r *Reader) unlz4(dst, p []byte, want int64) ([]byte, error) {
	if want > 256*int64(len(p))+1024 {
		return nil, errFrameSize
	}
	if r.lz4 == nil {
		r.lz4 = lz4.NewReader(nil)
	}
	r.lz4src.Reset(p)
	r.lz4.Reset(&r.lz4src)
	dst = resize(dst, int(want))
	if _, err := io.ReadFull(r.lz4, dst); err != nil {
		return nil, err
	}
	return dst, nil
}

// errFrameSize is a compressed buffer that cannot hold its column.
var errFrameSize = errors.New("a compressed buffer whose size is not its column's")

// fastColumns returns the columns of the message with metadata meta and
// body body, pointing into the body or the reader's memory, or false when
// the fast path does not decode it. A compressed batch's 8-byte columns
// are decoded straight into b's memory (batchColumns.inBatch), which
// saves copying them there after; b's columns are left with any content
// then, and the batch must be filled by Arrow's path if this one fails.
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
	col := func(f, width int, dst []byte) []byte {
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
			return r.decompress(codec, f, body[off:off+size], want, dst)
		}
		if off < 0 || off%8 != 0 || size < want || off > int64(len(body)) || want > int64(len(body))-off {
			return nil
		}
		return body[off : off+want]
	}
	// the columns one by one, stopping at the first that fails
	var cols [numColumns + 1][]byte // seq (version 1) last
	fields := [numColumns + 1]struct{ field, width int }{
		colOp: {r.cols[colOp], 1}, colLayer: {r.cols[colLayer], 1}, colType: {r.cols[colType], 2},
		colSize: {r.cols[colSize], 8}, colBlock: {r.cols[colBlock], 8}, colAddr: {r.cols[colAddr], 8},
		colSite: {r.cols[colSite], 4}, numColumns: {r.seqCol, 8},
	}
	for i, f := range fields {
		if f.field == noColumn || n == 0 {
			continue
		}
		var dst []byte
		if codec >= 0 {
			switch i {
			case colSize:
				b.Size = resize(b.Size, int(n))
				dst = bytesOf(b.Size)
			case colBlock:
				b.Block = resize(b.Block, int(n))
				dst = bytesOf(b.Block)
			case colAddr:
				b.Addr = resize(b.Addr, int(n))
				dst = bytesOf(b.Addr)
			}
		}
		if cols[i] = col(f.field, f.width, dst); cols[i] == nil {
			return nil, false
		}
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

// bytesOf returns the memory of s as bytes.
func bytesOf[T int64 | uint64](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*8)
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
