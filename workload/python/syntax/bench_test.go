package syntax

import (
	"os"
	"testing"
)

// BenchmarkParse parses a 550-line script with classes, closures,
// comprehensions, f-strings and exception handling.
func BenchmarkParse(b *testing.B) {
	src, err := os.ReadFile("testdata/bench/program.py")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("program.py", src); err != nil {
			b.Fatal(err)
		}
	}
}
