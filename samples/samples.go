package samples

import (
	"embed"
	"io/fs"
	"sort"
)

//go:embed *.py
var files embed.FS

// Names returns the file names of the bundled samples ("list_append.py",
// ...), sorted.
func Names() []string {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		// The embedded root always exists; this cannot happen.
		panic(err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}

// Read returns the source of the sample called name, as listed by Names.
// An unknown name gives an error satisfying errors.Is(err, fs.ErrNotExist).
func Read(name string) ([]byte, error) {
	return fs.ReadFile(files, name)
}
