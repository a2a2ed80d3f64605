# Sorting: sorted() of 12,000 (name, score, id) tuples with a key=lambda.
# sorted() copies the list, keys=... builds a second array of key objects
# (a new tuple per record), and timsort allocates merge memory for runs.
# Look at list.items and tuple in the by-type table, and the short spike in
# the growth curve while the keys and merge buffer are alive.

seed = 2024
records = []
for i in range(12000):
    seed = (seed * 1103515245 + 12345) % 2147483648
    name = "user%d" % (seed % 5000)
    score = (seed >> 12) % 1000
    records.append((name, score, i))

by_score = sorted(records, key=lambda r: (-r[1], r[0]))
by_name = sorted(records, key=lambda r: r[0])
records.sort(key=lambda r: r[2], reverse=True)
best = by_score[0]
print(f"sorting: {len(by_score)} records, best {best[0]} {best[1]}, first name {by_name[0][0]}")
