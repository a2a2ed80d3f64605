// This file defines output, which writes an export under a temporary name
// beside its destination and renames it into place when it is complete.

package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// partitionKey names the partition column of a partitioned dataset: its
// folders are chunk=0, chunk=1, ..., chunk k holding events
// k*PartitionEvents+1 to (k+1)*PartitionEvents.
const partitionKey = "chunk"

// parquetFile is the name of the one file in each folder of a dataset.
const parquetFile = "events.parquet"

// ErrExists is the error of an output that exists already, when Force is
// not set.
var ErrExists = errors.New("exists")

// output is an export being written: one file, or a directory of files
// (a partitioned dataset).
type output struct {
	out  string   // the destination
	tmp  string   // what is being written
	file *os.File // for a file: tmp, open
	dir  bool
	done bool
}

// createOutput checks that out can be written and starts writing it: a
// file, or a directory when dir is set. An existing out is replaced only
// when force is set, and only by the same kind of thing: a regular file by
// a file, a directory that holds a partitioned dataset by a directory.
func createOutput(out string, dir, force bool) (*output, error) {
	if out == "" {
		return nil, optionsErrorf("export: no output file given")
	}
	parent := filepath.Dir(out)
	if fi, err := os.Stat(parent); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("export: cannot write %s: directory %s does not exist", out, parent)
		}
		return nil, fmt.Errorf("export: cannot write %s: %w", out, err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("export: cannot write %s: %s is not a directory", out, parent)
	}
	if fi, err := os.Stat(out); err == nil {
		if !force {
			return nil, fmt.Errorf("export: %s %w: use --force to replace it", out, ErrExists)
		}
		if err := replaceable(out, fi, dir); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("export: cannot write %s: %w", out, err)
	}
	pattern := "." + filepath.Base(out) + ".tmp-*"
	o := &output{out: out, dir: dir}
	var err error
	if dir {
		o.tmp, err = os.MkdirTemp(parent, pattern)
	} else {
		o.file, err = os.CreateTemp(parent, pattern)
		if err == nil {
			o.tmp = o.file.Name()
		}
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("export: cannot write %s: %w", out, err)
	}
	return o, nil
}

// replaceable reports why the existing out (fi) must not be replaced.
func replaceable(out string, fi fs.FileInfo, dir bool) error {
	switch {
	case fi.Mode().IsRegular():
		return nil
	case !fi.IsDir():
		return fmt.Errorf("export: %s is not a regular file: not replacing it", out)
	case !dir:
		return fmt.Errorf("export: %s is a directory: not replacing it with a file", out)
	}
	// only a directory that holds a dataset as this package writes it
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("export: cannot write %s: %w", out, err)
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), partitionKey+"=") {
			return fmt.Errorf("export: %s holds %s, so it is not a dataset written by heaptrace: not replacing it", out, e.Name())
		}
	}
	return nil
}

// path returns the path of name inside a directory output.
func (o *output) path(name string) string { return filepath.Join(o.tmp, name) }

// commit closes the output and renames it into place, replacing what was
// there; it returns the files and bytes written.
func (o *output) commit() (files int, bytes int64, err error) {
	mode := fs.FileMode(0o644)
	if o.dir {
		mode = 0o755
	}
	// temporary files are private; the export is not
	if err := os.Chmod(o.tmp, mode); err != nil {
		return 0, 0, fmt.Errorf("export: write %s: %w", o.out, err)
	}
	if o.file != nil {
		if err := o.file.Close(); err != nil {
			return 0, 0, fmt.Errorf("export: write %s: %w", o.out, err)
		}
		o.file = nil
	}
	err = filepath.WalkDir(o.tmp, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err == nil {
			files++
			bytes += fi.Size()
		}
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("export: write %s: %w", o.out, err)
	}
	var old string
	if fi, err := os.Stat(o.out); err == nil && fi.IsDir() {
		// a directory cannot be renamed over: move the old one aside
		old = o.tmp + ".old"
		if err := os.Rename(o.out, old); err != nil {
			return 0, 0, fmt.Errorf("export: replace %s: %w", o.out, err)
		}
	}
	if err := os.Rename(o.tmp, o.out); err != nil {
		if old != "" {
			os.Rename(old, o.out)
		}
		return 0, 0, fmt.Errorf("export: write %s: %w", o.out, err)
	}
	o.done = true
	if old != "" {
		os.RemoveAll(old)
	}
	return files, bytes, nil
}

// abort removes what was written unless it was committed.
func (o *output) abort() {
	if o.done {
		return
	}
	if o.file != nil {
		o.file.Close()
	}
	os.RemoveAll(o.tmp)
}
