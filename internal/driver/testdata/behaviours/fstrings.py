# f-strings: FORMAT_VALUE of ints, floats and strs, with and without
# specs, and BUILD_STRING.
rows = []
for i in range(200):
    rows.append(f"{i:>5}|{i * 0.25:8.3f}|{'x' * (i % 7)}|{i}")
report = "\n".join(rows)
