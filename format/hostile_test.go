package format

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"runtime"
	"testing"
)

// hostileTrace returns a trace cut short after a real first batch and
// batches of n rows whose column buffers, compressed with codec, are
// frame(width of the column) each.
func hostileTrace(t *testing.T, codec Compression, batches, n int, frame func(width int) []byte) []byte {
	t.Helper()
	var f memFile
	w, err := NewWriter(&f, testHeader(), WithCompression(codec))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(allKinds(1)); err != nil { // through Arrow's path, with the dictionaries
		t.Fatal(err)
	}
	for range batches {
		var bufs [][]byte
		for _, width := range []int{1, 1, 2, 8, 8, 8, 4} {
			bufs = append(bufs, nil, frame(width))
		}
		if err := w.enc.writeBody(-1, n, len(bufs)/2, bufs); err != nil {
			t.Fatal(err)
		}
	}
	return f.buf
}

// zstdRLE is a compressed buffer of want bytes (its stated length) holding a
// zstd frame that says it holds fcs bytes (none: no size) and decodes to
// blocks x 128 KiB of zeros.
func zstdRLE(want int, fcs uint32, blocks int) []byte {
	p := binary.LittleEndian.AppendUint64(nil, uint64(want))
	if fcs != 0 {
		p = append(p, 0x28, 0xB5, 0x2F, 0xFD, 0xA0) // single segment, 4-byte size
		p = binary.LittleEndian.AppendUint32(p, fcs)
	} else {
		p = append(p, 0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x58) // no size, 8 MiB window
	}
	for i := range blocks {
		last := uint32(0)
		if i == blocks-1 {
			last = 1
		}
		h := last | 1<<1 | uint32(128<<10)<<3 // an RLE block of 128 KiB
		p = append(p, byte(h), byte(h>>8), byte(h>>16), 0)
	}
	return p
}

// TestHostileFramesBounded reads traces of a few KB whose compressed
// buffers claim or decode to far more than their columns: batches claiming
// MaxBatchLen rows with empty frames, frames stating 127 MiB for a
// one-row column, frames that really decode to 127 MiB. The reader must
// report them (or read what it can) without keeping more than a batch's
// worth of memory: before the fast path checked frames, such files made it
// keep 0.5-0.9 GB.
func TestHostileFramesBounded(t *testing.T) {
	tests := []struct {
		name    string
		codec   Compression
		batches int
		rows    int
		frame   func(width int) []byte
	}{
		{"lz4 empty frames for MaxBatchLen rows", LZ4, 1, MaxBatchLen, func(w int) []byte {
			return append(binary.LittleEndian.AppendUint64(nil, uint64(MaxBatchLen*w)), 0x04, 0x22, 0x4D, 0x18, 0x60, 0x70, 0x73)
		}},
		{"zstd empty frames for MaxBatchLen rows", Zstd, 1, MaxBatchLen, func(w int) []byte {
			return zstdRLE(MaxBatchLen*w, 0, 0)[:14]
		}},
		{"zstd frames stating 127 MiB", Zstd, 20, 1, func(w int) []byte { return zstdRLE(w, 127<<20, 1) }},
		{"zstd frames decoding to 127 MiB", Zstd, 4, 1, func(w int) []byte { return zstdRLE(w, 0, 1016) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := hostileTrace(t, tt.codec, tt.batches, tt.rows, tt.frame)
			r, err := NewReader(bytes.NewReader(data), "hostile.arrow")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var b Batch
			for {
				err = r.Next(&b)
				if err != nil {
					break
				}
			}
			if err != io.EOF && !errors.Is(err, ErrCorrupt) {
				t.Errorf("read error %v, want io.EOF or ErrCorrupt", err)
			}
			kept := 0
			for _, s := range r.scratch {
				kept += cap(s)
			}
			if kept > 1<<20 {
				t.Errorf("the reader keeps %d bytes of decoded buffers", kept)
			}
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > 256<<20 {
				t.Errorf("%d MiB of heap in use with the reader open", ms.HeapInuse>>20)
			}
		})
	}
}
