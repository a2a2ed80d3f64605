# Float-heavy arithmetic: 100,000 steps of a damped oscillator, a dozen float
# operations each. Every intermediate float dies at once and goes to the
# float free list, so the next one reuses it: over a million floats are made
# but pymalloc sees few new 24-byte blocks, except for the 10,000 positions
# kept in a list. Look at float in the by-type table: allocs near 10,000,
# not a million, and peak bytes set by the kept list alone.

def simulate(steps):
    x = 0.5
    v = 0.0
    dt = 0.001
    energy = 0.0
    trace = []
    for i in range(steps):
        a = -4.0 * x - 0.1 * v
        v = v + a * dt
        x = x + v * dt
        energy = energy + 0.5 * v * v + 2.0 * x * x
        if i % 10 == 0:
            trace.append(x)
    return trace, v, energy

trace, v, e = simulate(100000)
mean = e / 100000
lo = min(trace)
hi = max(trace)
print(f"float_arith: {len(trace)} kept, x in [{lo:.4f}, {hi:.4f}], v={v:.6f}, mean energy={mean:.6f}")
