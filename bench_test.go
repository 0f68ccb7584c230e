package tweets_test

import (
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
)

// benchText is a tweet of the usual kind: words, a mention, two
// hashtags, a link, an accent and an emoji.
const benchText = "Morning @ann_1! The #Go meetup moved to Thursday, details at https://example.com/events/42?ref=tweets — see you there 🎉 #café"

// BenchmarkText measures what every post and every page does with a
// tweet's text: normalize it, count and check its length, find its
// entities.
func BenchmarkText(b *testing.B) {
	b.Run("normalize", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			tweets.NormalizeTweetText(benchText)
		}
	})
	b.Run("validate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := tweets.ValidateTweetText(benchText, false); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("entities", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(tweets.ParseEntities(benchText)) != 4 {
				b.Fatal("entities")
			}
		}
	})
	long := strings.Repeat("word ", 56)
	b.Run("entities-none-280", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			tweets.ParseEntities(long)
		}
	})
}

// BenchmarkIDs measures the id generator, which every post, like and
// follow calls, from one goroutine and from many at once.
func BenchmarkIDs(b *testing.B) {
	g := tweets.NewIDGenerator(nil)
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			g.New()
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				g.New()
			}
		})
	})
}
