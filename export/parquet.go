//go:build !noparquet

// This file defines the Parquet export: the trace as one Parquet file, or
// as a Hive-style partitioned dataset of files of a fixed number of events.

package export

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/compress"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
	"github.com/heaptrace/heaptrace/format"
)

// ParquetSupported reports whether this build writes Parquet: builds with
// the noparquet tag leave Arrow's Parquet writer out (about 30 MiB of
// binary and a minute of cold build).
const ParquetSupported = true

// rowGroupRows is the most rows in one Parquet row group: large enough for
// fast scans, small enough that the writer's buffer stays tens of MiB.
const rowGroupRows = 1 << 20

// KeyPartitionEvents is the Parquet metadata key that a file of a
// partitioned dataset carries: the events per folder.
const KeyPartitionEvents = "heaptrace.partition_events"

// parquetSchema is the Arrow schema that the Parquet files are written
// from: the Columns, strings as dictionaries (Parquet stores them
// dictionary-encoded), with the trace's metadata.
func parquetSchema(h format.Header, partition int64) *arrow.Schema {
	dict := func(idx arrow.DataType) arrow.DataType {
		return &arrow.DictionaryType{IndexType: idx, ValueType: arrow.BinaryTypes.String}
	}
	fields := []arrow.Field{
		{Name: "seq", Type: arrow.PrimitiveTypes.Int64},
		{Name: "op", Type: dict(arrow.PrimitiveTypes.Int8)},
		{Name: "layer", Type: dict(arrow.PrimitiveTypes.Int8)},
		{Name: "type", Type: dict(arrow.PrimitiveTypes.Int16)},
		{Name: "size", Type: arrow.PrimitiveTypes.Int64},
		{Name: "block", Type: arrow.PrimitiveTypes.Int64},
		{Name: "addr", Type: arrow.PrimitiveTypes.Int64},
		{Name: "site", Type: dict(arrow.PrimitiveTypes.Int32)},
		{Name: "setup", Type: arrow.FixedWidthTypes.Boolean},
	}
	m := h.Meta
	keys := []string{format.KeyFormatVersion, format.KeyProfile, format.KeyWorkload, format.KeyToolVersion, format.KeyParams, format.KeySetupEvents}
	vals := []string{strconv.Itoa(m.FormatVersion), m.Profile, m.Workload, m.ToolVersion, m.Params, strconv.FormatUint(m.SetupEvents, 10)}
	if partition > 0 {
		keys = append(keys, KeyPartitionEvents)
		vals = append(vals, strconv.FormatInt(partition, 10))
	}
	md := arrow.NewMetadata(keys, vals)
	return arrow.NewSchema(fields, &md)
}

// parquetProps returns the writer properties for a codec name.
func parquetProps(codec string) *parquet.WriterProperties {
	c := compress.Codecs.Zstd
	switch codec {
	case "snappy":
		c = compress.Codecs.Snappy
	case "none":
		c = compress.Codecs.Uncompressed
	}
	return parquet.NewWriterProperties(
		parquet.WithCompression(c),
		parquet.WithMaxRowGroupLength(rowGroupRows),
		parquet.WithCreatedBy("heaptrace"),
		parquet.WithDictionaryDefault(false),
		parquet.WithDictionaryFor("op", true),
		parquet.WithDictionaryFor("layer", true),
		parquet.WithDictionaryFor("type", true),
		parquet.WithDictionaryFor("site", true),
	)
}

// recordBuilder makes Arrow records of the parquetSchema from batches,
// sharing the batch's memory where the types allow.
type recordBuilder struct {
	schema                   *arrow.Schema
	ops, layers, types, site arrow.Array
	setup                    uint64
	mem                      memory.Allocator
}

func newRecordBuilder(h format.Header, schema *arrow.Schema) *recordBuilder {
	mem := memory.NewGoAllocator()
	strs := func(names []string) arrow.Array {
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.AppendValues(names, nil)
		return b.NewArray()
	}
	return &recordBuilder{
		schema: schema, mem: mem, setup: h.Meta.SetupEvents,
		ops: strs(format.OpNames()), layers: strs(format.LayerNames()),
		types: strs(h.Types), site: strs(h.Sites),
	}
}

func (rb *recordBuilder) release() {
	rb.ops.Release()
	rb.layers.Release()
	rb.types.Release()
	rb.site.Release()
}

// bytesOf returns the memory of a slice of fixed-size values.
func bytesOf[T any](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	var zero T
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(zero)))
}

