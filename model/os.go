package model

import (
	"fmt"
	"sort"
)

// This file defines the bottom layer: the operating system's mappings.

// span is a half-open address range [start, end).
type span struct{ start, end Addr }

// OSMemory hands out page-aligned mappings, top-down from Config.MmapTop,
// as Linux's mmap does: a new mapping takes the highest hole below the
// top that fits, else extends the mapped range downwards. Unmapped ranges
// become holes again. The placement is deterministic.
type OSMemory struct {
	page   int64
	low    Addr          // lowest address handed out so far
	holes  []span        // free ranges above low, sorted by start, coalesced
	mapped map[Addr]Addr // start -> end of each live mapping
	bytes  int64
}

func newOSMemory(c Config) *OSMemory {
	return &OSMemory{page: c.PageSize, low: c.MmapTop, mapped: make(map[Addr]Addr)}
}

// Map returns the start of a new mapping of size bytes, rounded up to
// pages; the rounded size is returned too.
func (m *OSMemory) Map(size int64) (Addr, int64) {
	size = roundUp(size, m.page)
	var a Addr
	placed := false
	for i := len(m.holes) - 1; i >= 0; i-- { // highest hole first
		h := m.holes[i]
		if int64(h.end-h.start) >= size {
			a = h.end - Addr(size) // top of the hole, as top-down mmap does
			if a == h.start {
				m.holes = append(m.holes[:i], m.holes[i+1:]...)
			} else {
				m.holes[i].end = a
			}
			placed = true
			break
		}
	}
	if !placed {
		m.low -= Addr(size)
		a = m.low
	}
	m.mapped[a] = a + Addr(size)
	m.bytes += size
	return a, size
}

// Unmap releases the mapping that starts at a and returns its size.
func (m *OSMemory) Unmap(a Addr) int64 {
	end, ok := m.mapped[a]
	if !ok {
		panic(fmt.Sprintf("model: unmap of %#x, which is not mapped", uint64(a)))
	}
	delete(m.mapped, a)
	size := int64(end - a)
	m.bytes -= size
	m.release(span{a, end})
	return size
}

// release turns s into a hole, merging with neighbours; a hole that
// reaches the bottom of the mapped range gives it back.
func (m *OSMemory) release(s span) {
	i := sort.Search(len(m.holes), func(i int) bool { return m.holes[i].start >= s.end })
	// merge with the hole after
	if i < len(m.holes) && m.holes[i].start == s.end {
		s.end = m.holes[i].end
		m.holes = append(m.holes[:i], m.holes[i+1:]...)
	}
	// merge with the hole before
	if i > 0 && m.holes[i-1].end == s.start {
		s.start = m.holes[i-1].start
		m.holes = append(m.holes[:i-1], m.holes[i:]...)
		i--
	}
	if s.start == m.low {
		m.low = s.end
		return
	}
	m.holes = append(m.holes, span{})
	copy(m.holes[i+1:], m.holes[i:])
	m.holes[i] = s
}

// Bytes returns the bytes currently mapped.
func (m *OSMemory) Bytes() int64 { return m.bytes }

// Mappings returns the number of live mappings.
func (m *OSMemory) Mappings() int { return len(m.mapped) }
