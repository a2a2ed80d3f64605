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

// FuzzRun feeds source text to the parser and the interpreter, with every
// profile: whatever the input, a run ends with a Python error, a limit, or
// success, never a Go panic, and the heap's invariants hold afterwards.
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
		"def g(n):\n    k = 2\n    return [[x * k for x in range(y)] for y in range(n)], (z for z in range(n) if z)\ng(5)\n",
		"a, b = 1, [2]\nfs = [lambda: i for i in range(3)]\ns = sum(v * 0.5 for v in range(9))\n",
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
		if _, err := Parse("fuzz.py", []byte(src)); err != nil {
			return
		}
		for _, profile := range pyobj.Profiles() {
			prog, err := Parse("fuzz.py", []byte(src)) // a run changes its code objects
			if err != nil {
				t.Fatalf("parsed once, not twice: %v", err)
			}
			h, _ := model.NewHeap(model.DefaultConfig(), nil)
			h.SetLimit(64 << 20)
			in, err := prog.Declare(pyobj.New(h, profile), Options{MaxEvents: 200000, Timeout: 200 * time.Millisecond, RecursionLimit: 100})
			if err != nil {
				continue
			}
			if err := in.Run(); errors.Is(err, ErrInternal) {
				t.Fatalf("running %q on %s: %v", src, profile.Name, err)
			}
			if err := h.Check(); err != nil {
				t.Fatalf("after running %q on %s: %v", src, profile.Name, err)
			}
		}
	})
}
