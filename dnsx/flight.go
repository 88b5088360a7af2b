package dnsx

import (
	"context"
	"sync"
)

// A flight is one network question that any number of callers wait for.
// Unlike golang.org/x/sync/singleflight, the question is abandoned (its
// context canceled) as soon as the last waiter gives up, so a canceled
// lookup leaves no work behind.
type flight struct {
	done    chan struct{}
	resp    *response // set before done is closed
	err     error
	waiters int // guarded by flights.mu
	cancel  context.CancelFunc
}

type flights struct {
	mu sync.Mutex
	m  map[cacheKey]*flight
}

// lookup returns one server answer for key: from the cache, from an
// identical question already in flight, or from the network. The network
// work runs on its own context, bounded by r.budget, so that one caller
// giving up does not fail the others waiting on it.
func (r *Resolver) lookup(ctx context.Context, key cacheKey) (resp *response, cached bool, err error) {
	if resp, ok := r.cache.get(key, r.now()); ok {
		r.cacheHits.Add(1)
		return resp, true, nil
	}
	fs := &r.flights
	fs.mu.Lock()
	f, ok := fs.m[key]
	if ok {
		f.waiters++
		r.shared.Add(1)
	} else {
		// A flight that landed since our miss above has filled the cache
		// (it stores before it leaves fs.m).
		if resp, ok := r.cache.get(key, r.now()); ok {
			fs.mu.Unlock()
			r.cacheHits.Add(1)
			return resp, true, nil
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.budget())
		f = &flight{done: make(chan struct{}), waiters: 1, cancel: cancel}
		if fs.m == nil {
			fs.m = make(map[cacheKey]*flight)
		}
		fs.m[key] = f
		go r.fly(fctx, key, f)
	}
	fs.mu.Unlock()

	select {
	case <-f.done:
		return f.resp, false, f.err
	case <-ctx.Done():
		fs.mu.Lock()
		if f.waiters--; f.waiters == 0 {
			f.cancel()
			if fs.m[key] == f {
				delete(fs.m, key)
			}
		}
		fs.mu.Unlock()
		return nil, false, contextError(ctx.Err(), "")
	}
}

func (r *Resolver) fly(ctx context.Context, key cacheKey, f *flight) {
	defer f.cancel()
	resp, err := r.exchange(ctx, key.name, key.qtype)
	if err == nil {
		r.cache.put(key, resp, r.now())
	}
	r.flights.mu.Lock()
	if r.flights.m[key] == f {
		delete(r.flights.m, key)
	}
	r.flights.mu.Unlock()
	f.resp, f.err = resp, err
	close(f.done)
}
