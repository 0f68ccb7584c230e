package tweets

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// GCOptions tune CollectGarbage.
type GCOptions struct {
	// DryRun reports what would be deleted and deletes nothing.
	DryRun bool
	// MinAge spares files younger than it: an upload is stored before
	// the row that refers to it, so a young file without a row may be
	// one that is being posted.
	MinAge time.Duration
	// Progress, when set, is called now and then with the counts so far.
	Progress func(GCReport)
}

// GCReport counts what a garbage collection found.
type GCReport struct {
	Checked     int   // files listed in the blob store
	Referenced  int   // files a row refers to, kept
	Young       int   // unreferenced but younger than MinAge, kept
	Orphans     int   // unreferenced and old enough: deleted (or, in a dry run, to delete)
	OrphanBytes int64 // their size
	Failed      int   // orphans whose deletion failed
	// Partial counts the partly written files (left by a process killed
	// while storing one) older than MinAge: deleted, or in a dry run to
	// delete.
	Partial      int
	PartialBytes int64
}

// gcProgressEvery is how many files pass between progress reports.
const gcProgressEvery = 1000

// CollectGarbage deletes the stored files that no row refers to: left
// by a crash between storing a file and its row, or by a deletion whose
// queue entry was lost; and, in a store that can have them, the partly
// written files of a crash in the middle of storing one. It reads every key the rows refer to, then walks
// the blob store. Files in the trash are orphans too, and are taken off
// the queue once deleted.
func (s *Service) CollectGarbage(ctx context.Context, opt GCOptions) (GCReport, error) {
	var r GCReport
	referenced := map[string]struct{}{}
	if err := s.Store.ReferencedMedia(ctx, func(key string) error {
		referenced[key] = struct{}{}
		return nil
	}); err != nil {
		return r, err
	}
	cutoff := s.now().Add(-opt.MinAge)
	var failures []error
	err := s.Blobs.List(ctx, func(b BlobInfo) error {
		r.Checked++
		if opt.Progress != nil && r.Checked%gcProgressEvery == 0 {
			opt.Progress(r)
		}
		switch _, ok := referenced[b.Key]; {
		case ok:
			r.Referenced++
			return nil
		case b.ModTime.After(cutoff):
			r.Young++
			return nil
		}
		r.Orphans++
		r.OrphanBytes += b.Size
		if opt.DryRun {
			return nil
		}
		if err := s.Blobs.Delete(ctx, b.Key); err != nil {
			r.Failed++
			if len(failures) < 3 {
				failures = append(failures, fmt.Errorf("delete %s: %w", b.Key, err))
			}
			return nil
		}
		return s.Store.ForgetTrash(ctx, b.Key)
	})
	if err != nil {
		return r, fmt.Errorf("list the stored media files: %w", err)
	}
	if p, ok := s.Blobs.(PartialSweeper); ok {
		n, size, err := p.DeletePartial(ctx, cutoff, opt.DryRun)
		r.Partial, r.PartialBytes = n, size
		if err != nil {
			return r, fmt.Errorf("delete the partly written files: %w", err)
		}
	}
	if r.Failed > 0 {
		return r, fmt.Errorf("%d orphaned files could not be deleted (run again to retry): %w", r.Failed, errors.Join(failures...))
	}
	return r, nil
}
