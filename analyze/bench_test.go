package analyze

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/heaptrace/heaptrace/format"
)

var benchTrace struct {
	once   sync.Once
	data   []byte
	events uint64
}

// benchData returns a generated trace of about 900,000 events, in memory.
func benchData(b *testing.B) ([]byte, uint64) {
	benchTrace.once.Do(func() {
		path := filepath.Join(b.TempDir(), "bench.arrow")
		genTrace(b, path, 1, genOptions{ops: 400000, max: 20000, batch: 65536})
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		r, err := format.NewReader(bytes.NewReader(data), "bench")
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Run(r, "bench", Options{Reports: []string{"summary"}})
		if err != nil {
			b.Fatal(err)
		}
		benchTrace.data, benchTrace.events = data, rep.Events
	})
	return benchTrace.data, benchTrace.events
}

func benchReports(b *testing.B, reports []string) {
	data, events := benchData(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := format.NewReader(bytes.NewReader(data), "bench")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Run(r, "bench", Options{Reports: reports, Top: 10}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkRun replays a generated trace of about 900,000 events (reading
// included) for each report alone, and for all of them in one pass.
func BenchmarkRun(b *testing.B) {
	for _, name := range ReportNames {
		b.Run(name, func(b *testing.B) { benchReports(b, []string{name}) })
	}
	b.Run("all", func(b *testing.B) { benchReports(b, nil) })
}

// BenchmarkRead is the floor under BenchmarkRun: reading the batches alone.
func BenchmarkRead(b *testing.B) {
	data, events := benchData(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	var batch format.Batch
	for i := 0; i < b.N; i++ {
		r, err := format.NewReader(bytes.NewReader(data), "bench")
		if err != nil {
			b.Fatal(err)
		}
		for r.Next(&batch) == nil {
		}
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// bigTrace writes a generated trace of about 10 million events to a file
// under dir (in the page cache once written), uncompressed, and returns
// its path, size and events.
func bigTrace(b *testing.B, dir string) (string, int64, uint64) {
	path := filepath.Join(dir, "big.arrow")
	genTrace(b, path, 7, genOptions{ops: 4_450_000, max: 50000, batch: 65536})
	size, events := traceEvents(b, path)
	return path, size, events
}

// traceEvents returns the size of the trace at path and its events.
func traceEvents(b *testing.B, path string) (int64, uint64) {
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	r, err := format.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	var (
		batch  format.Batch
		events uint64
	)
	for r.Next(&batch) == nil {
		events += uint64(batch.Len())
	}
	return st.Size(), events
}

// BenchmarkReplay10M reads a generated trace of about 10 million events
// from a file: reading alone, then the summary, types, peak and growth
// reports together (with the live objects, and bounded: from the rows
// alone), then every report, and every report a bounded replay computes.
// Each reports events/s and the file's bytes per event.
//
//	go test ./analyze -run XXX -bench Replay10M -benchtime 3x
//
// HEAPTRACE_BENCH_TRACE=FILE replays FILE instead, e.g. a trace that
// bench/scale.sh records.
func BenchmarkReplay10M(b *testing.B) {
	var (
		path   string
		size   int64
		events uint64
	)
	if path = os.Getenv("HEAPTRACE_BENCH_TRACE"); path != "" {
		size, events = traceEvents(b, path)
	} else {
		path, size, events = bigTrace(b, b.TempDir())
	}
	run := func(b *testing.B, f func(r *format.Reader)) {
		b.SetBytes(size)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			r, err := format.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			f(r)
			r.Close()
		}
		b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		b.ReportMetric(float64(size)/float64(events), "bytes/event")
	}
	report := func(b *testing.B, reports []string, bounded bool) func(r *format.Reader) {
		return func(r *format.Reader) {
			if _, err := Run(r, "bench", Options{Reports: reports, Top: 10, Bounded: bounded}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("read", func(b *testing.B) {
		run(b, func(r *format.Reader) {
			var batch format.Batch
			for r.Next(&batch) == nil {
			}
		})
	})
	four := []string{"summary", "types", "peak", "growth"}
	b.Run("summary+types+peak+growth", func(b *testing.B) { run(b, report(b, four, false)) })
	b.Run("summary+types+peak+growth,bounded", func(b *testing.B) { run(b, report(b, four, true)) })
	b.Run("all", func(b *testing.B) { run(b, report(b, nil, false)) })
	b.Run("all,bounded", func(b *testing.B) { run(b, report(b, nil, true)) })
}

// BenchmarkReplayOnly replays batches decoded beforehand (the trace of
// BenchmarkRun), without reading: the replay loop's own speed.
func BenchmarkReplayOnly(b *testing.B) {
	h, batches, events := decodedBatches(b)
	four := []string{"summary", "types", "peak", "growth"}
	for _, c := range []struct {
		name    string
		reports []string
		bounded bool
	}{
		{"summary", []string{"summary"}, false},
		{"summary+types+peak+growth", four, false},
		{"summary+types+peak+growth,bounded", four, true},
		{"all", nil, false},
	} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				p, err := newReplay(h, Options{Reports: c.reports, Top: 10, Bounded: c.bounded})
				if err != nil {
					b.Fatal(err)
				}
				for _, batch := range batches {
					if err := p.batch(batch); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkLowerLayers replays the allocator and os layers alone, of
// batches decoded beforehand (the trace of BenchmarkRun), without and with
// the fragmentation report: the first stage's share of the replay,
// besides reading.
func BenchmarkLowerLayers(b *testing.B) {
	h, batches, events := decodedBatches(b)
	for _, frag := range []bool{false, true} {
		name := "sums"
		if frag {
			name = "fragmentation"
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				l := &lowerLayers{arenaType: indexOf(h.Types, "arena")}
				if frag {
					l.frag = newFragReplay(h.Meta.Params, 100)
				}
				for _, batch := range batches {
					l.batch(batch)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events)/float64(b.N), "ns/event")
		})
	}
}

// decodedBatches returns the header and the batches of the trace of
// BenchmarkRun, decoded, and its events.
func decodedBatches(b *testing.B) (format.Header, []*format.Batch, uint64) {
	data, events := benchData(b)
	r, err := format.NewReader(bytes.NewReader(data), "bench")
	if err != nil {
		b.Fatal(err)
	}
	var batches []*format.Batch
	for {
		batch := new(format.Batch)
		if r.Next(batch) != nil {
			break
		}
		batches = append(batches, batch)
	}
	return r.Header(), batches, events
}

// BenchmarkObjectLayerFloor is the least the object layer of the summary,
// types, peak and growth reports could cost in one pass, on the batches of
// BenchmarkReplayOnly: each row's signed size added to its type's tallies
// and to the running sum, with no branch on the row's op or layer, the
// peak kept, then the object curve sampled, then each type's curve too. It
// leaves out what a real replay cannot (free lists, set-up rows, filters,
// the peak's contents by type), so a replay can only be slower. Set beside
// BenchmarkReplayOnly/summary+types+peak+growth,bounded and
// BenchmarkLowerLayers/sums, it says how far one core is from a target.
func BenchmarkObjectLayerFloor(b *testing.B) {
	h, batches, events := decodedBatches(b)
	var sign [16 << 3]int64 // op<<3|layer: +1, -1 or 0, as allocSign for the object layer
	for op := range opSign {
		sign[op<<3|int(format.LayerObject)] = opSign[op]
	}
	type typeTally struct{ live, liveBlock, liveN, allocs int64 }
	for _, c := range []struct {
		name              string
		curve, typeCurves bool
	}{
		{"tallies+peak", false, false},
		{"tallies+peak+curve", true, false},
		{"tallies+peak+curves", true, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			var peak int64
			for range b.N {
				tallies := make([]typeTally, len(h.Types))
				curves := make([]*Downsampler, len(h.Types))
				for i := range curves {
					curves[i] = NewDownsampler(100)
				}
				curve := NewDownsampler(100)
				var cur int64
				peak = 0
				for _, batch := range batches {
					n := len(batch.Op)
					first := batch.Seq[0]
					ops, layers, types, sizes, blocks := batch.Op[:n], batch.Layer[:n], batch.Type[:n], batch.Size[:n], batch.Block[:n]
					for i := range ops {
						s := sign[int(ops[i]&15)<<3|int(layers[i]&7)]
						t := &tallies[types[i]]
						d := s * sizes[i]
						cur += d
						t.live += d
						t.liveBlock += s * blocks[i]
						t.liveN += s
						t.allocs += s & 1
						peak = max(peak, cur)
						if c.curve && s != 0 {
							// as the replay samples: the common case inlined
							seq := first + uint64(i)
							if !curve.addToTail(seq, cur) {
								curve.addBucket(seq, cur)
							}
							if d := curves[types[i]]; c.typeCurves && !d.addToTail(seq, t.live) {
								d.addBucket(seq, t.live)
							}
						}
					}
				}
			}
			if peak <= 0 {
				b.Fatalf("peak %d", peak)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events)/float64(b.N), "ns/event")
		})
	}
}
