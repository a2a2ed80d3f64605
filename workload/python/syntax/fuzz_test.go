package syntax

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics and returns either a tree or
// an *Error with a real position, and that Fprint and Walk accept every
// tree it returns. Seeds: the golden sources and the error table.
//
//	go test ./workload/python/syntax -fuzz FuzzParse
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.py")
	files = append(files, "testdata/bench/program.py")
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, src := range errorSources() {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Parse("fuzz.py", src)
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse returned %T, want *Error", err)
			}
			if perr.Pos.Line < 1 || perr.Pos.Col < 1 {
				t.Fatalf("error without a position: %v", err)
			}
			if strings.Contains(perr.Msg, "internal parser error") {
				t.Fatalf("%v", err)
			}
			if file != nil {
				t.Fatalf("Parse returned both a File and an error")
			}
			return
		}
		if file == nil {
			t.Fatal("Parse returned neither a File nor an error")
		}
		var buf bytes.Buffer
		if err := Fprint(&buf, file); err != nil {
			t.Fatal(err)
		}
		Walk(file, func(n Node) bool {
			if p := n.Position(); p.Line < 1 || p.Col < 1 {
				t.Fatalf("%T without a position: %v", n, p)
			}
			return true
		})
	})
}
