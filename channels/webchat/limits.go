package webchat

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// SetAllowedOrigins puts a new origin allow-list in force
// (channels.webchat.allowed_origins, read again on a configuration reload):
// sockets and uploads from pages of those origins are taken from now on;
// the sockets open stay.
func (c *Channel) SetAllowedOrigins(origins []string) {
	o := slices.Clone(origins)
	c.allowed.Store(&o)
}

// originAllowed reports whether a page of origin may open the socket: the
// server's own origin (the request's host), an origin on the allow-list, or
// any with "*". A request without an Origin header (not a browser) passes:
// origins protect browsers' users, not the server.
func (c *Channel) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, o := range *c.allowed.Load() {
		if o == "*" || strings.EqualFold(strings.TrimSuffix(o, "/"), u.Scheme+"://"+u.Host) {
			return true
		}
	}
	return false
}

// clientAddr returns the key the per-address limits count under: the
// client's IP address, with IPv6 addresses grouped by /64 (one household or
// host usually has a whole /64). With a configured client IP header the
// address is taken from it (its last entry: the one the proxy added).
func (c *Channel) clientAddr(r *http.Request) string {
	raw := ""
	if h := c.cfg.ClientIPHeader; h != "" {
		if v := r.Header.Values(h); len(v) > 0 {
			parts := strings.Split(v[len(v)-1], ",")
			raw = strings.TrimSpace(parts[len(parts)-1])
		}
	}
	if raw == "" {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		raw = host
	}
	ip, err := netip.ParseAddr(raw)
	if err != nil {
		return raw
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// addrTable counts the sockets of each client address and holds its shared
// message rate limiter. It is safe for concurrent use.
type addrTable struct {
	max   int
	limit rate.Limit
	burst int

	mu    sync.Mutex
	addrs map[string]*addrState
}

type addrState struct {
	conns   int
	limiter *rate.Limiter
	idle    time.Time // when conns dropped to 0
}

func newAddrTable(max int, perSecond float64, burst int) *addrTable {
	return &addrTable{max: max, limit: rate.Limit(perSecond), burst: burst, addrs: map[string]*addrState{}}
}

// acquire counts a new socket from addr. It returns the address's limiter,
// and false when addr has its maximum open already (nothing is counted
// then).
func (t *addrTable) acquire(addr string) (*rate.Limiter, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.addrs[addr]
	if s == nil {
		s = &addrState{limiter: rate.NewLimiter(t.limit, t.burst)}
		t.addrs[addr] = s
	}
	if s.conns >= t.max {
		return nil, false
	}
	s.conns++
	return s.limiter, true
}

// limiter returns the rate limiter of addr without counting a socket (an
// upload).
func (t *addrTable) limiter(addr string) *rate.Limiter {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.addrs[addr]
	if s == nil {
		s = &addrState{limiter: rate.NewLimiter(t.limit, t.burst), idle: time.Now()}
		t.addrs[addr] = s
	}
	return s.limiter
}

// release uncounts a socket of addr.
func (t *addrTable) release(addr string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s := t.addrs[addr]; s != nil && s.conns > 0 {
		s.conns--
		if s.conns == 0 {
			s.idle = now
		}
	}
}

// prune forgets the addresses without sockets since before, so that the
// table does not grow forever; their rate limiter is kept until then, so that
// reconnecting does not refill it.
func (t *addrTable) prune(before time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for a, s := range t.addrs {
		if s.conns == 0 && s.idle.Before(before) {
			delete(t.addrs, a)
		}
	}
}

// open returns the number of sockets counted for addr.
func (t *addrTable) open(addr string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s := t.addrs[addr]; s != nil {
		return s.conns
	}
	return 0
}
