a + b - c
a * b / c // d % e @ f
a ** b ** c
-a ** 2
(-a) ** 2
a << 1 >> 2
a & b | c ^ d
~a
+a
not a
a and b and c
a or b or c
a and b or c and d
(a and b) and c
not a == b
a < b
a < b <= c == d != e > f >= g
a in b
a not in b
a is b
a is not b
x if cond else y
a if b else c if d else e
(n := 10)
if (m := re.match(p, s)) is not None:
    pass
print(y := f(x))
