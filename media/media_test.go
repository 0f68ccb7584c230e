package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testimage"
)

func TestInspectAccepts(t *testing.T) {
	webp, err := os.ReadFile("testdata/small.webp")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		typ  string
		w, h int
	}{
		{"png", testimage.PNG(30, 20), "image/png", 30, 20},
		{"jpeg", testimage.JPEG(17, 9), "image/jpeg", 17, 9},
		{"gif", testimage.GIF(5, 6), "image/gif", 5, 6},
		{"webp", webp, "image/webp", 0, 0},
	} {
		info, err := Inspector{}.Inspect(tc.data)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if info.ContentType != tc.typ || (tc.w != 0 && (info.Width != tc.w || info.Height != tc.h)) {
			t.Errorf("%s: got %+v", tc.name, info)
		}
	}
}

func TestInspectRefuses(t *testing.T) {
	png := testimage.PNG(10, 10)
	for _, tc := range []struct {
		name string
		data []byte
		code tweets.Code
		msg  string
	}{
		{"text renamed .png", []byte("hello, I am a text file\n"), tweets.CodeInvalid, "not an image"},
		{"empty", nil, tweets.CodeInvalid, "not an image"},
		{"truncated png", png[:len(png)/2], tweets.CodeInvalid, "damaged"},
		{"20000x20000 bomb", testimage.BombPNG(20000, 20000), tweets.CodeTooLarge, "20000×20000"},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), tweets.CodeInvalid, "not an image"},
	} {
		_, err := Inspector{}.Inspect(tc.data)
		if tweets.ErrorCode(err) != tc.code || !strings.Contains(tweets.ErrorMessage(err), tc.msg) {
			t.Errorf("%s: err = %v (code %d); want code %d containing %q", tc.name, err, tweets.ErrorCode(err), tc.code, tc.msg)
		}
	}
	if _, err := (Inspector{MaxPixels: 99}).Inspect(png); tweets.ErrorCode(err) != tweets.CodeTooLarge {
		t.Errorf("100 pixels with a 99-pixel limit: err = %v", err)
	}
}

func TestDisk(t *testing.T) {
	ctx := context.Background()
	d, err := NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Put(ctx, "abc123.png", bytes.NewReader([]byte("data")), "image/png"); err != nil {
		t.Fatal(err)
	}
	b, err := d.Open(ctx, "abc123.png")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(b)
	b.Close()
	if string(got) != "data" || b.Size() != 4 {
		t.Errorf("read back %q size %d", got, b.Size())
	}
	for _, bad := range []string{"../etc/passwd", "a/b.png", ".hidden", "noext", "UPPER.png", ""} {
		if _, err := d.Open(ctx, bad); !errors.Is(err, tweets.ErrNotFound) {
			t.Errorf("Open(%q): err = %v, want ErrNotFound", bad, err)
		}
		if err := d.Put(ctx, bad, strings.NewReader("x"), ""); err == nil {
			t.Errorf("Put(%q) succeeded", bad)
		}
	}
	if err := d.Delete(ctx, "abc123.png"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Open(ctx, "abc123.png"); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("Open after Delete: %v", err)
	}
	if err := d.Delete(ctx, "abc123.png"); err != nil {
		t.Errorf("Delete of a missing file: %v", err)
	}
	entries, _ := os.ReadDir(d.Dir)
	if len(entries) != 0 {
		t.Errorf("left files behind: %v", entries)
	}
}
