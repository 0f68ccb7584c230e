package tweets

// HomeItem is one entry of a home timeline, without the tweet itself: the
// row that put a tweet there (the tweet's own id, or the id of the repost
// that brought it), which orders and pages the timeline. Home timeline
// caches keep these, and read the tweets when a page is shown, so a
// cached timeline never holds a tweet's text, counts or author state.
type HomeItem struct {
	ID       ID
	Tweet    ID
	Reposter ID     // zero when the item is the tweet itself
	Name     string // the reposter's username
}

// Repost reports whether a repost put the tweet on the timeline.
func (it HomeItem) Repost() bool { return it.Reposter != 0 }

// HomeFeed is what a home timeline cache keeps of one reader's
// timeline, or a part of it read back.
type HomeFeed struct {
	Items []HomeItem // newest first
	// Complete says the items go back to the timeline's beginning: a
	// page past the oldest is empty, not one to read from the database.
	Complete bool
	// Heavy are the accounts the reader follows whose items are not
	// pushed to followers (they have too many) but read with each page.
	Heavy []ID
}
