package format

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
)

// FuzzReader reads arbitrary bytes as a trace. The reader must never panic,
// and every error must be one of the package's kinds and name the file.
func FuzzReader(f *testing.F) {
	h, events := workedExample()
	batches := []*Batch{events.slice(0, 5), events.slice(5, events.Len())}
	for v := OldestVersion; v <= Version; v++ {
		for _, c := range []Compression{None, LZ4, Zstd} {
			data := writeTrace(f, h, batches, WithCompression(c), withVersion(v))
			f.Add(data)
			f.Add(data[:len(data)/2])
		}
	}
	f.Add(writeTrace(f, testHeader(), nil))
	f.Add(arrowFile(f, arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.PrimitiveTypes.Int32}}, nil), 3))
	f.Add([]byte("ARROW1\x00\x00\xff\xff\xff\xff\x10\x00\x00\x00"))
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), "fuzz.arrow")
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		defer r.Close()
		if err := Dump(io.Discard, r); err != nil {
			checkFuzzError(t, err)
		}
	})
}

func checkFuzzError(t *testing.T, err error) {
	t.Helper()
	if !strings.Contains(err.Error(), "fuzz.arrow") {
		t.Errorf("error %q does not name the file", err)
	}
	for _, kind := range []error{ErrNotArrow, ErrNotTrace, ErrVersion, ErrCorrupt} {
		if errors.Is(err, kind) {
			return
		}
	}
	t.Errorf("error %q is of no known kind", err)
}
