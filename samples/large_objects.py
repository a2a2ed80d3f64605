# Large objects: strs of 1,000 to 40,000 chars, lists of 200 to 5,000 items
# and one 820 KB joined str. Anything over 512 bytes bypasses pymalloc and
# goes to malloc: the heap segment grows for the strs and item arrays, and
# the joined str, over the 128 KiB mmap threshold, gets its own mapping.
# Look at the os layer (heap growth, one mmap, the trim at the del) and the
# few but large allocs of str and list.items in the by-type table.

big_strings = []
for i in range(40):
    n = 1000 * (i + 1)
    big_strings.append(chr(ord("a") + i % 26) * n)

big_lists = []
for i in range(25):
    big_lists.append(list(range(200 * (i + 1))))

joined = "|".join(big_strings)
chars = sum(len(s) for s in big_strings)
items = sum(len(l) for l in big_lists)
del big_strings
del big_lists
print(f"large_objects: {chars} chars in 40 strs, {items} items in 25 lists, joined {len(joined)}")
