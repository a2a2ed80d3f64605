// This file defines stackTable, which rebuilds call stacks from the call
// and return rows and interns them, so that each allocation carries its
// whole stack as one number.

package analyze

// stackNode is one frame of an interned stack: the site, and the stack of
// the frames that called it.
type stackNode struct {
	parent, site uint32
}

// stackTable interns call stacks as a tree: node 0 is the root (no
// frame), and a node is its parent stack with one more site. A call row
// pushes the node of the call's site; an allocation's stack is the node
// of its own site below the innermost open call.
type stackTable struct {
	nodes  []stackNode
	index  addrTable[uint32] // parent<<32 | site -> node
	frames []uint32          // open calls, innermost last
	// the last leaf looked up: allocations come in runs at one site
	cTop, cSite, cLeaf uint32
	cOK                bool
}

func newStackTable() stackTable {
	return stackTable{nodes: []stackNode{{}}, index: newAddrTable[uint32](64)}
}

func (s *stackTable) top() uint32 {
	if len(s.frames) == 0 {
		return 0
	}
	return s.frames[len(s.frames)-1]
}

// intern returns the node of site below parent, making it if it is new.
func (s *stackTable) intern(parent, site uint32) uint32 {
	k := uint64(parent)<<32 | uint64(site)
	if id := s.index.get(k); id != nil {
		return *id
	}
	id := uint32(len(s.nodes))
	s.nodes = append(s.nodes, stackNode{parent, site})
	s.index.put(k, id)
	return id
}

func (s *stackTable) push(site uint32) {
	s.frames = append(s.frames, s.intern(s.top(), site))
}

func (s *stackTable) pop() {
	if len(s.frames) > 0 {
		s.frames = s.frames[:len(s.frames)-1]
	}
}

// leaf returns the stack of an event at site.
func (s *stackTable) leaf(site uint32) uint32 {
	top := s.top()
	if s.cOK && s.cTop == top && s.cSite == site {
		return s.cLeaf
	}
	l := s.intern(top, site)
	s.cTop, s.cSite, s.cLeaf, s.cOK = top, site, l, true
	return l
}

// labels returns the sites of stack id, innermost first.
func (s *stackTable) labels(id uint32, sites []string) []string {
	var out []string
	for id != 0 {
		n := s.nodes[id]
		out = append(out, sites[n.site])
		id = n.parent
	}
	return out
}
