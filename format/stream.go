// This file defines how a reader frames the Arrow IPC messages of a file
// and bounds the memory that decoding them may claim, so that no input,
// however damaged, makes the reader panic or allocate without limit.
//
// An Arrow IPC file is "ARROW1", two padding bytes, a stream of messages
// (the schema, the dictionaries, the record batches), the footer (a copy of
// the schema and the position of every message), its length as an int32
// and "ARROW1" again. Each message is the continuation marker 0xFFFFFFFF,
// the metadata's length as an int32, the metadata (a flatbuffer) and a
// body whose length the metadata gives.
//
// Arrow's own readers trust the lengths they read, and allocate what they
// say. messageReader checks every length against the bytes that are left
// before it allocates, and cappedAllocator bounds what Arrow allocates
// while decoding a message (a compressed buffer states its own length).

package format

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// magic starts (padded to 8 bytes) and ends every Arrow IPC file.
const (
	magic       = "ARROW1"
	magicLen    = 8 // magic and its padding
	footerTail  = 4 + len(magic)
	contMarker  = 0xFFFFFFFF
	maxMetadata = 16 << 20  // the largest message metadata accepted
	maxFooter   = 256 << 20 // the largest footer accepted
)

// errCutShort reports a file whose data stops inside a message, or at bytes
// that are not a message: a file whose writer did not finish.
var errCutShort = errors.New("the file ends inside a message")

// messageReader reads the messages of a byte range of an Arrow IPC file. It
// implements ipc.MessageReader.
//
// When the range has no footer after it (strict is false), data that stops
// inside a message, or bytes that do not start like a message, end the
// stream as if it had ended there: they are what a crash leaves. With a
// footer (strict), the range is known to be complete and such bytes are
// an error.
type messageReader struct {
	r         *bufio.Reader
	remaining int64 // bytes left in the range
	mem       memory.Allocator
	strict    bool

	msg      *ipc.Message // the current message as Arrow's, made on demand; released by the next call
	body     []byte       // the memory of the current message's body
	meta     []byte       // the current message's metadata
	curBody  []byte       // the current message's body
	spare    []byte       // metadata memory that no one refers to any more
	prefix   [8]byte      // a message's first bytes: the marker and the metadata's length
	codec    Compression  // of the first record batch
	sawBatch bool         // a record batch has been read, so codec is known
	again    bool         // Message returns the current message again (unread)
	eof      bool         // the data has ended
	refCount int64
	cut      bool  // the data ended inside a message
	err      error // the framing error that ended the data, if any
}

func newMessageReader(r io.Reader, size int64, mem memory.Allocator, strict bool) *messageReader {
	return &messageReader{
		r:         bufio.NewReaderSize(r, 64<<10),
		remaining: size,
		mem:       mem,
		strict:    strict,
		refCount:  1,
	}
}

// Message returns the next message, or io.EOF at the end of the data. The
// message is valid until the next call.
func (m *messageReader) Message() (*ipc.Message, error) {
	if err := m.advance(); err != nil {
		return nil, err
	}
	if m.msg == nil {
		m.msg = ipc.NewMessage(memory.NewBufferBytes(m.meta), memory.NewBufferBytes(m.curBody))
	}
	return m.msg, nil
}

// raw is Message without Arrow's Message: the next message's metadata and
// body, valid until the next call. The reader's fast path reads batches so,
// making no garbage per batch.
func (m *messageReader) raw() (meta, body []byte, err error) {
	if err := m.advance(); err != nil {
		return nil, nil, err
	}
	return m.meta, m.curBody, nil
}

// advance moves to the next message, unless unread asked for the current
// one again.
func (m *messageReader) advance() error {
	if m.again {
		m.again = false
		return nil
	}
	if m.msg != nil {
		m.msg.Release()
		m.msg = nil
	}
	m.meta, m.curBody = nil, nil
	if m.err != nil || m.cut {
		return m.end()
	}
	if m.eof {
		return io.EOF
	}
	if err := m.next(); err != nil {
		if err == io.EOF {
			m.eof = true
			return io.EOF
		}
		if errors.Is(err, errCutShort) && !m.strict {
			m.cut = true
		} else {
			m.err = err
		}
		return m.end()
	}
	return nil
}

// unread makes the next call of Message or raw return the message the last
// one returned, which must have been a message.
func (m *messageReader) unread() { m.again = true }

// recycle says that the current message's metadata was read by the fast
// path alone, so that no Arrow structure refers to it: the next message
// may reuse its memory.
func (m *messageReader) recycle() {
	if m.msg == nil {
		m.spare = m.meta
	}
}

// end returns what Message returns once the data has ended.
func (m *messageReader) end() error {
	if m.err != nil {
		return m.err
	}
	return io.EOF
}

