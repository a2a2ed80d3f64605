# A comprehension in a function that uses the function's variable: 3.11
# makes the variable a cell and the comprehension a function with a
# closure; 3.12 inlines it (no function, no cell, no closure tuple).
def scaled(n):
    items = list(range(n))
    return [x * n for x in items]

r = scaled(300)
