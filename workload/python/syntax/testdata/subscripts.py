a[0]
a[-1]
a[i][j]
a[1:2]
a[:]
a[::]
a[1:]
a[:2]
a[::2]
a[1:2:3]
a[::-1]
a[1:2, ::3]
a[i, j]
a[1,]
a.b.c
a.b(c).d[e]
f()
f(a, b)
f(*args)
f(a, *b, c, *d)
f(key=1)
f(a, key=1, **kw)
f(**a, **b)
f(*a, k=1, *b, **c)
print("x", end="")
(f)(x)
a[*b]
a[x := 1]
