// Package blobtest is the behaviour every media blob store must have,
// run against each of them (media.Disk, s3.Store) from their tests.
package blobtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"

	"github.com/tweetsdev/tweets"
)

// Store is a blob store that can also tell whether it is empty, as
// restore needs.
type Store interface {
	tweets.BlobStore
	IsEmpty(ctx context.Context) (bool, error)
}

// Run runs the suite; open returns a new, empty store for each test.
func Run(t *testing.T, open func(t *testing.T) Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s Store)
	}{
		{"PutOpenRead", testPutOpenRead},
		{"SeekAndRange", testSeekAndRange},
		{"NotFound", testNotFound},
		{"InvalidKeys", testInvalidKeys},
		{"DeleteTwice", testDeleteTwice},
		{"List", testList},
		{"IsEmpty", testIsEmpty},
		{"FailingReaderLeavesNothing", testFailingReader},
		{"ConcurrentPuts", testConcurrentPuts},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// Bytes returns n reproducible pseudo-random bytes.
func Bytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

func put(t *testing.T, s Store, key string, data []byte) {
	t.Helper()
	if err := s.Put(context.Background(), key, bytes.NewReader(data), "image/png"); err != nil {
		t.Fatalf("Put %s: %v", key, err)
	}
}

func readAll(t *testing.T, s Store, key string) []byte {
	t.Helper()
	b, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("Open %s: %v", key, err)
	}
	defer b.Close()
	data, err := io.ReadAll(b)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return data
}

func testPutOpenRead(t *testing.T, s Store) {
	data := Bytes(300_000, 1)
	put(t, s, "a1.png", data)
	b, err := s.Open(context.Background(), "a1.png")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Size() != int64(len(data)) {
		t.Errorf("Size = %d, want %d", b.Size(), len(data))
	}
	if b.ModTime().IsZero() {
		t.Error("ModTime is zero")
	}
	got, err := io.ReadAll(b)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes (err %v), want the %d put", len(got), err, len(data))
	}
	put(t, s, "empty.png", nil)
	if got := readAll(t, s, "empty.png"); len(got) != 0 {
		t.Errorf("empty file read back as %d bytes", len(got))
	}
}

func testSeekAndRange(t *testing.T, s Store) {
	data := Bytes(100_000, 2)
	put(t, s, "seek.jpg", data)
	b, err := s.Open(context.Background(), "seek.jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, c := range []struct {
		off    int64
		whence int
		want   int64
	}{{5000, io.SeekStart, 5000}, {-10, io.SeekEnd, 99_990}, {-90_000, io.SeekCurrent, 10_000}, {0, io.SeekStart, 0}} {
		pos, err := b.Seek(c.off, c.whence)
		if err != nil || pos != c.want {
			t.Fatalf("Seek(%d, %d) = %d, %v; want %d", c.off, c.whence, pos, err, c.want)
		}
		buf := make([]byte, 10)
		if _, err := io.ReadFull(b, buf); err != nil || !bytes.Equal(buf, data[pos:pos+10]) {
			t.Fatalf("after Seek to %d read %x (err %v), want %x", pos, buf, err, data[pos:pos+10])
		}
	}
	// What web/ does with a Range request.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := s.Open(r.Context(), "seek.jpg")
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer b.Close()
		http.ServeContent(w, r, "", b.ModTime(), b)
	}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Range", "bytes=70000-70099")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(got, data[70000:70100]) {
		t.Fatalf("Range request: %s with %d bytes, want 206 with bytes 70000-70099", resp.Status, len(got))
	}
}

func testNotFound(t *testing.T, s Store) {
	if _, err := s.Open(context.Background(), "missing.png"); !errors.Is(err, tweets.ErrNotFound) {
		t.Fatalf("Open of a missing key: %v, want ErrNotFound", err)
	}
}

func testInvalidKeys(t *testing.T, s Store) {
	ctx := context.Background()
	for _, key := range []string{"", "../x.png", "a/b.png", "A.png", "noext", ".png", "a..png", "x.png/", "%2e.png"} {
		if err := s.Put(ctx, key, bytes.NewReader([]byte("x")), "image/png"); err == nil {
			t.Errorf("Put(%q) succeeded, want refused", key)
		}
		if _, err := s.Open(ctx, key); !errors.Is(err, tweets.ErrNotFound) {
			t.Errorf("Open(%q): %v, want ErrNotFound", key, err)
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Errorf("Delete(%q): %v, want nil", key, err)
		}
	}
	if keys := list(t, s); len(keys) != 0 {
		t.Errorf("refused keys left files: %v", keys)
	}
}

