// This file defines the errors of package format.

package format

import (
	"errors"
	"fmt"
)

// The kinds of error a reader returns. Test for them with errors.Is; the
// message of an error names the file, and the batch when there is one, e.g.
// "format: read trace.arrow: batch 12: row 3: seq 1002, want 1001".
var (
	// ErrNotArrow reports a file that is not an Arrow IPC file: too short,
	// or without the "ARROW1" magic.
	ErrNotArrow = errors.New("not an Arrow IPC file")
	// ErrNotTrace reports an Arrow IPC file that is not a heaptrace trace:
	// the format version metadata or a column is missing, or has the
	// wrong type.
	ErrNotTrace = errors.New("not a heaptrace trace")
	// ErrVersion reports a trace of a format version this package cannot
	// read.
	ErrVersion = errors.New("unsupported trace format version")
	// ErrCorrupt reports a trace whose bytes cannot be decoded or whose
	// values break the format's rules: a batch Arrow cannot load, an
	// op or layer name outside the known set, an index outside its
	// table, seq numbers that are not contiguous.
	ErrCorrupt = errors.New("corrupt trace")
)

// kindError is an error of one of the kinds above. Its message is the
// detail alone: the kind is for errors.Is, the detail for people.
type kindError struct {
	kind  error
	msg   string
	cause error // wrapped with %w, or nil
}

func (e *kindError) Error() string { return e.msg }

func (e *kindError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

// errorf returns an error of the given kind (one of the Err variables)
// with a formatted message. A %w verb in format wraps a further error.
func errorf(kind error, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &kindError{kind: kind, msg: err.Error(), cause: errors.Unwrap(err)}
}
