//go:build race

package format

// raceEnabled is true when the tests run under the race detector, which
// allocates on its own account.
const raceEnabled = true
