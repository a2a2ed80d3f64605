# Dict, set and tuple growth and free lists.
d = {}
for i in range(1000):
    d['k%d' % i] = i
s = set()
for i in range(500):
    s.add(i * 3)
t = [(i, i + 1) for i in range(3000)]
del t
u = {i: (i,) for i in range(100)}
