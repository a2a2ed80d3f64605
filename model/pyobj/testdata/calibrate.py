#!/usr/bin/env python3
"""Measure CPython object sizes and allocation requests for heaptrace's model.

Usage:
    python3 model/pyobj/testdata/calibrate.py > model/pyobj/testdata/cpython-3.11.json
    python3 model/pyobj/testdata/calibrate.py --output-name   # prints "cpython-3.11.json"
    PYENV_VERSION=3.12.1 python3 model/pyobj/testdata/calibrate.py > model/pyobj/testdata/cpython-3.12.json

Prints ONE JSON object on stdout:
    {"python": ..., "implementation": "cpython", "pointer_size": 8, "sys_version": ...,
     "rows": [{"case": ..., "arg": ..., "getsizeof": ..., "requests": [...]}, ...]}

For ordinary rows, "requests" is the sorted list of requested sizes (tracemalloc trace
sizes) of the blocks that are still allocated for the built object. For "freelist.*"
rows it is [current, peak] from tracemalloc.get_traced_memory(). See README.md next to
this file for the exact meaning of every case.

Method for ordinary rows (function measure()):
  1. prepare the inputs (keys, source lists, classes, ...) outside tracing;
  2. gc.collect() (empties the tuple/float/list/dict free lists), gc.disable();
  3. tracemalloc.start(); obj = run(builder, inputs)  (run: a trampoline in <calib>);
  4. gc.collect() again, still tracing: temporaries that were parked on a free list
     during the build are released, so only blocks owned by obj stay traced;
  5. snapshot; keep traces whose (only) frame has filename "<calib>", i.e. the
     builder code compiled from BUILDERS below; stop.
Every row is measured twice and the script fails if the two runs differ.

Standard library only.
"""
import builtins
import gc
import json
import platform
import struct
import sys
import tracemalloc

# Versions this script is calibrated for. A new profile (3.12, 3.13) is added here; the
# output file is named after the running interpreter (see output_name()).
SUPPORTED = {(3, 11), (3, 12), (3, 13)}
CALIB_FILE = '<calib>'      # filename of all builder code: the trace filter keys on it
FREELIST_FILE = '<freelist>'


def output_name():
    return 'cpython-%d.%d.json' % sys.version_info[:2]


# ---------------------------------------------------------------------------------------
# Builders. Everything executed while tracing is defined here and compiled with the
# filename CALIB_FILE. Inputs are prepared outside tracing and passed as arguments, so
# that only the object under test is allocated inside the builder.
BUILDERS = r'''
def run(build, args):
    # The traced call goes through this <calib> frame: allocations made before a
    # builder's first traceable instruction (e.g. MAKE_CELL, which runs before RESUME)
    # are attributed by tracemalloc to the caller's frame, i.e. to this one.
    return build(*args)

def add(a, b):
    return a + b

def int_from_str(s):
    return int(s)

def float_from_str(s):
    return float(s)

def slice_to(src, n):            # str and list slices: src[:n]
    return src[:n]

def repeat(x, n):                # b'x' * n (and the ch * n cross-check)
    return x * n

def tuple_from_list(lst):
    return tuple(lst)

def list_append(n):
    L = []
    for _ in range(n):
        L.append(None)
    return L

def list_range(n):
    return list(range(n))

def list_repeat(n):
    return [None] * n

def list_comp(n):
    return [None for _ in range(n)]

def list_pop_shrink(k):
    L = []
    for _ in range(40):
        L.append(None)
    for _ in range(k):
        L.pop()
    return L

def str_split(s):
    return s.split()

def dict_fill(keys):
    d = {}
    for k in keys:
        d[k] = None
    return d

def dict_comp(keys):
    return {k: None for k in keys}

def dict_churn(keys, n):
    d = {}
    for i in range(10):
        d[keys[i]] = None
    for i in range(n):
        del d[keys[i]]
        d[keys[i + 10]] = None
    return d

def dict_delete(keys, k):
    d = {}
    for key in keys:
        d[key] = None
    for i in range(k):
        del d[keys[i]]
    return d

def set_fill(items):
    s = set()
    for x in items:
        s.add(x)
    return s

def set_range(n):
    return set(range(n))

def set_churn_int(n):
    s = set()
    for i in range(10):
        s.add(i)
    for i in range(n):
        s.remove(i)
        s.add(i + 10)
    return s

def make_function():
    def f(): pass
    return f

def make_lambda():
    return lambda: None

def make_closure():
    v = None
    def inner():
        return v
    return inner

def make_range():
    return range(10)

def make_range_big():
    return range(100000)

def make_iter(x):
    return iter(x)

def make_enumerate(L):
    return enumerate(L)

def make_zip(a, b):
    return zip(a, b)

def make_reversed(L):
    return reversed(L)

def get_attr_append(L):
    return L.append

def get_attr_m(o):
    return o.m

def call(cls):
    return cls()

def make_slice(hold):            # hold: keeps the interpreter's one-slice cache empty
    return slice(1, 2)

def make_complex(x, y):
    return complex(x, y)

def make_bytearray(b):
    return bytearray(b)

# Classes are created outside tracing (fresh for every measurement).
def new_empty_class():
    class C:
        pass
    return C

def new_attr_class():
    class D:
        def __init__(self):
            self.a = 1
            self.b = 2
        def m(self):
            pass
    return D
'''

