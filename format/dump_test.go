package format

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// TestDump compares the dump of small traces with the golden files
// testdata/dump-*.golden. Run "go test -update" to rewrite them.
func TestDump(t *testing.T) {
	h, events := workedExample()
	complete := writeTrace(t, h, []*Batch{events.slice(0, 4), events.slice(4, events.Len())}, WithCompression(Zstd))
	data, ends, _ := cutTrace(t, None)
	tests := []struct {
		golden string
		data   []byte
	}{
		{"dump-example.golden", complete},
		{"dump-all-kinds.golden", writeTrace(t, testHeader(), []*Batch{allKinds(1)})},
		{"dump-empty.golden", writeTrace(t, testHeader(), nil)},
		{"dump-cut.golden", data[:ends[1]+5]},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(tt.data), "trace.arrow")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var got bytes.Buffer
			if err := Dump(&got, r); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("dump differs from %s (run go test -update to accept it):\n%s", path, got.Bytes())
			}
		})
	}
}
