package hostile

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageElements are the elements the pages are made of. Any other
// element in a page came from somewhere else: from what a user typed.
var pageElements = set("html head body meta title link script header nav a form label input button ul ol li main section " +
	"h1 h2 h3 p article footer time span img blockquote bdi br div dl dt dd table thead tbody tr th td caption progress " +
	"code strong textarea select option fieldset legend details summary output")

// pageAttributes are the attributes the pages use (aria-* aside).
var pageAttributes = set("accept action alt autocapitalize autocomplete charset checked class colspan content data-after " +
	"data-live datetime decoding defer dir disabled download enctype for height hidden href id lang loading max maxlength method " +
	"minlength name open pattern placeholder readonly rel required role rows scope selected spellcheck src tabindex title type value width")

// richElements are what the HTML of a status, a note or a feed entry
// may hold: paragraphs, line breaks, links and their <bdi>, images.
var richElements = set("p br a bdi span img")

// richAttributes are the attributes of richElements.
var richAttributes = set("href rel class src alt")

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// PageProblems lists what is unsafe in an HTML page: a script that is
// not one of the app's own (appScripts, from a page without user
// input), an element or attribute the pages do not use (so it came
// from input), an on* attribute, a link, source or form action to a
// scheme other than http, https or mailto, an image from elsewhere
// than the site, and text with direction overrides that is not
// isolated in a <bdi> or an element with a dir attribute.
func PageProblems(page string, appScripts []string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{"the page does not parse: " + err.Error()}
	}
	c := checker{elements: pageElements, attributes: pageAttributes, scripts: set(strings.Join(appScripts, " "))}
	c.walk(doc)
	return c.problems
}

// FragmentProblems lists what is unsafe in the HTML that an API status
// or note, or an Atom entry, carries: as PageProblems, with only the
// few elements of rich text allowed and no script at all.
func FragmentProblems(fragment string) []string {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), ctx)
	if err != nil {
		return []string{"the HTML does not parse: " + err.Error()}
	}
	c := checker{elements: richElements, attributes: richAttributes, fragment: true}
	for _, n := range nodes {
		c.walk(n)
	}
	return c.problems
}

type checker struct {
	elements, attributes, scripts map[string]bool
	fragment                      bool // isolation is up to the page that shows it
	problems                      []string
}

func (c *checker) addf(format string, args ...any) {
	if len(c.problems) < 20 {
		c.problems = append(c.problems, fmt.Sprintf(format, args...))
	}
}

func (c *checker) walk(n *html.Node) {
	switch n.Type {
	case html.ElementNode:
		c.element(n)
	case html.TextNode:
		if strings.ContainsAny(n.Data, Overrides) && !c.fragment && !isolated(n) {
			c.addf("text with a direction override outside any <bdi> or dir element, in <%s>: %q", parentName(n), clip(n.Data))
		}
	case html.CommentNode:
		c.addf("a comment in the page: <!--%s-->", clip(n.Data))
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.walk(ch)
	}
}

func (c *checker) element(n *html.Node) {
	if !c.elements[n.Data] {
		c.addf("an element <%s> that the pages never make", n.Data)
	}
	if n.Data == "script" {
		src := attr(n, "src")
		if !c.scripts[src] || n.FirstChild != nil {
			c.addf("a script that is not the app's: <script src=%q>%s", src, clip(text(n)))
		}
	}
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		if a.Namespace != "" {
			key = a.Namespace + ":" + key
		}
		switch {
		case strings.HasPrefix(key, "on"):
			c.addf("an event handler attribute <%s %s=%q>", n.Data, key, clip(a.Val))
		case !c.attributes[key] && !strings.HasPrefix(key, "aria-"):
			c.addf("an attribute <%s %s> that the pages never use", n.Data, key)
		}
		switch key {
		case "href", "src", "action", "formaction", "poster", "xlink:href", "background", "cite":
			if !SafeURL(a.Val) {
				c.addf("<%s %s=%q>: a scheme other than http, https or mailto", n.Data, key, clip(a.Val))
			}
		}
	}
	if n.Data == "img" && !siteImage(attr(n, "src")) {
		c.addf("an image from elsewhere than the site: %q", clip(attr(n, "src")))
	}
}

// SafeURL reports whether a URL is relative or has the scheme http,
// https or mailto, read as a browser does: white space and control
// characters ignored, in any case.
func SafeURL(u string) bool {
	s := strings.ToLower(strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, u))
	i := strings.IndexAny(s, ":/?#")
	if i < 0 || s[i] != ':' {
		return true
	}
	switch s[:i] {
	case "http", "https", "mailto":
		return true
	}
	return false
}

