# f-string formatting of records: 8,000 (name, qty, price) tuples rendered
# as fixed-width report lines with f"{name:<12}{qty:>8}{price:>12.2f}" and
# then joined into one report. Each line is a fresh str; the format specs
# create short-lived pieces that are freed as soon as the line is built.
# Look at str in the by-type table: many allocs, and one big report str.

seed = 99
records = []
for i in range(8000):
    seed = (seed * 1103515245 + 12345) % 2147483648
    name = "item-%d" % (seed % 3000)
    qty = (seed >> 10) % 500
    price = ((seed >> 4) % 100000) / 100.0
    records.append((name, qty, price))

lines = []
for name, qty, price in records:
    lines.append(f"{name:<12}{qty:>8}{price:>12.2f}")
report = "\n".join(lines)
total = sum(q * p for _, q, p in records)
header = "{:<12}{:>8}{:>12}".format("name", "qty", "price")
print(f"fstring_records: {len(lines)} lines, {len(report) + len(header)} chars, value {total:.2f}")
