package recorder

import (
	"fmt"
	"io"
	"time"

	"github.com/heaptrace/heaptrace/format"
	"github.com/heaptrace/heaptrace/model"
)

// DefaultBatchSize is the number of events per batch unless WithBatchSize
// says otherwise: large enough that per-batch costs vanish, small enough
// that a crash loses little and the buffer stays small (2.6 MB).
const DefaultBatchSize = 65536

// config holds the settings of a Recorder.
type config struct {
	batchSize     int
	compression   format.Compression
	level         format.Level
	flushInterval time.Duration
}

// DefaultFlushInterval bounds how long accepted events wait in memory
// before they reach the file (see WithFlushInterval).
const DefaultFlushInterval = time.Second

// Option configures a Recorder.
type Option func(*config)

// WithBatchSize sets the number of events per batch, from 1 to
// format.MaxBatchLen. The default is DefaultBatchSize (65536).
func WithBatchSize(n int) Option {
	return func(c *config) { c.batchSize = n }
}

// WithFlushInterval writes the current batch, full or not, once this much
// time has passed since the last write (checked every 4096 events), so a
// recording killed outright loses at most an interval's events and the
// batch being written. The default is DefaultFlushInterval (1s); 0 writes
// only full batches.
func WithFlushInterval(d time.Duration) Option {
	return func(c *config) { c.flushInterval = d }
}

// WithCompression sets how the batches are compressed. The default is
// format.None.
func WithCompression(c format.Compression) Option {
	return func(cfg *config) { cfg.compression = c }
}

// WithLevel sets how hard a compressing recorder works on its batches
// (format.WithLevel). The default is format.LevelDefault.
func WithLevel(l format.Level) Option {
	return func(cfg *config) { cfg.level = l }
}

// A Recorder is a model.Observer that writes every event it observes to a
// trace. It is not safe for concurrent use, which model.Heap does not need.
// Its writing goroutine ends with Close, which every Recorder needs.
type Recorder struct {
	w         *format.Writer
	batch     *format.Batch      // the batch being filled
	full      chan *format.Batch // to the writing goroutine
	spare     chan written       // from it: the other batch, empty
	batchSize int
	ntypes    int
	nsites    int
	next      uint64 // the seq the next event must have
	events    uint64 // events accepted
	err       error  // the first error
	closed    bool
	interval  time.Duration
	lastFlush time.Time
}

var _ model.Observer = (*Recorder)(nil)

// New returns a recorder that writes a trace with header h to w. The
// header's tables must hold every type and site the heap's events will
// name.
func New(w io.WriteSeeker, h format.Header, opts ...Option) (*Recorder, error) {
	cfg := config{batchSize: DefaultBatchSize, compression: format.None, flushInterval: DefaultFlushInterval}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.batchSize < 1 || cfg.batchSize > format.MaxBatchLen {
		return nil, fmt.Errorf("recorder: batch size %d, want 1 to %d", cfg.batchSize, format.MaxBatchLen)
	}
	fw, err := format.NewWriter(w, h, format.WithCompression(cfg.compression), format.WithLevel(cfg.level))
	if err != nil {
		return nil, fmt.Errorf("recorder: %w", err)
	}
	r := &Recorder{
		w:         fw,
		batchSize: cfg.batchSize,
		ntypes:    len(h.Types),
		nsites:    len(h.Sites),
		next:      1,
		interval:  cfg.flushInterval,
		lastFlush: time.Now(),
		full:      make(chan *format.Batch, 1),
		spare:     make(chan written, 1),
	}
	r.batch = newBatch(cfg.batchSize)
	r.spare <- written{b: newBatch(cfg.batchSize)}
	go r.write()
	return r, nil
}

// written is a batch that the writing goroutine is done with, and the
// error of its write.
type written struct {
	b   *format.Batch
	err error
}

// newBatch returns an empty batch with room for n events.
func newBatch(n int) *format.Batch {
	return &format.Batch{
		Seq:   make([]uint64, 0, n),
		Op:    make([]format.Op, 0, n),
		Layer: make([]format.Layer, 0, n),
		Type:  make([]uint16, 0, n),
		Size:  make([]int64, 0, n),
		Block: make([]int64, 0, n),
		Addr:  make([]uint64, 0, n),
		Site:  make([]uint32, 0, n),
	}
}

// write writes the batches that flush hands over, on a goroutine of its
// own: compressing and writing one batch overlaps filling the next, so a
// compressed recording runs the model on one core and the codec on
// another. It hands each batch back, empty, with its write's error.
func (r *Recorder) write() {
	for b := range r.full {
		err := r.w.Write(b)
		b.Reset()
		r.spare <- written{b, err}
	}
}

// Observe records e. It writes the batch when it is full. After an error
// it drops e; see Err.
func (r *Recorder) Observe(e model.Event) {
	if r.err != nil {
		return
	}
	if err := r.check(e); err != nil {
		r.err = fmt.Errorf("recorder: event %v: %w", e, err)
		return
	}
	r.batch.Append(e.Seq, format.Op(e.Op), format.Layer(e.Layer), uint16(e.Type), e.Size, e.Block, uint64(e.Addr), uint32(e.Site))
	r.next++
	r.events++
	if r.batch.Len() >= r.batchSize ||
		(r.interval > 0 && r.events&4095 == 0 && time.Since(r.lastFlush) >= r.interval) {
		r.flush()
	}
}

// check reports why the trace cannot hold e, if it cannot.
func (r *Recorder) check(e model.Event) error {
	switch {
	case r.closed:
		return fmt.Errorf("recorder is closed")
	case e.Seq != r.next:
		return fmt.Errorf("seq %d, want %d", e.Seq, r.next)
	case format.Op(e.Op) >= format.NumOps:
		return fmt.Errorf("unknown %v", e.Op)
	case format.Layer(e.Layer) >= format.NumLayers:
		return fmt.Errorf("unknown %v", e.Layer)
	case int(e.Type) >= r.ntypes:
		return fmt.Errorf("type %d outside the header's %d types", e.Type, r.ntypes)
	case int(e.Site) >= r.nsites:
		return fmt.Errorf("site %d outside the header's %d sites", e.Site, r.nsites)
	}
	return nil
}

// flush hands the current batch, if it holds events, to the writing
// goroutine, and goes on with the other batch once that one is written. A
// write error is reported by the flush after the one that handed its batch
// over, or by Close.
func (r *Recorder) flush() {
	if r.batch.Len() == 0 {
		return
	}
	r.full <- r.batch
	r.takeSpare()
	r.lastFlush = time.Now()
}

// takeSpare waits for the writing goroutine to hand back a batch, and
// makes it the batch being filled.
func (r *Recorder) takeSpare() {
	w := <-r.spare
	r.batch = w.b
	if w.err != nil && r.err == nil {
		r.err = fmt.Errorf("recorder: %w", w.err)
	}
}

// Events returns the number of events recorded: observed and accepted,
// whether written yet or still in the current batch.
func (r *Recorder) Events() uint64 { return r.events }

// Err returns the first error, or nil.
func (r *Recorder) Err() error { return r.err }

// Close writes the last, partial batch and the trace's footer; it does not
// close the underlying file. It returns the first error of the recording,
// if any. The file is a valid trace of the events accepted, even after an
// error, unless writing itself failed.
func (r *Recorder) Close() error {
	if r.closed {
		return r.err
	}
	r.closed = true
	r.flush()
	close(r.full)
	r.takeSpare() // the last batch is written
	if err := r.w.Close(); err != nil && r.err == nil {
		r.err = fmt.Errorf("recorder: %w", err)
	}
	return r.err
}
