package driver

import (
	"path/filepath"
	"testing"

	"github.com/heaptrace/heaptrace/format"
	"github.com/heaptrace/heaptrace/workload/synthetic"
)

// BenchmarkRecord records a synthetic workload through the model and the
// recorder to a file: the whole recording path, in events per second and
// bytes on disk per event.
func BenchmarkRecord(b *testing.B) {
	for _, c := range []format.Compression{format.None, format.LZ4, format.Zstd} {
		b.Run(c.String(), func(b *testing.B) {
			w, err := synthetic.Lookup("fragmentation")
			if err != nil {
				b.Fatal(err)
			}
			out := filepath.Join(b.TempDir(), "b.arrow")
			var events uint64
			var bytes int64
			for i := 0; i < b.N; i++ {
				res, err := Record(Synthetic(w, 250000), RecordOptions{Out: out, Compression: c})
				if err != nil {
					b.Fatal(err)
				}
				events += res.Events
				bytes += res.FileBytes
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds()/1e6, "Mevents/s")
			b.ReportMetric(float64(bytes)/float64(events), "bytes/event")
		})
	}
}
