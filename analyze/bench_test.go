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
