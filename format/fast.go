// This file defines the reader's fast path: record batches without
// compression are decoded here, straight from the message body into the
// Batch, instead of through Arrow's reader.
//
// Arrow v15's reader copies each buffer out of the message body into a
// buffer of its own, cleared first, and allocates a record per batch:
// for a trace, which is all fixed-width columns, that is most of the
// cost of reading. A batch qualifies for the fast path when the schema
// holds fixed-width columns only (each one node and two buffers), the
// message is a record batch without compression, and every node and
// buffer is where the Batch's columns need it; anything else (the first
// batch with its dictionaries, a dictionary batch, a compressed batch,
// a batch whose layout is odd) goes to Arrow as before, so Arrow's checks
// and errors stay those of every odd file.

package format

import (
	"encoding/binary"
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
	c, ok := r.fastColumns(meta, body)
	if !ok {
		r.msgs.unread()
		return false, nil
	}
	r.nFast++
	err = guard(func() error { return r.fillColumns(b, c, true) })
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
// f holds, decoded into memory the reader keeps for that field, or nil
// when p is not exactly that (Arrow's path then reports what is wrong).
// p is an int64 length, then a frame; a length of -1 means the bytes
// follow as they are.
func (r *Reader) decompress(codec, f int, p []byte, want int64) []byte {
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
		return p[:want]
	}
	if n != want {
		return nil
	}
	for len(r.scratch) <= f {
		r.scratch = append(r.scratch, nil)
	}
	dst := r.scratch[f][:0]
	var err error
	if codec == codecZstd {
		if r.zstd == nil {
			if r.zstd, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(8*MaxBatchLen)); err != nil {
				return nil
			}
		}
		if cap(dst) < int(want) {
			dst = make([]byte, 0, want)
		}
		dst, err = r.zstd.DecodeAll(p, dst)
	} else {
		if r.lz4 == nil {
			r.lz4 = lz4.NewReader(nil)
		}
		r.lz4src.Reset(p)
		r.lz4.Reset(&r.lz4src)
		dst = resize(dst, int(want))
		_, err = io.ReadFull(r.lz4, dst)
	}
	r.scratch[f] = dst
	if err != nil || int64(len(dst)) != want {
		return nil
	}
	return dst
}

// fastColumns returns the columns of the message with metadata meta and
// body body, pointing into the body or the reader's memory, or false when
// the fast path does not decode it.
func (r *Reader) fastColumns(meta, body []byte) (*batchColumns, bool) {
	v := fbVerifier{buf: meta} // verified when it was read
	m, err := v.root()
	if err != nil {
		return nil, false
	}
	if p, err := v.field(m, messageHeaderType, 1); err != nil || p == 0 || meta[p] != headerRecordBatch {
		return nil, false
	}
	h, ok, err := v.subtable(m, messageHeader)
	if err != nil || !ok {
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
	col := func(f, width int) []byte {
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
			return r.decompress(codec, f, body[off:off+size], want)
		}
		if off < 0 || off%8 != 0 || size < want || off > int64(len(body)) || want > int64(len(body))-off {
			return nil
		}
		return body[off : off+want]
	}
	c := &r.fast
	var seq []byte
	if r.seqCol != noColumn {
		if seq = col(r.seqCol, 8); n > 0 && seq == nil {
			return nil, false
		}
	}
	op, layer, typ := col(r.cols[colOp], 1), col(r.cols[colLayer], 1), col(r.cols[colType], 2)
	size, block, addr, site := col(r.cols[colSize], 8), col(r.cols[colBlock], 8), col(r.cols[colAddr], 8), col(r.cols[colSite], 4)
	if n > 0 && (op == nil || layer == nil || typ == nil || size == nil || block == nil || addr == nil || site == nil) {
		return nil, false
	}
	*c = batchColumns{
		n:      int(n),
		seq:    view[uint64](seq),
		ops:    view[int8](op),
		layers: view[int8](layer),
		types:  view[int16](typ),
		size:   view[int64](size),
		block:  view[int64](block),
		addr:   view[uint64](addr),
		sites:  view[int32](site),
	}
	return c, true
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
