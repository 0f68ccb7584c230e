package backup

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tweetsdev/tweets/sqlstore"
)

// encodeRow renders a row as one JSON array, values encoded by the kind
// of their column.
func encodeRow(t sqlstore.Table, row []any) ([]byte, error) {
	vals := make([]any, len(row))
	for i, c := range t.Columns {
		if err := sqlstore.CheckValue(c.Kind, row[i]); err != nil {
			return nil, fmt.Errorf("%s.%s %w", t.Name, c.Name, err)
		}
		switch v := row[i].(type) {
		case time.Time:
			vals[i] = v.UTC().Format(time.RFC3339Nano)
		default:
			vals[i] = v
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	// Tweets are full of < and &: keep them readable.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(vals); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// decodeRow parses a line written by encodeRow into the values Load
// takes. Text values that a database could refuse are repaired (see
// repairText); repaired[i] says whether column i's was.
func decodeRow(t sqlstore.Table, line []byte) (row []any, repaired []bool, err error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil {
		return nil, nil, fmt.Errorf("not a JSON array: %w", err)
	}
	if len(raw) != len(t.Columns) {
		return nil, nil, fmt.Errorf("%d values; %s has %d columns", len(raw), t.Name, len(t.Columns))
	}
	row = make([]any, len(raw))
	repaired = make([]bool, len(raw))
	for i, c := range t.Columns {
		v, err := decodeValue(c.Kind, raw[i])
		if err != nil {
			return nil, nil, fmt.Errorf("column %s: %w", c.Name, err)
		}
		if s, ok := v.(string); ok {
			v, repaired[i] = repairText(s, raw[i])
		}
		row[i] = v
	}
	return row, repaired, nil
}

// repairText makes a text value storable in both databases. SQLite keeps
// whatever bytes it is given; PostgreSQL refuses NUL bytes and bytes that
// are not UTF-8. NUL bytes are dropped, and each byte that is not UTF-8
// becomes U+FFFD: the rest of the text survives, and the restore goes on.
//
// Bytes that are not UTF-8 are already U+FFFD in the archive: encoding/json
// wrote each as the escape \ufffd, and writes a real U+FFFD as itself, so
// that escape in raw (the value's JSON) is how they are told apart.
func repairText(s string, raw []byte) (string, bool) {
	repaired := hasReplacementEscape(raw) || !utf8.Valid(raw)
	if strings.IndexByte(s, 0) >= 0 {
		s, repaired = strings.ReplaceAll(s, "\x00", ""), true
	}
	if !utf8.ValidString(s) {
		s, repaired = strings.ToValidUTF8(s, "\uFFFD"), true
	}
	return s, repaired
}

// hasReplacementEscape reports whether a JSON string holds the escape
// \ufffd (and not merely an escaped backslash followed by "ufffd").
func hasReplacementEscape(raw []byte) bool {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		if i+5 < len(raw) && raw[i+1] == 'u' && strings.EqualFold(string(raw[i+2:i+6]), "fffd") {
			return true
		}
		i++ // the escaped character, which may be a backslash
	}
	return false
}

func decodeValue(k sqlstore.Kind, raw json.RawMessage) (any, error) {
	if string(raw) == "null" {
		if !k.Nullable() {
			return nil, fmt.Errorf("null, but the column does not allow null")
		}
		return nil, nil
	}
	switch k {
	case sqlstore.KindInt64, sqlstore.KindNullInt64:
		// Parsed from the text: ids need all 64 bits, which a float64
		// would round.
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s is not an integer", raw)
		}
		return n, nil
	case sqlstore.KindText, sqlstore.KindNullText:
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case sqlstore.KindBool:
		var b bool
		err := json.Unmarshal(raw, &b)
		return b, err
	case sqlstore.KindTime, sqlstore.KindNullTime:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, fmt.Errorf("%q is not an RFC 3339 time", s)
		}
		return tm.UTC(), nil
	}
	return nil, fmt.Errorf("unknown column kind %d", k)
}
