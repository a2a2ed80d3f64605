# heaptrace harness: measure one script on the real CPython with tracemalloc.
#
# Usage: python3 -S -c "$(cat harness.py)" SCRIPT, as Measure runs it, or
# python3 -S harness.py SCRIPT; with PYTHONHASHSEED=0 and no other PYTHON*
# variable in the environment.
#
# Prints ONE JSON object on stdout:
#   {"python": "3.11.7", "current": N, "peak": N, "blocks": N,
#    "by_type": {"list": {"count": n, "bytes": n}, ...},
#    "error": null | {"type": "...", "message": "...", "line": n}}
# Exit status: 0 (also when the script raised), 2 on a SyntaxError (the JSON
# then has zero figures and the error), 1 when the harness itself failed
# (message on stderr).
#
# Before tracing, only array, builtins, gc, sys and _tracemalloc are
# imported (_tracemalloc is the C module behind tracemalloc: tracemalloc.py
# would import pickle, linecache and tokenize, growing process-wide tables
# such as the interned-string dict). json is imported after tracing stops.
# The method and its noise are described in doc.go.

import array
import builtins
import gc
import sys
import _tracemalloc


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: harness.py SCRIPT\n")
        return 1
    name = sys.argv[1]
    out = sys.stdout
    with open(name, "rb") as f:
        src = f.read()

    result = {
        "python": "%d.%d.%d" % sys.version_info[:3],
        "current": 0,
        "peak": 0,
        "blocks": 0,
        "by_type": {},
        "error": None,
    }
    try:
        code = compile(src, name, "exec", dont_inherit=True)
    except SyntaxError as e:  # also IndentationError, TabError
        result["error"] = {"type": type(e).__name__, "message": str(e.msg),
                           "line": e.lineno or 0}
        emit(out, result)
        return 2
    except ValueError as e:  # source with NUL bytes
        result["error"] = {"type": type(e).__name__, "message": str(e),
                           "line": 0}
        emit(out, result)
        return 2

    # The sink: print() looks up .write on it (an instance attribute: no
    # bound method is made) and calls callable(text), which returns a
    # bool. So print costs only what it costs with any file: its *args
    # tuple and the str() of each argument. .flush is for flush=True.
    sink = type(sys.implementation)(write=callable, flush=gc.isenabled)
    # One-time caches the script would otherwise fill, traced. In 3.11 the
    # first call with keywords of a C function parsed by Argument Clinic
    # builds that function's keyword-name tuple and keeps it (48 to 128
    # bytes; print: 72): made here for the calls the heaptrace model takes
    # keywords for. Also the thread-state dict and its "Py_Repr" list used
    # by the repr of containers.
    print("", end="", sep="", file=sink, flush=True)
    [].sort(key=None, reverse=False)  # and sorted()
    "".split(sep=None, maxsplit=-1)
    "".rsplit(sep=None, maxsplit=-1)
    sum((), start=0)
    repr([(), {}])

    g = {"__builtins__": builtins, "__name__": "__main__"}
    sys.argv = [name]
    sys.path[0] = _dirname(name)
    # Objects made now, untraced, and freed right before the harness's
    # first list and 2-tuple after the run: the free lists hand them back
    # (or, when full, a block the script parked there), so reading the
    # figures adds no trace.
    spare_list = []
    spare_pair = (name, sink)
    # After an error: the peak and the line, kept without making ints.
    nums = array.array("q", [0, 0])
    # This frame's object, made now rather than while tracing when an
    # exception passes through it.
    me = sys._getframe().f_code.co_filename
    etype = emsg = None
    if _tracemalloc.is_tracing():
        sys.stderr.write("tracemalloc is already tracing "
                         "(PYTHONTRACEMALLOC set?)\n")
        return 1
    sys.stdout = sink

    gc.collect()  # empties the free lists: a clean, repeatable start
    _tracemalloc.start()
    try:
        exec(code, g)
    except BaseException as e:  # SystemExit and KeyboardInterrupt too
        # The peak before the description can raise it.
        del spare_pair
        nums[0] = _tracemalloc.get_traced_memory()[1]
        etype = type(e)
        nums[1] = _line(e, name)
        emsg = _message(e)
    # The exception, its traceback and frames are freed here.
    # Reading the traces allocates GC objects: a collection then would free
    # the script's uncollected cycles in the middle of the reading.
    gc.disable()
    del spare_list
    traces = _tracemalloc._get_traces()
    cur, peak = _tracemalloc.get_traced_memory()
    _tracemalloc.stop()
    sys.stdout = out

    total = sum(t[1] for t in traces)
    if total != cur:
        sys.stderr.write("harness: traced %d bytes, traces sum to %d\n"
                         % (cur, total))
        return 1
    blocks = len(traces)
    if etype is not None:
        # After an error the harness still holds one object made while
        # tracing: the message, a fresh str of exactly sys.getsizeof bytes
        # (str has no free list). Check that it is there, and leave it out.
        size = sys.getsizeof(emsg)
        lines = {ln for _, _, ln in _message.__code__.co_lines()}
        if not any(t[1] == size and t[2] and t[2][0][0] == me
                   and t[2][0][1] in lines for t in traces):
            sys.stderr.write("harness: no %d-byte trace for the message\n"
                             % size)
            return 1
        cur -= size
        blocks -= 1
        peak = nums[0]
        result["error"] = {"type": etype.__name__,
                           "message": emsg[:-2],
                           "line": nums[1]}
    del traces
    result["current"] = cur
    result["peak"] = peak
    result["blocks"] = blocks
    result["by_type"] = by_type(g, sink)
    emit(out, result)
    return 0


