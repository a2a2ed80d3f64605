//go:build !noparquet

package export

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
	"github.com/heaptrace/heaptrace/format"
)

// readParquet reads a Parquet file with Arrow's reader and returns its
// table.
func readParquet(t *testing.T, path string) arrow.Table {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tbl, err := pqarrow.ReadTable(context.Background(), f, parquet.NewReaderProperties(memory.DefaultAllocator), pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

// parquetMetadata returns the key/value metadata of a Parquet file.
func parquetMetadata(t *testing.T, path string) map[string]string {
	t.Helper()
	r, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	kv := map[string]string{}
	md := r.MetaData().KeyValueMetadata()
	for i, k := range md.Keys() {
		kv[k] = md.Values()[i]
	}
	return kv
}

// The Parquet export holds every event in one file, or N events in each
// folder of a partitioned dataset, with the trace's metadata. (DuckDB
// reads them in cmd/heaptrace's tests.)
func TestParquet(t *testing.T) {
	dir := t.TempDir()
	path := genTrace(t, dir, 8, genOptions{ops: 3000, setup: 10, batch: 700})
	h, want := readEvents(t, path)
	check := func(t *testing.T, file string, from, n int) {
		t.Helper()
		tbl := readParquet(t, file)
		defer tbl.Release()
		if tbl.NumRows() != int64(n) {
			t.Fatalf("%s: %d rows, want %d", file, tbl.NumRows(), n)
		}
		var names []string
		for _, f := range tbl.Schema().Fields() {
			names = append(names, f.Name)
		}
		if !slices.Equal(names, Columns) {
			t.Fatalf("columns %v", names)
		}
		if kv := parquetMetadata(t, file); kv[format.KeyWorkload] != h.Meta.Workload || kv[format.KeySetupEvents] != "10" {
			t.Errorf("metadata %v", kv)
		}
		seqs := tbl.Column(0).Data().Chunks()
		sites := tbl.Column(7).Data().Chunks()
		row := from
		for c := range seqs {
			s := seqs[c].(*array.Int64)
			for i := 0; i < s.Len(); i++ {
				if uint64(s.Value(i)) != want.Seq[row] {
					t.Fatalf("row %d: seq %d, want %d", row, s.Value(i), want.Seq[row])
				}
				if got := sites[c].ValueStr(i); got != h.Sites[want.Site[row]] {
					t.Fatalf("row %d: site %q, want %q", row, got, h.Sites[want.Site[row]])
				}
				row++
			}
		}
	}
	t.Run("file", func(t *testing.T) {
		out := filepath.Join(dir, "one.parquet")
		exportTo(t, path, out, Options{Format: Parquet, Compression: "snappy"})
		check(t, out, 0, want.Len())
	})
	t.Run("dataset", func(t *testing.T) {
		out := filepath.Join(dir, "dataset")
		const n = 1000
		res := exportTo(t, path, out, Options{Format: Parquet, PartitionEvents: n})
		chunks := (want.Len() + n - 1) / n
		if res.Files != chunks {
			t.Errorf("%d files, want %d", res.Files, chunks)
		}
		for c := 0; c < chunks; c++ {
			check(t, filepath.Join(out, fmt.Sprintf("chunk=%d", c), parquetFile), c*n, min(n, want.Len()-c*n))
		}
		// a second export with --force replaces the dataset
		exportTo(t, path, out, Options{Format: Parquet, PartitionEvents: 5000, Force: true})
		entries, _ := os.ReadDir(out)
		if len(entries) != (want.Len()+4999)/5000 {
			t.Errorf("after a forced export with bigger chunks: %d folders", len(entries))
		}
	})
}
