// This file defines prefetch, which decodes the batches of a trace on a
// goroutine of their own while the replay works on the one before.

package analyze

import (
	"errors"
	"io"

	"github.com/heaptrace/heaptrace/format"
)

// prefetchDepth is the number of batches in flight: one being decoded, one
// decoded and waiting, one being replayed. Memory stays at three batches
// whatever the trace's length.
const prefetchDepth = 3

// prefetch calls use with each batch of r, in order, while the batches
// after it are decoded on another goroutine, at most two ahead. It returns
// the reader's error, or nil at the end of the trace. A batch passed to use
// is valid until use returns.
func prefetch(r *format.Reader, use func(*format.Batch)) error {
	free := make(chan *format.Batch, prefetchDepth)
	for range prefetchDepth {
		free <- new(format.Batch)
	}
	full := make(chan *format.Batch, prefetchDepth-1)
	var err error // the reader's, set before full is closed
	go func() {
		defer close(full)
		for b := range free {
			if e := r.Next(b); e != nil {
				if !errors.Is(e, io.EOF) {
					err = e
				}
				return
			}
			full <- b
		}
	}()
	for b := range full {
		use(b)
		free <- b
	}
	close(free)
	return err
}
