package sqlite

import (
	"sync"

	"github.com/supportd/supportd/dialog"
)

// convCacheSize bounds the conversations kept decoded: the active ones of
// a busy node, not every idle visitor's.
const convCacheSize = 1024

// A convCache keeps the conversations this process committed, decoded, so
// that the next turn of a conversation need not decode its JSON again. An
// entry is added only once its transaction committed (afterCommit), and a
// rev is committed once, so (id, rev) names one content: a load whose row
// has another rev (written by another process, or not by this one yet)
// decodes the row.
type convCache struct {
	mu sync.Mutex
	m  map[string]*dialog.Conversation // by id, at its Rev
}

func newConvCache() *convCache { return &convCache{m: map[string]*dialog.Conversation{}} }

// get returns a copy of the conversation at rev, or nil.
func (c *convCache) get(id string, rev int64) *dialog.Conversation {
	c.mu.Lock()
	defer c.mu.Unlock()
	if conv := c.m[id]; conv != nil && conv.Rev == rev {
		return conv.Clone()
	}
	return nil
}

// put keeps conv, which the caller no longer changes.
func (c *convCache) put(conv *dialog.Conversation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[conv.ID]; !ok && len(c.m) >= convCacheSize {
		for id := range c.m { // any one: the cache only saves work
			delete(c.m, id)
			break
		}
	}
	c.m[conv.ID] = conv
}

// len returns the number of conversations kept.
func (c *convCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