// record returns rows lo..hi of b as a record; it shares b's memory, so
// it is valid until b is next filled.
func (rb *recordBuilder) record(b *format.Batch, lo, hi int) arrow.Record {
	n := hi - lo
	fixed := func(t arrow.DataType, data []byte) arrow.ArrayData {
		return array.NewData(t, n, []*memory.Buffer{nil, memory.NewBufferBytes(data)}, nil, 0, 0)
	}
	dict := func(field int, idx arrow.DataType, data []byte, values arrow.Array) arrow.Array {
		ind := array.MakeFromData(fixed(idx, data))
		defer ind.Release()
		return array.NewDictionaryArray(rb.schema.Field(field).Type, ind, values)
	}
	setup := make([]byte, bitutil.BytesForBits(int64(n)))
	for i := lo; i < hi && b.Seq[i] <= rb.setup; i++ {
		bitutil.SetBit(setup, i-lo)
	}
	cols := []arrow.Array{
		array.MakeFromData(fixed(arrow.PrimitiveTypes.Int64, bytesOf(b.Seq[lo:hi]))),
		dict(1, arrow.PrimitiveTypes.Int8, bytesOf(b.Op[lo:hi]), rb.ops),
		dict(2, arrow.PrimitiveTypes.Int8, bytesOf(b.Layer[lo:hi]), rb.layers),
		dict(3, arrow.PrimitiveTypes.Int16, bytesOf(b.Type[lo:hi]), rb.types),
		array.MakeFromData(fixed(arrow.PrimitiveTypes.Int64, bytesOf(b.Size[lo:hi]))),
		array.MakeFromData(fixed(arrow.PrimitiveTypes.Int64, bytesOf(b.Block[lo:hi]))),
		array.MakeFromData(fixed(arrow.PrimitiveTypes.Int64, bytesOf(b.Addr[lo:hi]))),
		dict(7, arrow.PrimitiveTypes.Int32, bytesOf(b.Site[lo:hi]), rb.site),
		array.MakeFromData(fixed(arrow.FixedWidthTypes.Boolean, setup)),
	}
	rec := array.NewRecord(rb.schema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// parquetWriter writes one Parquet file.
type parquetWriter struct {
	f  *os.File // nil when writing to the output's own file
	fw *pqarrow.FileWriter
}

func newParquetWriter(w io.Writer, f *os.File, schema *arrow.Schema, codec string) (*parquetWriter, error) {
	fw, err := pqarrow.NewFileWriter(schema, w, parquetProps(codec), pqarrow.NewArrowWriterProperties())
	if err != nil {
		return nil, err
	}
	return &parquetWriter{f: f, fw: fw}, nil
}

func (pw *parquetWriter) write(rec arrow.Record) error {
	defer rec.Release()
	return pw.fw.WriteBuffered(rec)
}

func (pw *parquetWriter) close() error {
	err := pw.fw.Close() // closes the file too
	if pw.f != nil {
		pw.f.Close()
	}
	return err
}

// writeParquet writes the trace r to o: one file, or a folder per
// opts.PartitionEvents events.
func writeParquet(o *output, r *format.Reader, opts Options) (uint64, error) {
	h := r.Header()
	schema := parquetSchema(h, opts.PartitionEvents)
	rb := newRecordBuilder(h, schema)
	defer rb.release()

	var pw *parquetWriter
	chunk := int64(-1)
	open := func() error {
		if o.file != nil {
			var err error
			pw, err = newParquetWriter(nopCloser{o.file}, nil, schema, opts.Compression)
			return err
		}
		chunk++
		dir := o.path(fmt.Sprintf("%s=%d", partitionKey, chunk))
		if err := os.Mkdir(dir, 0o755); err != nil {
			return err
		}
		f, err := os.Create(filepath.Join(dir, parquetFile))
		if err != nil {
			return err
		}
		pw, err = newParquetWriter(f, f, schema, opts.Compression)
		if err != nil {
			f.Close()
		}
		return err
	}
	defer func() {
		if pw != nil {
			pw.close()
		}
	}()
	if err := open(); err != nil {
		return 0, err
	}

	progress := opts.progress("write")
	var b format.Batch
	var events uint64
	total := r.NumBatches()
	for done := 1; ; done++ {
		err := r.Next(&b)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return events, err
		}
		for lo := 0; lo < b.Len(); {
			hi := b.Len()
			if n := opts.PartitionEvents; n > 0 {
				// the chunk of the row at lo ends after event (chunk+1)*n
				if (events+uint64(lo))/uint64(n) != uint64(chunk) {
					if err := pw.close(); err != nil {
						pw = nil
						return events, err
					}
					pw = nil
					if err := open(); err != nil {
						return events, err
					}
				}
				hi = min(hi, lo+int(uint64(chunk+1)*uint64(n)-events-uint64(lo)))
			}
			if err := pw.write(rb.record(&b, lo, hi)); err != nil {
				return events, err
			}
			lo = hi
		}
		events += uint64(b.Len())
		if progress != nil {
			progress(done, total)
		}
	}
	err := pw.close()
	pw = nil
	return events, err
}

// nopCloser keeps the Parquet writer from closing the output's file,
// which the output closes itself.
type nopCloser struct{ io.Writer }
