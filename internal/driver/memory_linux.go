package driver

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// machineMemory returns the memory this process may use in bytes: the
// machine's physical memory, or its cgroup's limit if lower (in a
// container, the machine's figure is the host's); 0 when it cannot tell.
func machineMemory() int64 {
	var info syscall.Sysinfo_t
	if syscall.Sysinfo(&info) != nil {
		return 0
	}
	m := int64(info.Totalram) * int64(info.Unit)
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, err := os.ReadFile(path); err == nil {
			if limit, ok := cgroupLimit(string(b)); ok && limit < m {
				m = limit
			}
		}
	}
	return m
}

// cgroupLimit parses a cgroup memory limit file: a byte count, or "max"
// (cgroup v2) for none.
func cgroupLimit(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "max" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}
