// Package treap is a persistent (immutable) ordered map from string keys to
// byte values. Every update returns a new Tree and leaves the old one intact,
// sharing all unchanged nodes, so a snapshot costs nothing and a rollback is
// simply dropping the new tree. The memory backend keeps its tables in it and
// the embedded backend buffers a transaction's writes in it.
//
// Entries may be tombstones (deleted markers), which an overlay uses to
// shadow keys of the layer below.
package treap

import "math/rand/v2"

type node struct {
	key         string
	val         []byte
	tomb        bool
	prio        uint64
	left, right *node
}

// Tree is an immutable ordered map. The zero value is empty and ready to use.
type Tree struct {
	root *node
	n    int
}

// Len returns the number of entries, tombstones included.
func (t Tree) Len() int { return t.n }

// Get returns the entry under key.
func (t Tree) Get(key string) (val []byte, tomb, ok bool) {
	n := t.root
	for n != nil {
		switch {
		case key < n.key:
			n = n.left
		case key > n.key:
			n = n.right
		default:
			return n.val, n.tomb, true
		}
	}
	return nil, false, false
}

// Set returns a tree in which key maps to val (or to a tombstone when tomb is
// true). The tree keeps val without copying it.
func (t Tree) Set(key string, val []byte, tomb bool) Tree {
	root, added := insert(t.root, key, val, tomb)
	if added {
		t.n++
	}
	return Tree{root: root, n: t.n}
}

// Delete returns a tree without key's entry.
func (t Tree) Delete(key string) Tree {
	root, removed := remove(t.root, key)
	if !removed {
		return t
	}
	return Tree{root: root, n: t.n - 1}
}

// insert returns a fresh path from the root to key's node. Nodes on that path
// are new, so the rotations below may mutate them.
func insert(n *node, key string, val []byte, tomb bool) (*node, bool) {
	if n == nil {
		return &node{key: key, val: val, tomb: tomb, prio: rand.Uint64()}, true
	}
	c := *n
	var added bool
	switch {
	case key < n.key:
		c.left, added = insert(n.left, key, val, tomb)
		if c.left.prio > c.prio {
			l := c.left
			c.left, l.right = l.right, &c
			return l, added
		}
	case key > n.key:
		c.right, added = insert(n.right, key, val, tomb)
		if c.right.prio > c.prio {
			r := c.right
			c.right, r.left = r.left, &c
			return r, added
		}
	default:
		c.val, c.tomb = val, tomb
	}
	return &c, added
}

func remove(n *node, key string) (*node, bool) {
	if n == nil {
		return nil, false
	}
	var removed bool
	c := *n
	switch {
	case key < n.key:
		if c.left, removed = remove(n.left, key); !removed {
			return n, false
		}
	case key > n.key:
		if c.right, removed = remove(n.right, key); !removed {
			return n, false
		}
	default:
		return merge(n.left, n.right), true
	}
	return &c, true
}

// merge joins two trees whose keys are all ordered a < b.
func merge(a, b *node) *node {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.prio > b.prio:
		c := *a
		c.right = merge(a.right, b)
		return &c
	default:
		c := *b
		c.left = merge(a, b.left)
		return &c
	}
}

// Iter walks a tree in ascending key order.
type Iter struct {
	stack []*node
}

// Seek returns an iterator positioned at the first key >= start.
func (t Tree) Seek(start string) *Iter {
	it := &Iter{}
	for n := t.root; n != nil; {
		if n.key >= start {
			it.stack = append(it.stack, n)
			n = n.left
		} else {
			n = n.right
		}
	}
	return it
}

// Peek returns the current entry without advancing; ok is false at the end.
func (it *Iter) Peek() (key string, val []byte, tomb, ok bool) {
	if len(it.stack) == 0 {
		return "", nil, false, false
	}
	n := it.stack[len(it.stack)-1]
	return n.key, n.val, n.tomb, true
}

// Next advances past the current entry.
func (it *Iter) Next() {
	if len(it.stack) == 0 {
		return
	}
	n := it.stack[len(it.stack)-1]
	it.stack = it.stack[:len(it.stack)-1]
	for n = n.right; n != nil; n = n.left {
		it.stack = append(it.stack, n)
	}
}
