package python

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
)

// FuzzRun feeds source text to the parser and the interpreter: whatever
// the input, a run ends with a Python error, a limit, or success, never a
// Go panic, and the heap's invariants hold afterwards.
func FuzzRun(f *testing.F) {
	seeds := []string{
		"x = [1, 2, 3]\nx.append(x)\n",
		"d = {}\nfor i in range(50):\n    d[str(i)] = i\n    if i % 3 == 0:\n        del d[str(i)]\n",
		"def f(n):\n    return n if n < 2 else f(n-1) + f(n-2)\nf(10)\n",
		"s = ''\nfor c in 'hello':\n    s += c * 2\nprint(s.upper(), len(s))\n",
		"a = {1, 2, 3}\nb = a ^ {2, 5}\nc = sorted(b, reverse=True)\n",
		"t = tuple(x * 0.5 for x in range(20))\nz = list(zip(t, t))\n",
		"try:\n    [][1]\nexcept IndexError as e:\n    msg = str(e)\n",
		"class P:\n    def __init__(self, x):\n        self.x = x\nps = [P(i) for i in range(5)]\n",
		"x = f'{1:>5}|{2.5:.2f}|{\"a\"!r}'\ny = '%s-%d' % ('a', 3)\n",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	if files, _ := filepath.Glob("../../samples/*.py"); len(files) > 0 {
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(string(b))
			}
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, err := Parse("fuzz.py", []byte(src))
		if err != nil {
			return
		}
		h, _ := model.NewHeap(model.DefaultConfig(), nil)
		h.SetLimit(64 << 20)
		in, err := p.Declare(pyobj.New(h, pyobj.CPython311()), Options{MaxEvents: 200000, Timeout: 200 * time.Millisecond, RecursionLimit: 100})
		if err != nil {
			return
		}
		if err := in.Run(); errors.Is(err, ErrInternal) {
			t.Fatalf("running %q: %v", src, err)
		}
		if err := h.Check(); err != nil {
			t.Fatalf("after running %q: %v", src, err)
		}
	})
}
