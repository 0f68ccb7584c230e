// Package burst runs calls in parallel, released together, for tests
// that prove a limit holds when requests race.
package burst

import (
	"sync"
	"sync/atomic"
)

// Count runs f(0) … f(n-1) on n goroutines released at once and returns
// how many returned true.
func Count(n int, f func(i int) bool) int {
	var ok atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if f(i) {
				ok.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	return int(ok.Load())
}
