package python

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
)

// BenchmarkSamples runs each bundled sample on the interpreter (no
// recorder: see bench/interp.sh for whole runs against CPython).
func BenchmarkSamples(b *testing.B) {
	files, _ := filepath.Glob("../../samples/*.py")
	if len(files) == 0 {
		b.Skip("no samples")
	}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(name), func(b *testing.B) {
			var events uint64
			for i := 0; i < b.N; i++ {
				p, err := Parse(name, src)
				if err != nil {
					b.Fatal(err)
				}
				h, _ := model.NewHeap(model.DefaultConfig(), nil)
				in, err := p.Declare(pyobj.New(h, pyobj.CPython311()), Options{Stdout: io.Discard})
				if err != nil {
					b.Fatal(err)
				}
				if err := in.Run(); err != nil {
					b.Fatal(err)
				}
				events += h.Events()
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds()/1e6, "Mevents/s")
		})
	}
}
