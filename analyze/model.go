// This file reads what a trace says about the model that recorded it (its
// Python profile and allocator policy, heaptrace.profile and
// heaptrace.params), and says when two traces were recorded with
// different models, which diff must not let pass silently.

package analyze

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// allocatorOf returns the allocator policy in a trace's params: "pymalloc"
// or "malloc". Params that predate the "allocator" key say it through
// UsePymalloc, or not at all (pymalloc: the only policy then).
func allocatorOf(params string) string {
	var p struct {
		Allocator   string `json:"allocator"`
		UsePymalloc *bool
	}
	_ = json.Unmarshal([]byte(params), &p) // missing or odd params: the default
	switch {
	case p.Allocator != "":
		return p.Allocator
	case p.UsePymalloc != nil && !*p.UsePymalloc:
		return "malloc"
	}
	return "pymalloc"
}

// modelWarnings says how the models that recorded a and b differ: the
// Python profile, the allocator policy, and any other parameter (arena
// size, free-list lengths...). Their differences then mix what changed in
// the program with what changed in the model.
func modelWarnings(a, b *Report) []string {
	var out []string
	if a.Profile != b.Profile {
		out = append(out, fmt.Sprintf("A was recorded with profile %s and B with %s: the differences include the change of Python version", a.Profile, b.Profile))
	}
	if a.Allocator != b.Allocator {
		out = append(out, fmt.Sprintf("A was recorded with allocator %s and B with %s: the allocator and os layers differ by the policy too", a.Allocator, b.Allocator))
	}
	if keys := paramsDiffer(a.params, b.params); len(keys) > 0 {
		out = append(out, fmt.Sprintf("A and B were recorded with different model parameters (%s)", strings.Join(keys, ", ")))
	}
	return out
}

// paramsDiffer lists the parameters whose values differ between two
// params objects (the allocator, said apart, left out).
func paramsDiffer(a, b string) []string {
	var pa, pb map[string]json.RawMessage
	if json.Unmarshal([]byte(a), &pa) != nil || json.Unmarshal([]byte(b), &pb) != nil {
		return nil
	}
	var keys []string
	for k, va := range pa {
		if vb, ok := pb[k]; ok && k != "allocator" && k != "UsePymalloc" && !jsonEqual(va, vb) {
			keys = append(keys, fmt.Sprintf("%s %s vs %s", k, compact(va), compact(vb)))
		}
	}
	slices.Sort(keys)
	return keys
}

func jsonEqual(a, b json.RawMessage) bool { return compact(a) == compact(b) }

// compact is v's JSON with objects' keys sorted and no spaces.
func compact(v json.RawMessage) string {
	var x any
	if json.Unmarshal(v, &x) != nil {
		return string(v)
	}
	out, _ := json.Marshal(x) // maps marshal with sorted keys
	return string(out)
}
