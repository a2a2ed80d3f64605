# Many small tuples: 20,000 (x, y) pairs and 20,000 (x, y, z) triples held in
# lists. Tuples request 56 and 64 bytes, both served from pymalloc's 64-byte
# size class; when freed, up to 2,000 of each length park on the free list.
# Look at tuple in the by-type table (allocs by count, bytes per object) and
# at final_bytes: parked tuples are still counted after the lists are gone.

seed = 12345

def lcg(state):
    return (state * 1103515245 + 12345) % 2147483648

pairs = []
triples = []
for i in range(20000):
    seed = lcg(seed)
    x = seed % 1000
    y = (seed // 1000) % 1000
    pairs.append((x, y))
    triples.append((x, y, x + y))
sx = sum(p[0] for p in pairs)
sz = sum(t[2] for t in triples)
del pairs
del triples
print(f"small_tuples: 40000 tuples, sum x {sx}, sum z {sz}")