// next reads the next message into m.meta and m.curBody.
func (m *messageReader) next() error {
	if m.remaining == 0 {
		return io.EOF
	}
	prefix := m.prefix[:]
	if m.remaining < 4 {
		return fmt.Errorf("%w: %d bytes left", errCutShort, m.remaining)
	}
	if err := m.read(prefix[:4]); err != nil {
		return err
	}
	switch binary.LittleEndian.Uint32(prefix[:4]) {
	case 0:
		return io.EOF // an old-style end-of-stream marker
	case contMarker:
	default:
		return fmt.Errorf("%w: bytes %x are not a message", errCutShort, prefix[:4])
	}
	if m.remaining < 4 {
		return fmt.Errorf("%w: %d bytes left", errCutShort, m.remaining)
	}
	if err := m.read(prefix[4:]); err != nil {
		return err
	}
	metaLen := int64(int32(binary.LittleEndian.Uint32(prefix[4:])))
	switch {
	case metaLen == 0:
		return io.EOF // the end-of-stream marker
	case metaLen < 0 || metaLen > maxMetadata:
		return fmt.Errorf("message metadata length %d", metaLen)
	case metaLen > m.remaining:
		return fmt.Errorf("%w: message metadata of %d bytes, %d left", errCutShort, metaLen, m.remaining)
	}
	// Arrow's structures may refer to a message's metadata as long as
	// they live, so it is new memory unless the fast path recycled it
	meta := m.spare
	m.spare = nil
	if int64(cap(meta)) < metaLen {
		meta = make([]byte, metaLen)
	}
	meta = meta[:metaLen]
	if err := m.read(meta); err != nil {
		return err
	}
	if err := verifyMessage(meta); err != nil {
		return fmt.Errorf("message metadata: %w", err)
	}
	if !m.sawBatch {
		m.codec, m.sawBatch = recordBatchCodec(meta)
	}
	bodyLen, err := messageBodyLen(meta)
	if err != nil {
		return err
	}
	switch {
	case bodyLen < 0:
		return fmt.Errorf("message body length %d", bodyLen)
	case bodyLen > m.remaining:
		return fmt.Errorf("%w: message body of %d bytes, %d left", errCutShort, bodyLen, m.remaining)
	}
	// One body buffer serves every message: Arrow copies (or
	// decompresses) each buffer of a message out of its body while
	// decoding it, before the next message is read, and keeps no
	// reference to the body. Reusing it saves an allocation, its
	// clearing and the garbage collections it causes, per batch.
	if int64(cap(m.body)) < bodyLen {
		m.body = make([]byte, bodyLen)
	}
	body := m.body[:bodyLen]
	if err := m.read(body); err != nil {
		return err
	}
	m.meta, m.curBody = meta, body
	return nil
}

// read fills p from the range.
func (m *messageReader) read(p []byte) error {
	n, err := io.ReadFull(m.r, p)
	m.remaining -= int64(n)
	if err != nil {
		return fmt.Errorf("read message: %w", err)
	}
	return nil
}

// messageBodyLen returns the body length that message metadata states.
func messageBodyLen(meta []byte) (n int64, err error) {
	v := fbVerifier{buf: meta}
	m, err := v.root()
	if err != nil {
		return 0, fmt.Errorf("message metadata: %w", err)
	}
	p, err := v.field(m, messageBodyLength, 8)
	if err != nil || p == 0 {
		return 0, err // no field: no body
	}
	return int64(binary.LittleEndian.Uint64(meta[p:])), nil
}

// recordBatchCodec returns the compression of the record batch whose
// (verified) metadata is meta, and whether it is a record batch.
func recordBatchCodec(meta []byte) (Compression, bool) {
	v := fbVerifier{buf: meta}
	h, ok := v.recordBatchOf()
	if !ok {
		return None, false
	}
	comp, ok, err := v.subtable(h, batchCompression)
	if err != nil || !ok {
		return None, true
	}
	if p, err := v.field(comp, 0, 1); err == nil && p != 0 && int8(meta[p]) == codecZstd {
		return Zstd, true
	}
	return LZ4, true // LZ4_FRAME, the field's default
}

// Retain and Release count the references to the reader, as
// ipc.MessageReader requires.
func (m *messageReader) Retain() { atomic.AddInt64(&m.refCount, 1) }

func (m *messageReader) Release() {
	if atomic.AddInt64(&m.refCount, -1) == 0 && m.msg != nil {
		m.msg.Release()
		m.msg = nil
	}
}

// cappedAllocator refuses, by panicking with an allocationError, any single
// allocation larger than max bytes; Arrow's readers recover the panic and
// return it as an error. A batch's largest buffer is a column of
// MaxBatchLen 8-byte values, or a dictionary, which is in the file.
type cappedAllocator struct {
	mem memory.Allocator
	max int
}

type allocationError struct{ size, max int }

func (e allocationError) Error() string {
	return fmt.Sprintf("a buffer of %d bytes (at most %d expected)", e.size, e.max)
}

func (a *cappedAllocator) Allocate(size int) []byte {
	a.check(size)
	return a.mem.Allocate(size)
}

func (a *cappedAllocator) Reallocate(size int, b []byte) []byte {
	a.check(size)
	return a.mem.Reallocate(size, b)
}

func (a *cappedAllocator) Free(b []byte) { a.mem.Free(b) }

func (a *cappedAllocator) check(size int) {
	if size < 0 || size > a.max {
		panic(allocationError{size, a.max})
	}
}

// allocationCap returns the largest allocation a reader of a file of size
// bytes needs: a column of MaxBatchLen values of 8 bytes, or anything in
// the file, uncompressed, plus Arrow's padding.
func allocationCap(size int64) int {
	const column = 8 * MaxBatchLen
	c := int64(column)
	if size > c {
		c = size
	}
	return int(c) + 1<<10
}
