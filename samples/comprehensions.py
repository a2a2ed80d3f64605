# Comprehensions: a list, a dict and a set comprehension, then a generator
# expression passed to sum(). In 3.11 each comprehension runs as a little
# function (function object, frame, iterator); the list/dict/set hold every
# result, while the generator feeds sum() one value at a time.
# Look at the peak: the list and dict dominate, the genexpr adds almost nothing.

squares = [i * i for i in range(20000)]
names = {i: "n%d" % i for i in range(5000)}
residues = {i * i % 1009 for i in range(20000)}
evens = [x for x in squares if x % 2 == 0]
total = sum(x * x for x in range(50000))
longest = max(len(v) for v in names.values())
print(f"comprehensions: {len(squares)} squares, {len(names)} names, {len(residues)} residues, {len(evens)} evens, sum {total}, longest {longest}")
