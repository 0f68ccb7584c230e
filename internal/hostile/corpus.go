// Package hostile is the hostile-input corpus for tests: strings that
// try to break out of HTML, attributes, URLs, XML, JSON and SQL, or to
// hide or reorder text; and the checks that a page, an Atom feed or an
// API answer rendered whatever it was given harmlessly.
package hostile

import (
	"strings"
	"unicode/utf8"
)

// Input is one hostile string.
type Input struct {
	Name string // short, for test names and failures
	Text string
	// Long marks the very long strings: sent once to every field, not
	// walked through every page.
	Long bool
}

// Unstorable reports whether the product refuses the text in every
// field (tweets.CheckText): a NUL byte or bytes that are not UTF-8.
func (in Input) Unstorable() bool {
	return !utf8.ValidString(in.Text) || strings.IndexByte(in.Text, 0) >= 0
}

// Corpus returns every hostile string. Links in it stay under 50
// characters, so that pages show them whole.
func Corpus() []Input {
	return []Input{
		// Markup in element content.
		{Name: "script", Text: `<script>alert(1)</script>`},
		{Name: "img-onerror", Text: `"><img src=x onerror=alert(1)>`},
		{Name: "svg-onload", Text: `<svg onload=alert(1)><svg/onload=alert(2)>`},
		{Name: "iframe-style", Text: `<iframe src=//evil.example></iframe><style>*{display:none}</style>`},
		{Name: "anchor-js", Text: `<a href="javascript:alert(1)">click</a><form action=javascript:alert(2)><button>go</button></form>`},
		{Name: "bold-marquee", Text: `<b>bold</b><marquee>moving</marquee><x y=z>`},
		{Name: "comment", Text: `<!-- unclosed comment <math><mi xlink:href=javascript:alert(1)>`},
		{Name: "textarea-close", Text: `</textarea><script>alert(1)</script><textarea>`},
		{Name: "title-close", Text: `</title><script>alert(1)</script>`},
		// Breaking out of attributes.
		{Name: "attr-single", Text: `' onmouseover='alert(1)' x='`},
		{Name: "attr-double", Text: `" autofocus onfocus="alert(1)" x="`},
		{Name: "attr-backtick", Text: "` onclick=alert(1) `"},
		// Script and data URLs.
		{Name: "js-url", Text: `javascript:alert(1)`},
		{Name: "js-url-case-space", Text: " \tJaVaScRiPt:alert(1)"},
		{Name: "js-url-entities", Text: `jav&#x09;ascript:alert(1) &#106;avascript:alert(2) java&Tab;script:x`},
		{Name: "js-url-controls", Text: "java\x01script:alert(1) \x0bjavascript:alert(2)"},
		{Name: "data-url", Text: `data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==`},
		{Name: "vbscript-url", Text: `vbscript:msgbox(1) livescript:x`},
		// Already escaped text must stay as typed (no double decoding).
		{Name: "entities", Text: `&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &#60;b&#62;`},
		// XML (Atom).
		{Name: "cdata", Text: `]]><entry><title>forged</title></entry><![CDATA[<script>alert(1)</script>]]>`},
		{Name: "xml-decl", Text: `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;`},
		// Templates and scripts in other languages.
		{Name: "template", Text: "{{.}} {{template \"x\"}} ${7*7} <%= 7*7 %> #{7*7}"},
		{Name: "json-breakers", Text: "\"}]}, \\u003cscript\\u003e \u2028\u2029 </script><!--"},
		// Hidden and reordered text.
		{Name: "rtl-override", Text: "invoice\u202Efdp.exe"},
		{Name: "bidi-isolates", Text: "a\u2066b\u2067c\u2068d\u2069e \u202Ax\u202By\u202Cz\u202D"},
		{Name: "zero-width", Text: "ze\u200Bro\u200Dwi\uFEFFdth"},
		{Name: "only-invisible", Text: "\u200B\u200D\uFEFF\u2060"},
		{Name: "control", Text: "ctl\x01\x07\x08\x1b[31mred\x7f\u0085end"},
		// Unstorable.
		{Name: "nul", Text: "nul\x00byte"},
		{Name: "invalid-utf8", Text: "bad\xff\xfebytes"},
		{Name: "truncated-utf8", Text: "cut\xc3"},
		// SQL.
		{Name: "sql-drop", Text: `'; DROP TABLE tweets; --`},
		{Name: "sql-or", Text: `%' OR 1=1 --`},
		{Name: "sql-quotes", Text: `" OR ""=" ' OR ''=' \' \\ \"`},
		{Name: "sql-like", Text: `100% _under_ \% \_ [a-z]* ^$`},
		// Entities that link, with hostile parts.
		{Name: "mention-script", Text: `@<script>alert(1)</script> @reader"onmouseover="x @reader<b>`},
		{Name: "hashtag-markup", Text: `#<b>bold</b> #tag"><img src=x> #tag'onclick='x`},
		{Name: "link-breakers", Text: `https://x.example/"onclick=alert(1) https://x.example/'><b>`},
		{Name: "link-js-userinfo", Text: `https://javascript:alert(1)@x.example http://x.example/<script>`},
		{Name: "link-rtl", Text: "https://x.example/\u202Egnp.exe see @reader\u202E #tag\u202E"},
		// Very long.
		{Name: "long-10k", Text: strings.Repeat("<b>x</b>", 1280), Long: true},
		{Name: "long-1m", Text: strings.Repeat("é", 1<<19), Long: true},
	}
}

// Overrides are the Unicode direction embeddings, overrides and
// isolates: text that holds them must be isolated (a <bdi> or an
// element with a dir attribute) so that they cannot reorder the page
// around it.
const Overrides = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069"
