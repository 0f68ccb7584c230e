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
	"strings"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/sqlstore"
)

// RestoreOptions tune Restore.
type RestoreOptions struct {
	// Force replaces what the database and the media store hold. Every
	// row is deleted in the transaction that loads the backup, so a
	// restore that fails keeps the old rows; the media files that the
	// old rows referred to are deleted once the restore has committed.
	Force bool
	// Progress receives a line per step, and during long steps a line
	// about once a second; nil for none.
	Progress io.Writer
	// TempDir holds each media file while its checksum is verified
	// (empty: the system's temporary directory).
	TempDir string
}

// maxManifestBytes bounds the manifest a restore reads into memory:
// room for the checksums of millions of files.
const maxManifestBytes = 1 << 30

// Restore loads a backup written by Write into store and blobs, and
// returns its manifest. The database must be migrated to the schema
// version of the backup. Unless opt.Force is set, both the database and
// the media store must be empty.
//
// Every row goes in within one transaction, and each media file is
// checked against its checksum before it is stored: a damaged or
// incomplete archive is refused, and the transaction rolled back and the
// files already stored deleted, so the target is left as it was.
func Restore(ctx context.Context, r io.Reader, store *sqlstore.Store, blobs tweets.BlobStore, opt RestoreOptions) (*Manifest, error) {
	p := newProgress(opt.Progress)
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("this is not a tweets backup: it is not a gzip-compressed file (%v)", err)
	}
	tr := tar.NewReader(gz)
	m, err := readManifest(tr)
	if err != nil {
		return nil, err
	}
	p.line("backup of %s made by tweets %s at %s: schema version %d, %s, %s (%s)",
		m.Dialect, m.TweetsVersion, m.CreatedAt.Format("2006-01-02 15:04:05 UTC"), m.SchemaVersion,
		Count(m.TotalRows(), "row"), Count(int64(m.MediaFiles), "media file"), HumanBytes(m.MediaBytes))
	if err := checkSchema(ctx, m, store); err != nil {
		return nil, err
	}
	if !opt.Force {
		if err := checkTarget(ctx, store, blobs); err != nil {
			return nil, err
		}
	}
	tmp, err := os.CreateTemp(opt.TempDir, "tweets-restore-*")
	if err != nil {
		return nil, fmt.Errorf("create a temporary file (set TMPDIR to a directory with space): %w", err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()

	rs := &restorer{m: m, blobs: blobs, p: p, force: opt.Force, tmp: tmp,
		want: map[string]File{}, seen: map[string]bool{}, referred: map[string]reference{}}
	for _, f := range m.Files {
		rs.want[f.Name] = f
	}
	var oldKeys []string
	err = store.Load(ctx, func(l *sqlstore.Loader) error {
		if opt.Force {
			var err error
			if oldKeys, err = l.Wipe(ctx); err != nil {
				return err
			}
		}
		return rs.readEntries(ctx, tr, l)
	})
	if err != nil {
		rs.undo(ctx)
		return nil, err
	}
	// The old rows are gone for good: their files may go too, unless
	// the backup brought the same file back.
	for _, key := range oldKeys {
		if _, kept := rs.referred[key]; kept {
			continue
		}
		if err := blobs.Delete(ctx, key); err != nil {
			p.line("warning: could not delete the old media file %s (%v): delete it by hand", key, err)
		}
	}
	p.line("restore complete: %s, %s (%s)", Count(m.TotalRows(), "row"), Count(int64(m.MediaFiles), "media file"), HumanBytes(m.MediaBytes))
	return m, nil
}

// readManifest reads and checks the first file of the archive.
func readManifest(tr *tar.Reader) (*Manifest, error) {
	hdr, err := tr.Next()
	if err != nil {
		return nil, damaged(err)
	}
	if hdr.Name != manifestName {
		return nil, fmt.Errorf("this is not a tweets backup: it starts with %s, not %s", hdr.Name, manifestName)
	}
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(tr, maxManifestBytes)).Decode(&m); err != nil {
		return nil, fmt.Errorf("the backup's %s cannot be read (%v): make the backup again, or use another copy", manifestName, err)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("the backup's %s is not valid: %v", manifestName, err)
	}
	return &m, nil
}

