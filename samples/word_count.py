# Word counting: a 60,000-word text is generated from a 200-word vocabulary,
# split into a list of word strs, and counted with a dict.
# split() makes one new str per word (60,000 small strs in one list) while
# the dict only ever holds 200 keys. Look at str and list.items in the
# by-type table: the split list dominates the peak, the dict stays small.

vocab = []
for i in range(200):
    vocab.append("w" + str(i * 7919 % 10007))

seed = 42
words = []
for i in range(60000):
    seed = (seed * 1103515245 + 12345) % 2147483648
    words.append(vocab[(seed >> 8) % 200])
text = " ".join(words)
del words

counts = {}
for w in text.split():
    counts[w] = counts.get(w, 0) + 1

top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
print(f"word_count: {len(text)} chars, {len(counts)} distinct, top {top}")
