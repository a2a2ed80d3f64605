# sum(): ints accumulate in a C long and become one object at the end
# (28 or 32 bytes by version); a float switches to a C double.
xs = list(range(1000, 3000))
a = sum(xs)
b = sum(x * 0.5 for x in xs)
c = sum([1.5, 2.5], 10)
d = sum(x for x in xs if x % 3 == 0)
