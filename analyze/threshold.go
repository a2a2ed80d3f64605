// This file defines Threshold, the parser of --fail-if expressions, and
// their evaluation against one trace or a pair.

package analyze

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// A Threshold is one --fail-if condition, such as "peak>64MiB",
// "os.peak>200MiB", "type:list.peak>1MiB" or "growth>10%". Its grammar:
//
//	threshold = [scope "."] metric op value
//	scope     = "objects" | "allocator" | "os" | "type:" NAME | "site:" TEXT
//	metric    = "peak" | "final" | "allocated" | "growth"
//	op        = ">" | ">=" | "<" | "<="
//	value     = number [unit] | number "%"
//	unit      = "B" | "KB" | "MB" | "GB" | "TB" | "KiB" | "MiB" | "GiB" | "TiB"
//
// The scope defaults to objects (requested bytes, tracemalloc's figures);
// type: names an object type, site: sums the sites whose label contains
// TEXT. peak and final are the scope's peak and final bytes (for a type
// or site: live at the object-layer peak, and at the end); allocated is
// the bytes requested over the run (objects, types and sites only).
// A size compares the value in trace B (or the one trace of analyze); a
// percentage compares the change from trace A to trace B, so that it
// needs two traces. growth is the change of peak: growth>10% holds when
// B's peak is more than 10% over A's, growth>1MiB when it is more than
// 1 MiB over. Units are case-insensitive; KB, MB, ... are powers of 1000,
// KiB, MiB, ... of 1024; a bare number is bytes.
type Threshold struct {
	Expr    string  // as written
	Scope   string  // "objects", "allocator", "os", "type:NAME", "site:TEXT"
	Metric  string  // "peak", "final", "allocated", "growth"
	Op      string  // ">", ">=", "<", "<="
	Value   float64 // bytes, or percent when Percent
	Percent bool
}

