# Float temporaries: 3.12's specialised float ops reuse an operand held by
# nothing else.
def run(n):
    x, v = 0.5, 0.0
    acc = []
    for i in range(n):
        a = -4.0 * x - 0.1 * v
        v = v + a * 0.01
        x = x + v * 0.01
        if i % 50 == 0:
            acc.append(x * 2.0 + 1.0)
    return acc

out = run(2000)
