# A range holds its bound objects; its length is an object past 256.
def lists(k):
    out = []
    for i in range(k):
        out.append(list(range(100 * (i + 1))))
    return out

ls = lists(12)
r = range(10, 5000, 3)
n = len(r)