B = {}
exec(compile(BUILDERS, CALIB_FILE, 'exec'), {'__builtins__': builtins, '__name__': 'calib'}, B)


def generated(params, expr):
    """A builder `def build(<params>): return <expr>` compiled from generated text."""
    ns = {}
    src = 'def build(%s):\n    return %s\n' % (params, expr)
    exec(compile(src, CALIB_FILE, 'exec'), {'__builtins__': builtins}, ns)
    return ns['build']


# ---------------------------------------------------------------------------------------
# Measurement

def fill_slice_cache():
    # CPython keeps one freed slice object in a per-interpreter cache (not emptied by
    # gc.collect()). Filling it first means that the temporary slice of `src[:n]` is
    # taken from / returned to the cache and is never a traced allocation of the build.
    s = slice(0)
    del s


def traced_sizes(snapshot, filename):
    return sorted(t.size for t in snapshot.traces if t.traceback[0].filename == filename)


def measure_once(build, prepare, arg):
    fill_slice_cache()
    inputs = prepare(arg)
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        obj = B['run'](build, inputs)
        gc.collect()
        snap = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
        gc.enable()
    return sys.getsizeof(obj), traced_sizes(snap, CALIB_FILE)


def measure(case, build, prepare, arg):
    first = measure_once(build, prepare, arg)
    second = measure_once(build, prepare, arg)
    if first != second:
        raise SystemExit('unstable measurement for %s(%r): %r vs %r' % (case, arg, first, second))
    return first


def exec_snippet_once(snippet, setup):
    """The reference's exec methodology; returns [current, peak] (raw, incl. exec's
    temporary function object in peak)."""
    g = {'__builtins__': builtins, '__name__': '__main__'}
    code = compile(snippet, FREELIST_FILE, 'exec')
    setup_code = compile(setup, '<setup>', 'exec') if setup else None
    gc.collect()
    if setup_code is not None:
        exec(setup_code, g)      # after gc.collect(): it pre-fills free lists on purpose
    tracemalloc.start()
    try:
        exec(code, g)
        cur, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return [cur, peak]


# ---------------------------------------------------------------------------------------
# Case table: (case, args, prepare(arg) -> builder inputs, builder)

def no_inputs(arg):
    return ()


def dedup(values):
    seen, out = set(), []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


INT_LITERALS = dedup([0, 1, -1, 5, 256, 257, -5, -6, 2**30 - 1, 2**30, -(2**30), 2**60 - 1,
                      2**60, 2**63, 2**90, 10**100, 10**300, -(10**100)]
                     + [2**k for k in range(0, 401, 7)])
INT_ARITH = [1000, 2**29, 2**30 + 5, 2**61, 10**40]
INT_FROM_STR = [1000, 123456, 2**40, 10**50]
FLOATS = [0.0, 1.5, -2.25, 1e300]
STR_CHARS = [('str.ascii', 'a'), ('str.latin1', '\u00e9'), ('str.bmp', '\u20ac'),
             ('str.astral', '\U0001F600')]
STR_LENGTHS = list(range(65)) + [100, 200, 1000]


def str_keys(n):
    return ['k%d' % i for i in range(n)]


def keys_arg(arg):
    return (str_keys(arg),)


def ints_arg(arg):
    return (list(range(arg)),)


def split_input(n):
    return (' '.join(['ab'] * n),)


def first_instance(arg):
    return (B['new_empty_class'](),)


def fifth_instance(arg):
    cls = B['new_attr_class']()
    for _ in range(4):
        cls()
    return (cls,)


