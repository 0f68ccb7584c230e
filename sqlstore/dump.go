package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tweetsdev/tweets"
)

// Kind says how a column's values are read, written and encoded, so that
// a dump made on one database loads into the other: SQLite keeps
// TIMESTAMP as text and BOOLEAN as an integer, PostgreSQL has real types,
// and both scan portably into the Go types listed here.
type Kind int

// Column kinds and the Go value each has in a dumped row.
const (
	KindInt64     Kind = iota + 1 // int64
	KindText                      // string
	KindBool                      // bool
	KindTime                      // time.Time, in UTC
	KindNullTime                  // time.Time in UTC, or nil for NULL
	KindNullInt64                 // int64, or nil for NULL
	KindNullText                  // string, or nil for NULL
)

// Nullable reports whether the kind admits NULL (a nil value).
func (k Kind) Nullable() bool { return k == KindNullTime || k == KindNullInt64 || k == KindNullText }

// Column is one column of a dumped table.
type Column struct {
	Name string
	Kind Kind
}

// Table is one table of the schema, as dumped and loaded.
type Table struct {
	Name    string
	Columns []Column
	// Key is the primary key, which orders the rows of a dump.
	Key string
	// Blobs lists the columns that hold keys of files in the blob store.
	// A backup carries those files with the rows, and a restore that
	// replaces the data deletes the files of the rows it replaces.
	Blobs []BlobColumn
}

// BlobColumn names a column of KindText or KindNullText that holds the key of a file in
// the blob store, and the column of KindText that holds its content
// type.
type BlobColumn struct {
	Key         string
	ContentType string
}

// Blob is a file of the blob store that a row refers to.
type Blob struct {
	Key         string
	ContentType string
}

// RowBlobs returns the files that a row of t refers to, one per column
// of t.Blobs that holds a key (neither NULL nor empty).
func (t Table) RowBlobs(row []any) []Blob {
	var bs []Blob
	for _, c := range t.Blobs {
		key, _ := row[t.Column(c.Key)].(string)
		if key == "" {
			continue
		}
		ctype, _ := row[t.Column(c.ContentType)].(string)
		bs = append(bs, Blob{Key: key, ContentType: ctype})
	}
	return bs
}

