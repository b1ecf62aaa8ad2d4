package webchat

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/supportd/supportd/config"
)

func pngBytes() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

func pdfBytes() []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

func webpBytes() []byte {
	b := []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00")
	return append(b, make([]byte, 24)...)
}

// uploadReq builds POST /chat/upload with a multipart body; part "" leaves
// the file out.
func (e *wsEnv) uploadReq(t testing.TB, token, part, name string, data []byte) *http.Request {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("note", "ignored")
	if part != "" {
		fw, err := mw.CreateFormFile(part, name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/chat/upload", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// upload stores a file and returns its ref and the status.
func (e *wsEnv) upload(t testing.TB, token, name string, data []byte) (string, int) {
	t.Helper()
	resp, err := http.DefaultClient.Do(e.uploadReq(t, token, "file", name, data))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Ref, Name, Type string
		Size            int64
		Error           string
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return out.Ref, resp.StatusCode
}

func TestUpload(t *testing.T) {
	e := newWSEnv(t, func(w *config.Webchat) { w.UploadMaxBytes = 4096 })
	tab := e.dial(nil)
	token := tab.hello("", "en").Token
	forged := e.ch.sign.mint(newVisitor())[:40] + "x"
	cases := []struct {
		name, token, part, file string
		data                    []byte
		status                  int
		typ                     string
	}{
		{"png", token, "file", "receipt.png", pngBytes(), 201, "image/png"},
		{"pdf with a wrong extension", token, "file", "invoice.jpg", pdfBytes(), 201, "application/pdf"},
		{"webp", token, "file", "photo", webpBytes(), 201, "image/webp"},
		{"text renamed .jpg", token, "file", "invoice.jpg", []byte("just some text, honestly an image"), 400, ""},
		{"html renamed .png", token, "file", "x.png", []byte("<html><script>alert(1)</script></html>"), 400, ""},
		{"empty file", token, "file", "x.png", nil, 400, ""},
		{"no file part", token, "", "", nil, 400, ""},
		{"too large", token, "file", "big.pdf", append(pdfBytes(), make([]byte, 5000)...), 413, ""},
		{"far too large", token, "file", "huge.pdf", append(pdfBytes(), make([]byte, 200<<10)...), 413, ""},
		{"no token", "", "file", "receipt.png", pngBytes(), 401, ""},
		{"forged token", forged, "file", "receipt.png", pngBytes(), 401, ""},
	}
	refs := map[string][]byte{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.DefaultClient.Do(e.uploadReq(t, tc.token, tc.part, tc.file, tc.data))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out struct {
				Ref, Name, Type, Error string
				Size                   int64
			}
			if err := json.NewDecoder(resp.Body).Decode(&out); err != nil && tc.status != 401 {
				t.Errorf("body is not JSON: %v", err)
			}
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d (%+v), want %d", resp.StatusCode, out, tc.status)
			}
			if tc.status != 201 {
				if out.Error == "" {
					t.Errorf("no error message: %+v", out)
				}
				return
			}
			if !validRef(out.Ref) || out.Type != tc.typ || out.Size != int64(len(tc.data)) || out.Name != tc.file {
				t.Errorf("answer %+v, want type %s size %d name %s", out, tc.typ, len(tc.data), tc.file)
			}
			refs[out.Ref] = tc.data
		})
	}

	other := e.dial(nil)
	otherToken := other.hello("", "zh").Token
	for ref, data := range refs {
		get := func(token string) (*http.Response, []byte) {
			req, _ := http.NewRequest("GET", e.srv.URL+"/chat/upload/"+ref, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp, b
		}
		if resp, b := get(token); resp.StatusCode != 200 || !bytes.Equal(b, data) || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s by its owner: %d, %d bytes", ref, resp.StatusCode, len(b))
		}
		if resp, _ := get(otherToken); resp.StatusCode != 404 {
			t.Errorf("GET %s by another visitor: %d, want 404", ref, resp.StatusCode)
		}
		if resp, _ := get(""); resp.StatusCode != 401 {
			t.Errorf("GET %s without a token: %d, want 401", ref, resp.StatusCode)
		}
	}
	for _, path := range []string{"/chat/upload/..%2fsupportd.db", "/chat/upload/att_nothere"} {
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("GET %s: %d, want 404", path, resp.StatusCode)
		}
	}
}

// TestUploadCORS: the widget on an allowed site may upload (preflight and
// request carry the CORS headers); another site is refused.
func TestUploadCORS(t *testing.T) {
	e := newWSEnv(t)
	token := e.dial(nil).hello("", "en").Token
	for _, tc := range []struct {
		origin string
		status int
	}{{"https://shop.example.com", 204}, {"https://evil.example.net", 403}} {
		req, _ := http.NewRequest("OPTIONS", e.srv.URL+"/chat/upload", nil)
		req.Header.Set("Origin", tc.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("preflight from %s: %d, want %d", tc.origin, resp.StatusCode, tc.status)
		}
		if tc.status == 204 && (resp.Header.Get("Access-Control-Allow-Origin") != tc.origin ||
			!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Authorization")) {
			t.Errorf("preflight headers %v", resp.Header)
		}
		up := e.uploadReq(t, token, "file", "r.png", pngBytes())
		up.Header.Set("Origin", tc.origin)
		resp, err = http.DefaultClient.Do(up)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := map[int]int{204: 201, 403: 403}[tc.status]
		if resp.StatusCode != want {
			t.Errorf("upload from %s: %d, want %d", tc.origin, resp.StatusCode, want)
		}
	}
}

// TestUploadLimits: uploads share the address's bucket, and a conversation
// holds at most maxUploads files.
func TestUploadLimits(t *testing.T) {
	e := newWSEnv(t, func(w *config.Webchat) { w.Rate.Address = config.Rate{PerSecond: 0.001, Burst: 3} })
	token := e.dial(nil).hello("", "en").Token
	var got []int
	for range 4 {
		_, status := e.upload(t, token, "r.png", pngBytes())
		got = append(got, status)
	}
	if got[2] != 201 || got[3] != 429 {
		t.Errorf("statuses %v, want the 4th refused with 429", got)
	}

	e = newWSEnv(t, loadLimits)
	token = e.dial(nil).hello("", "en").Token
	for i := range maxUploads {
		if _, status := e.upload(t, token, "r.png", pngBytes()); status != 201 {
			t.Fatalf("upload %d: %d", i+1, status)
		}
	}
	if _, status := e.upload(t, token, "r.png", pngBytes()); status != 429 {
		t.Errorf("upload %d: %d, want 429", maxUploads+1, status)
	}
}