var (
	metrics = []string{"peak", "final", "allocated", "growth"}
	units   = []struct {
		name string
		mult float64
	}{
		{"b", 1}, {"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
		{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
	}
)

// ThresholdError is a --fail-if expression that does not parse.
type ThresholdError struct {
	Expr string
	Msg  string
}

func (e *ThresholdError) Error() string { return fmt.Sprintf("--fail-if '%s': %s", e.Expr, e.Msg) }

// ParseThreshold parses one --fail-if expression. Its errors say what was
// expected where: "--fail-if 'peak>>3': expected a size or percentage
// after '>'".
func ParseThreshold(expr string) (Threshold, error) {
	t := Threshold{Expr: expr, Scope: "objects"}
	fail := func(format string, args ...any) (Threshold, error) {
		return Threshold{}, &ThresholdError{expr, fmt.Sprintf(format, args...)}
	}
	s := strings.TrimSpace(expr)
	if s == "" {
		return fail("empty: expected e.g. peak>64MiB")
	}
	rest := s
	switch {
	case strings.HasPrefix(s, "type:"), strings.HasPrefix(s, "site:"):
		// the name may hold dots and '<' or '>': it ends at the last
		// ".metric" that an operator follows
		i := lastMetric(s)
		if i < 0 {
			return fail("expected .peak, .final, .allocated or .growth after the %s name", s[:4])
		}
		if i == 5 {
			return fail("empty %s name", s[:4])
		}
		t.Scope, rest = s[:i], s[i+1:]
	default:
		for _, l := range layerLabels {
			if strings.HasPrefix(s, l+".") {
				t.Scope, rest = l, s[len(l)+1:]
				break
			}
		}
	}
	n := 0
	for n < len(rest) && rest[n] >= 'a' && rest[n] <= 'z' {
		n++
	}
	t.Metric = rest[:n]
	if indexOf(metrics, t.Metric) < 0 {
		if t.Metric == "" {
			return fail("expected a metric (peak, final, allocated or growth) at %q", rest)
		}
		return fail("unknown metric %q (peak, final, allocated or growth)", t.Metric)
	}
	if t.Metric == "allocated" && (t.Scope == "allocator" || t.Scope == "os") {
		return fail("allocated is measured at the object layer, for objects, types and sites, not %s", t.Scope)
	}
	rest = strings.TrimLeft(rest[n:], " ")
	switch {
	case strings.HasPrefix(rest, ">="), strings.HasPrefix(rest, "<="):
		t.Op = rest[:2]
	case strings.HasPrefix(rest, ">"), strings.HasPrefix(rest, "<"):
		t.Op = rest[:1]
	default:
		return fail("expected >, >=, < or <= after '%s'", t.Metric)
	}
	rest = strings.TrimLeft(rest[len(t.Op):], " ")
	n = 0
	if n < len(rest) && (rest[n] == '-' || rest[n] == '+') {
		n++
	}
	digits := 0
	for n < len(rest) && (rest[n] >= '0' && rest[n] <= '9' || rest[n] == '.') {
		n++
		digits++
	}
	if digits == 0 {
		return fail("expected a size or percentage after '%s'", t.Op)
	}
	v, err := strconv.ParseFloat(rest[:n], 64)
	if err != nil || math.IsInf(v, 0) {
		return fail("%q is not a number", rest[:n])
	}
	unit := strings.TrimSpace(rest[n:])
	switch {
	case unit == "%":
		t.Percent = true
	case unit == "":
	default:
		found := false
		for _, u := range units {
			if strings.EqualFold(unit, u.name) {
				v *= u.mult
				found = true
			}
		}
		if !found {
			return fail("unknown unit %q (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, or %% for a change)", unit)
		}
	}
	if math.IsInf(v, 0) {
		return fail("%s is too large", rest)
	}
	t.Value = v
	return t, nil
}

// lastMetric returns the index of the last "." that starts a metric
// followed by an operator, or -1.
func lastMetric(s string) int {
	for i := len(s) - 1; i >= 5; i-- {
		if s[i] != '.' {
			continue
		}
		for _, m := range metrics {
			if !strings.HasPrefix(s[i+1:], m) {
				continue
			}
			if after := strings.TrimLeft(s[i+1+len(m):], " "); after != "" && (after[0] == '<' || after[0] == '>') {
				return i
			}
		}
	}
	return -1
}

// String returns t in canonical form, which parses back to t.
func (t Threshold) String() string {
	var b strings.Builder
	if t.Scope != "objects" {
		b.WriteString(t.Scope + ".")
	}
	b.WriteString(t.Metric + t.Op + strconv.FormatFloat(t.Value, 'f', -1, 64))
	if t.Percent {
		b.WriteString("%")
	} else {
		b.WriteString("B")
	}
	return b.String()
}

// ThresholdResult is a threshold checked against one trace (B) or a pair.
type ThresholdResult struct {
	Expr string `json:"expr"`
	// A and B are the scope's metric in each trace (A is 0 for a single
	// trace); for growth, the peak.
	A int64 `json:"a"`
	B int64 `json:"b"`
	// Measured is what the threshold compares: bytes, or a percentage
	// when Percent; null when a percentage is undefined (A is 0, B not).
	Measured *float64 `json:"measured"`
	Percent  bool     `json:"percent"`
	Crossed  bool     `json:"crossed"`
	Detail   string   `json:"detail"`
}

// metric returns the value of t's scope and metric in r.
func (t Threshold) metric(r *Report) (int64, error) {
	m := t.Metric
	if m == "growth" {
		m = "peak"
	}
	pick := func(peak, final, alloc int64) int64 {
		switch m {
		case "peak":
			return peak
		case "final":
			return final
		}
		return alloc
	}
	switch {
	case t.Scope == "objects":
		var alloc int64
		for _, ts := range r.ByType {
			alloc += ts.AllocBytes
		}
		return pick(r.PeakBytes, r.FinalBytes, alloc), nil
	case strings.HasPrefix(t.Scope, "type:"):
		name := t.Scope[5:]
		for _, ts := range r.ByType {
			if ts.Type == name {
				return pick(ts.PeakLiveBytes, ts.FinalLiveBytes, ts.AllocBytes), nil
			}
		}
		return 0, nil
	case strings.HasPrefix(t.Scope, "site:"):
		if r.allSites == nil {
			return 0, fmt.Errorf("analyze: %s: the sites of %s were not analysed", t.Expr, r.Trace)
		}
		var peak, final, alloc int64
		for _, s := range r.allSites {
			if strings.Contains(s.Site, t.Scope[5:]) {
				peak += s.PeakLiveBytes
				final += s.FinalLiveBytes
				alloc += s.AllocBytes
			}
		}
		return pick(peak, final, alloc), nil
	}
	for _, l := range r.Layers {
		if l.Layer == t.Scope {
			return pick(l.PeakBytes, l.FinalBytes, 0), nil
		}
	}
	return 0, fmt.Errorf("analyze: %s: no layer %q", t.Expr, t.Scope)
}

// Check evaluates t on trace b, against trace a when t compares a change
// (a percentage, or growth). a may be nil for a threshold on one trace.
func (t Threshold) Check(a, b *Report) (ThresholdResult, error) {
	res := ThresholdResult{Expr: t.Expr, Percent: t.Percent}
	change := t.Percent || t.Metric == "growth"
	if change && a == nil {
		return res, fmt.Errorf("--fail-if '%s': a change (a percentage or growth) compares two traces: use heaptrace diff A B", t.Expr)
	}
	vb, err := t.metric(b)
	if err != nil {
		return res, err
	}
	res.B = vb
	var va int64
	if a != nil {
		if va, err = t.metric(a); err != nil {
			return res, err
		}
		res.A = va
	}
	what := t.Scope + " " + t.Metric
	if t.Metric == "growth" {
		what = t.Scope + " peak"
	}
	var measured float64
	switch {
	case t.Percent:
		switch {
		case va == 0 && vb == 0:
			measured = 0
		case va == 0:
			measured = math.Inf(1)
		default:
			measured = float64(vb-va) * 100 / float64(va)
		}
		res.Detail = fmt.Sprintf("%s %s in A, %s in B: %s", what, Bytes(va), Bytes(vb), signedPercent(measured))
	case change:
		measured = float64(vb - va)
		res.Detail = fmt.Sprintf("%s %s in A, %s in B: %s", what, Bytes(va), Bytes(vb), signedBytes(vb-va))
	default:
		measured = float64(vb)
		res.Detail = fmt.Sprintf("%s %s", what, Bytes(vb))
		if a != nil {
			res.Detail += " in B"
		}
	}
	if !math.IsInf(measured, 0) {
		m := measured
		res.Measured = &m
	}
	switch t.Op {
	case ">":
		res.Crossed = measured > t.Value
	case ">=":
		res.Crossed = measured >= t.Value
	case "<":
		res.Crossed = measured < t.Value
	case "<=":
		res.Crossed = measured <= t.Value
	}
	return res, nil
}

// CheckThresholds evaluates each threshold (see Threshold.Check).
func CheckThresholds(ts []Threshold, a, b *Report) ([]ThresholdResult, error) {
	out := []ThresholdResult{}
	for _, t := range ts {
		r, err := t.Check(a, b)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Crossed returns the expressions of the results that crossed their
// threshold.
func Crossed(results []ThresholdResult) []string {
	var out []string
	for _, r := range results {
		if r.Crossed {
			out = append(out, r.Expr)
		}
	}
	return out
}

func signedBytes(n int64) string {
	if n > 0 {
		return "+" + Bytes(n)
	}
	return Bytes(n)
}

func signedPercent(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "new (A had none)"
	case x > 0:
		return "+" + strconv.FormatFloat(x, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(x, 'f', 1, 64) + "%"
}

// writeThresholds writes the results as a table.
func writeThresholds(w *errWriter, results []ThresholdResult) {
	if len(results) == 0 {
		return
	}
	fmt.Fprintf(w, "\nThresholds (--fail-if)\n")
	var rows [][]string
	for _, r := range results {
		verdict := "ok"
		if r.Crossed {
			verdict = "CROSSED"
		}
		rows = append(rows, []string{r.Expr, r.Detail, verdict})
	}
	table(w, []string{"Threshold", "Measured", "Result"}, rows, 1, 2)
}
