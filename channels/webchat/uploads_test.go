package webchat

import (
	"os"
	"path/filepath"
	"testing"
)

// Uploads lists what saveUpload left for a conversation; RemoveUploads
// deletes it; neither reaches outside the uploads directory.
func TestUploadsListAndRemove(t *testing.T) {
	data := t.TempDir()
	dir := filepath.Join(UploadsDir(data), "c_1")
	ref := "att_0123456789abcdef0123456789abcdef"
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if os.WriteFile(filepath.Join(dir, ref), []byte("%PDF-1.4"), 0o640) != nil ||
		os.WriteFile(filepath.Join(dir, ref+".json"), []byte(`{"name":"invoice.pdf","type":"application/pdf","size":8}`), 0o640) != nil {
		t.Fatal("write")
	}
	ups, err := Uploads(data, "c_1")
	if err != nil || len(ups) != 1 || ups[0].Name != "invoice.pdf" || ups[0].Path != filepath.Join(dir, ref) {
		t.Fatalf("Uploads: %+v, %v", ups, err)
	}
	if ups, err := Uploads(data, "c_none"); err != nil || ups != nil {
		t.Errorf("a conversation without uploads: %+v, %v", ups, err)
	}
	for _, bad := range []string{"", "..", "../x", "c_1/../../x"} {
		if _, err := RemoveUploads(data, bad); err == nil {
			t.Errorf("RemoveUploads(%q) was accepted", bad)
		}
	}
	if n, err := RemoveUploads(data, "c_1"); err != nil || n != 1 {
		t.Errorf("RemoveUploads: %d, %v", n, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the directory is still there: %v", err)
	}
	if n, err := RemoveUploads(data, "c_1"); err != nil || n != 0 {
		t.Errorf("RemoveUploads again: %d, %v", n, err)
	}
}
