// This file defines a verifier of the flatbuffers that describe the
// messages and the footer of an Arrow IPC file.
//
// Arrow's Go decoders trust a flatbuffer's offsets and vector lengths: a
// damaged schema can make them allocate the length of any vector it
// claims (say 4 billion key/value pairs, a fatal out-of-memory that no
// recover catches) or recurse without end. Before a reader hands a
// message or the footer to Arrow, it checks that every table, vector and
// string Arrow will walk lies inside the buffer, that fields do not nest
// deeper than Arrow allows, and that the walk is not too long.
//
// The tables and their field slots are those of Arrow's Schema.fbs,
// Message.fbs and File.fbs.

package format

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Field slots of the Arrow flatbuffer tables walked here. A union takes two
// slots: its type, then its value.
const (
	messageHeaderType = 1 // Message: header_type (ubyte)
	messageHeader     = 2 // Message: header (union)
	messageBodyLength = 3 // Message: bodyLength (long)
	messageMetadata   = 4 // Message: custom_metadata [KeyValue]

	headerSchema          = 1 // MessageHeader union: Schema
	headerDictionaryBatch = 2 // DictionaryBatch
	headerRecordBatch     = 3 // RecordBatch

	schemaFields   = 1 // Schema: fields [Field]
	schemaMetadata = 2 // Schema: custom_metadata [KeyValue]
	schemaFeatures = 3 // Schema: features [long]

	fieldName       = 0 // Field: name (string)
	fieldType       = 3 // Field: type (union)
	fieldDictionary = 4 // Field: dictionary (DictionaryEncoding)
	fieldChildren   = 5 // Field: children [Field]
	fieldMetadata   = 6 // Field: custom_metadata [KeyValue]

	dictionaryIndexType = 1 // DictionaryEncoding: indexType (Int)

	keyValueKey   = 0 // KeyValue: key (string)
	keyValueValue = 1 // KeyValue: value (string)

	batchNodes       = 1 // RecordBatch: nodes [FieldNode]
	batchBuffers     = 2 // RecordBatch: buffers [Buffer]
	batchCompression = 3 // RecordBatch: compression (BodyCompression)
	batchVariadic    = 4 // RecordBatch: variadicBufferCounts [long]

	dictBatchData = 1 // DictionaryBatch: data (RecordBatch)

	footerSchema        = 1 // Footer: schema (Schema)
	footerDictionaries  = 2 // Footer: dictionaries [Block]
	footerRecordBatches = 3 // Footer: recordBatches [Block]
	footerMetadata      = 4 // Footer: custom_metadata [KeyValue]

	sizeFieldNode = 16 // struct FieldNode { length, null_count: long }
	sizeBuffer    = 16 // struct Buffer { offset, length: long }
	sizeBlock     = 24 // struct Block { offset: long; metaDataLength: int; bodyLength: long }

	maxFieldDepth = 64    // Arrow's own limit on nesting (kMaxNestingDepth)
	maxTables     = 10000 // the most tables one flatbuffer may make a reader visit
)

var errFlatbuffer = errors.New("damaged flatbuffer")

// fbVerifier walks a flatbuffer, checking what it reaches.
type fbVerifier struct {
	buf    []byte
	tables int // tables visited
}

// fbTable is a verified table: its position and its vtable's.
type fbTable struct {
	pos, vtable, vtableSize, size int
}

func (v *fbVerifier) fail(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errFlatbuffer, fmt.Sprintf(format, args...))
}

// u32 reads the uint32 at pos, which must be inside the buffer.
func (v *fbVerifier) u32(pos int) (int, error) {
	if pos < 0 || pos+4 > len(v.buf) {
		return 0, v.fail("offset %d outside %d bytes", pos, len(v.buf))
	}
	return int(binary.LittleEndian.Uint32(v.buf[pos:])), nil
}

