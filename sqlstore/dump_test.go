package sqlstore_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets/sqlstore"
)

// TestTablesDeclareTheirColumns: every column that a table's key or
// blob declarations name is one of its columns, and blob keys and
// content types are text.
func TestTablesDeclareTheirColumns(t *testing.T) {
	for _, tb := range sqlstore.Tables() {
		for _, k := range strings.Split(tb.Key, ", ") {
			if tb.Column(k) < 0 {
				t.Errorf("%s: the key names %q, which is not a column", tb.Name, k)
			}
		}
		for _, b := range tb.Blobs {
			for _, c := range []string{b.Key, b.ContentType} {
				if i := tb.Column(c); i < 0 || (tb.Columns[i].Kind != sqlstore.KindText && tb.Columns[i].Kind != sqlstore.KindNullText) {
					t.Errorf("%s: a blob declaration names %q, which is not a text column", tb.Name, c)
				}
			}
		}
	}
}

// TestRowBlobs: a row refers to a file for each blob-key column that
// holds a key, whatever the table; empty and NULL keys refer to none.
func TestRowBlobs(t *testing.T) {
	avatars := sqlstore.Table{Name: "avatars", Key: "user_id", Columns: []sqlstore.Column{
		{Name: "user_id", Kind: sqlstore.KindInt64},
		{Name: "original", Kind: sqlstore.KindText}, {Name: "original_type", Kind: sqlstore.KindText},
		{Name: "thumbnail", Kind: sqlstore.KindText}, {Name: "thumbnail_type", Kind: sqlstore.KindText},
	}, Blobs: []sqlstore.BlobColumn{{Key: "original", ContentType: "original_type"}, {Key: "thumbnail", ContentType: "thumbnail_type"}}}
	for _, tc := range []struct {
		row  []any
		want []sqlstore.Blob
	}{
		{[]any{int64(1), "a.png", "image/png", "a-small.webp", "image/webp"},
			[]sqlstore.Blob{{Key: "a.png", ContentType: "image/png"}, {Key: "a-small.webp", ContentType: "image/webp"}}},
		{[]any{int64(2), "b.jpg", "image/jpeg", "", ""}, []sqlstore.Blob{{Key: "b.jpg", ContentType: "image/jpeg"}}},
		{[]any{int64(3), nil, nil, "", ""}, nil},
	} {
		if got := avatars.RowBlobs(tc.row); !slices.Equal(got, tc.want) {
			t.Errorf("RowBlobs(%v) = %+v, want %+v", tc.row, got, tc.want)
		}
	}
}
