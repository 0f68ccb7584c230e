package backup_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/backup"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/media"
	"github.com/tweetsdev/tweets/sqlstore"
)

// clock ticks a little over a millisecond per reading, in whole
// microseconds: PostgreSQL keeps no finer digits, so rows compare equal
// after a trip through either database.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 2, 3, 4, 5, 6, 789012000, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(1234 * time.Microsecond)
	return c.t
}

// source is a seeded store and its media.
type source struct {
	store *sqlstore.Store
	svc   *tweets.Service
}

// seed fills a store with a bit of everything: an admin, a suspended
// account, tweets with and without images (and a deleted one), a
// hashtag and a mention, sessions, open and resolved reports, an audit
// entry, a profile, the reserved name of a deleted account, and the
// social graph.
func seed(t *testing.T, store *sqlstore.Store) source {
	t.Helper()
	ctx := context.Background()
	clk := newClock()
	svc := testapp.Service(t, store, clk.now)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	signUp := func(name string) tweets.User {
		t.Helper()
		u, err := svc.CreateAccount(ctx, name, "password-"+name)
		must(err)
		return u
	}
	post := func(u tweets.User, text string, img []byte) tweets.Tweet {
		t.Helper()
		var up *tweets.Upload
		if img != nil {
			up = tweets.UploadBytes(img)
		}
		tw, err := svc.PostTweet(ctx, u, text, up)
		must(err)
		return tw
	}
	alice, bob, carol := signUp("alice"), signUp("Bob_2"), signUp("carol")
	must(store.SetAdmin(ctx, alice.ID, true))
	plain := post(alice, "plain text, draft", nil)
	_, err := svc.EditTweet(ctx, alice, plain.ID, "plain text #Café for @bob_2")
	must(err)
	t1 := post(bob, "héllo \"world\" <b>&</b>\nline two 🐦 \\ end", testimage.PNG(30, 20))
	post(carol, "", testimage.JPEG(16, 16))
	post(alice, "a gif", testimage.GIF(8, 8))
	gone := post(bob, "deleted soon", testimage.PNG(5, 5))
	// The social graph: a follow each way, a like, a repost, and a reply
	// whose parent is deleted (replies outlive their parents).
	_, err = svc.Follow(ctx, alice, "Bob_2")
	must(err)
	_, err = svc.Follow(ctx, bob, "alice")
	must(err)
	must(svc.Like(ctx, alice, t1.ID))
	must(svc.Repost(ctx, alice, t1.ID))
	must(svc.Bookmark(ctx, alice, t1.ID))
	_, err = svc.SetMarkers(ctx, alice, map[string]tweets.ID{tweets.MarkHome: t1.ID})
	must(err)
	_, err = svc.Reply(ctx, alice, gone.ID, "to a tweet about to go")
	must(err)
	must(svc.DeleteTweet(ctx, bob, gone.ID))
	_, err = svc.Block(ctx, bob, "carol")
	must(err)
	_, err = svc.Mute(ctx, alice, "carol")
	must(err)
	must(store.SetSuspended(ctx, carol.ID, clk.now()))
	for _, u := range []tweets.User{alice, bob} {
		_, _, err := svc.StartSessionFrom(ctx, u, "Mozilla/5.0 «navigateur» 🦊")
		must(err)
	}
	must(store.SetProfile(ctx, bob.ID, tweets.Profile{DisplayName: "Bób 🐦 שָׁלוֹם", Bio: "line one\nline «two» 𠜎"}))
	must(store.ReserveUsername(ctx, "Dave", clk.now().Add(30*24*time.Hour)))
	// One open report per user and tweet: the resolved one comes first.
	resolved := tweets.Report{ID: svc.IDs.New(), TweetID: t1.ID, TweetAuthorID: bob.ID, TweetText: t1.Text,
		ReporterID: alice.ID, Reason: "rude", CreatedAt: clk.now()}
	must(store.CreateReport(ctx, resolved))
	must(store.ResolveReport(ctx, resolved.ID, alice.ID, "warned", clk.now()))
	open := resolved
	open.ID, open.Reason, open.CreatedAt = svc.IDs.New(), "spam", clk.now()
	must(store.CreateReport(ctx, open))
	must(store.AddAuditEntry(ctx, tweets.AuditEntry{ID: svc.IDs.New(), ActorID: alice.ID, Action: "user.suspend",
		Target: "@carol", Detail: "spam", CreatedAt: clk.now()}))
	return source{store: store, svc: svc}
}