def _dirname(path):
    i = max(path.rfind("/"), path.rfind("\\"))
    return path[:i] if i > 0 else ("/" if i == 0 else "")


def _line(e, name):
    """The line of the innermost traceback entry in the script."""
    line = last = 0
    tb = e.__traceback__
    while tb is not None:
        last = tb.tb_lineno
        if tb.tb_frame.f_code.co_filename == name:
            line = last
        tb = tb.tb_next
    return line or last or 0


def _message(e):
    """str(e) + "!!": always a fresh str, made without a tuple (str(e)
    would build an argument tuple, which the free list would keep)."""
    try:
        return "%s!!" % e
    except BaseException:
        return "%s!!" % "<str() failed>"


def by_type(g, sink):
    """Sum sys.getsizeof per type name over the objects reachable from g.

    Roots: the values of g, except those under '__builtins__' and
    '__name__' (the two entries the harness put there; g's keys are not
    walked). From each object, gc.get_referents gives the next ones, and
    for a dict also its keys (a dict whose keys are all str traverses only
    its values). Each object is taken once (by id). Neither counted nor
    walked into: g itself (functions' __globals__ lead back to it), the
    builtins module and its dict (functions' __builtins__), modules, code
    objects, type objects (classes), None, True, False, Ellipsis,
    NotImplemented, the '__main__' str and the stdout sink. A function's
    referents that are its __code__, __globals__, __builtins__, __name__,
    __qualname__, __module__ or __doc__ are skipped: it is walked into only
    through __defaults__, __kwdefaults__, __closure__ and, when they exist,
    __dict__ and __annotations__.
    """
    function = type(by_type)
    module = type(sys)
    code = type(by_type.__code__)
    skip = {id(x) for x in (g, builtins, builtins.__dict__, g.get("__name__"),
                            None, True, False, Ellipsis, NotImplemented,
                            sink)}
    seen = set()
    sizes = {}
    stack = [v for k, v in g.items() if k not in ("__builtins__", "__name__")]
    while stack:
        o = stack.pop()
        i = id(o)
        if i in seen or i in skip:
            continue
        seen.add(i)
        t = type(o)
        if isinstance(o, (type, module, code)):
            continue
        try:
            n = sys.getsizeof(o)
        except Exception:  # a class's own __sizeof__ failed
            n = object.__sizeof__(o)
        s = sizes.setdefault(t.__name__, [0, 0])
        s[0] += 1
        s[1] += n
        refs = gc.get_referents(o)
        if isinstance(o, dict):
            # A dict whose keys are all str traverses its values only.
            refs.extend(dict.keys(o))
        elif t is function:
            own = {id(x) for x in (o.__code__, o.__globals__, o.__builtins__,
                                   o.__name__, o.__qualname__, o.__module__,
                                   o.__doc__)}
            refs = [r for r in refs if id(r) not in own]
        stack.extend(refs)
    return {k: {"count": v[0], "bytes": v[1]} for k, v in sorted(sizes.items())}


def emit(out, result):
    import json
    out.write(json.dumps(result, sort_keys=True) + "\n")
    out.flush()


if __name__ == "__main__":
    sys.exit(main())
