package format

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"testing"
)

// sizeFile is an io.WriteSeeker that keeps nothing but its size.
type sizeFile struct{ pos, size int64 }

func (f *sizeFile) Write(p []byte) (int, error) {
	f.pos += int64(len(p))
	f.size = max(f.size, f.pos)
	return len(p), nil
}

func (f *sizeFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += f.pos
	case io.SeekEnd:
		offset += f.size
	}
	if offset < 0 {
		return 0, errors.New("sizeFile: negative position")
	}
	f.pos = offset
	return offset, nil
}

const benchBatch = 65536

// benchBatches returns n batches of benchBatch synthetic events.
func benchBatches(n int) []*Batch {
	rng := rand.New(rand.NewSource(3))
	all := synthetic(1, n*benchBatch, rng)
	batches := make([]*Batch, n)
	for i := range batches {
		batches[i] = all.slice(i*benchBatch, (i+1)*benchBatch)
	}
	return batches
}

// BenchmarkWrite writes batches of 65536 events; it reports events/s and
// the file's bytes per event.
func BenchmarkWrite(b *testing.B) {
	batches := benchBatches(16)
	for _, c := range []Compression{None, LZ4, Zstd} {
		b.Run(c.String(), func(b *testing.B) {
			var (
				f      sizeFile
				events int
			)
			w, err := NewWriter(&f, testHeader(), WithCompression(c))
			if err != nil {
				b.Fatal(err)
			}
			// One writer for the whole run: seq must continue, so
			// renumber each batch as it is reused.
			next := uint64(1)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				batch := batches[i%len(batches)]
				for j := range batch.Seq {
					batch.Seq[j] = next + uint64(j)
				}
				if err := w.Write(batch); err != nil {
					b.Fatal(err)
				}
				next += uint64(batch.Len())
				events += batch.Len()
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(f.size)/float64(events), "bytes/event")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkRead reads a trace of 16 batches of 65536 events; it reports
// events/s.
func BenchmarkRead(b *testing.B) {
	batches := benchBatches(16)
	for _, c := range []Compression{None, LZ4, Zstd} {
		b.Run(c.String(), func(b *testing.B) {
			data := writeTrace(b, testHeader(), batches, WithCompression(c))
			var (
				batch  Batch
				events int
				sum    int64
			)
			b.SetBytes(int64(len(data)))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, err := NewReader(bytes.NewReader(data), "bench.arrow")
				if err != nil {
					b.Fatal(err)
				}
				for {
					err := r.Next(&batch)
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					for _, s := range batch.Size {
						sum += s
					}
					events += batch.Len()
				}
				r.Close()
			}
			b.StopTimer()
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(len(data))/float64(events/b.N), "bytes/event")
			_ = sum
		})
	}
}
