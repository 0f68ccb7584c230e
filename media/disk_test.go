package media_test

import (
	"testing"

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
