package backup

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/sqlstore"
)

// WriteOptions tune Write.
type WriteOptions struct {
	// Version is the tweets binary's version, recorded in the manifest.
	Version string
	// Progress receives a line per step, and during long steps a line
	// about once a second; nil for none.
	Progress io.Writer
	// TempDir holds a copy of the rows while the archive is written
	// (empty: the system's temporary directory).
	TempDir string
}

// Write writes to w a backup of every row of store and of every file of
// blobs that a row refers to (see sqlstore.Table.Blobs), and returns the
// archive's manifest.
//
// The rows are read from one snapshot (see sqlstore.Store.Dump) into
// temporary files first, so the snapshot lasts as long as reading the
// database, not as long as compressing the media. Media files are then
// read twice, once for the manifest's checksums and once into the
// archive: stored files never change, so both reads agree. A file that
// is gone at the first read (its row deleted after the snapshot) is
// listed as missing; one that goes between the two reads fails the
// backup with a message to run it again.
func Write(ctx context.Context, w io.Writer, store *sqlstore.Store, blobs tweets.BlobStore, opt WriteOptions) (*Manifest, error) {
	p := newProgress(opt.Progress)
	dir, err := os.MkdirTemp(opt.TempDir, "tweets-backup-*")
	if err != nil {
		return nil, fmt.Errorf("create a temporary directory (set TMPDIR to one with space): %w", err)
	}
	defer os.RemoveAll(dir)

	m := &Manifest{Format: FormatVersion, TweetsVersion: opt.Version, Dialect: store.Dialect(),
		CreatedAt: time.Now().UTC().Truncate(time.Second), Rows: map[string]int64{}}
	db, err := spoolDatabase(ctx, store, dir, m, p)
	if err != nil {
		return nil, err
	}
	media, err := checksumMedia(ctx, blobs, db.blobKeys, m, p)
	if err != nil {
		return nil, err
	}

	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeEntry(tw, manifestName, int64(len(manifest)+1), m.CreatedAt, func(w io.Writer) error {
		_, err := w.Write(append(manifest, '\n'))
		return err
	}); err != nil {
		return nil, err
	}
	for _, f := range db.files {
		if err := copySpooled(tw, f, m.CreatedAt); err != nil {
			return nil, err
		}
	}
	var size int64
	for i, f := range media {
		if err := copyMedia(ctx, tw, blobs, f, m.CreatedAt); err != nil {
			return nil, err
		}
		size += f.Size
		p.media(i == len(media)-1, "media", i+1, len(media), size)
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("finish the archive: %w", err)
	}
	if err := gz.Close(); err != nil {
		return nil, fmt.Errorf("finish the archive: %w", err)
	}
	p.line("backup complete: %s, %s (%s)", Count(m.TotalRows(), "row"), Count(int64(m.MediaFiles), "media file"), HumanBytes(m.MediaBytes))
	return m, nil
}

// spool is the database copied into temporary files, one per table.
type spool struct {
	files []spooledFile
	// blobKeys are the files the rows refer to, each once, in dump
	// order.
	blobKeys []string
}

type spooledFile struct {
	File
	path string
}

// spoolDatabase dumps every table into dir and fills the manifest's
// schema version, row counts and file entries.
func spoolDatabase(ctx context.Context, store *sqlstore.Store, dir string, m *Manifest, p *progress) (*spool, error) {
	type out struct {
		f  *os.File
		bw *bufio.Writer
		hw *hashingWriter
	}
	outs := map[string]*out{}
	defer func() {
		for _, o := range outs {
			o.f.Close()
		}
	}()
	for _, t := range sqlstore.Tables() {
		f, err := os.Create(filepath.Join(dir, t.Name+".jsonl")) // #nosec G304 -- the backup's own temporary directory
		if err != nil {
			return nil, fmt.Errorf("create a temporary file: %w", err)
		}
		hw := newHashingWriter(f)
		outs[t.Name] = &out{f: f, hw: hw, bw: bufio.NewWriterSize(hw, 64<<10)}
		m.Rows[t.Name] = 0
	}
	sp := &spool{}
	seen := map[string]bool{}
	version, err := store.Dump(ctx, func(table string, row []any) error {
		t, _ := sqlstore.TableByName(table)
		line, err := encodeRow(t, row)
		if err != nil {
			return err
		}
		if _, err := outs[table].bw.Write(line); err != nil {
			return fmt.Errorf("write a temporary file: %w", err)
		}
		for _, b := range t.RowBlobs(row) {
			if !seen[b.Key] {
				seen[b.Key] = true
				sp.blobKeys = append(sp.blobKeys, b.Key)
			}
		}
		m.Rows[table]++
		p.tick("%s", rows(table, m.Rows[table]))
		return nil
	})
	if err != nil {
		return nil, err
	}
	m.SchemaVersion = version
	for _, t := range sqlstore.Tables() {
		o := outs[t.Name]
		if err := o.bw.Flush(); err != nil {
			return nil, fmt.Errorf("write a temporary file: %w", err)
		}
		f := spooledFile{File: File{Name: tableFile(t.Name), Size: o.hw.n, SHA256: o.hw.sum()}, path: o.f.Name()}
		sp.files = append(sp.files, f)
		m.Files = append(m.Files, f.File)
		p.line("%s", rows(t.Name, m.Rows[t.Name]))
	}
	return sp, nil
}

