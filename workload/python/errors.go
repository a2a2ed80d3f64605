package python

import (
	"errors"
	"fmt"
	"strings"

	"github.com/heaptrace/heaptrace/model"
)

// This file defines Python exceptions as Go errors, and tracebacks.

// PyError is a Python exception propagating through the interpreter.
type PyError struct {
	exc *Exception
}

func (e *PyError) Error() string {
	if e.exc.msg == "" {
		return e.exc.typ.name
	}
	return e.exc.typ.name + ": " + e.exc.msg
}

// Traceback formats the exception as CPython prints an uncaught one.
func (e *PyError) Traceback(lines []string) string {
	var b strings.Builder
	b.WriteString("Traceback (most recent call last):\n")
	for _, t := range e.exc.tb {
		fmt.Fprintf(&b, "  File \"%s\", line %d, in %s\n", t.file, t.line, t.name)
		if t.line >= 1 && t.line <= len(lines) {
			if src := strings.TrimSpace(lines[t.line-1]); src != "" {
				fmt.Fprintf(&b, "    %s\n", src)
			}
		}
	}
	b.WriteString(e.Error())
	b.WriteString("\n")
	return b.String()
}

// TypeName returns the exception's class name.
func (e *PyError) TypeName() string { return e.exc.typ.name }

type traceEntry struct {
	file string
	line int
	name string
}

// excTypes are the built-in exception classes.
type excTypes struct {
	byName map[string]*ExcType
}

func newExcTypes() excTypes {
	t := excTypes{byName: map[string]*ExcType{}}
	add := func(name, parent string) {
		t.byName[name] = &ExcType{Obj: Obj{static: true}, name: name, parent: t.byName[parent]}
	}
	add("BaseException", "")
	add("Exception", "BaseException")
	add("KeyboardInterrupt", "BaseException")
	add("SystemExit", "BaseException")
	add("ArithmeticError", "Exception")
	add("ZeroDivisionError", "ArithmeticError")
	add("OverflowError", "ArithmeticError")
	add("LookupError", "Exception")
	add("IndexError", "LookupError")
	add("KeyError", "LookupError")
	add("NameError", "Exception")
	add("UnboundLocalError", "NameError")
	add("TypeError", "Exception")
	add("ValueError", "Exception")
	add("UnicodeError", "ValueError")
	add("AttributeError", "Exception")
	add("RuntimeError", "Exception")
	add("RecursionError", "RuntimeError")
	add("NotImplementedError", "RuntimeError")
	add("MemoryError", "Exception")
	add("AssertionError", "Exception")
	add("StopIteration", "Exception")
	add("ImportError", "Exception")
	add("ModuleNotFoundError", "ImportError")
	return t
}

func (t *ExcType) isSubclass(of *ExcType) bool {
	for c := t; c != nil; c = c.parent {
		if c == of {
			return true
		}
	}
	return false
}

// raise creates an exception of type name with a message. Like CPython it
// allocates the exception object, its args tuple and the message str.
func (in *Interp) raise(name, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	typ := in.exc.byName[name]
	e := &Exception{typ: typ, msg: msg}
	// MemoryError is preallocated in CPython; so are the objects of an
	// exception raised while the heap is exhausted.
	if name != "MemoryError" {
		if a, err := in.o.Fixed.New("exception", in.o.Profile.FixedSizes["exception"]); err == nil {
			e.addr, e.rc = a, 1
			if s, err := in.newStr(msg); err == nil {
				if t, err := in.newTuple([]Value{s}); err == nil {
					e.args = t
				}
			}
		}
	}
	if e.addr == 0 {
		e.static = true
	}
	return in.throw(e)
}

// throw starts an exception propagating; each frame it leaves adds itself
// to the traceback (see runFrame).
func (in *Interp) throw(e *Exception) error {
	return &PyError{exc: e}
}

func (in *Interp) typeError(format string, args ...any) error {
	return in.raise("TypeError", format, args...)
}

func (in *Interp) valueError(format string, args ...any) error {
	return in.raise("ValueError", format, args...)
}

// memoryError turns a heap limit into MemoryError; other errors pass.
func (in *Interp) memoryError(err error) error {
	if errors.Is(err, model.ErrOutOfMemory) {
		return in.raise("MemoryError", "")
	}
	return err
}

// releaseExc drops an exception that was handled.
func (in *Interp) releaseExc(e *Exception) {
	if !e.static {
		in.decref(e)
	}
}
