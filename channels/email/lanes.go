package email

import "sync"

// laneLocks serialises the mails of one lane (one sender) across mailboxes
// while mails of other lanes go on.
type laneLocks struct {
	mu    sync.Mutex
	locks map[string]*laneLock
}

type laneLock struct {
	sync.Mutex
	users int // holders and waiters: the entry goes when it drops to 0
}

// lock takes the lane's lock and returns its release.
func (l *laneLocks) lock(lane string) (unlock func()) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]*laneLock{}
	}
	k := l.locks[lane]
	if k == nil {
		k = &laneLock{}
		l.locks[lane] = k
	}
	k.users++
	l.mu.Unlock()
	k.Lock()
	return func() {
		k.Unlock()
		l.mu.Lock()
		if k.users--; k.users == 0 {
			delete(l.locks, lane)
		}
		l.mu.Unlock()
	}
}
