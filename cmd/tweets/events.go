package main

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/inmem"
	"github.com/tweetsdev/tweets/metrics"
)

// publisher is where the Service's events go: the metrics, this
// replica's hub (whose handlers include the timeline cache, which must
// drop its page before the poster's next request), and the relay to the
// other replicas.
type publisher struct {
	hub     *inmem.Hub
	relay   tweets.Relay // nil: one replica
	metrics *metrics.Metrics
	log     *slog.Logger
	warned  atomic.Int64 // unix seconds of the last warning
}

// Publish implements tweets.Publisher.
func (p *publisher) Publish(ctx context.Context, e tweets.Event) {
	p.metrics.Publish(ctx, e)
	p.hub.Publish(ctx, e)
	if p.relay == nil {
		return
	}
	if err := p.relay.Send(ctx, e); err != nil {
		// The others catch up when their caches expire; say so, but not
		// for every event of an outage.
		p.metrics.RelayFailed()
		now := time.Now().Unix()
		if last := p.warned.Load(); now-last >= 30 && p.warned.CompareAndSwap(last, now) {
			p.log.Warn("events cannot reach the other replicas; their caches catch up when they expire", "err", err)
		}
	}
}

// relayEvents hands what the other replicas publish to this replica's
// hub, until ctx ends.
func (p *program) relayEvents(ctx context.Context, relay tweets.Relay, hub *inmem.Hub) {
	if err := relay.Listen(ctx, func(e tweets.Event) { hub.Publish(ctx, e) }); err != nil {
		p.log.Error("the event relay stopped", "err", err)
	}
}
