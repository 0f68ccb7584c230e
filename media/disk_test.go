package media_test

import (
	"errors"
	"io/fs"
	"strings"
	"syscall"
	"testing"

	"github.com/tweetsdev/tweets"

	"github.com/tweetsdev/tweets/internal/blobtest"
	"github.com/tweetsdev/tweets/media"
)

func TestDiskBlobStore(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blobtest.Store {
		d, err := media.NewDisk(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return d
	})
}

// TestDiskRefusesClearlyWhenFull: a full, read-only or unwritable media
// directory refuses an image with a message saying so (503, try later),
// the cause kept for the log; other errors stay internal.
func TestDiskRefusesClearlyWhenFull(t *testing.T) {
	for _, cause := range []error{syscall.ENOSPC, syscall.EDQUOT, syscall.EROFS, syscall.EACCES} {
		err := media.CannotStore(&fs.PathError{Op: "write", Path: "/media/.upload-1", Err: cause})
		if tweets.ErrorCode(err) != tweets.CodeUnavailable || !strings.Contains(tweets.ErrorMessage(err), "Images cannot be stored right now") ||
			!errors.Is(err, cause) {
			t.Errorf("%v: code %v, message %q, cause kept %v", cause, tweets.ErrorCode(err), tweets.ErrorMessage(err), errors.Is(err, cause))
		}
	}
	if err := media.CannotStore(syscall.EIO); tweets.ErrorCode(err) != tweets.CodeInternal {
		t.Errorf("EIO: code %v, want internal", tweets.ErrorCode(err))
	}
}
