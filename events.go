package tweets

import (
	"context"
	"encoding/json"
)

// Event is something that happened, for live updates and caches. It
// carries no secret (no password hash, no session), since relays send it
// to other replicas.
type Event struct {
	Kind  EventKind
	Tweet Tweet `json:",omitzero"`
	// Account is the account an account event is about (the one
	// followed, suspended).
	Account ID `json:",omitzero"`
	// Actor is who did it (liked, reposted, followed).
	Actor ID `json:",omitzero"`
	// Repost is the id of the repost an EventReposted made: its place on
	// the home timelines it reaches.
	Repost ID `json:",omitzero"`
}

// EventKind names an event.
type EventKind string

// Event kinds.
const (
	EventTweetPosted     EventKind = "tweet.posted"
	EventTweetDeleted    EventKind = "tweet.deleted"
	EventTweetEdited     EventKind = "tweet.edited"
	EventUserSuspended   EventKind = "user.suspended"
	EventUserUnsuspended EventKind = "user.unsuspended"
	EventFollowed        EventKind = "user.followed"
	EventUnfollowed      EventKind = "user.unfollowed"
	EventLiked           EventKind = "tweet.liked"
	EventReposted        EventKind = "tweet.reposted"
	EventUnreposted      EventKind = "tweet.unreposted"
	// EventRelationship: Actor blocked, unblocked, muted or unmuted
	// Account (a block also ends the follows between them).
	EventRelationship EventKind = "user.relationship"
	// EventUserDeleted: the account and its tweets are gone.
	EventUserDeleted EventKind = "user.deleted"
)

// Publisher receives events after the change they describe is stored.
type Publisher interface {
	Publish(ctx context.Context, e Event)
}

// EventFilter picks the events a subscriber wants; nil takes them all.
type EventFilter func(Event) bool

// Subscription is one subscriber's stream of events. Its channel is
// closed when the subscription ends: by Close, or by the hub when the
// subscriber fell too far behind, in which case Dropped reports true and
// the subscriber must catch up from the store.
type Subscription interface {
	Events() <-chan Event
	Dropped() bool
	Close()
}

// Subscriber hands out subscriptions to the events published on this
// replica and, through a Relay, on the others.
type Subscriber interface {
	Subscribe(filter EventFilter) Subscription
}

// Relay carries events between replicas: Redis pub/sub or PostgreSQL
// LISTEN/NOTIFY.
type Relay interface {
	// Send passes an event published on this replica to the others.
	Send(ctx context.Context, e Event) error
	// Listen calls deliver with each event another replica sent, until
	// ctx ends; it reconnects by itself when the connection drops.
	Listen(ctx context.Context, deliver func(Event)) error
}

// relayMessage is an event on the wire between replicas, with the
// replica that sent it, so that none delivers its own events twice.
type relayMessage struct {
	Origin string `json:"o"`
	Event  Event  `json:"e"`
}

// EncodeRelayEvent is the wire form every Relay uses.
func EncodeRelayEvent(origin string, e Event) ([]byte, error) {
	return json.Marshal(relayMessage{Origin: origin, Event: e})
}

// DecodeRelayEvent reads what EncodeRelayEvent wrote.
func DecodeRelayEvent(b []byte) (origin string, e Event, err error) {
	var m relayMessage
	err = json.Unmarshal(b, &m)
	return m.Origin, m.Event, err
}
