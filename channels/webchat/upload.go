package webchat

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/supportd/supportd/dialog"
)

// maxUploads bounds the attachments of one conversation.
const maxUploads = 50

// refPattern is the form of an attachment ref: nothing else ever reaches the
// file system.
var refPattern = regexp.MustCompile(`^att_[0-9a-f]{32}$`)

func validRef(ref string) bool { return refPattern.MatchString(ref) }

// meta is what is kept beside an uploaded file (<ref>.json).
type meta struct {
	Name string    `json:"name"`
	Type string    `json:"type"`
	Size int64     `json:"size"`
	At   time.Time `json:"at"`
}

// acceptedTypes are the sniffed types an upload may have.
var acceptedTypes = map[string]bool{
	"image/jpeg": true, "image/png": true, "image/webp": true, "image/gif": true, "application/pdf": true,
}

// sniff returns the type of a file from its first bytes, or "" when it is
// not one we accept. The name and the declared type are not looked at.
func sniff(head []byte) string {
	t := http.DetectContentType(head)
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "application/pdf"
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return "image/webp"
	case t == "application/pdf" || t == "image/webp":
		return "" // claimed by the sniffer without the exact signature
	case acceptedTypes[t]:
		return t
	}
	return ""
}

// serveUpload stores a proof-of-purchase file for the token's conversation:
// POST /chat/upload, Authorization: Bearer <token>, multipart part "file".
func (c *Channel) serveUpload(w http.ResponseWriter, r *http.Request) {
	if !c.cors(w, r) {
		return
	}
	visitor, ok := c.bearer(r)
	if !ok {
		jsonError(w, http.StatusUnauthorized, "a valid resume token is required")
		return
	}
	if !c.addrs.limiter(c.clientAddr(r)).Allow() {
		c.m.rateLimited.WithLabelValues("upload").Inc()
		jsonError(w, http.StatusTooManyRequests, "too many requests from this address")
		return
	}
	max := c.cfg.UploadMaxBytes
	r.Body = http.MaxBytesReader(w, r.Body, max+64<<10) // the file and the multipart framing
	mr, err := r.MultipartReader()
	if err != nil {
		jsonError(w, http.StatusBadRequest, "the body must be multipart/form-data with a part named file")
		return
	}
	part, err := filePart(mr)
	if err != nil {
		uploadError(w, err)
		return
	}
	id, err := c.uploadConversation(visitor)
	if err != nil {
		c.log.Error("upload: find the conversation", "err", err)
		jsonError(w, http.StatusInternalServerError, "the file could not be stored")
		return
	}
	m, ref, err := c.saveUpload(id, part)
	if err != nil {
		uploadError(w, err)
		if status(err) == http.StatusInternalServerError {
			c.log.Error("upload: store", "conversation", id, "err", err)
		}
		return
	}
	if to := c.movedTo(id); to != "" {
		// The visitor's first message continued another conversation
		// while the file was being written: it follows the others there.
		c.moveUploads(id, to)
		id = to
	}
	c.log.Info("attachment stored", "conversation", id, "ref", ref, "type", m.Type, "size", m.Size)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{"ref": ref, "name": m.Name, "type": m.Type, "size": m.Size})
}

// uploadConversation returns the conversation a visitor's upload belongs
// to: the one the visitor's open chat was greeted into (the attachment may
// be its first message, which stores it), else the visitor's stored
// conversation, opened if there is none.
func (c *Channel) uploadConversation(visitor string) (string, error) {
	if id := c.freshOf(visitor); id != "" {
		return id, nil
	}
	ctx, cancel := c.opContext()
	defer cancel()
	res, err := c.eng.Start(ctx, dialog.Inbound{Channel: ChannelName, User: visitor})
	if err != nil {
		return "", err
	}
	return res.ConversationID, nil
}

// Upload errors, for their status.
var (
	errNoFile    = errors.New("no part named file")
	errBadType   = errors.New("unsupported file type: JPEG, PNG, WebP, GIF or PDF")
	errTooLarge  = errors.New("the file is too large")
	errTooMany   = errors.New("this conversation has too many attachments")
	errEmptyFile = errors.New("the file is empty")
)

