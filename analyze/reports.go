// This file defines the reports a replay can produce, as the Go values
// whose JSON forms the README documents ("analyze reports"). Field names
// and JSON keys are stable: keys may be added, never renamed or removed.

package analyze

import (
	"fmt"
	"strings"
)

// ReportNames are the reports in the order they are printed.
var ReportNames = []string{"summary", "types", "peak", "growth", "leaks", "sites", "sizes", "lifetimes", "fragmentation"}

// reportSet is a set of reports, one bit per entry of ReportNames.
type reportSet uint16

const (
	repSummary reportSet = 1 << iota
	repTypes
	repPeak
	repGrowth
	repLeaks
	repSites
	repSizes
	repLifetimes
	repFragmentation
	repAll = 1<<iota - 1
)

// parseReports returns the set of the named reports; none means all.
func parseReports(names []string) (reportSet, error) {
	if len(names) == 0 {
		return repAll, nil
	}
	var s reportSet
	for _, n := range names {
		i := indexOf(ReportNames, n)
		if i < 0 {
			return 0, fmt.Errorf("analyze: unknown report %q (reports: %s)", n, strings.Join(ReportNames, ", "))
		}
		s |= 1 << i
	}
	return s, nil
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// Reports holds the reports that were asked for; the others are nil.
type Reports struct {
	Summary       *SummaryReport       `json:"summary,omitempty"`
	Types         *TypesReport         `json:"types,omitempty"`
	Peak          *PeakReport          `json:"peak,omitempty"`
	Growth        *GrowthReport        `json:"growth,omitempty"`
	Leaks         *LeaksReport         `json:"leaks,omitempty"`
	Sites         *SitesReport         `json:"sites,omitempty"`
	Sizes         *SizesReport         `json:"sizes,omitempty"`
	Lifetimes     *LifetimesReport     `json:"lifetimes,omitempty"`
	Fragmentation *FragmentationReport `json:"fragmentation,omitempty"`
}

// Filters are the filters a report was made with, and what they matched.
type Filters struct {
	// Type and Site are the --type and --site filters ("" for none).
	Type string `json:"type"`
	Site string `json:"site"`
	// Top bounds the rows of each table (0: all).
	Top int `json:"top"`
	// MatchedAllocs counts the object-layer allocations the filters let
	// through (all of them when there are no filters).
	MatchedAllocs int64 `json:"matched_allocs"`
}

// SummaryReport is the "summary" report: what the trace holds, and the
// peak and final bytes at each layer.
type SummaryReport struct {
	Events      uint64       `json:"events"`
	FirstSeq    uint64       `json:"first_seq"`
	LastSeq     uint64       `json:"last_seq"`
	SetupEvents uint64       `json:"setup_events"`
	Calls       int64        `json:"calls"`
	MaxDepth    int          `json:"max_depth"`
	Collections int64        `json:"collections"`
	Allocs      int64        `json:"allocs"`
	Frees       int64        `json:"frees"`
	Reallocs    int64        `json:"reallocs"`
	Caches      int64        `json:"caches"`
	Reuses      int64        `json:"reuses"`
	AllocBytes  int64        `json:"alloc_bytes"`
	ParkedBytes int64        `json:"parked_bytes"`
	Layers      []LayerStats `json:"layers"`
}

// TypesReport is the "types" report: one row per object type.
type TypesReport struct {
	Rows    []TypeRow `json:"rows"`
	Total   TypeRow   `json:"total"`
	Omitted int       `json:"omitted"`
}

// TypeRow is one type's requests and bytes. Bytes are requested bytes;
// the *_block_bytes fields are what the allocator set aside for the same
// objects (a pymalloc size class or a malloc chunk).
type TypeRow struct {
	Type               string `json:"type"`
	Allocs             int64  `json:"allocs"`
	Reallocs           int64  `json:"reallocs"`
	Frees              int64  `json:"frees"`
	Reuses             int64  `json:"reuses"`
	AllocBytes         int64  `json:"alloc_bytes"`
	AllocBlockBytes    int64  `json:"alloc_block_bytes"`
	MeanSize           int64  `json:"mean_size"`
	PeakLiveObjects    int64  `json:"peak_live_objects"`
	PeakLiveBytes      int64  `json:"peak_live_bytes"`
	PeakLiveBlockBytes int64  `json:"peak_live_block_bytes"`
	FinalLiveObjects   int64  `json:"final_live_objects"`
	FinalLiveBytes     int64  `json:"final_live_bytes"`
	FinalLiveBlock     int64  `json:"final_live_block_bytes"`
}

// PeakReport is the "peak" report: the peak of each layer, what made it
// up, and what was live at the object layer's peak.
type PeakReport struct {
	Layers       []PeakLayer `json:"layers"`
	Seq          uint64      `json:"seq"`
	Bytes        int64       `json:"bytes"`
	ByType       []LiveRow   `json:"by_type"`
	BySite       []LiveRow   `json:"by_site"`
	OmittedTypes int         `json:"omitted_types"`
	OmittedSites int         `json:"omitted_sites"`
	// SitesUnknown is set by a bounded replay (Options.Bounded), which
	// does not know the allocation site of what is live: BySite is empty.
	SitesUnknown bool `json:"sites_unknown,omitempty"`
}

// PeakLayer is one layer's peak and its parts at that moment: pymalloc
// and raw for the allocator layer, arenas and other mappings for the os
// layer.
type PeakLayer struct {
	Layer      string `json:"layer"`
	PeakBytes  int64  `json:"peak_bytes"`
	PeakSeq    uint64 `json:"peak_seq"`
	FinalBytes int64  `json:"final_bytes"`
	Parts      []Part `json:"parts"`
}

// Part is a named share of a total.
type Part struct {
	Name  string `json:"name"`
	Bytes int64  `json:"bytes"`
}

// LiveRow is what was live of one type or site.
type LiveRow struct {
	Name       string `json:"name"`
	Objects    int64  `json:"objects"`
	Bytes      int64  `json:"bytes"`
	BlockBytes int64  `json:"block_bytes"`
}

// GrowthReport is the "growth" report: requested bytes over the run, in
// all and per type, each curve downsampled to at most Options.Points
// points without losing a bucket's lowest or highest point.
type GrowthReport struct {
	Points  []Point      `json:"points"`
	ByType  []TypeGrowth `json:"by_type"`
	Omitted int          `json:"omitted"`
	Samples uint64       `json:"samples"`
	Limit   int          `json:"limit"`
}

// TypeGrowth is one type's curve.
type TypeGrowth struct {
	Type       string  `json:"type"`
	PeakBytes  int64   `json:"peak_bytes"`
	PeakSeq    uint64  `json:"peak_seq"`
	FinalBytes int64   `json:"final_bytes"`
	Points     []Point `json:"points"`
}

// LeaksReport is the "leaks" report: what is still live at the end of the
// trace, by allocation site and type, largest first. Objects parked on
// free lists are live memory but not leaks: they are counted apart.
type LeaksReport struct {
	Objects       int64     `json:"objects"`
	Bytes         int64     `json:"bytes"`
	BlockBytes    int64     `json:"block_bytes"`
	ParkedObjects int64     `json:"parked_objects"`
	ParkedBytes   int64     `json:"parked_bytes"`
	Rows          []LeakRow `json:"rows"`
	Omitted       int       `json:"omitted"`
}

// LeakRow is the live objects of one type allocated at one site. Stack is
// the call stack (innermost first) holding most of the row's bytes.
type LeakRow struct {
	Site       string   `json:"site"`
	Type       string   `json:"type"`
	Objects    int64    `json:"objects"`
	Bytes      int64    `json:"bytes"`
	BlockBytes int64    `json:"block_bytes"`
	Stack      []string `json:"stack"`
}

// SitesReport is the "sites" report: the sites and call stacks that
// allocated the most, and that held the most at the object layer's peak.
type SitesReport struct {
	Sites          int       `json:"sites"`
	Stacks         int       `json:"stacks"`
	ByAllocated    []SiteRow `json:"by_allocated"`
	ByPeak         []SiteRow `json:"by_peak"`
	StacksByAlloc  []SiteRow `json:"stacks_by_allocated"`
	StacksByPeak   []SiteRow `json:"stacks_by_peak"`
	OmittedSites   int       `json:"omitted_sites"`
	OmittedStacks  int       `json:"omitted_stacks"`
	PeakSeq        uint64    `json:"peak_seq"`
	AllocatedTotal int64     `json:"alloc_bytes"`
}

// SiteRow is one site's (or call stack's) allocations. Site is the
// allocating line; Stack, for call stacks, lists the frames innermost
// first (Stack[0] == Site).
type SiteRow struct {
	Site           string   `json:"site"`
	Stack          []string `json:"stack,omitempty"`
	Allocs         int64    `json:"allocs"`
	AllocBytes     int64    `json:"alloc_bytes"`
	PeakLiveBytes  int64    `json:"peak_live_bytes"`
	FinalLiveBytes int64    `json:"final_live_bytes"`
	Temporary      int64    `json:"temporary"`
}

// SizesReport is the "sizes" report: requests by size class, and who
// served them.
type SizesReport struct {
	Requests int64       `json:"requests"`
	Bytes    int64       `json:"bytes"`
	Served   []Served    `json:"served"`
	Classes  []SizeClass `json:"classes"`
}

// Served is the requests that one server met: "free_list" (an object
// taken off a per-type free list; no request reached an allocator),
// "pymalloc" or "raw".
type Served struct {
	By       string `json:"by"`
	Requests int64  `json:"requests"`
	Bytes    int64  `json:"bytes"`
}

// SizeClass is one row of the request-size histogram: a pymalloc size
// class (requests of Min..Max bytes, Max a multiple of 16 up to 512),
// then power-of-two ranges for larger requests.
type SizeClass struct {
	Min      int64 `json:"min"`
	Max      int64 `json:"max"`
	Requests int64 `json:"requests"`
	Bytes    int64 `json:"bytes"`
	FreeList int64 `json:"free_list"`
	Pymalloc int64 `json:"pymalloc"`
	Raw      int64 `json:"raw"`
}

// LifetimesReport is the "lifetimes" report: how many events objects
// live, by type, and the temporary allocations, by site.
type LifetimesReport struct {
	Freed          int64          `json:"freed"`
	Temporary      int64          `json:"temporary"`
	TemporaryBytes int64          `json:"temporary_bytes"`
	Allocs         int64          `json:"allocs"`
	ByType         []LifetimeRow  `json:"by_type"`
	Histogram      []LifetimeBin  `json:"histogram"`
	TemporaryBy    []TemporaryRow `json:"temporary_by_site"`
	Omitted        int            `json:"omitted_types"`
	OmittedSites   int            `json:"omitted_sites"`
}

// LifetimeRow is one type's lifetimes, in events. P50 and P90 are upper
// bounds: the top of the histogram bucket holding them (at most 25% over).
type LifetimeRow struct {
	Type      string  `json:"type"`
	Freed     int64   `json:"freed"`
	Live      int64   `json:"live_at_end"`
	Mean      float64 `json:"mean"`
	P50       uint64  `json:"p50"`
	P90       uint64  `json:"p90"`
	Max       uint64  `json:"max"`
	Temporary int64   `json:"temporary"`
}

// LifetimeBin counts the lifetimes of Min..Max events.
type LifetimeBin struct {
	Min   uint64 `json:"min"`
	Max   uint64 `json:"max"`
	Count int64  `json:"count"`
}

// TemporaryRow is one site's temporary allocations.
type TemporaryRow struct {
	Site      string `json:"site"`
	Allocs    int64  `json:"allocs"`
	Temporary int64  `json:"temporary"`
	Bytes     int64  `json:"bytes"`
}

// FragmentationReport is the "fragmentation" report: how well pymalloc's
// arenas and pools are used (at the end, and when the most bytes were in
// blocks), the arenas that a single block keeps mapped, and the raw
// allocator's heap.
type FragmentationReport struct {
	ArenaSize    int64       `json:"arena_size"`
	PoolSize     int64       `json:"pool_size"`
	End          FragState   `json:"end"`
	AtPeak       FragState   `json:"at_peak"`
	MaxHeld      int64       `json:"max_held_arenas"`
	MaxHeldSeq   uint64      `json:"max_held_seq"`
	Held         []HeldArena `json:"held_arenas"`
	RawMapped    int64       `json:"raw_mapped_bytes"`
	RawChunks    int64       `json:"raw_chunk_bytes"`
	RawPeakMap   int64       `json:"raw_peak_mapped_bytes"`
	Points       []FragPoint `json:"points"`
	ArenasMapped int64       `json:"arenas_mapped"`
	ArenasFreed  int64       `json:"arenas_freed"`
}

// FragState is pymalloc's use of its arenas at one event: bytes mapped in
// arenas, in pools with a block in use, in blocks in use, and requested in
// those blocks; Held counts the arenas that a single block keeps mapped:
// every other block in them was freed, and that one was not.
type FragState struct {
	Seq            uint64  `json:"seq"`
	Arenas         int64   `json:"arenas"`
	ArenaBytes     int64   `json:"arena_bytes"`
	PoolsUsed      int64   `json:"pools_used"`
	PoolsFull      int64   `json:"pools_full"`
	PoolBytes      int64   `json:"pool_bytes"`
	BlockBytes     int64   `json:"block_bytes"`
	RequestedBytes int64   `json:"requested_bytes"`
	Held           int64   `json:"held_arenas"`
	Utilization    float64 `json:"utilization"`
	PoolUtil       float64 `json:"pool_utilization"`
}

// HeldArena is an arena that one block keeps mapped at the end.
type HeldArena struct {
	Arena     uint64 `json:"arena"`
	Block     uint64 `json:"block"`
	BlockSize int64  `json:"block_bytes"`
	Type      string `json:"type"`
	Site      string `json:"site"`
}

// FragPoint is one sample of pymalloc's use over the run.
type FragPoint struct {
	Seq        uint64 `json:"seq"`
	ArenaBytes int64  `json:"arena_bytes"`
	PoolBytes  int64  `json:"pool_bytes"`
	BlockBytes int64  `json:"block_bytes"`
	Held       int64  `json:"held_arenas"`
}
