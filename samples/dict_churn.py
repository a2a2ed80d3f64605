# Dict churn: a sliding window of 1,000 live keys over 40,000 inserts; every
# insert past the window deletes the oldest key. Deleted slots stay used
# ("dummy" entries) until the table fills, so the dict resizes by its live
# count again and again without ever growing. Look at dict.keys in the
# by-type table: many allocs and frees, a flat live size.

WINDOW = 1000
table = {}
for i in range(40000):
    table["k%d" % i] = i
    if i >= WINDOW:
        del table["k%d" % (i - WINDOW)]
missing = 0
for i in range(0, 40000, 97):
    if table.get("k%d" % i) is None:
        missing += 1
print(f"dict_churn: {len(table)} live keys after 40000 inserts, {missing} probes missed")
