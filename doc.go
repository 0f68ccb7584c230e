// Package tweets is the domain core of the tweets microblogging server:
// users, tweets, timelines, the rules that govern them, and the interfaces
// that storage, media and transport adapters implement.
//
// The package does no I/O of its own. Adapters live in sibling packages
// (sqlite, postgres, media, web, ...) and are wired together in cmd/tweets.
package tweets