var wantRows = map[string]int64{"users": 3, "tweets": 5, "tweet_media": 3, "sessions": 2, "reports": 2, "audit_log": 1,
	"follows": 2, "likes": 1, "reposts": 1, "notifications": 5,
	"blocks": 1, "mutes": 1, "reserved_usernames": 1,
	"tweet_tags": 1, "tweet_mentions": 1, "tweet_versions": 1, "media_trash": 1,
	"oauth_apps": 0, "oauth_codes": 0, "oauth_tokens": 0, "pending_media": 0, "idempotency_keys": 0,
	"bookmarks": 1, "markers": 1}

// dump renders every row of every table, for comparing two stores.
func dump(t *testing.T, s *sqlstore.Store) map[string][]string {
	t.Helper()
	rows := map[string][]string{}
	for _, tb := range sqlstore.Tables() {
		rows[tb.Name] = []string{}
	}
	_, err := s.Dump(context.Background(), func(table string, row []any) error {
		parts := make([]string, len(row))
		for i, v := range row {
			if tm, ok := v.(time.Time); ok {
				parts[i] = tm.Format(time.RFC3339Nano)
			} else {
				parts[i] = fmt.Sprintf("%#v", v)
			}
		}
		rows[table] = append(rows[table], strings.Join(parts, " | "))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// mediaOf reads every file the store's tweets refer to.
func mediaOf(t *testing.T, s *sqlstore.Store, blobs tweets.BlobStore) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	var keys []string
	if _, err := s.Dump(context.Background(), func(table string, row []any) error {
		tb, _ := sqlstore.TableByName(table)
		for _, b := range tb.RowBlobs(row) {
			keys = append(keys, b.Key)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		b, err := blobs.Open(context.Background(), k)
		if err != nil {
			t.Fatalf("media file %s: %v", k, err)
		}
		data, err := io.ReadAll(b)
		b.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[k] = data
	}
	return files
}

// filesIn lists the files of a media directory.
func filesIn(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func newDisk(t *testing.T) *media.Disk {
	t.Helper()
	d, err := media.NewDisk(filepath.Join(t.TempDir(), "media"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func write(t *testing.T, src source, progress io.Writer) ([]byte, *backup.Manifest) {
	t.Helper()
	var buf bytes.Buffer
	m, err := backup.Write(context.Background(), &buf, src.store, src.svc.Blobs, backup.WriteOptions{Version: "v9.9.9-test", Progress: progress})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), m
}

func restore(archive []byte, s *sqlstore.Store, blobs tweets.BlobStore, opt backup.RestoreOptions) error {
	_, err := backup.Restore(context.Background(), bytes.NewReader(archive), s, blobs, opt)
	return err
}

// sameData fails unless two stores hold the same rows and media.
func sameData(t *testing.T, a *sqlstore.Store, ab tweets.BlobStore, b *sqlstore.Store, bb tweets.BlobStore) {
	t.Helper()
	da, db := dump(t, a), dump(t, b)
	for _, tb := range sqlstore.Tables() {
		if !reflect.DeepEqual(da[tb.Name], db[tb.Name]) {
			t.Errorf("table %s differs:\nsource:   %q\nrestored: %q", tb.Name, da[tb.Name], db[tb.Name])
		}
	}
	ma, mb := mediaOf(t, a, ab), mediaOf(t, b, bb)
	if len(ma) != len(mb) {
		t.Errorf("%d media files, want %d", len(mb), len(ma))
	}
	for k, data := range ma {
		if !bytes.Equal(mb[k], data) {
			t.Errorf("media file %s differs (%d bytes, want %d)", k, len(mb[k]), len(data))
		}
	}
}

func TestBackupRoundTrip(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			src := seed(t, b.Open(t))
			var progress bytes.Buffer
			archive, m := write(t, src, &progress)
			if !reflect.DeepEqual(m.Rows, wantRows) {
				t.Errorf("manifest rows = %v, want %v", m.Rows, wantRows)
			}
			if m.MediaFiles != 3 || m.MediaBytes == 0 || m.Dialect != b.Name || m.SchemaVersion != src.store.LatestVersion() ||
				m.TweetsVersion != "v9.9.9-test" || m.Format != backup.FormatVersion || len(m.MissingMedia) != 0 {
				t.Errorf("manifest = %+v", m)
			}
			for _, want := range []string{"users: 3 rows\n", "audit_log: 1 row\n", "media: 3/3 files (", "backup complete"} {
				if !strings.Contains(progress.String(), want) {
					t.Errorf("progress lacks %q:\n%s", want, progress.String())
				}
			}

			dst, blobs := b.Open(t), newDisk(t)
			progress.Reset()
			if err := restore(archive, dst, blobs, backup.RestoreOptions{Progress: &progress}); err != nil {
				t.Fatal(err)
			}
			sameData(t, src.store, src.svc.Blobs, dst, blobs)
			for _, want := range []string{"tweets: 5 rows\n", "media: 3/3 files (", "restore complete"} {
				if !strings.Contains(progress.String(), want) {
					t.Errorf("restore progress lacks %q:\n%s", want, progress.String())
				}
			}
			// The restored accounts work: a log-in checks the password
			// hash and finds the account by its lower-cased key.
			svc := testapp.Service(t, dst, nil)
			if _, _, err := svc.LogIn(context.Background(), tweets.LogInAttempt{Username: "bob_2", Password: "password-Bob_2", ClientIP: "192.0.2.1"}); err != nil {
				t.Errorf("log-in on the restored database: %v", err)
			}
		})
	}
}

func TestBackupAcrossBackends(t *testing.T) {
	bs := testapp.Backends()
	for _, pair := range [][2]testapp.Backend{{bs[0], bs[1]}, {bs[1], bs[0]}} {
		t.Run(pair[0].Name+"_to_"+pair[1].Name, func(t *testing.T) {
			src := seed(t, pair[0].Open(t))
			archive, _ := write(t, src, nil)
			dst, blobs := pair[1].Open(t), newDisk(t)
			if err := restore(archive, dst, blobs, backup.RestoreOptions{}); err != nil {
				t.Fatal(err)
			}
			sameData(t, src.store, src.svc.Blobs, dst, blobs)
		})
	}
}

// checkedDisk is a media store that can tell whether it is empty.
type checkedDisk struct{ *media.Disk }

func (d checkedDisk) IsEmpty(context.Context) (bool, error) {
	es, err := os.ReadDir(d.Dir)
	return len(es) == 0, err
}

func TestRestoreRefusesNonEmptyTarget(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			src := seed(t, b.Open(t))
			archive, _ := write(t, src, nil)

			before := dump(t, src.store)
			err := restore(archive, src.store, src.svc.Blobs, backup.RestoreOptions{})
			if !errors.Is(err, tweets.ErrConflict) || !strings.Contains(err.Error(), "database already has data") || !strings.Contains(err.Error(), "--force") {
				t.Errorf("restore into a database with data: %v", err)
			}
			if !reflect.DeepEqual(dump(t, src.store), before) {
				t.Error("the refused restore changed the database")
			}

			// An empty database, but a media directory that has one of
			// the backup's files.
			dst, blobs := b.Open(t), newDisk(t)
			key := strings.TrimPrefix(lastMedia(t, archive), "media/")
			if err := blobs.Put(ctx, key, strings.NewReader("not the original"), "image/png"); err != nil {
				t.Fatal(err)
			}
			err = restore(archive, dst, blobs, backup.RestoreOptions{})
			if !errors.Is(err, tweets.ErrConflict) || !strings.Contains(err.Error(), "media directory already has") {
				t.Errorf("restore into a media store with the file: %v", err)
			}
			if empty, err := dst.IsEmpty(ctx); err != nil || !empty {
				t.Errorf("the refused restore left rows: empty=%v, %v", empty, err)
			}
			if got := filesIn(t, blobs.Dir); len(got) != 1 || got[0] != key {
				t.Errorf("the refused restore left media files %v; want only %s", got, key)
			}

			// A media store that says it is not empty is refused at once.
			blobs = newDisk(t)
			if err := blobs.Put(ctx, "other.png", strings.NewReader("x"), "image/png"); err != nil {
				t.Fatal(err)
			}
			err = restore(archive, dst, checkedDisk{blobs}, backup.RestoreOptions{})
			if !errors.Is(err, tweets.ErrConflict) || !strings.Contains(err.Error(), "media directory already has files") {
				t.Errorf("restore into a non-empty media store: %v", err)
			}
		})
	}
}

func TestRestoreForceReplaces(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			src := seed(t, b.Open(t))
			archive, _ := write(t, src, nil)

			// A store with other data: it is replaced, and its old
			// tweet's file deleted.
			other := testapp.Service(t, b.Open(t), nil)
			dave, err := other.CreateAccount(ctx, "dave", "password-dave")
			if err != nil {
				t.Fatal(err)
			}
			old, err := other.PostTweet(ctx, dave, "old", tweets.UploadBytes(testimage.PNG(3, 3)))
			if err != nil {
				t.Fatal(err)
			}
			store := other.Store.(*sqlstore.Store)
			if err := restore(archive, store, other.Blobs, backup.RestoreOptions{Force: true}); err != nil {
				t.Fatal(err)
			}
			sameData(t, src.store, src.svc.Blobs, store, other.Blobs)
			if _, err := other.Blobs.Open(ctx, old.Media[0].Key); !errors.Is(err, tweets.ErrNotFound) {
				t.Errorf("the replaced tweet's file is still there: %v", err)
			}

			// Over itself: the files it brings back are kept.
			before, files := dump(t, src.store), mediaOf(t, src.store, src.svc.Blobs)
			if err := restore(archive, src.store, src.svc.Blobs, backup.RestoreOptions{Force: true}); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(dump(t, src.store), before) || !reflect.DeepEqual(mediaOf(t, src.store, src.svc.Blobs), files) {
				t.Error("restoring a store's own backup over it changed it")
			}
		})
	}
}