func status(err error) int {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, errNoFile), errors.Is(err, errBadType), errors.Is(err, errEmptyFile):
		return http.StatusBadRequest
	case errors.Is(err, errTooLarge), errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, errTooMany):
		return http.StatusTooManyRequests
	case errors.Is(err, multipart.ErrMessageTooLarge):
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

func uploadError(w http.ResponseWriter, err error) {
	code := status(err)
	msg := err.Error()
	switch code {
	case http.StatusRequestEntityTooLarge:
		msg = errTooLarge.Error()
	case http.StatusInternalServerError:
		msg = "the file could not be stored"
	case http.StatusBadRequest:
		if !errors.Is(err, errNoFile) && !errors.Is(err, errBadType) && !errors.Is(err, errEmptyFile) {
			msg = "malformed multipart body"
		}
	}
	jsonError(w, code, msg)
}

// filePart returns the part named "file", skipping others.
func filePart(mr *multipart.Reader) (*multipart.Part, error) {
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errNoFile
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errNoFile, err)
		}
		if p.FormName() == "file" {
			return p, nil
		}
		if _, err := io.Copy(io.Discard, p); err != nil {
			return nil, err
		}
	}
}

// saveUpload writes an upload to <dir>/<conversation>/<ref> with its meta data,
// after checking its size and sniffing its type.
func (c *Channel) saveUpload(conversationID string, part *multipart.Part) (*meta, string, error) {
	dir := filepath.Join(c.dir, conversationID)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, "", err
	}
	if n, _ := filepath.Glob(filepath.Join(dir, "att_*.json")); len(n) >= maxUploads {
		return nil, "", errTooMany
	}
	tmp, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, "", err
	}
	defer os.Remove(tmp.Name()) // after the rename: nothing
	max := c.cfg.UploadMaxBytes
	head := make([]byte, 512)
	hn, err := io.ReadFull(part, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		tmp.Close()
		return nil, "", err
	}
	head = head[:hn]
	typ := sniff(head)
	if hn == 0 {
		tmp.Close()
		return nil, "", errEmptyFile
	}
	if typ == "" {
		tmp.Close()
		return nil, "", errBadType
	}
	n, err := io.Copy(tmp, io.MultiReader(bytes.NewReader(head), io.LimitReader(part, max+1-int64(hn))))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, "", err
	}
	if n > max {
		return nil, "", errTooLarge
	}
	ref := newRef()
	m := &meta{Name: cleanName(part.FileName(), typ), Type: typ, Size: n, At: c.now().UTC()}
	data, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, ref+".json"), data, 0o640); err != nil {
		return nil, "", err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, ref)); err != nil {
		return nil, "", err
	}
	return m, ref, nil
}

func newRef() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "att_" + hex.EncodeToString(b[:])
}

// cleanName keeps the base name of an uploaded file, without control
// characters, at most 100 characters; an empty name becomes "file.<ext>".
func cleanName(name, typ string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > 100 {
		name = string([]rune(name)[:100])
	}
	if name == "" || name == "." || name == "/" {
		ext := map[string]string{"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif", "application/pdf": "pdf"}[typ]
		name = "file." + ext
	}
	return name
}

// attachment returns an upload of a conversation, for the attachment frame.
func (c *Channel) attachment(conversationID, ref string) (dialog.Attachment, error) {
	m, err := c.meta(conversationID, ref)
	if err != nil {
		return dialog.Attachment{}, err
	}
	return dialog.Attachment{Ref: ref, Name: m.Name, Type: m.Type}, nil
}

