[x for x in xs]
[x * y for x in xs for y in ys]
[x for x in xs if x if x > 2 for y in x if y]
{x for x in xs}
{k: v for k, v in d.items() if v}
(x for x in xs)
sum(x for x in xs)
sum((x for x in xs), start)
any(p(x) for x in xs if x)
[[c for c in row] for row in grid]
[(i, j) for i, j in pairs]
[f(x) for x in range(10) if x % 2 == 0]