// rewrite returns the archive with each file passed through edit, which
// drops the file by returning nil.
func rewrite(t *testing.T, archive []byte, edit func(name string, data []byte) []byte) []byte {
	t.Helper()
	gr, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gr)
	var out bytes.Buffer
	gw := gzip.NewWriter(&out)
	tw := tar.NewWriter(gw)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if data = edit(hdr.Name, data); data == nil {
			continue
		}
		hdr.Size = int64(len(data))
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write(data)
	}
	tw.Close()
	gw.Close()
	return out.Bytes()
}

// lastMedia names the last media file of an archive.
func lastMedia(t *testing.T, archive []byte) string {
	var name string
	rewrite(t, archive, func(n string, data []byte) []byte {
		if strings.HasPrefix(n, "media/") {
			name = n
		}
		return data
	})
	return name
}

func editManifest(t *testing.T, archive []byte, edit func(m map[string]any)) []byte {
	return rewrite(t, archive, func(name string, data []byte) []byte {
		if name != "manifest.json" {
			return data
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		data, _ = json.Marshal(m)
		return data
	})
}

func flipByteIn(t *testing.T, archive []byte, file string) []byte {
	return rewrite(t, archive, func(name string, data []byte) []byte {
		if name == file {
			data = bytes.Clone(data)
			data[len(data)/2] ^= 0x20
		}
		return data
	})
}

func TestRestoreRefusesDamagedArchive(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			src := seed(t, b.Open(t))
			archive, m := write(t, src, nil)
			mediaName := lastMedia(t, archive)
			for _, tc := range []struct {
				name    string
				archive []byte
				want    string
			}{
				{"flipped byte in a media file", flipByteIn(t, archive, mediaName), mediaName + " does not match its checksum"},
				{"flipped byte in a table", flipByteIn(t, archive, "db/tweets.jsonl"), "db/tweets.jsonl does not match its checksum"},
				{"truncated", archive[:len(archive)*2/3], "the backup is incomplete"},
				{"truncated in the manifest", archive[:100], "the backup is incomplete"},
				{"not a backup", []byte("hello, this is text\n"), "not a tweets backup"},
				{"newer schema", editManifest(t, archive, func(m map[string]any) { m["schema_version"] = m["schema_version"].(float64) + 1 }),
					fmt.Sprintf("database schema version %d, newer than this tweets binary knows (%d)", m.SchemaVersion+1, m.SchemaVersion)},
				{"older schema", editManifest(t, archive, func(m map[string]any) { m["schema_version"] = m["schema_version"].(float64) - 1 }),
					fmt.Sprintf("schema version %d (made by tweets v9.9.9-test) but the database is at version %d", m.SchemaVersion-1, m.SchemaVersion)},
				{"newer format", editManifest(t, archive, func(m map[string]any) { m["format"] = 2 }), "format version 2"},
				{"file missing", rewrite(t, archive, func(name string, data []byte) []byte {
					if name == mediaName {
						return nil
					}
					return data
				}), "the backup is incomplete: it lacks " + mediaName},
			} {
				t.Run(tc.name, func(t *testing.T) {
					dst, blobs := b.Open(t), newDisk(t)
					err := restore(tc.archive, dst, blobs, backup.RestoreOptions{})
					if err == nil || !strings.Contains(err.Error(), tc.want) {
						t.Errorf("error %v; want one saying %q", err, tc.want)
					}
					if empty, err := dst.IsEmpty(context.Background()); err != nil || !empty {
						t.Errorf("the refused restore left rows: empty=%v, %v", empty, err)
					}
					if got := filesIn(t, blobs.Dir); len(got) != 0 {
						t.Errorf("the refused restore left media files %v", got)
					}
				})
			}
		})
	}
}

