# Fragmentation: 20,000 strs of 30 chars (79-byte requests, 80-byte blocks)
# are made, every other one is freed, then 10,000 strs of 60 chars (112-byte
# blocks) are made. The freed 80-byte blocks cannot hold the new objects, so
# half-empty pools stay and new pools are carved for the bigger class.
# Look at the os layer against the objects layer: the arenas stay mapped,
# about 0.8 MB of free 80-byte blocks inside them that nothing can use.

def make(i, width):
    return ("%0" + str(width) + "d") % i

small = []
for i in range(20000):
    small.append(make(i, 30))

kept = []
for i in range(0, 20000, 2):
    kept.append(small[i])
del small

bigger = []
for i in range(10000):
    bigger.append(make(i, 60))

live = len(kept) + len(bigger)
nbytes = sum(len(s) for s in kept) + sum(len(s) for s in bigger)
print(f"fragmentation: {live} live strs, {nbytes} chars")
