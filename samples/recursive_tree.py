# Recursion building a tree: a complete binary tree of depth 14 (16,383
# nodes) made of nested tuples (value, left, right) by a recursive function,
# walked recursively, then dropped all at once, which frees every node.
# Look at tuple in the by-type table (one 3-tuple per node) and at the call
# stacks: allocations sit under build() nested up to 14 deep. After the del,
# final_bytes is the 2,000 3-tuples parked on the tuple free list.

def build(depth, value):
    if depth == 0:
        return None
    left = build(depth - 1, value * 2)
    right = build(depth - 1, value * 2 + 1)
    return (value, left, right)

def count(node):
    if node is None:
        return 0
    return 1 + count(node[1]) + count(node[2])

def total(node):
    if node is None:
        return 0
    return node[0] + total(node[1]) + total(node[2])

tree = build(14, 1)
n = count(tree)
s = total(tree)
del tree
print(f"recursive_tree: {n} nodes, value sum {s}")
