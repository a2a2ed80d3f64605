# Generator expressions: their object holds their frame, sized by locals
# and value stack.
words = ['w%d' % i for i in range(300)]
a = sum(len(w) for w in words)
b = max(len(w) + 1 for w in words if w)
c = list(w.upper() for w in words[:50])
d = sum(x * y for x in range(30) for y in range(30))