func testDeleteTwice(t *testing.T, s Store) {
	ctx := context.Background()
	put(t, s, "gone.gif", []byte("GIF89a"))
	for i := 0; i < 2; i++ {
		if err := s.Delete(ctx, "gone.gif"); err != nil {
			t.Fatalf("Delete #%d: %v", i+1, err)
		}
	}
	if _, err := s.Open(ctx, "gone.gif"); !errors.Is(err, tweets.ErrNotFound) {
		t.Fatalf("Open after Delete: %v, want ErrNotFound", err)
	}
}

func list(t *testing.T, s Store) []string {
	t.Helper()
	var keys []string
	err := s.List(context.Background(), func(b tweets.BlobInfo) error {
		keys = append(keys, fmt.Sprintf("%s:%d", b.Key, b.Size))
		if b.ModTime.IsZero() {
			t.Errorf("List: %s has no ModTime", b.Key)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	sort.Strings(keys)
	return keys
}

func testList(t *testing.T, s Store) {
	put(t, s, "l1.png", Bytes(10, 3))
	put(t, s, "l2.jpg", Bytes(2000, 4))
	put(t, s, "l3.webp", nil)
	want := []string{"l1.png:10", "l2.jpg:2000", "l3.webp:0"}
	if got := list(t, s); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("List = %v, want %v", got, want)
	}
	stop := errors.New("stop")
	n := 0
	err := s.List(context.Background(), func(tweets.BlobInfo) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("List with fn failing: %v after %d calls, want fn's error after 1", err, n)
	}
}

func testIsEmpty(t *testing.T, s Store) {
	ctx := context.Background()
	empty := func(want bool) {
		t.Helper()
		got, err := s.IsEmpty(ctx)
		if err != nil || got != want {
			t.Fatalf("IsEmpty = %v, %v; want %v", got, err, want)
		}
	}
	empty(true)
	put(t, s, "e.png", []byte("x"))
	empty(false)
	if err := s.Delete(ctx, "e.png"); err != nil {
		t.Fatal(err)
	}
	empty(true)
}

// failingReader gives n bytes, then an error, as an upload cut off
// midway would.
type failingReader struct{ n int }

var errCutOff = errors.New("connection cut off")

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, errCutOff
	}
	k := min(len(p), r.n)
	clear(p[:k])
	r.n -= k
	return k, nil
}

// FailingSizes are the points at which the failing reader gives up: at
// once, within the first part of a multipart upload, and after a whole
// first part (5 MiB for S3) has been sent.
var FailingSizes = []int{0, 1000, 6 << 20}

func testFailingReader(t *testing.T, s Store) {
	ctx := context.Background()
	for i, n := range FailingSizes {
		key := fmt.Sprintf("cut%d.png", i)
		if err := s.Put(ctx, key, &failingReader{n: n}, "image/png"); !errors.Is(err, errCutOff) {
			t.Errorf("Put with a reader failing after %d bytes: %v, want its error", n, err)
		}
		if _, err := s.Open(ctx, key); !errors.Is(err, tweets.ErrNotFound) {
			t.Errorf("Open after a failed Put: %v, want ErrNotFound", err)
		}
	}
	if keys := list(t, s); len(keys) != 0 {
		t.Errorf("failed Puts left files: %v", keys)
	}
	if empty, err := s.IsEmpty(ctx); err != nil || !empty {
		t.Errorf("IsEmpty after failed Puts = %v, %v; want true", empty, err)
	}
}

func testConcurrentPuts(t *testing.T, s Store) {
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			data := Bytes(50_000+i, uint64(100+i))
			if err := s.Put(context.Background(), fmt.Sprintf("c%d.png", i), bytes.NewReader(data), "image/png"); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i := range n {
		if got := readAll(t, s, fmt.Sprintf("c%d.png", i)); !bytes.Equal(got, Bytes(50_000+i, uint64(100+i))) {
			t.Errorf("c%d.png read back different", i)
		}
	}
	if keys := list(t, s); len(keys) != n {
		t.Errorf("List after %d concurrent Puts: %v", n, keys)
	}
}