// siteImage reports whether an image's address is one the site makes:
// its media and static files (relative, or absolute in a feed), or the
// inline GIF of a placeholder.
func siteImage(src string) bool {
	return strings.HasPrefix(src, "/media/") || strings.HasPrefix(src, "/static/") ||
		strings.HasPrefix(src, "data:image/gif;base64,") ||
		(strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://")) && strings.Contains(src, "/media/")
}

// isolated reports whether n is inside an element that keeps direction
// overrides from reordering the text around it: a <bdi>, an element
// with a dir attribute, or the page's <title> (not part of the page)
// and form fields' values, which browsers isolate.
func isolated(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		switch p.Data {
		case "bdi", "title", "textarea", "option":
			return true
		}
		if hasAttr(p, "dir") {
			return true
		}
	}
	return false
}

func parentName(n *html.Node) string {
	if n.Parent != nil {
		return n.Parent.Data
	}
	return ""
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return b.String()
}

func clip(s string) string {
	if len(s) > 120 {
		i := 120
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		return s[:i] + "…"
	}
	return s
}

// Visible is what a reader sees of HTML: the text of its elements and
// the values of the attributes that show text (alt, title, value,
// placeholder), separated by line ends.
func Visible(h string) string {
	doc, err := html.Parse(strings.NewReader(h))
	if err != nil {
		return ""
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			if n.Data == "script" || n.Data == "style" {
				return
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "alt", "title", "value", "placeholder", "content":
					b.WriteString("\n" + a.Val + "\n")
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	return b.String()
}

// Shows reports whether seen holds want, as a reader would compare
// them: line ends of any kind alike, and control characters (which
// HTML keeps, XML turns into U+FFFD and JSON escapes) left out.
func Shows(seen, want string) bool {
	return strings.Contains(Comparable(seen), Comparable(want))
}

// Comparable is s without control characters and replacement
// characters, with every line end as \n.
func Comparable(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r != '\n' && (unicode.IsControl(r) || r == utf8.RuneError) {
			return -1
		}
		return r
	}, s)
}

// Feed is what the checks read of an Atom feed.
type Feed struct {
	Title   string `xml:"title"`
	Author  string `xml:"author>name"`
	Entries []struct {
		Title   string `xml:"title"`
		Author  string `xml:"author>name"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

// FeedProblems parses an Atom feed strictly (well-formed XML, every
// character one XML allows) and checks each entry's HTML content as
// FragmentProblems does. It returns the feed as read.
func FeedProblems(body []byte) (Feed, []string) {
	var f Feed
	var problems []string
	if !utf8.Valid(body) {
		problems = append(problems, "the feed is not UTF-8")
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return f, append(problems, "the feed is not well-formed XML: "+err.Error())
		}
	}
	if err := xml.Unmarshal(body, &f); err != nil {
		return f, append(problems, "the feed does not parse: "+err.Error())
	}
	for i, e := range f.Entries {
		if e.Content.Type != "html" {
			problems = append(problems, fmt.Sprintf("entry %d: content of type %q, want html", i, e.Content.Type))
		}
		for _, p := range FragmentProblems(e.Content.Body) {
			problems = append(problems, fmt.Sprintf("entry %d: %s", i, p))
		}
	}
	return f, problems
}

// JSONProblems checks an API answer: UTF-8, valid JSON, no NUL in any
// string, and harmless HTML in every "content" and "note". It returns
// the texts a client shows: every string value, and the visible text of
// that HTML.
func JSONProblems(body []byte) (texts []string, problems []string) {
	if !utf8.Valid(body) {
		problems = append(problems, "the answer is not UTF-8")
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, append(problems, "the answer is not JSON: "+err.Error())
	}
	// An account's source.note is the bio as typed, plain text.
	var walk func(parent, key string, v any)
	walk = func(parent, key string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(key, k, x)
			}
		case []any:
			for _, x := range v {
				walk(parent, key, x)
			}
		case string:
			if strings.ContainsRune(v, 0) {
				problems = append(problems, fmt.Sprintf("%s holds a NUL", key))
			}
			texts = append(texts, v)
			if key == "content" || key == "note" && parent != "source" {
				for _, p := range FragmentProblems(v) {
					problems = append(problems, key+": "+p)
				}
				texts = append(texts, Visible(v))
			}
		}
	}
	walk("", "", v)
	return texts, problems
}
