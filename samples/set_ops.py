# Set operations: two sets of 6,000 and 4,000 ints, combined by union,
# intersection, difference and symmetric difference, as operators and as
# methods. Each result is a new set whose hash table is sized for its
# content; the ints above 256 are separate 32-byte objects shared by sets.
# Look at set and set.table in the by-type table: few sets, large tables.

evens = set(range(0, 12000, 2))
threes = {i for i in range(0, 12000, 3)}

both = evens & threes
either = evens | threes
only_evens = evens - threes
one_of = evens ^ threes

m_union = evens.union(threes)
m_inter = evens.intersection(threes)
m_diff = evens.difference(threes)

small = set()
for i in range(1000):
    small.add(i * 37 % 1009)
for i in range(0, 1000, 3):
    small.discard(i)

ok = both == m_inter and either == m_union and only_evens == m_diff
print(f"set_ops: |&|={len(both)} |or|={len(either)} |-|={len(only_evens)} |^|={len(one_of)} small={len(small)} ok={ok}")
