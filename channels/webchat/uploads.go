package webchat

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Upload is a file a visitor uploaded, as kept on disk: for an operator's
// export and erasure of a customer's data (`supportd customer`).
type Upload struct {
	Ref  string    `json:"ref"`
	Name string    `json:"name"`
	Type string    `json:"type"`
	Size int64     `json:"size"`
	At   time.Time `json:"at"`
	Path string    `json:"path"`
}

// UploadsDir is where the channel keeps the uploads under a data directory:
// one directory per conversation.
func UploadsDir(dataDir string) string { return filepath.Join(dataDir, "attachments") }

// conversationDir returns the uploads directory of a conversation, refusing
// an id that would name another place.
func conversationDir(dataDir, conversationID string) (string, error) {
	base := filepath.Clean(UploadsDir(dataDir))
	dir := filepath.Join(base, conversationID)
	if conversationID == "" || filepath.Dir(dir) != base {
		return "", fmt.Errorf("uploads: bad conversation id %q", conversationID)
	}
	return dir, nil
}

// Uploads lists the uploads of a conversation, oldest first; none is nil.
func Uploads(dataDir, conversationID string) ([]Upload, error) {
	dir, err := conversationDir(dataDir, conversationID)
	if err != nil {
		return nil, err
	}
	metas, err := filepath.Glob(filepath.Join(dir, "att_*.json"))
	if err != nil {
		return nil, err
	}
	var out []Upload
	for _, p := range metas {
		ref := filepath.Base(p[:len(p)-len(".json")])
		if !validRef(ref) {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("uploads of %s: %w", conversationID, err)
		}
		var m meta
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("uploads of %s: %s: %w", conversationID, ref, err)
		}
		out = append(out, Upload{Ref: ref, Name: m.Name, Type: m.Type, Size: m.Size, At: m.At, Path: filepath.Join(dir, ref)})
	}
	slices.SortFunc(out, func(a, b Upload) int { return a.At.Compare(b.At) })
	return out, nil
}

// RemoveUploads deletes the uploads of a conversation, files and meta data,
// and returns how many files it held (meta data not counted).
func RemoveUploads(dataDir, conversationID string) (int, error) {
	dir, err := conversationDir(dataDir, conversationID)
	if err != nil {
		return 0, err
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if validRef(e.Name()) {
			n++
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return 0, fmt.Errorf("remove uploads of %s: %w", conversationID, err)
	}
	return n, nil
}
