package seed

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/tweetsdev/tweets"
)

// words make up the texts: everyday English with a few words in other
// scripts and with accents, which search must handle too.
var words = strings.Fields(`the a to and of in is it that for on with this was you just
so not but at be have are my all what about from one more like out up when can your time day
today new good great really people think know get go make see back now still love first last
morning night week weekend work home coffee tea lunch dinner city train bus bike walk run rain
sun snow weather music song album show movie book read reading write code build ship release
bug fix test deploy server database query fast slow team meeting idea plan launch price market
game team win lose match season goal park beach river mountain trip travel photo garden cat dog
kids family friends birthday party news story thread question answer thanks sorry finally again
maybe probably almost never always everyone nobody something nothing tomorrow yesterday soon late
early happy tired busy excited honest weird funny amazing terrible simple hard easy open close
café naïve über façade jalapeño São Zürich Ελλάδα привет 東京 こんにちは مرحبا`)

// firstNames and lastNames make usernames and display names.
var firstNames = strings.Fields(`anna ben chloe david emma felix grace hugo iris jack kate liam
maya noah olivia paul quinn rosa sam tara uma victor wendy xavier yara zoe ali bea carlos dana
elif farah goran hana ivan jin kofi lena mateo nia omar priya raj sofia tomas ugo vera wei yusuf`)

var lastNames = strings.Fields(`Smith Garcia Müller Rossi Dubois Silva Kim Nguyen Okafor Ivanova
Jensen Novak Cohen Haddad Tanaka Patel Costa Berg Moreau Santos Kowalski Andersen Yilmaz Singh`)

// tagNames head the hashtag vocabulary; less used tags are made by
// joining two words (#MorningRun).
var tagNames = strings.Fields(`golang coffee music photography travel news sports football rust
opensource design books art science climate food running weekend mondaymotivation throwback
gaming devops linux security startups ai cats dogs gardening cycling hiking movies tv podcast
jobs remote python javascript webdev database postgres sqlite benchmark café`)

// tagVocabulary returns n hashtags, the named ones first.
func tagVocabulary(rng *rand.Rand, n int) []string {
	tags := append([]string(nil), tagNames...)
	seen := map[string]bool{}
	for _, t := range tags {
		seen[tweets.FoldHashtag(t)] = true
	}
	for len(tags) < n {
		t := title(words[rng.IntN(len(words))]) + title(words[rng.IntN(len(words))])
		if f := tweets.FoldHashtag(t); tweets.ValidHashtag(t) && !seen[f] {
			seen[f] = true
			tags = append(tags, t)
		}
	}
	return tags[:n]
}

func title(w string) string {
	r := []rune(w)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// composer writes the texts of tweets.
type composer struct {
	rng  *rand.Rand
	tags []string
	zipf *rand.Zipf // over tags
}

func newComposer(rng *rand.Rand) *composer {
	tags := tagVocabulary(rng, 2000)
	return &composer{rng: rng, tags: tags, zipf: rand.NewZipf(rng, 1.2, 2, uint64(len(tags)-1))} // #nosec G115 -- 2000 tags
}

// length draws how long a text is to be: mostly short, a fifth near
// the limit.
func (c *composer) length() int {
	switch r := c.rng.Float64(); {
	case r < 0.4:
		return 15 + c.rng.IntN(65)
	case r < 0.8:
		return 80 + c.rng.IntN(100)
	default:
		return 180 + c.rng.IntN(tweets.MaxTweetLength-180+1)
	}
}

// text writes a text of about the drawn length: words, with the
// mentions (@name, the first leading when reply is set, as clients
// write answers), some hashtags from the vocabulary and now and then a
// link, all within tweets.MaxTweetLength as the length rule counts.
func (c *composer) text(mentions []string, reply bool) (string, int) {
	target := c.length()
	var parts []string
	if reply && len(mentions) > 0 {
		parts, mentions = append(parts, "@"+mentions[0]), mentions[1:]
	}
	var tags []string
	switch r := c.rng.Float64(); {
	case r < 0.05:
		tags = c.pickTags(3)
	case r < 0.15:
		tags = c.pickTags(2)
	case r < 0.40:
		tags = c.pickTags(1)
	}
	extra := 0
	for _, m := range mentions {
		extra += len(m) + 2
	}
	for _, t := range tags {
		extra += len(t) + 2
	}
	n := len(strings.Join(parts, " "))
	for n+extra < target {
		w := words[c.rng.IntN(len(words))]
		parts = append(parts, w)
		n += len(w) + 1
	}
	for _, m := range mentions {
		parts = insertAt(parts, c.rng.IntN(len(parts)+1), "@"+m)
	}
	for _, t := range tags {
		if c.rng.IntN(2) == 0 {
			parts = append(parts, "#"+t) // at the end, as most do
		} else {
			parts = insertAt(parts, c.rng.IntN(len(parts)+1), "#"+t)
		}
	}
	if c.rng.Float64() < 0.05 {
		parts = append(parts, "https://example.com/"+strconv.Itoa(c.rng.IntN(100000)))
	}
	text := strings.Join(parts, " ")
	// Multi-byte words count for less than their bytes, links for more:
	// drop plain words until the rule is met.
	for tweets.TweetLength(text) > tweets.MaxTweetLength {
		i := len(parts) - 1
		for i >= 0 && !plain(parts[i]) {
			i--
		}
		if i < 0 {
			break // entities only: within the limit by construction
		}
		parts = append(parts[:i], parts[i+1:]...)
		text = strings.Join(parts, " ")
	}
	return tweets.NormalizeTweetText(text), len(tags)
}

// pickTags draws up to n different tags.
func (c *composer) pickTags(n int) []string {
	var out []string
	for range n {
		t := c.tags[c.zipf.Uint64()]
		dup := false
		for _, o := range out {
			dup = dup || tweets.FoldHashtag(o) == tweets.FoldHashtag(t)
		}
		if !dup {
			out = append(out, t)
		}
	}
	return out
}

func insertAt(parts []string, i int, s string) []string {
	parts = append(parts, "")
	copy(parts[i+1:], parts[i:])
	parts[i] = s
	return parts
}

// plain reports whether a part of a text is a word, not a mention, tag
// or link.
func plain(p string) bool {
	return !strings.HasPrefix(p, "@") && !strings.HasPrefix(p, "#") && !strings.HasPrefix(p, "https://")
}
