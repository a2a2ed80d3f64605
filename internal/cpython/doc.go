// Package cpython measures a Python script on the real CPython, for
// `heaptrace compare` to set beside the model's figures. Find locates an
// interpreter (python3, or a pyenv installation); Interpreter.Measure runs
// the embedded harness.py on a script and returns tracemalloc's figures and
// the sizes of what the script's globals hold.
//
// # Method
//
// From /work/shared/reference/cpython-3.11-memory.md §3 ("How to get
// comparable numbers"), which gives identical figures on every run:
//
//	code = compile(src, name, 'exec')
//	g = {'__builtins__': builtins, '__name__': '__main__'}
//	gc.collect()          # empties every free list: a clean start
//	tracemalloc.start()
//	exec(code, g)
//	tracemalloc.get_traced_memory()
//
// exec makes a temporary function object (152 bytes in 3.11, 160 in 3.12
// and 3.13) that lives for the whole run: Peak includes it, Current does
// not. An empty script gives current 0, peak 152. The script is compiled
// from its bytes (coding cookies apply) under the file name Measure was
// given; g has only the two keys above (no __file__), sys.argv is
// [script] and sys.path[0] the script's folder. The interpreter runs with
// -S, without any PYTHON* environment variable, and with PYTHONHASHSEED=0,
// so that str hashes match the model's siphash13 with a zero key.
//
// -S (no site) keeps start-up the same on every machine: on the machine
// this was written on, a .pth file in 3.11.7's site-packages imported about
// 70 modules at start-up (math, re, random, typing...), which made
// `import math` free for the script, where without it the import creates
// the module during the run (10440 bytes traced, 142 blocks, in 3.11.7;
// about 10.3 KB in 3.12 and 3.13). Without site, builtins has no exit(),
// quit() or help(), and site-packages are not importable. A module already
// loaded costs little to import again (import sys: 48 bytes, an argument
// tuple left on the free list by the AttributeError that looking up
// __spec__._initializing raises; import gc, array or _tracemalloc, which
// the harness itself imports: 0).
//
// How tracemalloc counts (requested sizes, free lists, realloc) is in §3 of
// the reference and in CPython's Modules/_tracemalloc.c.
//
// # What the harness does around the run
//
// The harness uses _tracemalloc, the C module behind tracemalloc, and
// imports only array, builtins, gc and sys besides it before measuring:
// tracemalloc.py would import pickle, linecache and tokenize, growing
// process-wide tables (the interned-string dict) that a script's run can
// then find in a different state.
//
// sys.stdout is, during the run, an object whose write is callable() and
// whose flush is gc.isenabled(): print() finds .write in the instance
// dict (no bound method is made) and the call returns a bool, so print
// costs exactly what it costs with any file and nothing more: its *args
// tuple, left on the tuple free list (48 bytes for one argument, 56 for
// two), and the str() of each argument, freed (peak only).
// print('hi') gives current 48, peak 200. With the suggested
// io.TextIOWrapper over os.devnull (write_through=True) the current is the
// same for short prints but the peak is higher (307 for print('hi'): the
// encoded bytes and the write call), and printing a 300-float list left
// 240 bytes more traced than the sink above.
//
// Process-wide caches that the first call fills, and keeps, are filled
// before tracing: in 3.11 the first call with keyword arguments of a C
// function parsed by Argument Clinic builds its keyword-name tuple (print:
// 72 bytes; list.sort and sorted(key=, reverse=), str.split and
// str.rsplit(sep=, maxsplit=): 56; sum(start=): 48). The harness calls
// print, list.sort, str.split, str.rsplit and sum with keywords (the calls
// the model takes keywords for). Others still cost their tuple on their
// first keyword call in a script: int(base=) 48, round(ndigits=) 56,
// str(object=) 64, pow(exp=) 64, int.to_bytes(byteorder=) 119,
// math.isclose(rel_tol=) 128, str.encode(encoding=) 56... (not in 3.12+,
// where these tuples are static). The thread-state dict and the list
// repr() uses against recursion are also made beforehand.
//
// After the run, the harness frees, right before its first list and its
// first 2-tuple, a list and a tuple it made before tracing; the free lists
// hand those (untraced) blocks back, or, when full, a block the script
// parked there: either way reading the figures adds no trace. It then
// takes the traces (_get_traces) before reading get_traced_memory, checks
// that the traces sum to the current figure, and reports:
//
//   - current and peak: get_traced_memory at the end of the run;
//   - blocks: the number of live traces;
//   - by_type: sys.getsizeof summed per type(obj).__name__, with counts,
//     over the objects reachable from g, as follows.
//
// # The by_type walk
//
// Roots: the values of g, except those under '__builtins__' and
// '__name__' (g's keys are not walked). From each object the walk goes to
// gc.get_referents(obj) and, for a dict, also to its keys (a dict whose
// keys are all str traverses only its values). Each object is taken once,
// by id. Neither counted nor walked into: g itself (so functions'
// __globals__ lead nowhere), the builtins module and its dict (functions'
// __builtins__), modules, code objects, type objects (so classes are not
// counted, but their instances are), None, True, False, Ellipsis,
// NotImplemented, the '__main__' str and the stdout sink. A function is
// walked into only through __defaults__, __kwdefaults__, __closure__ and,
// when they exist, __dict__ and __annotations__ (its __code__, __globals__,
// __builtins__, __name__, __qualname__, __module__ and __doc__ are
// skipped). Consequences a model must mirror: objects of types without
// tp_traverse (str, int, float, range...) lead nowhere; constants and
// small ints are counted when reachable, though never traced; an instance
// counts its object only (sys.getsizeof of a 3.11 instance leaves out its
// values array) and reaches its attribute values directly; a generator
// reaches its frame's locals and its own function object; an unused
// __defaults__ of (1, 2) is two tuples: ((1, 2),) and (1, 2). The walk
// runs after tracing stops and allocates nothing the figures see.
//
// # Errors
//
// A SyntaxError (or a ValueError from compile, for NUL bytes) makes the
// harness print the error with zero figures and exit 2; Measure returns an
// error wrapping a *ScriptError. An uncaught exception of the script (any
// BaseException, SystemExit too) goes into Measurement.Error: its type
// name, str() and the line of the innermost traceback entry in the script.
// Its figures are those after the exception was dropped: the exception,
// its traceback and frame objects are freed (what they free onto free
// lists, such as KeyError's argument tuple, stays counted), exactly as if
// the script had caught it and passed. The peak is read before the
// exception is described; it can exceed that of a script catching the
// same exception by about a traceback entry (40 to 56 bytes measured),
// because the exception also passes through the harness's frame. The
// description itself leaves only a fresh str, which is checked and left
// out.
//
// # Determinism
//
// Results were identical across 3 runs for every script tried, and across
// PYTHONHASHSEED 0, 1 and 4242 unless memory depends on the iteration order
// of a set or dict of str (a script building strings while iterating a
// set of 500 str gave one result per seed). Measure always sets
// PYTHONHASHSEED=0. Memory never depends on addresses in the scripts
// tried (id-based hashing changes collisions, not sizes).
package cpython