// table verifies the table at pos.
func (v *fbVerifier) table(pos int) (fbTable, error) {
	if v.tables++; v.tables > maxTables {
		return fbTable{}, v.fail("more than %d tables", maxTables)
	}
	soff, err := v.u32(pos)
	if err != nil {
		return fbTable{}, err
	}
	vt := pos - int(int32(uint32(soff)))
	if vt < 0 || vt+4 > len(v.buf) {
		return fbTable{}, v.fail("vtable at %d outside %d bytes", vt, len(v.buf))
	}
	t := fbTable{
		pos:        pos,
		vtable:     vt,
		vtableSize: int(binary.LittleEndian.Uint16(v.buf[vt:])),
		size:       int(binary.LittleEndian.Uint16(v.buf[vt+2:])),
	}
	switch {
	case t.vtableSize < 4 || t.vtableSize%2 != 0 || vt+t.vtableSize > len(v.buf):
		return fbTable{}, v.fail("vtable of %d bytes at %d", t.vtableSize, vt)
	case t.size < 4 || pos+t.size > len(v.buf):
		return fbTable{}, v.fail("table of %d bytes at %d", t.size, pos)
	}
	return t, nil
}

// field returns the position of field slot in t, checking that width bytes
// are there, or 0 if the field is absent.
func (v *fbVerifier) field(t fbTable, slot, width int) (int, error) {
	at := 4 + 2*slot
	if at+2 > t.vtableSize {
		return 0, nil
	}
	off := int(binary.LittleEndian.Uint16(v.buf[t.vtable+at:]))
	if off == 0 {
		return 0, nil
	}
	if off+width > t.size {
		return 0, v.fail("field %d at %d past its table of %d bytes", slot, off, t.size)
	}
	return t.pos + off, nil
}

// indirect returns where the offset field slot of t points, or 0 if the
// field is absent.
func (v *fbVerifier) indirect(t fbTable, slot int) (int, error) {
	p, err := v.field(t, slot, 4)
	if p == 0 || err != nil {
		return 0, err
	}
	off, err := v.u32(p)
	if err != nil {
		return 0, err
	}
	target := p + off
	if target >= len(v.buf) {
		return 0, v.fail("field %d points to %d, outside %d bytes", slot, target, len(v.buf))
	}
	return target, nil
}

// subtable returns the table that field slot of t points to; ok is false
// when the field is absent.
func (v *fbVerifier) subtable(t fbTable, slot int) (sub fbTable, ok bool, err error) {
	p, err := v.indirect(t, slot)
	if p == 0 || err != nil {
		return fbTable{}, false, err
	}
	sub, err = v.table(p)
	return sub, err == nil, err
}

// vector verifies the vector that field slot of t points to, of elements
// of elemSize bytes, and returns its length and the position of its first
// element. An absent vector is empty.
func (v *fbVerifier) vector(t fbTable, slot, elemSize int) (n, start int, err error) {
	p, err := v.indirect(t, slot)
	if p == 0 || err != nil {
		return 0, 0, err
	}
	if n, err = v.u32(p); err != nil {
		return 0, 0, err
	}
	start = p + 4
	if int64(start)+int64(n)*int64(elemSize) > int64(len(v.buf)) {
		return 0, 0, v.fail("vector of %d elements of %d bytes at %d, outside %d bytes", n, elemSize, p, len(v.buf))
	}
	return n, start, nil
}

// tables verifies the vector of tables of field slot of t, calling each on
// every table.
func (v *fbVerifier) tablesOf(t fbTable, slot int, each func(fbTable) error) error {
	n, start, err := v.vector(t, slot, 4)
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		p := start + 4*i
		off, _ := v.u32(p)
		sub, err := v.table(p + off)
		if err != nil {
			return err
		}
		if err := each(sub); err != nil {
			return err
		}
	}
	return nil
}

func (v *fbVerifier) str(t fbTable, slot int) error {
	_, _, err := v.vector(t, slot, 1)
	return err
}

func (v *fbVerifier) keyValues(t fbTable, slot int) error {
	return v.tablesOf(t, slot, func(kv fbTable) error {
		if err := v.str(kv, keyValueKey); err != nil {
			return err
		}
		return v.str(kv, keyValueValue)
	})
}