// Column returns the position of the named column, or -1.
func (t Table) Column(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// tables is every table of the schema except schema_migrations, parents
// before children: the order of a dump and of a load, and the reverse of
// a wipe. A migration that adds a table or a column must add it here too
// (TestBackupCoversTheSchema fails until it does), with a column that
// holds a blob store key listed in the table's Blobs: backup and restore
// then carry its files with no other change.
var tables = []Table{
	{Name: "users", Key: "id", Columns: []Column{
		{"id", KindInt64}, {"username", KindText}, {"username_key", KindText}, {"password_hash", KindText},
		{"is_admin", KindBool}, {"created_at", KindTime}, {"suspended_at", KindNullTime},
		{"display_name", KindText}, {"bio", KindText},
		{"avatar_key", KindNullText}, {"avatar_content_type", KindText},
		{"header_key", KindNullText}, {"header_content_type", KindText},
	}, Blobs: []BlobColumn{{Key: "avatar_key", ContentType: "avatar_content_type"}, {Key: "header_key", ContentType: "header_content_type"}}},
	{Name: "tweets", Key: "id", Columns: []Column{
		{"id", KindInt64}, {"author_id", KindInt64}, {"text", KindText}, {"created_at", KindTime},
		{"reply_to_id", KindNullInt64}, {"reply_policy", KindText}, {"edited_at", KindNullTime},
		{"quote_id", KindNullInt64},
	}},
	{Name: "tweet_versions", Key: "tweet_id, version", Columns: []Column{
		{"tweet_id", KindInt64}, {"version", KindInt64}, {"text", KindText}, {"written_at", KindTime},
	}},
	{Name: "tweet_media", Key: "tweet_id, position", Columns: []Column{
		{"tweet_id", KindInt64}, {"position", KindInt64}, {"storage_key", KindText}, {"content_type", KindText},
		{"width", KindInt64}, {"height", KindInt64}, {"size", KindInt64}, {"alt", KindText},
		{"thumb_key", KindNullText}, {"thumb_content_type", KindText}, {"thumb_width", KindInt64}, {"thumb_height", KindInt64},
		{"blurhash", KindText},
	}, Blobs: []BlobColumn{{Key: "storage_key", ContentType: "content_type"}, {Key: "thumb_key", ContentType: "thumb_content_type"}}},
	{Name: "tweet_tags", Key: "tweet_id, tag", Columns: []Column{
		{"tweet_id", KindInt64}, {"tag", KindText},
	}},
	{Name: "tweet_mentions", Key: "tweet_id, user_id", Columns: []Column{
		{"tweet_id", KindInt64}, {"user_id", KindInt64},
	}},
	{Name: "sessions", Key: "token_hash", Columns: []Column{
		{"token_hash", KindText}, {"user_id", KindInt64}, {"created_at", KindTime}, {"expires_at", KindTime},
		{"user_agent", KindText},
	}},
	{Name: "reports", Key: "id", Columns: []Column{
		{"id", KindInt64}, {"tweet_id", KindInt64}, {"tweet_author_id", KindInt64}, {"tweet_text", KindText},
		{"reporter_id", KindInt64}, {"reason", KindText}, {"created_at", KindTime}, {"resolved_at", KindNullTime},
		{"resolved_by", KindNullInt64}, {"resolution", KindText},
	}},
	{Name: "audit_log", Key: "id", Columns: []Column{
		{"id", KindInt64}, {"actor_id", KindInt64}, {"action", KindText}, {"target", KindText},
		{"detail", KindText}, {"created_at", KindTime},
	}},
	{Name: "follows", Key: "follower_id, followee_id", Columns: []Column{
		{"id", KindInt64}, {"follower_id", KindInt64}, {"followee_id", KindInt64}, {"created_at", KindTime},
	}},
	{Name: "likes", Key: "user_id, tweet_id", Columns: []Column{
		{"id", KindInt64}, {"user_id", KindInt64}, {"tweet_id", KindInt64}, {"created_at", KindTime},
	}},
	{Name: "reposts", Key: "id", Columns: []Column{
		{"id", KindInt64}, {"user_id", KindInt64}, {"tweet_id", KindInt64}, {"created_at", KindTime},
	}},
	{Name: "blocks", Key: "blocker_id, blocked_id", Columns: []Column{
		{"id", KindInt64}, {"blocker_id", KindInt64}, {"blocked_id", KindInt64}, {"created_at", KindTime},
	}},
	{Name: "mutes", Key: "muter_id, muted_id", Columns: []Column{
		{"id", KindInt64}, {"muter_id", KindInt64}, {"muted_id", KindInt64}, {"created_at", KindTime},
	}},
	{Name: "notifications", Key: "id", Columns: []Column{
		{"id", KindInt64}, {"user_id", KindInt64}, {"kind", KindText}, {"actor_id", KindInt64},
		{"tweet_id", KindInt64}, {"created_at", KindTime}, {"seen", KindBool},
	}},
	{Name: "reserved_usernames", Key: "username_key", Columns: []Column{
		{"username_key", KindText}, {"reserved_until", KindTime},
	}},
	{Name: "oauth_apps", Key: "id", Columns: []Column{
		{"id", KindInt64}, {"name", KindText}, {"website", KindText}, {"redirect_uris", KindText}, {"scopes", KindText},
		{"client_id", KindText}, {"secret_hash", KindText}, {"created_at", KindTime},
	}},
	{Name: "oauth_codes", Key: "code_hash", Columns: []Column{
		{"code_hash", KindText}, {"app_id", KindInt64}, {"user_id", KindInt64}, {"redirect_uri", KindText},
		{"scopes", KindText}, {"challenge", KindText}, {"expires_at", KindTime},
	}},
	{Name: "oauth_tokens", Key: "token_hash", Columns: []Column{
		{"token_hash", KindText}, {"app_id", KindInt64}, {"user_id", KindNullInt64}, {"scopes", KindText}, {"created_at", KindTime},
	}},
	{Name: "pending_media", Key: "id", Columns: []Column{
		{"id", KindInt64}, {"user_id", KindInt64}, {"storage_key", KindText}, {"content_type", KindText},
		{"width", KindInt64}, {"height", KindInt64}, {"size", KindInt64}, {"alt", KindText},
		{"thumb_key", KindNullText}, {"thumb_content_type", KindText}, {"thumb_width", KindInt64}, {"thumb_height", KindInt64},
		{"blurhash", KindText}, {"created_at", KindTime},
	}, Blobs: []BlobColumn{{Key: "storage_key", ContentType: "content_type"}, {Key: "thumb_key", ContentType: "thumb_content_type"}}},
	{Name: "idempotency_keys", Key: "user_id, key_hash", Columns: []Column{
		{"user_id", KindInt64}, {"key_hash", KindText}, {"tweet_id", KindInt64}, {"created_at", KindTime},
	}},
	{Name: "bookmarks", Key: "user_id, tweet_id", Columns: []Column{
		{"id", KindInt64}, {"user_id", KindInt64}, {"tweet_id", KindInt64}, {"created_at", KindTime},
	}},
	{Name: "markers", Key: "user_id, timeline", Columns: []Column{
		{"user_id", KindInt64}, {"timeline", KindText}, {"last_read_id", KindInt64}, {"version", KindInt64}, {"updated_at", KindTime},
	}},
	// Files waiting to be deleted: their keys are not Blobs, since no
	// backup needs the files, but a restore keeps the queue so that a
	// store restored along with its files still gets rid of them.
	{Name: "media_trash", Key: "storage_key", Columns: []Column{
		{"storage_key", KindText}, {"attempts", KindInt64}, {"not_before", KindTime}, {"last_error", KindText},
	}},
}

// Tables returns every table that Dump reads and Load writes, parents
// first. The caller must not modify it.
func Tables() []Table { return tables }

// TableByName returns the named table.
func TableByName(name string) (Table, bool) {
	for _, t := range tables {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

// Dump calls fn with every row of every table, table by table in the
// order of Tables and each table ordered by its primary key, and returns
// the schema version the rows belong to. A row holds one value per
// column, of the Go type its Kind names; fn must not keep the slice.
//
// Everything is read in one read-only transaction, so the dump is a
// consistent snapshot of a database that is in use. On PostgreSQL that
// takes REPEATABLE READ. On SQLite a read-only transaction starts with a
// plain (deferred) BEGIN rather than the store's BEGIN IMMEDIATE, so it
// does not hold the write lock: in WAL mode it reads the snapshot of its
// first statement while the server goes on writing.
func (s *Store) Dump(ctx context.Context, fn func(table string, row []any) error) (schemaVersion int, err error) {
	defer tweets.Wrap(&err, "dump the database")
	if err := s.outsideAtomic("Dump"); err != nil {
		return 0, err
	}
	tx, err := s.DB.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return 0, s.mapError(err)
	}
	// Read-only: rolling back is how it ends.
	defer func() { _ = tx.Rollback() }()
	var v sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("read the schema version (is the database migrated?): %w", err)
	}
	for _, t := range tables {
		if err := s.dumpTable(ctx, tx, t, fn); err != nil {
			return 0, fmt.Errorf("table %s: %w", t.Name, err)
		}
	}
	return int(v.Int64), nil
}

func (s *Store) dumpTable(ctx context.Context, tx *sql.Tx, t Table, fn func(table string, row []any) error) error {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	rows, err := s.query(ctx, tx, "SELECT "+strings.Join(names, ", ")+" FROM "+t.Name+" ORDER BY "+t.Key)
	if err != nil {
		return err
	}
	defer rows.Close()
	dest := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		dest[i] = scanTarget(c.Kind)
	}
	row := make([]any, len(t.Columns))
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for i, d := range dest {
			row[i] = scannedValue(d)
		}
		if err := fn(t.Name, row); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanTarget returns a destination for one column of the kind.
func scanTarget(k Kind) any {
	switch k {
	case KindInt64:
		return new(int64)
	case KindText:
		return new(string)
	case KindBool:
		return new(bool)
	case KindTime:
		return new(time.Time)
	case KindNullTime:
		return new(sql.NullTime)
	case KindNullInt64:
		return new(sql.NullInt64)
	case KindNullText:
		return new(sql.NullString)
	}
	panic(fmt.Sprintf("sqlstore: unknown column kind %d", k))
}

// scannedValue turns a scanned destination into a row value.
func scannedValue(d any) any {
	switch d := d.(type) {
	case *int64:
		return *d
	case *string:
		return *d
	case *bool:
		return *d
	case *time.Time:
		return d.UTC()
	case *sql.NullTime:
		if !d.Valid {
			return nil
		}
		return d.Time.UTC()
	case *sql.NullInt64:
		if !d.Valid {
			return nil
		}
		return d.Int64
	case *sql.NullString:
		if !d.Valid {
			return nil
		}
		return d.String
	}
	panic(fmt.Sprintf("sqlstore: unknown scan target %T", d))
}

// CheckValue reports whether v is a valid value for a column of kind k.
func CheckValue(k Kind, v any) error {
	if v == nil {
		if k.Nullable() {
			return nil
		}
		return fmt.Errorf("is null, but the column does not allow null")
	}
	ok := false
	switch k {
	case KindInt64, KindNullInt64:
		_, ok = v.(int64)
	case KindText, KindNullText:
		_, ok = v.(string)
	case KindBool:
		_, ok = v.(bool)
	case KindTime, KindNullTime:
		_, ok = v.(time.Time)
	}
	if !ok {
		return fmt.Errorf("has a value of type %T, which does not fit the column", v)
	}
	return nil
}

// Loader inserts rows inside the transaction of one Load.
type Loader struct {
	s     *Store
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

// Load runs fn in one transaction in which it inserts rows with the
// Loader, and commits if fn returns nil: a load that fails half-way
// leaves the database as it was. Rows must come parents first (in the
// order of Tables), since foreign keys are checked as each row goes in.
func (s *Store) Load(ctx context.Context, fn func(l *Loader) error) error {
	var fnErr error
	err := s.Transact(ctx, func(tx *sql.Tx) error {
		l := &Loader{s: s, tx: tx, stmts: map[string]*sql.Stmt{}}
		defer func() {
			for _, st := range l.stmts {
				_ = st.Close()
			}
		}()
		fnErr = fn(l)
		return fnErr
	})
	// fn's errors already say what failed; only the transaction's own
	// need context.
	if err != nil && err != fnErr {
		return fmt.Errorf("load rows: %w", err)
	}
	return err
}

// Insert adds one row to table: one value per column of the table, of
// the types Dump returns.
func (l *Loader) Insert(ctx context.Context, table string, row []any) error {
	t, ok := TableByName(table)
	if !ok {
		return fmt.Errorf("there is no table %q", table)
	}
	if len(row) != len(t.Columns) {
		return fmt.Errorf("a row of %s has %d values; the table has %d columns", table, len(row), len(t.Columns))
	}
	args := make([]any, len(row))
	for i, c := range t.Columns {
		if err := CheckValue(c.Kind, row[i]); err != nil {
			return fmt.Errorf("%s.%s %w", table, c.Name, err)
		}
		args[i] = row[i]
		if tm, ok := row[i].(time.Time); ok {
			args[i] = tm.UTC()
		}
	}
	st, ok := l.stmts[table]
	if !ok {
		names := make([]string, len(t.Columns))
		marks := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			names[i], marks[i] = c.Name, "?"
		}
		var err error
		st, err = l.tx.PrepareContext(ctx, l.s.rebind("INSERT INTO "+table+" ("+strings.Join(names, ", ")+") VALUES ("+strings.Join(marks, ", ")+")"))
		if err != nil {
			return l.s.mapError(err)
		}
		l.stmts[table] = st
	}
	if _, err := st.ExecContext(ctx, args...); err != nil {
		return fmt.Errorf("insert into %s: %w", table, l.s.mapError(err))
	}
	return nil
}

// Wipe deletes every row inside the load's transaction and returns the
// keys of the blob store files that the deleted rows referred to, so
// that the caller can delete those files once the load has committed.
func (l *Loader) Wipe(ctx context.Context) (blobKeys []string, err error) {
	seen := map[string]bool{}
	for _, t := range tables {
		for _, c := range t.Blobs {
			keys, err := l.s.columnValues(ctx, l.tx, t.Name, c.Key)
			if err != nil {
				return nil, fmt.Errorf("list %s.%s: %w", t.Name, c.Key, err)
			}
			for _, k := range keys {
				if !seen[k] {
					seen[k] = true
					blobKeys = append(blobKeys, k)
				}
			}
		}
	}
	return blobKeys, l.s.wipe(ctx, l.tx)
}

// columnValues returns the distinct values of a text column other than
// NULL and the empty text, in order.
func (s *Store) columnValues(ctx context.Context, q queryer, table, column string) ([]string, error) {
	rows, err := s.query(ctx, q, "SELECT DISTINCT "+column+" FROM "+table+" WHERE "+column+" <> '' ORDER BY "+column)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var vs []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, rows.Err()
}

// wipe deletes children first, so that foreign keys hold at every step
// without relying on ON DELETE CASCADE (SQLite honours it only with
// foreign_keys on).
func (s *Store) wipe(ctx context.Context, q queryer) error {
	for i := len(tables) - 1; i >= 0; i-- {
		if _, err := s.exec(ctx, q, "DELETE FROM "+tables[i].Name); err != nil {
			return fmt.Errorf("empty %s: %w", tables[i].Name, err)
		}
	}
	return nil
}

// IsEmpty reports whether no table in Tables has a row.
func (s *Store) IsEmpty(ctx context.Context) (empty bool, err error) {
	defer tweets.Wrap(&err, "check whether the database is empty")
	for _, t := range tables {
		var one int
		err := s.queryRow(ctx, s.q, "SELECT 1 FROM "+t.Name+" LIMIT 1").Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return false, s.mapError(err)
		}
		return false, nil
	}
	return true, nil
}