// checksumMedia reads every referenced file once for its size and
// SHA-256, and adds them to the manifest.
func checksumMedia(ctx context.Context, blobs tweets.BlobStore, keys []string, m *Manifest, p *progress) ([]File, error) {
	var files []File
	for i, key := range keys {
		f, err := checksumBlob(ctx, blobs, key)
		if errors.Is(err, tweets.ErrNotFound) {
			m.MissingMedia = append(m.MissingMedia, key)
			p.line("warning: media file %s is missing: its row was deleted during the backup, or the file was lost before it", key)
			continue
		}
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		m.Files = append(m.Files, f)
		m.MediaFiles++
		m.MediaBytes += f.Size
		if i < len(keys)-1 {
			p.media(false, "checksums", i+1, len(keys), m.MediaBytes)
		}
	}
	if len(keys) > 0 {
		p.media(true, "checksums", len(keys), len(keys), m.MediaBytes)
	}
	return files, nil
}

func checksumBlob(ctx context.Context, blobs tweets.BlobStore, key string) (File, error) {
	b, err := blobs.Open(ctx, key)
	if err != nil {
		return File{}, fmt.Errorf("open media file %s: %w", key, err)
	}
	defer b.Close()
	hr := newHashingReader(b)
	if _, err := io.Copy(io.Discard, hr); err != nil {
		return File{}, fmt.Errorf("read media file %s: %w", key, err)
	}
	return File{Name: mediaFile(key), Size: hr.n, SHA256: hr.sum()}, nil
}

// writeEntry adds one regular file to the archive. Entries are private
// (0600): the rows hold password and session hashes.
func writeEntry(tw *tar.Writer, name string, size int64, mod time.Time, body func(io.Writer) error) error {
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o600, ModTime: mod}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("write %s into the archive: %w", name, err)
	}
	if err := body(tw); err != nil {
		return fmt.Errorf("write %s into the archive: %w", name, err)
	}
	return nil
}

func copySpooled(tw *tar.Writer, f spooledFile, mod time.Time) error {
	r, err := os.Open(f.path)
	if err != nil {
		return err
	}
	defer r.Close()
	return writeEntry(tw, f.Name, f.Size, mod, func(w io.Writer) error {
		_, err := io.CopyN(w, r, f.Size)
		return err
	})
}

// copyMedia writes one media file and checks that it is the file the
// manifest describes.
func copyMedia(ctx context.Context, tw *tar.Writer, blobs tweets.BlobStore, f File, mod time.Time) error {
	key := f.Name[len("media/"):]
	b, err := blobs.Open(ctx, key)
	if errors.Is(err, tweets.ErrNotFound) {
		return fmt.Errorf("media file %s disappeared while the backup was being written (its row was probably deleted meanwhile): run the backup again", key)
	}
	if err != nil {
		return fmt.Errorf("open media file %s: %w", key, err)
	}
	defer b.Close()
	return writeEntry(tw, f.Name, f.Size, mod, func(w io.Writer) error {
		hw := newHashingWriter(w)
		// One byte more than expected, so that a file that grew fails
		// the tar writer rather than being cut silently.
		n, err := io.Copy(hw, io.LimitReader(b, f.Size+1))
		if errors.Is(err, tar.ErrWriteTooLong) || err == nil && (n != f.Size || hw.sum() != f.SHA256) {
			return fmt.Errorf("media file %s changed while the backup was being written: run the backup again", key)
		}
		return err
	})
}
