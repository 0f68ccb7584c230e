package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tweetsdev/tweets"
)

// Disk keeps media files in one directory, named by their keys.
type Disk struct {
	Dir string

	// leftovers are partial files that could not be removed when their
	// Put failed (the directory had turned read-only): the next Put
	// removes them, once the directory takes writes again.
	mu        sync.Mutex
	leftovers []string
}

// NewDisk creates dir if needed.
func NewDisk(dir string) (*Disk, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil { // #nosec G301 -- nginx's user reads the media (X-Accel-Redirect)
		return nil, fmt.Errorf("create the media directory: %w", err)
	}
	return &Disk{Dir: dir}, nil
}

func (d *Disk) path(key string) (string, error) {
	if !tweets.ValidMediaKey(key) {
		return "", tweets.ErrNotFound
	}
	return filepath.Join(d.Dir, key), nil
}

// Put implements tweets.BlobStore. The file appears under its name only
// once complete (written to a temporary name, synced, renamed), so a
// crash never leaves half a file behind a live key.
func (d *Disk) Put(_ context.Context, key string, r io.Reader, _ string) (err error) {
	defer tweets.Wrap(&err, "store media %s", key)
	defer func() { err = cannotStore(err) }()
	p, err := d.path(key)
	if err != nil {
		return fmt.Errorf("invalid key")
	}
	d.removeLeftovers()
	tmp, err := os.CreateTemp(d.Dir, partialPrefix+"*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			if rerr := os.Remove(tmp.Name()); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
				d.mu.Lock()
				d.leftovers = append(d.leftovers, tmp.Name())
				d.mu.Unlock()
			}
		}
	}()
	if _, err = io.Copy(tmp, r); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// removeLeftovers removes the partial files earlier Puts could not.
func (d *Disk) removeLeftovers() {
	d.mu.Lock()
	defer d.mu.Unlock()
	kept := d.leftovers[:0]
	for _, p := range d.leftovers {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			kept = append(kept, p)
		}
	}
	d.leftovers = kept
}

// cannotStore turns the errors of a full, read-only or unwritable media
// directory into tweets.ErrMediaUnavailable, the cause kept in the chain;
// other errors pass as they are.
func cannotStore(err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || errors.Is(err, syscall.EROFS) ||
		errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("%w (%w)", tweets.ErrMediaUnavailable, err)
	}
	return err
}

// partialPrefix starts the names of files being written. A process
// killed in the middle of a Put leaves its file behind under such a name.
const partialPrefix = ".upload-"

// DeletePartial implements tweets.PartialSweeper: it deletes the files
// that Puts began before cutoff and never finished. (Put removes its
// file when it fails; only a killed process leaves one.)
func (d *Disk) DeletePartial(ctx context.Context, cutoff time.Time, dryRun bool) (n int, size int64, err error) {
	es, err := os.ReadDir(d.Dir)
	if err != nil {
		return 0, 0, fmt.Errorf("list the media directory: %w", err)
	}
	for _, e := range es {
		if !strings.HasPrefix(e.Name(), partialPrefix) || !e.Type().IsRegular() {
			continue
		}
		if err := ctx.Err(); err != nil {
			return n, size, err
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) || err == nil && !info.ModTime().Before(cutoff) {
			continue // finished since ReadDir, or maybe still being written
		}
		if err != nil {
			return n, size, err
		}
		if !dryRun {
			if err := os.Remove(filepath.Join(d.Dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return n, size, err
			}
		}
		n++
		size += info.Size()
	}
	return n, size, nil
}

// Open implements tweets.BlobStore.
func (d *Disk) Open(_ context.Context, key string) (tweets.Blob, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p) // #nosec G304 -- d.path accepts only valid keys (no separators)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, tweets.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &file{File: f, info: st}, nil
}

// Delete implements tweets.BlobStore. A missing file is not an error.
func (d *Disk) Delete(_ context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return nil
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// List implements tweets.BlobStore. Names starting with a dot are
// uploads in progress and are left out.
func (d *Disk) List(ctx context.Context, fn func(tweets.BlobInfo) error) error {
	es, err := os.ReadDir(d.Dir)
	if err != nil {
		return fmt.Errorf("list the media directory: %w", err)
	}
	for _, e := range es {
		if strings.HasPrefix(e.Name(), ".") || !e.Type().IsRegular() {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted since ReadDir
		}
		if err != nil {
			return fmt.Errorf("list the media directory: %w", err)
		}
		if err := fn(tweets.BlobInfo{Key: e.Name(), Size: info.Size(), ModTime: info.ModTime()}); err != nil {
			return err
		}
	}
	return nil
}

// IsEmpty reports whether the directory holds no stored file (names
// starting with a dot are uploads in progress), so that a restore can
// refuse to mix a backup's files with live ones.
func (d *Disk) IsEmpty(context.Context) (bool, error) {
	es, err := os.ReadDir(d.Dir)
	if err != nil {
		return false, err
	}
	for _, e := range es {
		if !strings.HasPrefix(e.Name(), ".") {
			return false, nil
		}
	}
	return true, nil
}

type file struct {
	*os.File
	info fs.FileInfo
}

func (f *file) Size() int64        { return f.info.Size() }
func (f *file) ModTime() time.Time { return f.info.ModTime() }
