package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/tweetsdev/tweets"
)

// maxParamsBytes bounds a request body of parameters (not media).
const maxParamsBytes = 64 << 10

// params are a request's parameters, from the query string and the body
// alike: Mastodon clients send JSON, form-encoded or multipart bodies.
// An array parameter is named with or without [] (media_ids[]).
type params map[string][]string

func (p params) get(name string) string {
	if v := p[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (p params) list(name string) []string {
	return append(append([]string(nil), p[name]...), p[name+"[]"]...)
}

// readParams reads the query string and the body's parameters. Text must
// be valid UTF-8 without NUL; the Service checks everything else.
func readParams(w http.ResponseWriter, r *http.Request) (params, error) {
	p := params{}
	for k, v := range r.URL.Query() {
		p[k] = v
	}
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return p, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	r.Body = http.MaxBytesReader(w, r.Body, maxParamsBytes)
	switch ct {
	case "application/json":
		var body map[string]any
		dec := json.NewDecoder(r.Body)
		dec.UseNumber()
		if err := dec.Decode(&body); err != nil && err != io.EOF {
			if tooLarge(err) {
				return nil, errTooLarge()
			}
			return nil, tweets.Invalid("", "The JSON body could not be read: %s.", jsonProblem(err))
		}
		for k, v := range body {
			switch v := v.(type) {
			case []any:
				for _, x := range v {
					p[k] = append(p[k], scalar(x))
				}
			case nil:
			default:
				p[k] = append(p[k], scalar(v))
			}
		}
	case "application/x-www-form-urlencoded", "":
		// Parsed here rather than by ParseForm: a body without a type
		// is a form to Mastodon (Rack), octet-stream to Go; and a body
		// that is not a well-formed form is refused, never read in part.
		b, err := io.ReadAll(r.Body)
		if tooLarge(err) {
			return nil, errTooLarge()
		}
		if err != nil {
			return nil, tweets.Invalid("", "The form could not be read.")
		}
		form, err := url.ParseQuery(string(b))
		if err != nil {
			return nil, tweets.Invalid("", "The form could not be read.")
		}
		for k, v := range form {
			p[k] = append(p[k], v...)
		}
	case "multipart/form-data":
		// The handler may have parsed it already, for its files. A bad
		// query string is not a bad body: only a form left unread is.
		err := r.ParseMultipartForm(maxParamsBytes) // #nosec G120 -- the body is bounded by MaxBytesReader above
		if tooLarge(err) {
			return nil, errTooLarge()
		}
		if r.MultipartForm == nil {
			return nil, tweets.Invalid("", "The form could not be read.")
		}
		for k, v := range r.MultipartForm.Value {
			p[k] = append(p[k], v...)
		}
	default:
		return nil, tweets.Invalid("", "Send parameters as JSON, or form-encoded; %q is neither.", ct)
	}
	for k, vs := range p {
		for _, v := range vs {
			if err := tweets.CheckText(k, v); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// errTooLarge refuses a body of parameters over maxParamsBytes.
func errTooLarge() error {
	return tweets.Errorf(tweets.CodeTooLarge, "The parameters are larger than %d KiB: send less.", maxParamsBytes>>10)
}

func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

func scalar(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// jsonProblem says briefly what is wrong with a JSON body.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("a syntax error at byte %d", se.Offset)
	}
	if strings.Contains(err.Error(), "cannot unmarshal") {
		return "the body must be a JSON object"
	}
	return "it is not valid JSON"
}

// truthy reads a boolean parameter as Mastodon clients send them.
func truthy(v string) bool {
	switch strings.ToLower(v) {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}
