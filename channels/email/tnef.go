package email

import (
	"encoding/binary"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Outlook writing Rich Text sends a mail's files inside one winmail.dat
// part (TNEF, MS-OXTNEF). decodeTNEF takes them out, so that an invoice
// sent that way is an attachment like any other.

// ErrTNEF: a TNEF stream that cannot be read (bad signature or checksum,
// truncated, a length or count it cannot hold). The part is then kept as
// it came.
var ErrTNEF = errors.New("tnef")

const (
	tnefSignature = 0x223E9F78

	tnefLevelMessage    = 1
	tnefLevelAttachment = 2

	attAttachRenddata = 0x00069002 // starts an attachment
	attAttachTitle    = 0x00018010 // its (short) file name, NUL-terminated, in the code page
	attAttachData     = 0x0006800F // its bytes
	attAttachment     = 0x00069005 // its MAPI properties
	attOemCodepage    = 0x00069007 // the code page of 8-bit strings

	prAttachDataBin      = 0x3701 // the bytes, when not in attAttachData (PR_ATTACH_DATA_OBJ when an object)
	prAttachLongFilename = 0x3707
	prAttachMimeTag      = 0x370E

	ptString8 = 0x001E
	ptUnicode = 0x001F
	ptBinary  = 0x0102
	ptObject  = 0x000D
	ptMulti   = 0x1000
)

// iidIMessage is IID_IMessage, {00020307-0000-0000-C000-000000000046}, as
// it starts the value of an embedded message.
const iidIMessage = "\x07\x03\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"

// tnefFile is a file a TNEF stream carries. Data shares the stream's
// memory.
type tnefFile struct {
	Name, Type string
	Data       []byte
}

// isTNEF says whether a MIME part is a TNEF stream: by its type, or by
// the name Outlook gives it.
func isTNEF(mt, name string) bool {
	mt = strings.ToLower(mt)
	return mt == "application/ms-tnef" || mt == "application/vnd.ms-tnef" || strings.EqualFold(name, "winmail.dat")
}

// decodeTNEF returns the files of a TNEF stream, in order, each named by
// its long file name, else its title, and typed by its MIME tag, else by
// its name or content. Attachments without bytes (an embedded message, an
// OLE object) are left out, counted in left; the files of an embedded
// message (a mail forwarded as an attachment) are taken out too, in its
// place. A stream with only a body gives none. Every length is checked against what is left of b and
// against limit before it is used, so a hostile stream costs no more
// memory than b; the error wraps ErrTNEF.
func decodeTNEF(b []byte, limit int64) (files []tnefFile, left int, err error) {
	return decodeTNEFDepth(b, limit, 0)
}

// maxTNEFDepth bounds the messages embedded in messages that are opened.
const maxTNEFDepth = 3

func decodeTNEFDepth(b []byte, limit int64, depth int) (files []tnefFile, left int, err error) {
	r := tnefReader{b: b}
	sig, ok := r.u32()
	if !ok || sig != tnefSignature {
		return nil, 0, fmt.Errorf("%w: no TNEF signature", ErrTNEF)
	}
	if _, ok := r.u16(); !ok { // the legacy key
		return nil, 0, fmt.Errorf("%w: truncated header", ErrTNEF)
	}
	var atts []*tnefAttachment
	var cur *tnefAttachment
	var cp encoding.Encoding
	for r.len() > 0 {
		level, id, data, err := r.attribute(limit)
		if err != nil {
			return nil, 0, err
		}
		if level != tnefLevelMessage && level != tnefLevelAttachment {
			return nil, 0, fmt.Errorf("%w: attribute 0x%08x at level %d", ErrTNEF, id, level)
		}
		switch id {
		case attOemCodepage:
			if len(data) >= 4 {
				cp = codepage(binary.LittleEndian.Uint32(data))
			}
		case attAttachRenddata:
			cur = &tnefAttachment{}
			atts = append(atts, cur)
		case attAttachTitle:
			if cur != nil {
				cur.title = data
			}
		case attAttachData:
			if cur != nil {
				cur.data = data
			}
		case attAttachment:
			if cur != nil {
				if err := cur.readProps(data); err != nil {
					return nil, 0, err
				}
			}
		}
	}
	for _, a := range atts {
		if f, ok := a.file(cp); ok {
			files = append(files, f)
			continue
		}
		left++ // the embedded message itself is no file: its text stays in the stream
		if a.embedded == nil || depth >= maxTNEFDepth {
			continue
		}
		inner, innerLeft, err := decodeTNEFDepth(a.embedded, limit, depth+1)
		if err != nil {
			continue // counted in left: the stream is kept as it came
		}
		files = append(files, inner...)
		left += innerLeft
	}
	return files, left, nil
}

// tnefAttachment is what the stream said of one attachment.
type tnefAttachment struct {
	title, data     []byte // attAttachTitle, attAttachData
	long, mimeTag   string // from attAttachment
	dataBin         []byte // PR_ATTACH_DATA_BIN, when attAttachData is missing
	embedded        []byte // PR_ATTACH_DATA_OBJ of an embedded message: a TNEF stream
	long8, mimeTag8 []byte // 8-bit strings, decoded with the code page at the end
}

// file makes the attachment a file: false when it has no bytes.
func (a *tnefAttachment) file(cp encoding.Encoding) (tnefFile, bool) {
	data := a.data
	if data == nil {
		data = a.dataBin
	}
	if len(data) == 0 {
		return tnefFile{}, false
	}
	name := a.long
	if name == "" && a.long8 != nil {
		name = string8(a.long8, cp)
	}
	if name == "" {
		name = string8(a.title, cp)
	}
	name = baseName(clean(name))
	mt := a.mimeTag
	if mt == "" && a.mimeTag8 != nil {
		mt = string8(a.mimeTag8, cp)
	}
	if pm, _, err := mime.ParseMediaType(mt); err == nil && strings.Count(pm, "/") == 1 {
		mt = pm // lower-cased, without parameters
	} else {
		mt = guessType(name, data)
	}
	if name == "" {
		name = unnamed(mt)
	}
	return tnefFile{Name: name, Type: mt, Data: data}, true
}

// readProps reads the MAPI property list of attAttachment (MS-OXTNEF
// 2.1.3.4): a count, then per property its type and id, a name for a
// named one, and its values. A property of a type this reader does not
// know ends the list (its length cannot be known); what was read before
// counts.
func (a *tnefAttachment) readProps(b []byte) error {
	r := tnefReader{b: b}
	n, ok := r.u32()
	if !ok {
		return fmt.Errorf("%w: truncated property list", ErrTNEF)
	}
	if uint64(n) > uint64(r.len()/4) { // a property takes at least 4 bytes
		return fmt.Errorf("%w: %d properties in %d bytes", ErrTNEF, n, r.len())
	}
	for range n {
		typ, ok1 := r.u16()
		id, ok2 := r.u16()
		if !ok1 || !ok2 {
			return fmt.Errorf("%w: truncated property", ErrTNEF)
		}
		if id >= 0x8000 { // a named property: its name follows the tag
			if err := r.skipName(); err != nil {
				return err
			}
		}
		vals, known, err := r.values(typ)
		if err != nil {
			return err
		}
		if !known {
			return nil
		}
		if len(vals) != 1 {
			continue
		}
		v := vals[0]
		switch {
		case id == prAttachLongFilename && typ == ptUnicode:
			a.long = utf16String(v)
		case id == prAttachLongFilename && typ == ptString8:
			a.long8 = v
		case id == prAttachMimeTag && typ == ptUnicode:
			a.mimeTag = utf16String(v)
		case id == prAttachMimeTag && typ == ptString8:
			a.mimeTag8 = v
		case id == prAttachDataBin && typ == ptBinary:
			a.dataBin = v
		case id == prAttachDataBin && typ == ptObject && len(v) > len(iidIMessage) && string(v[:len(iidIMessage)]) == iidIMessage:
			a.embedded = v[len(iidIMessage):] // the interface id, then the message as a TNEF stream
		}
	}
	return nil
}

// tnefReader reads little-endian values off a byte slice; every read
// checks what is left.
type tnefReader struct {
	b   []byte
	off int
}

func (r *tnefReader) len() int { return len(r.b) - r.off }

func (r *tnefReader) bytes(n uint64) ([]byte, bool) {
	if n > uint64(r.len()) {
		return nil, false
	}
	s := r.b[r.off : r.off+int(n) : r.off+int(n)]
	r.off += int(n)
	return s, true
}

func (r *tnefReader) u16() (uint16, bool) {
	s, ok := r.bytes(2)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint16(s), true
}

func (r *tnefReader) u32() (uint32, bool) {
	s, ok := r.bytes(4)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint32(s), true
}

// attribute reads one attribute: level, id, length, data and checksum
// (the sum of the data's bytes, mod 65536).
func (r *tnefReader) attribute(limit int64) (level byte, id uint32, data []byte, err error) {
	hdr, ok := r.bytes(9)
	if !ok {
		return 0, 0, nil, fmt.Errorf("%w: truncated attribute", ErrTNEF)
	}
	level, id = hdr[0], binary.LittleEndian.Uint32(hdr[1:5])
	n := binary.LittleEndian.Uint32(hdr[5:9])
	if limit >= 0 && int64(n) > limit {
		return 0, 0, nil, fmt.Errorf("%w: attribute 0x%08x of %d bytes, over the limit", ErrTNEF, id, n)
	}
	if data, ok = r.bytes(uint64(n)); !ok {
		return 0, 0, nil, fmt.Errorf("%w: attribute 0x%08x of %d bytes, %d left", ErrTNEF, id, n, r.len())
	}
	sum, ok := r.u16()
	if !ok {
		return 0, 0, nil, fmt.Errorf("%w: truncated attribute", ErrTNEF)
	}
	var s uint16
	for _, c := range data {
		s += uint16(c)
	}
	if s != sum {
		return 0, 0, nil, fmt.Errorf("%w: bad checksum of attribute 0x%08x", ErrTNEF, id)
	}
	return level, id, data, nil
}

// skipName skips a named property's name: a GUID, a kind, then an id
// (kind 0) or a length and a UTF-16 string padded to 4 bytes (kind 1).
func (r *tnefReader) skipName() error {
	if _, ok := r.bytes(16); !ok {
		return fmt.Errorf("%w: truncated property name", ErrTNEF)
	}
	kind, ok := r.u32()
	if !ok {
		return fmt.Errorf("%w: truncated property name", ErrTNEF)
	}
	switch kind {
	case 0:
		if _, ok := r.u32(); !ok {
			return fmt.Errorf("%w: truncated property name", ErrTNEF)
		}
	case 1:
		n, ok := r.u32()
		if !ok {
			return fmt.Errorf("%w: truncated property name", ErrTNEF)
		}
		if _, ok := r.bytes(pad4(uint64(n))); !ok {
			return fmt.Errorf("%w: property name of %d bytes, %d left", ErrTNEF, n, r.len())
		}
	default:
		return fmt.Errorf("%w: property name of kind %d", ErrTNEF, kind)
	}
	return nil
}

// fixedSize is the size of a fixed-length property value in the stream:
// 2-byte values (PtypInteger16, PtypBoolean) are padded to 4 (MS-OXTNEF
// 2.1.3.4), and PtypNull has none.
var fixedSize = map[uint16]uint64{
	0x0001: 0, 0x0002: 4, 0x0003: 4, 0x0004: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x000A: 4, 0x000B: 4,
	0x0014: 8, 0x0040: 8, 0x0048: 16,
}

// values reads a property's values: a variable-length or multi-valued
// one has a count, then per value a length, the bytes (an object's begin
// with its interface id, counted in the length) and padding to 4 bytes; a
// single fixed-length one is its value. known is false for a type whose
// length cannot be known.
func (r *tnefReader) values(typ uint16) (vals [][]byte, known bool, err error) {
	base := typ &^ ptMulti
	variable := base == ptString8 || base == ptUnicode || base == ptBinary || base == ptObject
	size, fixed := fixedSize[base]
	if !variable && !fixed {
		return nil, false, nil
	}
	count := uint32(1)
	if variable || typ&ptMulti != 0 {
		var ok bool
		if count, ok = r.u32(); !ok {
			return nil, true, fmt.Errorf("%w: truncated property", ErrTNEF)
		}
		if uint64(count) > uint64(r.len()/4) { // a value takes at least 4 bytes
			return nil, true, fmt.Errorf("%w: %d values in %d bytes", ErrTNEF, count, r.len())
		}
	}
	for range count {
		n := size
		if variable {
			l, ok := r.u32()
			if !ok {
				return nil, true, fmt.Errorf("%w: truncated property", ErrTNEF)
			}
			n = uint64(l)
		}
		v, ok := r.bytes(n)
		if !ok {
			return nil, true, fmt.Errorf("%w: property value of %d bytes, %d left", ErrTNEF, n, r.len())
		}
		if _, ok := r.bytes(pad4(n) - n); !ok {
			return nil, true, fmt.Errorf("%w: truncated property padding", ErrTNEF)
		}
		if count == 1 { // only single values are used: no need to keep more
			vals = append(vals, v)
		}
	}
	return vals, true, nil
}

// pad4 rounds n up to a multiple of 4.
func pad4(n uint64) uint64 { return (n + 3) &^ 3 }

// utf16String decodes a UTF-16LE string, up to its NUL.
func utf16String(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

// string8 decodes an 8-bit string up to its NUL: UTF-8 when it is valid,
// else in the stream's code page (Windows-1252 when it names none this
// reader knows).
func string8(b []byte, cp encoding.Encoding) string {
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	if utf8.Valid(b) {
		return string(b)
	}
	if cp == nil {
		cp = charmap.Windows1252
	}
	if d, err := cp.NewDecoder().Bytes(b); err == nil {
		return strings.ToValidUTF8(string(d), "\uFFFD")
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// codepage is the decoder of a Windows code page, nil for one not known.
func codepage(n uint32) encoding.Encoding {
	switch n {
	case 936, 54936:
		return simplifiedchinese.GB18030
	case 950:
		return traditionalchinese.Big5
	case 1250:
		return charmap.Windows1250
	case 1251:
		return charmap.Windows1251
	case 1252:
		return charmap.Windows1252
	}
	return nil
}

// baseName drops the folders of a file name, as a Windows client may
// send it.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimSpace(name)
}

// typeByExt maps the extensions of unnamed parts back to their types.
var typeByExt = func() map[string]string {
	m := map[string]string{".jpeg": "image/jpeg"}
	for t, ext := range unnamedExt {
		m[ext] = t
	}
	return m
}()

// guessType is the type of a file sent without one: by its name's
// extension, else sniffed from its bytes.
func guessType(name string, data []byte) string {
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		ext = strings.ToLower(name[i:])
	}
	if t, ok := typeByExt[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); ext != "" && t != "" {
		mt, _, _ := mime.ParseMediaType(t)
		return mt
	}
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	return mt
}
