# Popping a list to empty: 3.11 keeps a 0-byte array, 3.12 frees it.
L = [1] * 40
while L:
    L.pop()
M = [None] * 9
del M[:]
