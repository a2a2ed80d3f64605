package python

import "testing"

func TestSmoke(t *testing.T) {
	src := `
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

words = "the quick brown fox jumps over the lazy dog the end".split()
counts = {}
for w in words:
    counts[w] = counts.get(w, 0) + 1
top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
s = ""
for i in range(50):
    s += str(i)
sq = {x: x * x for x in range(20)}
evens = {x for x in range(30) if x % 2 == 0}
total = sum(x * 2 for x in range(100))
a, *rest = [1, 2, 3, 4]
nested = [[i * j for j in range(5)] for i in range(5)]
f = 1.5
for i in range(200):
    f = f * 1.01 + 0.5
big = 2 ** 100 + 12345678901234567890
msg = f"{len(words)} words, top={top[0][0]!r}, fib={fib(15)}, f={f:.3f}, big={big}"
print(msg)
print("%d items, %s" % (len(sq), evens & {2, 4, 100}))
try:
    counts["missing"]
except KeyError as e:
    print("caught", e)
def make_adder(k):
    def add(x):
        return x + k
    return add
add5 = make_adder(5)
print(add5(10), "{0}-{1}".format("a", 3), ", ".join(str(x) for x in rest))
`
	cur, peak, out, err := runScript(t, src)
	if err != nil {
		t.Fatalf("%v", err)
	}
	t.Logf("current %d peak %d\n%s", cur, peak, out)
}
