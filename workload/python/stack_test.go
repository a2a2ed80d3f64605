package python

import (
	"testing"

	"github.com/heaptrace/heaptrace/model/pyobj"
	"github.com/heaptrace/heaptrace/workload/python/syntax"
)

// genexprFrames are generator expressions with their code's co_stacksize
// and co_nlocalsplus on CPython 3.11.7, 3.12.1 and 3.13.0 (measured with
// compile() and the code object's attributes).
var genexprFrames = []struct {
	src            string
	stack, nlocals [3]int
}{
	{`(x for x in L)`, [3]int{2, 2, 2}, [3]int{2, 2, 2}},
	{`(len(s) for s in L)`, [3]int{4, 4, 4}, [3]int{2, 2, 2}},
	{`(x * y + 1 for x in L for y in L if x)`, [3]int{4, 4, 4}, [3]int{3, 3, 3}},
	{`(str(x) + 'a' for x in L)`, [3]int{4, 4, 4}, [3]int{2, 2, 2}},
	{`(x + 1 for x in L)`, [3]int{3, 3, 3}, [3]int{2, 2, 2}},
	{`((x, x) for x in L)`, [3]int{3, 3, 3}, [3]int{2, 2, 2}},
	{`((x, x, x + 1) for x in L)`, [3]int{5, 5, 5}, [3]int{2, 2, 2}},
	{`(f(x, y, z) for x in L)`, [3]int{6, 6, 6}, [3]int{2, 2, 2}},
	{`(x.upper() for x in L)`, [3]int{3, 3, 3}, [3]int{2, 2, 2}},
	{`(x.replace('a', 'b') for x in L)`, [3]int{5, 5, 5}, [3]int{2, 2, 2}},
	{`(a[x] for x in L)`, [3]int{3, 3, 3}, [3]int{2, 2, 2}},
	{`(a[x:x+1] for x in L)`, [3]int{5, 5, 5}, [3]int{2, 2, 2}},
	{`(x for x in L if x > 2)`, [3]int{3, 3, 3}, [3]int{2, 2, 2}},
	{`(x for x in L if x > 2 and x < 5)`, [3]int{3, 3, 3}, [3]int{2, 2, 2}},
	{`(f'{x}' for x in L)`, [3]int{2, 2, 2}, [3]int{2, 2, 2}},
	{`(f'a{x}b{y}' for x in L)`, [3]int{5, 5, 5}, [3]int{2, 2, 2}},
	{`(f'{x:>10}' for x in L)`, [3]int{3, 3, 3}, [3]int{2, 2, 2}},
	{`([x] for x in L)`, [3]int{2, 2, 2}, [3]int{2, 2, 2}},
	{`({x: y} for x in L)`, [3]int{3, 3, 3}, [3]int{2, 2, 2}},
	{`(x if x else y for x in L)`, [3]int{2, 2, 2}, [3]int{2, 2, 2}},
	{`(sum(v) for v in L)`, [3]int{4, 4, 4}, [3]int{2, 2, 2}},
	{`(-x for x in L)`, [3]int{2, 2, 2}, [3]int{2, 2, 2}},
	{`(x < y < z for x in L)`, [3]int{4, 4, 4}, [3]int{2, 2, 2}},
	{`(not x for x in L)`, [3]int{2, 2, 2}, [3]int{2, 2, 2}},
	{`((a, b) for a, b in L)`, [3]int{3, 3, 3}, [3]int{3, 3, 3}},
	{`(p[0] for p in L)`, [3]int{3, 3, 3}, [3]int{2, 2, 2}},
	{`(len(l) for l in L)`, [3]int{4, 4, 4}, [3]int{2, 2, 2}},
	{`(q * p for _, q, p in L)`, [3]int{4, 4, 4}, [3]int{4, 4, 4}},
	{`(x for x in range(10))`, [3]int{2, 2, 2}, [3]int{2, 2, 2}},
	{`(k for k, v in d.items() if v > 1)`, [3]int{3, 3, 3}, [3]int{3, 3, 3}},
	{`(x for row in L for x in row)`, [3]int{3, 3, 3}, [3]int{3, 3, 3}},
	{`(f(*x) for x in L)`, [3]int{4, 4, 4}, [3]int{2, 2, 2}},
	{`(f(x, key=y) for x in L)`, [3]int{5, 5, 6}, [3]int{2, 2, 2}},
	{`([y for y in x] for x in L)`, [3]int{3, 5, 5}, [3]int{2, 3, 3}},
	{`(x % 7 for x in L)`, [3]int{3, 3, 3}, [3]int{2, 2, 2}},
	{`(x ** 2 for x in L)`, [3]int{3, 3, 3}, [3]int{2, 2, 2}},
	{`(d[x] + d[y] for x in L)`, [3]int{4, 4, 4}, [3]int{2, 2, 2}},
	{`(str(i) for i in range(n))`, [3]int{4, 4, 4}, [3]int{2, 2, 2}},
	{`(x for x in L if x % 2 == 0)`, [3]int{3, 3, 3}, [3]int{2, 2, 2}},
}

// The frame a generator object carries, slot for slot, against CPython's
// compiler for every profile.
func TestGeneratorFrameSlots(t *testing.T) {
	for i, p := range pyobj.Profiles() {
		for _, tc := range genexprFrames {
			prog, err := Parse("g.py", []byte("L = d = f = a = y = z = n = None\ng = "+tc.src+"\n"))
			if err != nil {
				t.Fatalf("%s: %v", tc.src, err)
			}
			if prog, err = prog.forProfile(&p); err != nil {
				t.Fatal(err)
			}
			var code *Code
			for _, c := range prog.codes {
				if c.kind == codeGenExpr {
					code = c
				}
			}
			g := code.comp.(*syntax.GeneratorExp)
			stack := compStack(g.Generators, g.Elt, p.InlineComprehensions, p.KwNamesOnStack)
			if got, want := prog.frameSlots(code, &p), tc.stack[i]+tc.nlocals[i]; stack != tc.stack[i] || got != want {
				t.Errorf("%s %s: stack %d, slots %d; CPython %d, %d", p.Version, tc.src, stack, got, tc.stack[i], want)
			}
		}
	}
}
