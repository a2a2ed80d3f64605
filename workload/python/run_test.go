package python

import (
	"bytes"
	"testing"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
)

// runScript runs src and returns tracemalloc's current and peak as the
// model sees them, and what the script printed.
func runScript(t testing.TB, src string) (cur, peak int64, out string, err error) {
	t.Helper()
	p, perr := Parse("test.py", []byte(src))
	if perr != nil {
		t.Fatal(perr)
	}
	tr := model.NewTracemalloc()
	h, _ := model.NewHeap(model.DefaultConfig(), tr)
	o := pyobj.New(h, pyobj.CPython311())
	var buf bytes.Buffer
	in, derr := p.Declare(o, Options{Stdout: &buf})
	if derr != nil {
		t.Fatal(derr)
	}
	tr.Start()
	err = in.Run()
	if cerr := h.Check(); cerr != nil {
		t.Fatal(cerr)
	}
	return tr.Current(), tr.Peak(), buf.String(), err
}

func TestReferenceSnippets(t *testing.T) {
	for _, tc := range []struct {
		src       string
		cur, peak int64
	}{
		{"", 0, 152},
		{"L=[i*0.5 for i in range(300)]\ndel L", 2456, -1},
		{"L=[(i,i) for i in range(2500)]\ndel L", 112056, -1},
		{"L=[{'a':i} for i in range(100)]\ndel L", 14776, -1},
		{"L=[{i:i} for i in range(100)]\ndel L", 5176, -1},
		{"L=[[i] for i in range(100)]\ndel L", 4480, -1},
		{"x = [i for i in range(3)]", -1, 288 + 152},
	} {
		cur, peak, out, err := runScript(t, tc.src)
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if (tc.cur >= 0 && cur != tc.cur) || (tc.peak >= 0 && peak != tc.peak) {
			t.Errorf("%q: current %d peak %d, CPython %d %d (%s)", tc.src, cur, peak, tc.cur, tc.peak, out)
		}
	}
}
