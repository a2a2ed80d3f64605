# Assignments of every shape.
x = 1
a = b = c = x
a, b = b, a
(a, b), [c, d] = pairs
first, *rest = items
*init, last = items
head, *middle, tail = 1, 2, 3, 4
[p, *q] = r
t = 1,
u, = t
obj.attr = 1
obj.a.b = grid[i][j] = None
counts[key] += 1
total -= price * qty
x *= 2; x /= 3; x //= 4; x %= 5; x **= 6
x <<= 1; x >>= 1; x &= 7; x |= 8; x ^= 9; x @= m
name: str = "annotated"
self_attr: int = 0
del x
del a, b[0], c.d
del (e, f), [g]
type(obj).attr = type[0] = 1
