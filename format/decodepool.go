// This file defines decodePool, which decodes the compressed columns of a
// batch in parallel for the fast path: a trace's reading is bound by
// decompression (zstd: about 29 ns an event on one core), and a batch's
// columns are independent frames.

package format

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// maxDecodeHelpers bounds the goroutines that help a reader decode: a
// batch has seven columns, three of them most of the bytes.
const maxDecodeHelpers = 3

// colJob is one compressed column to decode: src, a frame of codec that
// must hold want bytes, decoded into dst's memory when it is large
// enough. out is the result, nil when the frame is not exactly that.
type colJob struct {
	codec int // codecZstd, codecLZ4Frame or codecStored
	col   int // the Batch column, colOp..colSite or numColumns (seq)
	src   []byte
	want  int64
	dst   []byte
	out   []byte
}

// codecStored is a buffer stored as it is in a compressed batch (length
// -1), which decoding copies.
const codecStored = -1

// decodePool decodes a batch's columns on the reader's goroutine and up
// to maxDecodeHelpers helpers, each taking the next column not taken.
// It holds no reference to its Reader, so that a Reader dropped without
// Close is still collected, and its cleanup stops the helpers.
type decodePool struct {
	jobs []colJob
	n    int64        // jobs of the batch being decoded
	next atomic.Int64 // the next job to take
	wake chan struct{}
	wg   sync.WaitGroup
	once sync.Once

	zstd   *zstd.Decoder   // safe for as many concurrent DecodeAll as participants
	lz4    []*lz4.Reader   // per participant: 0 is the reader's goroutine
	lz4src []*bytes.Reader // likewise
}

// newDecodePool returns a pool with helpers goroutines besides the
// reader's.
func newDecodePool(helpers int) (*decodePool, error) {
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(helpers+1), zstd.WithDecodeAllCapLimit(true),
		zstd.WithDecoderMaxMemory(8*MaxBatchLen))
	if err != nil {
		return nil, err
	}
	p := &decodePool{zstd: dec, wake: make(chan struct{}, helpers)}
	for id := 0; id <= helpers; id++ {
		p.lz4 = append(p.lz4, lz4.NewReader(nil))
		p.lz4src = append(p.lz4src, bytes.NewReader(nil))
		if id > 0 {
			go p.help(id)
		}
	}
	return p, nil
}

// decodeHelpers returns how many helpers a reader's pool gets: one fewer
// than the processors, as the reader's goroutine takes part.
func decodeHelpers() int {
	return max(0, min(runtime.GOMAXPROCS(0)-1, maxDecodeHelpers))
}

func (p *decodePool) help(id int) {
	for range p.wake {
		p.work(id)
		p.wg.Done()
	}
}

// run decodes p.jobs[:n], and returns when every one is done.
func (p *decodePool) run(n int) {
	p.n = int64(n)
	p.next.Store(0)
	helpers := min(cap(p.wake), n-1)
	p.wg.Add(helpers)
	for range helpers {
		p.wake <- struct{}{}
	}
	p.work(0)
	p.wg.Wait()
}

// work decodes jobs until none is left, as participant id.
func (p *decodePool) work(id int) {
	for k := p.next.Add(1) - 1; k < p.n; k = p.next.Add(1) - 1 {
		j := &p.jobs[k]
		j.out = p.decode(id, j)
	}
}

// decode returns j decoded, or nil. The codecs are other people's code:
// a panic in one is a damaged frame.
func (p *decodePool) decode(id int, j *colJob) (out []byte) {
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	var (
		dst []byte
		err error
	)
	switch j.codec {
	case codecZstd:
		dst, err = p.unzstd(j.dst, j.src, j.want)
	case codecLZ4Frame:
		dst, err = p.unlz4(id, j.dst, j.src, j.want)
	default:
		dst = append(j.dst[:0], j.src...)
	}
	if err != nil || int64(len(dst)) != j.want {
		return nil
	}
	return dst
}

// plausible reports whether src, a frame of codec, may hold want bytes,
// by what it says of itself: a zstd frame that states its size must state
// want, and must have a first block; LZ4 expands a block at most about
// 255 times. It is checked before any memory is set aside for the frame,
// so that a few bytes claiming a large column cost nothing.
func plausible(codec int, src []byte, want int64) bool {
	switch codec {
	case codecZstd:
		var h zstd.Header
		if h.Decode(src) != nil || !h.FirstBlock.OK {
			return false
		}
		return !h.HasFCS || h.FrameContentSize == uint64(want)
	case codecLZ4Frame:
		return want <= 256*int64(len(src))+1024
	}
	return true
}

// unzstd decodes the zstd frame src, which must hold want bytes, into
// dst's memory if it is large enough. Decoding stops at want bytes, so a
// small frame cannot make the reader allocate more than its column's
// size (plausible has checked the frame's header).
func (p *decodePool) unzstd(dst, src []byte, want int64) ([]byte, error) {
	if int64(cap(dst)) < want {
		dst = make([]byte, 0, want)
	}
	return p.zstd.DecodeAll(src, dst[:0:want])
}

// unlz4 decodes the LZ4 frame src, which must hold want bytes, into dst's
// memory if it is large enough (plausible has checked its length).
func (p *decodePool) unlz4(id int, dst, src []byte, want int64) ([]byte, error) {
	p.lz4src[id].Reset(src)
	p.lz4[id].Reset(p.lz4src[id])
	dst = resize(dst, int(want))
	if _, err := io.ReadFull(p.lz4[id], dst); err != nil {
		return nil, err
	}
	return dst, nil
}

// close stops the helpers and the decoder; the pool is not used after.
func (p *decodePool) close() {
	p.once.Do(func() {
		close(p.wake)
		p.zstd.Close()
	})
}
