package backup_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/sqlstore"
)

// TestBackupCarriesDeclaredBlobs: the media files of an archive are
// exactly those that its rows name in the columns sqlstore declares as
// blob keys (Table.Blobs). So a table declared later with such a column
// has its files carried with no change to backup.
func TestBackupCarriesDeclaredBlobs(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			src := seed(t, b.Open(t))
			archive, _ := write(t, src, nil)
			files := unpack(t, archive)
			declared, want := 0, map[string]bool{}
			for _, tb := range sqlstore.Tables() {
				declared += len(tb.Blobs)
				for line := range bytes.Lines(files["db/"+tb.Name+".jsonl"]) {
					var row []any
					if err := json.Unmarshal(line, &row); err != nil {
						t.Fatal(err)
					}
					for _, c := range tb.Blobs {
						if key, _ := row[tb.Column(c.Key)].(string); key != "" {
							want["media/"+key] = true
						}
					}
				}
			}
			if declared == 0 {
				t.Fatal("no table declares a blob-key column, so no media file would be backed up")
			}
			var got []string
			for name := range files {
				if strings.HasPrefix(name, "media/") {
					got = append(got, name)
				}
			}
			slices.Sort(got)
			if wantNames := slices.Sorted(maps.Keys(want)); !slices.Equal(got, wantNames) || len(got) != 3 {
				t.Errorf("the archive holds the media files %q; the declared columns name %q (the seed has 3)", got, wantNames)
			}
		})
	}
}

// unpack returns every file of an archive by name.
func unpack(t *testing.T, archive []byte) map[string][]byte {
	t.Helper()
	gr, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gr)
	files := map[string][]byte{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		if files[hdr.Name], err = io.ReadAll(tr); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBackupNamesNoTableOrColumn: backup finds every table and column
// through sqlstore.Tables and names none itself, so a table or column
// declared there is carried with no change here. It fails on a string
// literal in backup's code that is a declared name, holds one with an
// underscore (as SQL would), or holds SQL.
func TestBackupNamesNoTableOrColumn(t *testing.T) {
	names := map[string]bool{}
	for _, tb := range sqlstore.Tables() {
		names[tb.Name] = true
		for _, c := range tb.Columns {
			names[c.Name] = true
		}
	}
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		tags := map[*ast.BasicLit]bool{} // struct tags name JSON fields
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ImportSpec:
				return false
			case *ast.Field:
				tags[n.Tag] = true
			case *ast.BasicLit:
				if n.Kind != token.STRING || tags[n] {
					return true
				}
				s, _ := strconv.Unquote(n.Value)
				if reason := namesSchema(s, names); reason != "" {
					t.Errorf("%s: %s %s", fset.Position(n.Pos()), n.Value, reason)
				}
			}
			return true
		})
	}
}

// namesSchema says how s names the schema, or returns "".
func namesSchema(s string, names map[string]bool) string {
	if names[s] {
		return "is the name of a table or column"
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' }) {
		if names[w] && strings.Contains(w, "_") {
			return "names " + w
		}
	}
	// The project writes SQL keywords in capitals.
	for _, kw := range []string{"SELECT ", "INSERT ", "UPDATE ", "DELETE ", " FROM ", " WHERE "} {
		if strings.Contains(s, kw) {
			return "holds SQL"
		}
	}
	return ""
}
