// This file defines prefetch, which decodes the batches of a trace on a
// goroutine of their own, and replays their allocator and os layers
// there, while the replay of the object layer works on the one before.

package analyze

import (
	"errors"
	"io"

	"github.com/heaptrace/heaptrace/format"
)

// prefetchDepth is the number of batches in flight: one being decoded (and
// pre'd), one waiting, one being used. Memory stays at three batches
// whatever the trace's length.
const prefetchDepth = 3

// prefetch calls pre then use with each batch of r, in order: pre on the
// goroutine that decodes the batches, at most two ahead of use. It returns
// the reader's error, or nil at the end of the trace. A batch passed to use
// is valid until use returns.
func prefetch(r *format.Reader, pre, use func(*format.Batch)) error {
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
			pre(b)
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
