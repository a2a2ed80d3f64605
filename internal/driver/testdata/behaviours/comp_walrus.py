# The walrus in a comprehension binds in the enclosing function.
def running(n):
    total = 0
    sums = [(total := total + x) for x in range(n)]
    return total, sums

t, s = running(200)
