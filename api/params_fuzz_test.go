package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tweetsdev/tweets"
)

// FuzzReadParams checks the decoding of an API request's parameters,
// from its query string and its JSON, form or multipart body: it never
// panics; a refusal is an invalid-input domain error with a readable
// message; what it accepts is only valid UTF-8 without NUL; and a body
// that is a JSON object of strings, or a well-formed form, gives each
// value it holds.
func FuzzReadParams(f *testing.F) {
	for _, s := range []struct{ ct, query, body string }{
		{"application/json", "", `{"status":"hi","media_ids":["1","2"],"sensitive":true,"poll":null,"n":1.5e3,"o":{"a":[1]}}`},
		{"application/json; charset=utf-8", "limit=5", `{"status":"\u0000"}`},
		{"application/json", "", `{"status":"\ud800"}`},
		{"application/json", "", `["not","an","object"]`},
		{"application/json", "", `{"a":1}{"b":2}`},
		{"application/json", "", `{"a":`},
		{"application/json", "", ``},
		{"application/x-www-form-urlencoded", "x=1", "status=hi&media_ids[]=1&media_ids[]=2"},
		{"application/x-www-form-urlencoded", "", "status=%00&x=%ff"},
		{"application/x-www-form-urlencoded", "", "a=%zz"},
		{"", "", "status=plain"},
		{"multipart/form-data; boundary=B", "", "--B\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\nhi\r\n--B--\r\n"},
		{"multipart/form-data", "", "--B\r\n"},
		{"text/plain", "", "status=hi"},
		{"application/json", "q=%ff", `{}`},
	} {
		f.Add(s.ct, s.query, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, ct, query string, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/statuses", bytes.NewReader(body))
		r.URL.RawQuery = query
		r.Header.Set("Content-Type", ct)
		p, err := readParams(httptest.NewRecorder(), r)
		base, _, _ := mime.ParseMediaType(ct)
		form, formErr := url.ParseQuery(string(body))
		isForm := base == "" || base == "application/x-www-form-urlencoded"
		if isForm && formErr != nil && len(body) <= maxParamsBytes && err == nil {
			t.Fatalf("readParams(%q, %q) accepted a form that does not parse: %v", ct, body, formErr)
		}
		if err != nil {
			var e *tweets.Error
			if !errors.As(err, &e) || e.Code != tweets.CodeInvalid || !utf8.ValidString(e.Message) {
				t.Fatalf("readParams(%q, %q) = %#v, want an invalid-input domain error", ct, body, err)
			}
			return
		}
		for k, vs := range p {
			for _, v := range vs {
				if tweets.CheckText(k, v) != nil {
					t.Fatalf("readParams(%q, %q) gave %s=%q", ct, body, k, v)
				}
			}
		}
		if base != "application/json" {
			if isForm && formErr == nil {
				for k, vs := range form {
					if !containsAll(p[k], vs) {
						t.Fatalf("form %q: %s is %q, want %q among them", body, k, p[k], vs)
					}
				}
			}
			return
		}
		var obj map[string]any
		if json.Unmarshal(body, &obj) != nil {
			return
		}
		for k, v := range obj {
			if s, ok := v.(string); ok && !containsAll(p[k], []string{s}) {
				t.Fatalf("JSON %q: %s is %q, want %q among them", body, k, p[k], s)
			}
		}
	})
}

func containsAll(have, want []string) bool {
	n := 0
	for _, w := range want {
		for _, h := range have {
			if h == w {
				n++
				break
			}
		}
	}
	return n == len(want)
}

// FuzzReadCursor checks the reading of a list's cursor (max_id,
// since_id, min_id, limit) from any query string: a refusal is an
// invalid-input domain error naming the parameter; what is read is a
// page of 1 to maxLimit items between valid ids, and the query written
// from it, as the Link header does, reads back as the same cursor.
func FuzzReadCursor(f *testing.F) {
	for _, q := range []string{"", "limit=0", "limit=41", "limit=-1", "limit=%2B5", "limit=99999999999999999999",
		"max_id=5&since_id=3&min_id=4", "max_id=0", "max_id=%2B5", "max_id=007", "min_id=&since_id=9",
		"max_id=9223372036854775807&limit=40", "since_id=x", "max_id=1;limit=2", "%zz=1&max_id=3"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, query string) {
		r := httptest.NewRequest(http.MethodGet, "/api/v1/timelines/public", nil)
		r.URL.RawQuery = query
		c, err := readCursor(r)
		if err != nil {
			var e *tweets.Error
			if !errors.As(err, &e) || e.Code != tweets.CodeInvalid || !strings.Contains(" limit max_id since_id min_id ", " "+e.Field+" ") {
				t.Fatalf("readCursor(%q) = %#v, want an invalid-input error naming the parameter", query, err)
			}
			return
		}
		if c.limit < 1 || c.limit > maxLimit || c.before < 0 || c.after < 0 || c.oldest && c.after == 0 {
			t.Fatalf("readCursor(%q) = %+v", query, c)
		}
		q := url.Values{"limit": {itoa(c.limit)}}
		if c.before != 0 {
			q.Set("max_id", c.before.String())
		}
		if c.after != 0 {
			param := "since_id"
			if c.oldest {
				param = "min_id"
			}
			q.Set(param, c.after.String())
		}
		r.URL.RawQuery = q.Encode()
		if again, err := readCursor(r); err != nil || again != c {
			t.Fatalf("readCursor(%q) = %+v, written %q, reads back as %+v, %v", query, c, q.Encode(), again, err)
		}
	})
}

func itoa(n int) string { return tweets.ID(n).String() }