func (v *fbVerifier) schema(s fbTable) error {
	if err := v.tablesOf(s, schemaFields, func(f fbTable) error { return v.field0(f, 0) }); err != nil {
		return err
	}
	if err := v.keyValues(s, schemaMetadata); err != nil {
		return err
	}
	_, _, err := v.vector(s, schemaFeatures, 8)
	return err
}

// field0 verifies a Field at nesting depth.
func (v *fbVerifier) field0(f fbTable, depth int) error {
	if depth > maxFieldDepth {
		return v.fail("fields nested deeper than %d", maxFieldDepth)
	}
	if err := v.str(f, fieldName); err != nil {
		return err
	}
	if _, _, err := v.subtable(f, fieldType); err != nil {
		return err
	}
	if d, ok, err := v.subtable(f, fieldDictionary); err != nil {
		return err
	} else if ok {
		if _, _, err := v.subtable(d, dictionaryIndexType); err != nil {
			return err
		}
	}
	if err := v.tablesOf(f, fieldChildren, func(c fbTable) error { return v.field0(c, depth+1) }); err != nil {
		return err
	}
	return v.keyValues(f, fieldMetadata)
}

func (v *fbVerifier) recordBatch(b fbTable) error {
	if _, _, err := v.vector(b, batchNodes, sizeFieldNode); err != nil {
		return err
	}
	if _, _, err := v.vector(b, batchBuffers, sizeBuffer); err != nil {
		return err
	}
	if _, _, err := v.subtable(b, batchCompression); err != nil {
		return err
	}
	_, _, err := v.vector(b, batchVariadic, 8)
	return err
}

// root verifies the root table of the buffer.
func (v *fbVerifier) root() (fbTable, error) {
	off, err := v.u32(0)
	if err != nil {
		return fbTable{}, err
	}
	return v.table(off)
}

// verifyMessage checks the metadata of an IPC message.
func verifyMessage(buf []byte) error {
	v := &fbVerifier{buf: buf}
	m, err := v.root()
	if err != nil {
		return err
	}
	typ, err := v.field(m, messageHeaderType, 1)
	if err != nil {
		return err
	}
	if err := v.keyValues(m, messageMetadata); err != nil {
		return err
	}
	h, ok, err := v.subtable(m, messageHeader)
	if err != nil || !ok || typ == 0 {
		return err
	}
	switch buf[typ] {
	case headerSchema:
		return v.schema(h)
	case headerRecordBatch:
		return v.recordBatch(h)
	case headerDictionaryBatch:
		if b, ok, err := v.subtable(h, dictBatchData); err != nil || !ok {
			return err
		} else {
			return v.recordBatch(b)
		}
	}
	return nil
}

// verifyFooter checks the footer of an IPC file and returns the number of
// record batches it lists.
func verifyFooter(buf []byte) (batches int, err error) {
	v := &fbVerifier{buf: buf}
	f, err := v.root()
	if err != nil {
		return 0, err
	}
	s, ok, err := v.subtable(f, footerSchema)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, v.fail("footer without a schema")
	}
	if err := v.schema(s); err != nil {
		return 0, err
	}
	if _, _, err := v.vector(f, footerDictionaries, sizeBlock); err != nil {
		return 0, err
	}
	if err := v.keyValues(f, footerMetadata); err != nil {
		return 0, err
	}
	n, _, err := v.vector(f, footerRecordBatches, sizeBlock)
	return n, err
}

// recordBatchOf returns the RecordBatch table of the message whose verified
// metadata v reads, or false when the message is not a record batch.
func (v *fbVerifier) recordBatchOf() (fbTable, bool) {
	m, err := v.root()
	if err != nil {
		return fbTable{}, false
	}
	if p, err := v.field(m, messageHeaderType, 1); err != nil || p == 0 || v.buf[p] != headerRecordBatch {
		return fbTable{}, false
	}
	h, ok, err := v.subtable(m, messageHeader)
	return h, err == nil && ok
}
