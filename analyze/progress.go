// This file defines Progress, the progress bar drawn on a terminal while
// a long trace is analysed.

package analyze

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressDelay is how long an analysis runs before its bar appears: a
// trace read in less time gets no bar at all.
const progressDelay = 500 * time.Millisecond

// Progress draws a progress bar on a terminal while traces are analysed:
// batches read against the batches in the file, or a spinner with the
// count when the file was cut short and its length is unknown. It draws
// nothing unless its writer is a terminal and the analysis has run for
// more than a moment. Pass Update as Options.Progress and call Done when
// the analysis ends.
type Progress struct {
	w     io.Writer
	label string
	on    bool
	delay time.Duration
	start time.Time
	bar   *progressbar.ProgressBar
}

// NewProgress returns a Progress drawing on w, labelled with label (a
// file name), which draws only when w is a terminal.
func NewProgress(w io.Writer, label string) *Progress {
	f, ok := w.(*os.File)
	return newProgress(w, label, ok && term.IsTerminal(int(f.Fd())), progressDelay)
}

func newProgress(w io.Writer, label string, on bool, delay time.Duration) *Progress {
	return &Progress{w: w, label: label, on: on, delay: delay, start: time.Now()}
}

// Update reports done batches read of total (-1 when unknown).
func (p *Progress) Update(done, total int) {
	if p == nil || !p.on {
		return
	}
	if p.bar == nil {
		if time.Since(p.start) < p.delay {
			return
		}
		opts := []progressbar.Option{
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(p.label),
			progressbar.OptionSetItsString("batches"),
			progressbar.OptionShowCount(),
			progressbar.OptionThrottle(100 * time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30),
		}
		if total < 0 {
			// no ticking goroutine: the spinner turns as batches come
			opts = append(opts, progressbar.OptionSetSpinnerChangeInterval(0))
		}
		p.bar = progressbar.NewOptions(total, opts...)
	}
	_ = p.bar.Set(done) // drawing errors do not stop the analysis
}

// Done removes the bar, if one was drawn.
func (p *Progress) Done() {
	if p == nil || p.bar == nil {
		return
	}
	_ = p.bar.Exit()
	_ = p.bar.Clear()
	p.bar = nil
}
