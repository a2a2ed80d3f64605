# s += t on a function local grows the str in place once the instruction
# is specialised; at module level it never is.
def build(n):
    s = ''
    for i in range(n):
        s += 'ab'
    return s

inner = build(300)
outer = ''
for i in range(50):
    outer += 'xy'