func (c *Channel) meta(conversationID, ref string) (*meta, error) {
	if !validRef(ref) {
		return nil, os.ErrNotExist
	}
	data, err := os.ReadFile(filepath.Join(c.dir, conversationID, ref+".json"))
	if err != nil {
		return nil, err
	}
	var m meta
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// serveDownload returns an upload to the token it was uploaded with:
// GET /chat/upload/{ref}. Another visitor's ref is 404.
func (c *Channel) serveDownload(w http.ResponseWriter, r *http.Request) {
	if !c.cors(w, r) {
		return
	}
	visitor, ok := c.bearer(r)
	if !ok {
		jsonError(w, http.StatusUnauthorized, "a valid resume token is required")
		return
	}
	ref := r.PathValue("ref")
	ctx, cancel := c.opContext()
	defer cancel()
	convID, err := c.conversationOf(ctx, visitor)
	if err != nil {
		jsonError(w, http.StatusNotFound, "no such file")
		return
	}
	m, err := c.meta(convID, ref)
	if err != nil {
		jsonError(w, http.StatusNotFound, "no such file")
		return
	}
	f, err := os.Open(filepath.Join(c.dir, convID, ref))
	if err != nil {
		jsonError(w, http.StatusNotFound, "no such file")
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", m.Type)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=3600")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", m.At, f)
}

// freshOf returns the conversation the visitor's open chat was greeted
// into (stored since or not), or "" when there is none.
func (c *Channel) freshOf(visitor string) string {
	c.hubMu.Lock()
	defer c.hubMu.Unlock()
	if p := c.fresh[visitor]; p != nil {
		return p.id
	}
	return ""
}

// dropUploads removes the uploads of a conversation that was never stored.
func (c *Channel) dropUploads(id string) {
	ctx, cancel := c.opContext()
	defer cancel()
	if _, err := c.store.Conversation(ctx, id); !errors.Is(err, dialog.ErrNotFound) {
		return // stored by another process, or the store cannot tell: keep them
	}
	dir := filepath.Join(c.dir, id)
	if filepath.Dir(dir) != filepath.Clean(c.dir) {
		return
	}
	if err := os.RemoveAll(dir); err != nil {
		c.log.Error("remove the uploads of a conversation never stored", "conversation", id, "err", err)
	}
}

// moveUploads moves the uploads made into a conversation never stored, from,
// to the stored conversation that its first turn continued, to (see
// Channel.superseded): the message that names one is stored in to, and
// downloads look there. An upload still being written stays behind.
func (c *Channel) moveUploads(from, to string) {
	c.moveMu.Lock() // the greeting's move and an upload finishing there
	defer c.moveMu.Unlock()
	src, dst := filepath.Join(c.dir, from), filepath.Join(c.dir, to)
	if filepath.Dir(src) != filepath.Clean(c.dir) || filepath.Dir(dst) != filepath.Clean(c.dir) {
		return
	}
	entries, err := os.ReadDir(src)
	if len(entries) == 0 {
		return // none made (err: no directory)
	}
	if err == nil {
		err = os.MkdirAll(dst, 0o750)
	}
	for _, e := range entries {
		if err != nil {
			break
		}
		if !strings.HasPrefix(e.Name(), "upload-") {
			err = os.Rename(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()))
		}
	}
	if err != nil {
		c.log.Error("move the uploads of a greeting to the visitor's conversation", "from", from, "to", to, "err", err)
		return
	}
	_ = os.Remove(src) // unless an upload is being written there
}

// conversationOf returns the visitor's conversation without creating one:
// the one of the open chat not stored yet, or the stored one.
func (c *Channel) conversationOf(ctx context.Context, visitor string) (string, error) {
	if id := c.freshOf(visitor); id != "" {
		return id, nil
	}
	var id string
	err := c.store.Turn(ctx, func(tx dialog.Tx) error {
		conv, err := tx.Find(ctx, ChannelName, visitor)
		if err == nil {
			id = conv.ID
		}
		return err
	})
	return id, err
}

// bearer returns the visitor of the request's resume token.
func (c *Channel) bearer(r *http.Request) (string, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return "", false
	}
	return c.sign.visitor(strings.TrimSpace(tok))
}

// cors answers for the widget on another site: an allowed Origin gets the
// CORS headers, another gets 403 (false: the request is answered).
func (c *Channel) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if !c.originAllowed(r) {
		jsonError(w, http.StatusForbidden, "origin not allowed")
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	return true
}

// servePreflight answers the browser's CORS preflight of an upload.
func (c *Channel) servePreflight(w http.ResponseWriter, r *http.Request) {
	if !c.cors(w, r) {
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

func jsonError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