def first_attr_instance(arg):
    return (B['new_attr_class'](),)


def bound_py_method(arg):
    return (B['new_attr_class']()(),)


def hold_slice(arg):
    return (slice(0),)        # takes the cached slice object (see fill_slice_cache)


def cases():
    """Yield (case, arg_for_json, build, prepare, arg) in output order."""
    for v in INT_ARITH:
        yield 'int.arith', str(v), B['add'], lambda v: (v - 1, 1), v
    for v in INT_ARITH:
        yield 'int.arith_halves', str(v), B['add'], lambda v: (v // 2, v - v // 2), v
    for v in INT_FROM_STR:
        yield 'int.from_str', str(v), B['int_from_str'], lambda v: (str(v),), v
    for v in FLOATS:
        yield 'float', repr(v), B['float_from_str'], lambda v: (repr(v),), v
    for case, ch in STR_CHARS:
        for n in STR_LENGTHS:
            yield case, n, B['slice_to'], lambda n, ch=ch: (ch * (n + 1), n), n
    for n in list(range(41)) + [100, 600]:
        yield 'bytes', n, B['repeat'], lambda n: (b'x', n), n
    for n in list(range(26)) + [100, 1000]:
        yield 'tuple', n, B['tuple_from_list'], lambda n: (list(range(n)),), n
    for n in list(range(101)) + [500, 1000, 5000]:
        yield 'list.append', n, B['list_append'], lambda n: (n,), n
    for n in range(41):
        yield 'list.range', n, B['list_range'], lambda n: (n,), n
    for n in range(41):
        yield 'list.repeat', n, B['list_repeat'], lambda n: (n,), n
    for n in range(101):
        yield 'list.comp', n, B['list_comp'], lambda n: (n,), n
    for n in range(1, 11):
        build = generated('a', '[%s]' % ', '.join(['a'] * n))
        yield 'list.display', n, build, lambda n: (object(),), n
    for n in range(3, 11):
        build = generated('', '[%s]' % ', '.join(str(i) for i in range(1, n + 1)))
        yield 'list.const_display', n, build, no_inputs, n
    for n in range(41):
        yield 'list.slice', n, B['slice_to'], lambda n: (list(range(100)), n), n
    for k in range(41):
        yield 'list.pop_shrink', k, B['list_pop_shrink'], lambda k: (k,), k
    for n in range(41):
        yield 'str.split', n, B['str_split'], split_input, n
    for n in list(range(101)) + [200, 500, 1000, 2000]:
        yield 'dict.str_keys', n, B['dict_fill'], keys_arg, n
    for n in list(range(101)) + [200, 500, 1000]:
        yield 'dict.int_keys', n, B['dict_fill'], ints_arg, n
    for n in range(13):
        build = generated('', '{%s}' % ', '.join("'k%d': None" % i for i in range(n)))
        yield 'dict.display', n, build, no_inputs, n
    for n in range(41):
        yield 'dict.comp', n, B['dict_comp'], keys_arg, n
    for n in range(61):
        yield 'dict.churn', n, B['dict_churn'], lambda n: (str_keys(n + 10), n), n
    for k in range(41):
        yield 'dict.delete', k, B['dict_delete'], lambda k: (str_keys(40), k), k
    for n in list(range(101)) + [300, 1300]:
        yield 'set.int', n, B['set_fill'], ints_arg, n
    for n in range(101):
        yield 'set.str', n, B['set_fill'], keys_arg, n
    for n in range(41):
        yield 'set.range', n, B['set_range'], lambda n: (n,), n
    for n in range(61):
        yield 'set.churn_int', n, B['set_churn_int'], lambda n: (n,), n
    misc = [
        ('function', B['make_function'], no_inputs),
        ('lambda', B['make_lambda'], no_inputs),
        ('cell', B['make_closure'], no_inputs),
        ('range', B['make_range'], no_inputs),
        ('range_big', B['make_range_big'], no_inputs),
        ('list_iterator', B['make_iter'], lambda a: ([1, 2, 3],)),
        ('range_iterator', B['make_iter'], lambda a: (range(10),)),
        ('tuple_iterator', B['make_iter'], lambda a: ((1, 2, 3),)),
        ('str_iterator', B['make_iter'], lambda a: ('abc',)),
        ('dict_keyiterator', B['make_iter'], lambda a: ({'a': 1},)),
        ('set_iterator', B['make_iter'], lambda a: ({1, 2, 3},)),
        ('enumerate', B['make_enumerate'], lambda a: ([1, 2, 3],)),
        ('zip', B['make_zip'], lambda a: ([1, 2, 3], [4, 5, 6])),
        ('reversed_list', B['make_reversed'], lambda a: ([1, 2, 3],)),
        ('bound_method', B['get_attr_append'], lambda a: ([],)),
        ('bound_method_py', B['get_attr_m'], bound_py_method),
        ('instance.first', B['call'], first_instance),
        ('instance.first_attrs', B['call'], first_attr_instance),
        ('instance.later', B['call'], fifth_instance),
        ('slice', B['make_slice'], hold_slice),
        ('complex', B['make_complex'], lambda a: (1.0, 2.0)),
    ]
    for case, build, prepare in misc:
        yield case, 0, build, prepare, 0
    for n in range(4):
        yield 'bytearray', n, B['make_bytearray'], lambda n: (b'x' * n,), n


# Section 3 of the reference: (case, arg = loop count, snippet, setup run before start()).
FREELIST_SNIPPETS = [
    ('freelist.empty', 0, '', ''),
    ('freelist.float', 300, 'L = [i * 0.5 for i in range(300)]\ndel L', ''),
    ('freelist.float_keep', 300, 'L = [i * 0.5 for i in range(300)]', ''),
    ('freelist.float_prefilled', 300, 'L = [i * 0.5 for i in range(300)]',
     'P = [i * 0.5 for i in range(300)]\ndel P'),
    ('freelist.tuple', 2500, 'L = [(i, i) for i in range(2500)]\ndel L', ''),
    ('freelist.dict_str', 100, "L = [{'a': i} for i in range(100)]\ndel L", ''),
    ('freelist.dict_int', 100, 'L = [{i: i} for i in range(100)]\ndel L', ''),
    ('freelist.list', 100, 'L = [[i] for i in range(100)]\ndel L', ''),
]


def cross_check_str_repeat():
    """`ch * n` (n != 1) must give exactly what the str.* rows record via src[:n].
    (`ch * 1` returns ch itself, which is why the rows use slicing.)"""
    for case, ch in STR_CHARS:
        for n in [0, 2, 3, 17, 64, 1000]:
            a = measure(case, B['slice_to'], lambda n: (ch * (n + 1), n), n)
            b = measure(case, B['repeat'], lambda n: (ch, n), n)
            if a != b:
                raise SystemExit('%s: src[:%d] %r != ch * %d %r' % (case, n, a, n, b))


def collect_rows():
    rows = []
    for v in INT_LITERALS:
        rows.append({'case': 'int.literal', 'arg': str(v), 'getsizeof': sys.getsizeof(v),
                     'requests': []})
    for case, json_arg, build, prepare, arg in cases():
        size, reqs = measure(case, build, prepare, arg)
        rows.append({'case': case, 'arg': json_arg, 'getsizeof': size, 'requests': reqs})
    for case, arg, snippet, setup in FREELIST_SNIPPETS:
        first = exec_snippet_once(snippet, setup)
        if first != exec_snippet_once(snippet, setup):
            raise SystemExit('unstable measurement for %s' % case)
        rows.append({'case': case, 'arg': arg, 'getsizeof': 0, 'requests': first})
    return rows


def main(argv):
    if '--output-name' in argv:
        print(output_name())
        return
    if sys.implementation.name != 'cpython' or sys.version_info[:2] not in SUPPORTED:
        if '--any-version' not in argv:
            raise SystemExit('calibrate.py: calibrated for CPython %s, running %s %s; '
                             'pass --any-version to measure anyway'
                             % (', '.join('%d.%d' % v for v in sorted(SUPPORTED)),
                                sys.implementation.name, platform.python_version()))
    if tracemalloc.is_tracing():
        raise SystemExit('calibrate.py: run without PYTHONTRACEMALLOC / -X tracemalloc')
    cross_check_str_repeat()
    rows = collect_rows()
    header = {
        'python': platform.python_version(),
        'implementation': sys.implementation.name,
        'pointer_size': struct.calcsize('P'),
        'sys_version': sys.version,
    }
    head = json.dumps(header)[:-1]
    body = ',\n'.join(' ' + json.dumps(r) for r in rows)
    sys.stdout.write('%s, "rows": [\n%s\n]}\n' % (head, body))


if __name__ == '__main__':
    main(sys.argv[1:])
