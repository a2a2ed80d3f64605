# Growing list: one list grown by append() to 50,000 items, then dropped.
# CPython over-allocates the item array by about 1/8 each time it fills, so
# the item array is resized 61 times (one malloc, 60 reallocs), not 50,000.
# Look at list.items in the by-type table (one alloc, 444 KB live at the
# peak) and the growth curve: a climb, a plateau, a slope as del frees it.

def grow(n):
    items = []
    for i in range(n):
        items.append(i * 3)
    return items

values = grow(50000)
total = 0
for v in values:
    total += v
length = len(values)
del values
print(f"list_append: appended {length} ints, total {total}")
