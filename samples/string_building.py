# String building two ways: s += piece inside a function, and ''.join.
# In a warm function CPython 3.11 grows the str in place (realloc) because
# the local holds the only reference; the join builds a list of pieces and
# one final str. Look at str in the by-type table: reallocs for concat(),
# a list of 20,000 small strs plus one big str for joined().

def concat(n):
    s = ""
    for i in range(n):
        s += "item%05d," % i
    return s

def joined(n):
    parts = []
    for i in range(n):
        parts.append("item%05d," % i)
    return "".join(parts)

a = concat(20000)
b = joined(20000)
same = a == b
print(f"string_building: {len(a)} chars by +=, {len(b)} by join, equal={same}")
