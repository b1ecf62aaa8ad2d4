package webchat

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// keyFile is where the generated signing key is kept, under the data
// directory, when no secret is configured.
const keyFile = "webchat.key"

// visitorBytes is the entropy of a visitor id.
const visitorBytes = 16

var b64 = base64.RawURLEncoding

// signer mints and checks resume tokens: "v1.<visitor id>.<mac>", where the
// visitor id is 16 random bytes and the mac the HMAC-SHA256 of the id under
// the key, both base64url without padding. It is safe for concurrent use.
type signer struct{ key []byte }

// newVisitor returns a fresh random visitor id.
func newVisitor() string {
	var b [visitorBytes]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return b64.EncodeToString(b[:])
}

func (s signer) mac(visitor string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(visitor))
	return b64.EncodeToString(m.Sum(nil))
}

// mint returns the resume token of a visitor.
func (s signer) mint(visitor string) string { return "v1." + visitor + "." + s.mac(visitor) }

// visitor returns the visitor id of a token this server minted, or false for
// any other string (guessed, altered, signed with another key).
func (s signer) visitor(token string) (string, bool) {
	rest, ok := strings.CutPrefix(token, "v1.")
	if !ok {
		return "", false
	}
	id, mac, ok := strings.Cut(rest, ".")
	if !ok || len(token) > 128 {
		return "", false
	}
	if raw, err := b64.DecodeString(id); err != nil || len(raw) != visitorBytes {
		return "", false
	}
	if !hmac.Equal([]byte(mac), []byte(s.mac(id))) {
		return "", false
	}
	return id, true
}

// loadKey returns the configured secret, or the key kept in
// <dataDir>/webchat.key, creating that file (mode 0600) with 32 random bytes
// the first time. Two processes starting together agree on one key: the file
// is published atomically and never overwritten.
func loadKey(secret, dataDir string) ([]byte, error) {
	if secret != "" {
		return []byte(secret), nil
	}
	if dataDir == "" {
		return nil, errors.New("webchat: a data directory or a secret is required")
	}
	path := filepath.Join(dataDir, keyFile)
	if key, err := readKey(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("webchat key: %w", err)
	}
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	tmp, err := os.CreateTemp(dataDir, keyFile+".*")
	if err != nil {
		return nil, fmt.Errorf("webchat key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.WriteString(hex.EncodeToString(raw[:]) + "\n")
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return nil, fmt.Errorf("webchat key: %w", werr)
	}
	// CreateTemp makes the file 0600. Link fails when another process won the
	// race; then its key is the one.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("webchat key: %w", err)
	}
	return readKey(path)
}

func readKey(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("webchat key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) < 32 {
		return nil, fmt.Errorf("webchat key %s: not 32 hex-encoded bytes; remove it to make a new one (every resume token becomes invalid)", path)
	}
	return key, nil
}