func TestBackupWithMissingMedia(t *testing.T) {
	b := testapp.ByName("sqlite")
	src := seed(t, b.Open(t))
	files := mediaOf(t, src.store, src.svc.Blobs)
	var lost string
	for k := range files {
		lost = k
		break
	}
	if err := src.svc.Blobs.Delete(context.Background(), lost); err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	archive, m := write(t, src, &progress)
	if !reflect.DeepEqual(m.MissingMedia, []string{lost}) || m.MediaFiles != 2 {
		t.Errorf("manifest: missing %v, %d files; want [%s], 2", m.MissingMedia, m.MediaFiles, lost)
	}
	if !strings.Contains(progress.String(), "warning: media file "+lost+" is missing") {
		t.Errorf("no warning about the missing file:\n%s", progress.String())
	}
	dst, blobs := b.Open(t), newDisk(t)
	if err := restore(archive, dst, blobs, backup.RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(dump(t, dst), dump(t, src.store)) {
		t.Error("rows differ after the restore")
	}
	got := filesIn(t, blobs.Dir)
	sort.Strings(got)
	if len(got) != 2 {
		t.Errorf("restored media %v; want the 2 files that were there", got)
	}
}

// A backup of a server in use sees the database as it was when the backup
// began: rows written meanwhile are neither in it nor blocked by it.
func TestBackupIsASnapshot(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			src := seed(t, b.Open(t))
			wrote := false
			rows := map[string]int{}
			_, err := src.store.Dump(ctx, func(table string, row []any) error {
				rows[table]++
				if !wrote {
					wrote = true
					// Another connection writes while the dump is open.
					wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
					defer cancel()
					u, err := src.svc.CreateAccount(wctx, "latecomer", "password-late")
					if err != nil {
						return fmt.Errorf("a write during the dump: %w", err)
					}
					if _, err := src.svc.PostTweet(wctx, u, "too late", nil); err != nil {
						return fmt.Errorf("a write during the dump: %w", err)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if rows["users"] != 3 || int64(rows["tweets"]) != wantRows["tweets"] {
				t.Errorf("the dump saw %d users and %d tweets; want the 3 and %d of the snapshot", rows["users"], rows["tweets"], wantRows["tweets"])
			}
			if n, _ := src.store.CountUsers(ctx); n != 4 {
				t.Errorf("%d users after the dump; the write during it was lost", n)
			}
		})
	}
}

// Every table and column of the migrated schema is in the dump, so that
// a migration cannot add data that backups silently leave out. On
// SQLite, a full-text index is a virtual table with shadow tables that
// hold what triggers derive from the tables dumped; a restore, whose
// inserts fire those triggers, fills them again (TestSearchAfterRestore).
func TestBackupCoversTheSchema(t *testing.T) {
	listTables := map[string]string{
		"sqlite":   "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'",
		"postgres": "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
	}
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := b.Open(t)
			rows, err := s.DB.Query(listTables[b.Name])
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var name string
				if err := rows.Scan(&name); err != nil {
					t.Fatal(err)
				}
				if name != "schema_migrations" {
					got = append(got, name)
				}
			}
			rows.Close()
			var want []string
			for _, tb := range sqlstore.Tables() {
				want = append(want, tb.Name)
				rows, err := s.DB.Query("SELECT * FROM " + tb.Name + " LIMIT 0")
				if err != nil {
					t.Fatal(err)
				}
				cols, _ := rows.Columns()
				rows.Close()
				var spec []string
				for _, c := range tb.Columns {
					spec = append(spec, c.Name)
				}
				sort.Strings(cols)
				sort.Strings(spec)
				if !reflect.DeepEqual(cols, spec) {
					t.Errorf("table %s has columns %v; sqlstore.Tables lists %v", tb.Name, cols, spec)
				}
			}
			sort.Strings(got)
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the schema has tables %v; sqlstore.Tables lists %v", got, want)
			}
		})
	}
}