// check makes sure the manifest lists a file for every table and only
// files a restore knows what to do with.
func (m *Manifest) check() error {
	names := map[string]bool{}
	media := 0
	for _, f := range m.Files {
		if names[f.Name] {
			return fmt.Errorf("it lists %s twice", f.Name)
		}
		names[f.Name] = true
		switch {
		case strings.HasPrefix(f.Name, "db/") && strings.HasSuffix(f.Name, ".jsonl"):
			if _, ok := sqlstore.TableByName(strings.TrimSuffix(strings.TrimPrefix(f.Name, "db/"), ".jsonl")); !ok {
				return fmt.Errorf("it lists %s, a table this tweets binary does not have", f.Name)
			}
		case strings.HasPrefix(f.Name, "media/") && !strings.ContainsAny(strings.TrimPrefix(f.Name, "media/"), `/\`):
			media++
		default:
			return fmt.Errorf("it lists %s, which is neither a table nor a media file", f.Name)
		}
	}
	for _, t := range sqlstore.Tables() {
		if !names[tableFile(t.Name)] {
			return fmt.Errorf("it lacks the table %s", t.Name)
		}
	}
	if media != m.MediaFiles {
		return fmt.Errorf("it lists %d media files but counts %d", media, m.MediaFiles)
	}
	return nil
}

// damaged explains an error reading the archive itself.
func damaged(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errors.New("the backup is incomplete: the file ends early (was it cut short while copying?); make the backup again, or use another copy")
	}
	return fmt.Errorf("the backup is damaged (%v): make the backup again, or use another copy", err)
}

func checksumMismatch(name string) error {
	return fmt.Errorf("the backup is damaged: %s does not match its checksum; make the backup again, or use another copy", name)
}

// restorer is one restore in progress.
type restorer struct {
	m     *Manifest
	blobs tweets.BlobStore
	p     *progress
	force bool
	tmp   *os.File // holds one media file while it is verified

	want map[string]File // the manifest's files by name
	seen map[string]bool
	// referred holds the media files that the restored rows refer to,
	// by key.
	referred map[string]reference
	// put are the media files stored that were not there before: the
	// ones to delete if the restore fails.
	put        []string
	mediaDone  int
	mediaBytes int64
}

func (rs *restorer) readEntries(ctx context.Context, tr *tar.Reader, l *sqlstore.Loader) error {
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return damaged(err)
		}
		f, ok := rs.want[hdr.Name]
		if !ok || hdr.Typeflag != tar.TypeReg || rs.seen[hdr.Name] {
			return fmt.Errorf("the backup holds %s, which its manifest does not list (or lists once): it was altered or damaged", hdr.Name)
		}
		rs.seen[hdr.Name] = true
		if hdr.Size != f.Size {
			return fmt.Errorf("the backup is damaged: %s has %d bytes, its manifest says %d", hdr.Name, hdr.Size, f.Size)
		}
		if strings.HasPrefix(f.Name, "db/") {
			err = rs.loadTable(ctx, tr, l, f)
		} else {
			err = rs.restoreMedia(ctx, tr, f)
		}
		if err != nil {
			return err
		}
	}
	for _, f := range rs.m.Files {
		if !rs.seen[f.Name] {
			return fmt.Errorf("the backup is incomplete: it lacks %s; make the backup again, or use another copy", f.Name)
		}
	}
	missing := map[string]bool{}
	for _, k := range rs.m.MissingMedia {
		missing[k] = true
	}
	for key, ref := range rs.referred {
		if !rs.seen[mediaFile(key)] && !missing[key] {
			return fmt.Errorf("the backup is incomplete: a row of %s refers to the media file %s, which it lacks", ref.table, key)
		}
	}
	return nil
}

// reference is a row's reference to a media file.
type reference struct {
	table       string
	contentType string
}

// loadTable inserts the rows of one db/<table>.jsonl file.
func (rs *restorer) loadTable(ctx context.Context, r io.Reader, l *sqlstore.Loader, f File) error {
	t, _ := sqlstore.TableByName(strings.TrimSuffix(strings.TrimPrefix(f.Name, "db/"), ".jsonl"))
	hr := newHashingReader(r)
	br := bufio.NewReaderSize(hr, 64<<10)
	var n int64
	repairs := make([]int64, len(t.Columns))
	err := func() error {
		for lineNo := 1; ; lineNo++ {
			line, err := br.ReadBytes('\n')
			if err != nil && err != io.EOF {
				return damaged(err)
			}
			if len(line) > 0 {
				if line[len(line)-1] != '\n' {
					return fmt.Errorf("%s: the last line is cut short", f.Name)
				}
				row, repaired, err := decodeRow(t, line)
				if err != nil {
					return fmt.Errorf("%s line %d: %w", f.Name, lineNo, err)
				}
				for i, r := range repaired {
					if r {
						repairs[i]++
					}
				}
				if err := l.Insert(ctx, t.Name, row); err != nil {
					return fmt.Errorf("%s line %d: %w", f.Name, lineNo, err)
				}
				for _, b := range t.RowBlobs(row) {
					rs.referred[b.Key] = reference{table: t.Name, contentType: b.ContentType}
				}
				n++
				rs.p.tick("%s", rows(t.Name, n))
			}
			if err == io.EOF {
				return nil
			}
		}
	}()
	if err != nil {
		// A damaged file explains a bad row better than the row does.
		_, _ = io.Copy(io.Discard, hr)
		if hr.n == f.Size && hr.sum() != f.SHA256 {
			return checksumMismatch(f.Name)
		}
		return err
	}
	if hr.n != f.Size || hr.sum() != f.SHA256 {
		return checksumMismatch(f.Name)
	}
	if n != rs.m.Rows[t.Name] {
		return fmt.Errorf("the backup is damaged: %s has %d rows, its manifest says %d", f.Name, n, rs.m.Rows[t.Name])
	}
	rs.p.line("%s", rows(t.Name, n))
	for i, c := range t.Columns {
		if repairs[i] > 0 {
			rs.p.line("warning: %s.%s: %s repaired: NUL bytes dropped, bytes that are not UTF-8 replaced by U+FFFD",
				t.Name, c.Name, Count(repairs[i], "value"))
		}
	}
	return nil
}

// restoreMedia verifies one media file, then stores it. It is copied
// aside first so that a damaged file never reaches the media store.
func (rs *restorer) restoreMedia(ctx context.Context, r io.Reader, f File) error {
	key := strings.TrimPrefix(f.Name, "media/")
	ref, ok := rs.referred[key]
	if !ok {
		return fmt.Errorf("the backup holds %s, which no row refers to: it was altered or damaged", f.Name)
	}
	if err := rs.tmp.Truncate(0); err != nil {
		return err
	}
	if _, err := rs.tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	hr := newHashingReader(r)
	if _, err := io.Copy(rs.tmp, hr); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return fmt.Errorf("write a temporary file (set TMPDIR to a directory with space): %w", err)
		}
		return damaged(err)
	}
	if hr.n != f.Size || hr.sum() != f.SHA256 {
		return checksumMismatch(f.Name)
	}
	existed := false
	b, err := rs.blobs.Open(ctx, key)
	switch {
	case err == nil:
		b.Close()
		if !rs.force {
			return errNotEmpty("the media directory already has the file " + key)
		}
		existed = true
	case !errors.Is(err, tweets.ErrNotFound):
		return fmt.Errorf("check the media file %s: %w", key, err)
	}
	if _, err := rs.tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if err := rs.blobs.Put(ctx, key, io.LimitReader(rs.tmp, f.Size), ref.contentType); err != nil {
		return fmt.Errorf("store the media file %s: %w", key, err)
	}
	if !existed {
		rs.put = append(rs.put, key)
	}
	rs.mediaDone++
	rs.mediaBytes += f.Size
	rs.p.media(rs.mediaDone == rs.m.MediaFiles, "media", rs.mediaDone, rs.m.MediaFiles, rs.mediaBytes)
	return nil
}

// undo deletes the media files a failed restore stored. It runs after
// the context may have been cancelled, which must not stop the clean-up.
func (rs *restorer) undo(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	for _, key := range rs.put {
		if err := rs.blobs.Delete(ctx, key); err != nil {
			rs.p.line("warning: could not delete the media file %s after the failed restore (%v): delete it by hand", key, err)
		}
	}
}
