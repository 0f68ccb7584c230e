package seed

import (
	"math"
	"math/rand/v2"
)

// ranked draws accounts by rank: a Zipf law over a random ordering of
// the accounts, mixed with a uniform draw, so that a few accounts get
// most draws, every account may get some, and rank has nothing to do
// with the order of sign-up.
type ranked struct {
	rng     *rand.Rand
	zipf    *rand.Zipf
	byRank  []int
	uniform float64 // share of uniform draws
}

// newRanked ranks n accounts; s > 1 is the Zipf exponent and v >= 1
// flattens the head (larger v, smaller top share).
func newRanked(rng *rand.Rand, n int, s, v, uniform float64) *ranked {
	return &ranked{rng: rng, zipf: rand.NewZipf(rng, s, v, uint64(n-1)), byRank: rng.Perm(n), uniform: uniform} // #nosec G115 -- n >= 2
}

func (r *ranked) draw() int {
	if r.rng.Float64() < r.uniform {
		return r.byRank[r.rng.IntN(len(r.byRank))]
	}
	return r.byRank[r.zipf.Uint64()]
}

// poisson draws from a Poisson law of mean lambda: Knuth's method for
// small means, a rounded normal for large ones.
func poisson(rng *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*rng.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// heavy draws a count of mean m with a long tail (log-normal, sigma 1):
// most accounts follow a few dozen, some follow hundreds.
func heavy(rng *rand.Rand, m float64) int {
	return int(math.Round(m * math.Exp(rng.NormFloat64()-0.5)))
}

// expMillis draws a delay of the given mean in milliseconds.
func expMillis(rng *rand.Rand, mean float64) int64 { return int64(rng.ExpFloat64() * mean) }
