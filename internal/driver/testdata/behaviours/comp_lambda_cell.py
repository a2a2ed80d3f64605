# A lambda made in a comprehension captures its loop variable: a cell per
# comprehension, inlined or not.
def make():
    return [lambda: i for i in range(5)]

fs = make()
