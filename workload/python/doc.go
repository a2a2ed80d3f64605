// Package python runs Python 3 scripts on the heap model with the memory
// behaviour of a CPython version (3.11, 3.12 or 3.13: the pyobj.Profile of
// the heap's objects): every object is allocated through its per-type
// allocator (model/pyobj), and freed exactly when CPython would free it.
// What follows describes 3.11; "Versions" below lists what the later
// profiles change.
//
// # How
//
// Parse (package syntax, on tree-sitter) gives the tree; a compile pass
// splits it into code objects (module, def, lambda, comprehension), resolves
// each name to a fast local, a cell, a free variable or a global as
// CPython's symtable does, and folds constants as its AST optimizer does, so
// that constants allocate nothing at run time. The evaluator walks the tree
// with explicit reference counts: every expression returns a new
// reference, every temporary is dropped where the bytecode drops it, and a
// count reaching zero deallocates in tp_dealloc's order (items first, then
// the object, into a free list when it has room).
//
// The allocations CPython makes behind a script's back are modelled: exec's
// function object; a comprehension's function object, iterator and frame
// (3.11 runs comprehensions as functions); defaults, closure tuples and
// cells; the argument tuples of METH_VARARGS built-ins and of types without
// vectorcall (str(), int(), zip(), min(), max(), str.format...), skipped by
// the 3.11 specialiser for one-argument str()/type()/tuple() once code is
// quickened (8 calls or loop iterations); iterator objects; the result
// tuples enumerate, zip and dict.items() reuse; the one-entry slice cache;
// in-place growth of a str held in a function local once quickened
// (BINARY_OP_INPLACE_ADD_UNICODE); list, dict and set presizing by each
// constructor's rule; timsort's merge memory; instances' values arrays
// sized by their class's shared keys; and the cyclic collector, with 3.11's
// thresholds (700, 10, 10), counting only fresh GC allocations from zero
// (the measurement's gc.collect() before tracing), and a full collection
// emptying the free lists.
//
// # Versions
//
// The interpreter consults the profile's named behaviours, never a
// version string; what 3.12 and 3.13 change, each measured:
//
//   - InlineComprehensions (3.12, PEP 709): list, set and dict
//     comprehensions make no function object and no closure tuple, and an
//     enclosing function's variables they use are reached in its frame
//     rather than made cells (the compile pass runs again for such a
//     profile); generator expressions are still functions.
//   - GCAtEvalBreaker (3.12): passing the collector's threshold schedules
//     a collection for the next eval-breaker check (a function's start, a
//     loop's back edge, the end of a call to C) instead of running it
//     inside the allocation; GCPhaseStrings: each collection makes the
//     strs "start" and "stop" for gc.callbacks, even when there are none.
//   - QuickenDelay and SpecializeAfter (3.12): code is quickened as it is
//     made and an adaptive instruction specialises on its second run
//     (3.11: after 8 calls and back-edges, then at once);
//     FloatOpsReuseOperand: the specialised float +, - and * put the
//     result in an operand only they hold.
//   - SumIntExact (3.12): sum() makes its int result with exact digits.
//   - ListResizeFreesEmpty, SplitPreallocByLength (3.12): pop() to empty
//     frees the item array; str.split presizes by the string's length.
//   - NoArgsTuple (3.13): min, max, str, int and str's search methods take
//     no args tuple; InstanceValuesInline: an instance's values live in
//     its object's block; ClassStaticAttributes: a class body also stores
//     __firstlineno__ and __static_attributes__; KwNamesOnStack: a keyword
//     call takes one more value-stack slot (a generator object's size
//     counts it); the collector's first threshold is 2000.
//
// Sizes (str headers, functions, range iterators, instances, type
// objects) come from the profile's numbers.
//
// # The supported subset
//
// Types: int (any size), float, bool, None, str (any code points), bytes,
// tuple, list, dict, set, frozenset, range, functions, closures, lambdas,
// simple classes (attributes, methods, __init__, single inheritance).
// Statements: expressions, assignment (chained, tuple/list unpacking with a
// starred target, subscript and attribute targets), augmented assignment,
// del, if/elif/else, while and for (with else), break, continue, pass,
// def (defaults, *args, keyword-only, **kwargs), return, class, global,
// nonlocal, try/except/else/finally, raise, assert, import of math, sys
// (getsizeof, getrecursionlimit, maxsize) and gc (collect, enable,
// disable). Expressions: arithmetic, comparison chains, boolean operators,
// in / not in / is, conditional expressions, indexing and slicing, calls
// with *args and **kwargs, f-strings with conversions and format specs,
// % formatting and str.format, set operators, list/dict/set comprehensions
// and generator expressions, the walrus operator.
//
// Anything else is refused before the script runs ("file:line:col:
// unsupported: ..."), and importing any other module raises
// ModuleNotFoundError: scripts reach no files, network, environment or
// processes.
package python
