// Package metrics defines the server's Prometheus metrics and serves them.
// Route labels are mux patterns ("GET /{handle}"), never raw paths, so the
// number of series stays bounded whatever clients request.
package metrics

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tweetsdev/tweets"
)

// Metrics holds every collector, in a registry of its own (no globals).
type Metrics struct {
	Registry *prometheus.Registry

	requests     *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	tweetLatency *prometheus.HistogramVec
	tweets       prometheus.Counter
	dbUp         prometheus.Gauge
	cacheHits    *prometheus.CounterVec
	cacheMisses  *prometheus.CounterVec
	social       *prometheus.CounterVec
	dropped      prometheus.Counter
	relayErrors  prometheus.Counter

	tweetRoutes map[string]bool
}

// New registers the collectors. tweetRoutes are the route patterns whose
// latency also goes to tweet_request_duration_seconds.
func New(version string, tweetRoutes []string) *Metrics {
	buckets := []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tweets_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "tweets_http_request_duration_seconds", Help: "HTTP request duration by route pattern, method and status.", Buckets: buckets,
		}, []string{"route", "method", "status"}),
		tweetLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "tweet_request_duration_seconds", Help: "Duration of requests that read or write tweets, by endpoint.", Buckets: buckets,
		}, []string{"endpoint"}),
		tweets: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tweets_created_total", Help: "Tweets posted since the process started.",
		}),
		dbUp: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "tweets_db_up", Help: "1 when the database answered the last readiness check, else 0.",
		}),
		cacheHits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tweets_cache_hits_total", Help: "Cache look-ups that found a value, by cache.",
		}, []string{"cache"}),
		cacheMisses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tweets_cache_misses_total", Help: "Cache look-ups that found nothing, by cache.",
		}, []string{"cache"}),
		social: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tweets_social_actions_total", Help: "Follows, likes and reposts made on this replica since it started, by action.",
		}, []string{"action"}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tweets_event_subscribers_dropped_total", Help: "Event subscribers cut off because they fell too far behind.",
		}),
		relayErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tweets_event_relay_errors_total", Help: "Events that could not be sent to the other replicas (their caches catch up when they expire).",
		}),
		tweetRoutes: map[string]bool{},
	}
	for _, r := range tweetRoutes {
		m.tweetRoutes[r] = true
	}
	for _, a := range socialActions {
		m.social.WithLabelValues(a)
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "tweets_build_info", Help: "Always 1; the version label says which build runs.",
		ConstLabels: prometheus.Labels{"version": version},
	})
	build.Set(1)
	m.Registry.MustRegister(m.requests, m.duration, m.tweetLatency, m.tweets, m.dbUp, m.cacheHits, m.cacheMisses, m.social, m.dropped, m.relayErrors, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// ObserveRequest records one finished HTTP request.
func (m *Metrics) ObserveRequest(route, method string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	s := strconv.Itoa(status)
	m.requests.WithLabelValues(route, method, s).Inc()
	m.duration.WithLabelValues(route, method, s).Observe(d.Seconds())
	if m.tweetRoutes[route] {
		m.tweetLatency.WithLabelValues(route).Observe(d.Seconds())
	}
}

// SetDBUp records the outcome of a database check.
func (m *Metrics) SetDBUp(up bool) {
	if up {
		m.dbUp.Set(1)
	} else {
		m.dbUp.Set(0)
	}
}

// DeclareCache creates a cache's series at zero, so that dashboards and
// alerts see it before its first look-up.
func (m *Metrics) DeclareCache(cache string) {
	m.cacheHits.WithLabelValues(cache)
	m.cacheMisses.WithLabelValues(cache)
}

// CacheHit and CacheMiss count look-ups in the named cache.
func (m *Metrics) CacheHit(cache string)  { m.cacheHits.WithLabelValues(cache).Inc() }
func (m *Metrics) CacheMiss(cache string) { m.cacheMisses.WithLabelValues(cache).Inc() }

// SubscriberDropped counts an event subscriber cut off for being slow.
func (m *Metrics) SubscriberDropped() { m.dropped.Inc() }

// WatchStreams exports count, called at each scrape, as the number of
// live streams (API streaming and live pages) clients hold open.
func (m *Metrics) WatchStreams(count func() int) {
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "tweets_stream_clients", Help: "Live streams (API streaming, live pages) clients hold open on this replica.",
	}, func() float64 { return float64(count()) }))
}

// RelayFailed counts an event that did not reach the other replicas.
func (m *Metrics) RelayFailed() { m.relayErrors.Inc() }

// socialActions are the events tweets_social_actions_total counts.
var socialActions = map[tweets.EventKind]string{
	tweets.EventFollowed: "follow", tweets.EventLiked: "like", tweets.EventReposted: "repost",
}

// Publish implements tweets.Publisher: it counts posted tweets, follows,
// likes and reposts.
func (m *Metrics) Publish(_ context.Context, e tweets.Event) {
	if e.Kind == tweets.EventTweetPosted {
		m.tweets.Inc()
	}
	if a, ok := socialActions[e.Kind]; ok {
		m.social.WithLabelValues(a).Inc()
	}
}

// WatchRedis exports the count of failed Redis calls (each one served
// by the in-process fallback instead).
func (m *Metrics) WatchRedis(errors func() float64) {
	m.Registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "tweets_redis_errors_total", Help: "Redis calls that failed and fell back to in-process state.",
	}, errors))
}

// WatchDB exports the connection pool's statistics, read at each scrape.
func (m *Metrics) WatchDB(stats func() sql.DBStats) {
	m.Registry.MustRegister(&poolCollector{stats: stats})
}

var (
	poolOpen     = prometheus.NewDesc("tweets_db_open_connections", "Open database connections, in use or idle.", nil, nil)
	poolInUse    = prometheus.NewDesc("tweets_db_in_use_connections", "Database connections in use.", nil, nil)
	poolIdle     = prometheus.NewDesc("tweets_db_idle_connections", "Idle database connections.", nil, nil)
	poolMax      = prometheus.NewDesc("tweets_db_max_open_connections", "Most database connections the pool may open (0: no limit).", nil, nil)
	poolWaits    = prometheus.NewDesc("tweets_db_wait_count_total", "Times a request waited for a free database connection.", nil, nil)
	poolWaitTime = prometheus.NewDesc("tweets_db_wait_duration_seconds_total", "Time spent waiting for free database connections.", nil, nil)
)

type poolCollector struct{ stats func() sql.DBStats }

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolOpen, poolInUse, poolIdle, poolMax, poolWaits, poolWaitTime} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(s.OpenConnections))
	ch <- prometheus.MustNewConstMetric(poolInUse, prometheus.GaugeValue, float64(s.InUse))
	ch <- prometheus.MustNewConstMetric(poolIdle, prometheus.GaugeValue, float64(s.Idle))
	ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(s.MaxOpenConnections))
	ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(s.WaitCount))
	ch <- prometheus.MustNewConstMetric(poolWaitTime, prometheus.CounterValue, s.WaitDuration.Seconds())
}
