package driver

import "testing"

func TestCgroupLimit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"max\n", 0, false},
		{"2147483648\n", 2 << 30, true},
		{"9223372036854771712\n", 9223372036854771712, true}, // cgroup v1's "no limit": above any machine's memory
		{"", 0, false},
		{"0\n", 0, false},
		{"lots", 0, false},
	} {
		if got, ok := cgroupLimit(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("cgroupLimit(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
