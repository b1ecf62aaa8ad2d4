package email

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"

	"github.com/supportd/supportd/dialog"
)

// saveAttachments stores the attachments under <DataDir>/attachments,
// named by their content's hash (so a mail processed twice stores each file
// once), and returns them for the engine. Ref is the path relative to
// DataDir, with slashes.
func (c *Channel) saveAttachments(parts []Part) ([]dialog.Attachment, error) {
	var out []dialog.Attachment
	for _, p := range parts {
		sum := sha256.Sum256(p.Data)
		name := hex.EncodeToString(sum[:])
		ref := path.Join("attachments", name[:2], name)
		file := filepath.Join(c.o.DataDir, filepath.FromSlash(ref))
		if err := writeOnce(file, p.Data); err != nil {
			return nil, fmt.Errorf("store attachment: %w", err)
		}
		out = append(out, dialog.Attachment{Ref: ref, Name: p.Name, Type: http.DetectContentType(p.Data)})
	}
	return out, nil
}

// writeOnce writes data to file through a temporary file and a rename,
// unless the file exists already.
func writeOnce(file string, data []byte) error {
	if _, err := os.Stat(file); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".part-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename: not there any more
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
