package analyze

// Downsampler keeps a curve of any length as a bounded number of points
// without losing its extremes: the samples are cut into buckets of equal
// sample count, and each bucket keeps its lowest and highest point. When
// the buckets run out, neighbours merge and the width doubles, so memory
// stays bounded however long the stream. The global peak is always kept
// (it is its bucket's highest point), and so are the first and last samples.
type Downsampler struct {
	points  int  // the most points Points returns
	limit   int  // buckets, even
	shift   uint // a bucket's width is 1<<shift samples
	n       uint64
	buckets []bucket
	first   Point
	last    Point

	// tail is the last bucket, which takes samples until the n-th is
	// tailEnd: Add's common case, kept small enough to be inlined
	tail    *bucket
	tailEnd uint64
}

// Point is one sample of a curve: bytes live after event Seq.
type Point struct {
	Seq   uint64 `json:"seq"`
	Bytes int64  `json:"bytes"`
}

type bucket struct{ min, max Point }

// widen makes b's extremes take p in.
func (b *bucket) widen(p Point) {
	if p.Bytes < b.min.Bytes {
		b.min = p
	}
	if p.Bytes > b.max.Bytes {
		b.max = p
	}
}

// NewDownsampler returns a downsampler whose Points returns at most points
// points (at least 4).
func NewDownsampler(points int) *Downsampler {
	limit := (points - 2) / 2 &^ 1
	if limit < 2 {
		limit = 2
	}
	return &Downsampler{points: points, limit: limit}
}

// Add appends a sample; seq must grow.
func (d *Downsampler) Add(seq uint64, bytes int64) {
	if !d.addToTail(seq, bytes) {
		d.addBucket(seq, bytes)
	}
}

// addToTail is Add's common case, a sample in the last bucket, small
// enough to be inlined where a replay adds a sample per event; it reports
// false, having done nothing, when the sample starts a bucket.
func (d *Downsampler) addToTail(seq uint64, bytes int64) bool {
	if d.n >= d.tailEnd {
		return false
	}
	d.n++
	d.last = Point{seq, bytes}
	d.tail.widen(d.last)
	return true
}

// addBucket is Add for the first sample of a bucket, after merging the
// buckets when they have run out.
func (d *Downsampler) addBucket(seq uint64, bytes int64) {
	p := Point{seq, bytes}
	if d.n == 0 {
		d.first = p
	}
	d.last = p
	if d.n>>d.shift >= uint64(d.limit) {
		for j := 0; j < d.limit/2; j++ {
			a := d.buckets[2*j]
			a.widen(d.buckets[2*j+1].min)
			a.widen(d.buckets[2*j+1].max)
			d.buckets[j] = a
		}
		d.buckets = d.buckets[:d.limit/2]
		d.shift++
	}
	// i is len(d.buckets): this sample starts a bucket
	d.buckets = append(d.buckets, bucket{p, p})
	d.tail = &d.buckets[len(d.buckets)-1]
	d.tailEnd = uint64(len(d.buckets)) << d.shift
	d.n++
}

// Samples returns how many samples were added.
func (d *Downsampler) Samples() uint64 { return d.n }

// Points returns the kept points in sequence order.
func (d *Downsampler) Points() []Point {
	if d.n == 0 {
		return nil
	}
	pts := []Point{d.first}
	add := func(p Point) {
		if p.Seq > pts[len(pts)-1].Seq {
			pts = append(pts, p)
		}
	}
	for _, b := range d.buckets {
		if b.min.Seq < b.max.Seq {
			add(b.min)
			add(b.max)
		} else {
			add(b.max)
			add(b.min)
		}
	}
	add(d.last)
	if len(pts) > d.points {
		// too few points for a bucket's two: keep the extremes
		pts = keepExtremes(pts, d.points, func(p Point) int64 { return p.Bytes })
	}
	return pts
}

// keepExtremes returns at most n of pts, in order: the highest, the last,
// the first and the lowest, as many as n allows.
func keepExtremes[T any](pts []T, n int, key func(T) int64) []T {
	hi, lo := 0, 0
	for i, p := range pts {
		if key(p) > key(pts[hi]) {
			hi = i
		}
		if key(p) < key(pts[lo]) {
			lo = i
		}
	}
	keep := map[int]bool{}
	for _, i := range []int{hi, len(pts) - 1, 0, lo} {
		if len(keep) < n {
			keep[i] = true
		}
	}
	var out []T
	for i, p := range pts {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}
