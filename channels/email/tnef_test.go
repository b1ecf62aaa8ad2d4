package email

import (
	"bytes"
	"encoding/binary"
	"errors"
	"runtime"
	"slices"
	"testing"
	"unicode/utf16"
)

// tnefWriter writes TNEF streams for the tests: attributes with their
// checksums, and attAttachment MAPI property lists.
type tnefWriter struct{ bytes.Buffer }

func newTNEF() *tnefWriter {
	w := &tnefWriter{}
	w.u32(tnefSignature)
	w.u16(0x1234) // legacy key
	return w
}

func (w *tnefWriter) u16(v uint16) { binary.Write(&w.Buffer, binary.LittleEndian, v) }
func (w *tnefWriter) u32(v uint32) { binary.Write(&w.Buffer, binary.LittleEndian, v) }

// attr writes an attribute with a correct checksum.
func (w *tnefWriter) attr(level byte, id uint32, data []byte) *tnefWriter {
	w.WriteByte(level)
	w.u32(id)
	w.u32(uint32(len(data)))
	w.Write(data)
	var sum uint16
	for _, c := range data {
		sum += uint16(c)
	}
	w.u16(sum)
	return w
}

// attachment writes an attachment: its start, title (when not ""), data,
// and MAPI properties (when not nil).
func (w *tnefWriter) attachment(title string, data []byte, props []byte) *tnefWriter {
	w.attr(tnefLevelAttachment, attAttachRenddata, make([]byte, 14))
	if title != "" {
		w.attr(tnefLevelAttachment, attAttachTitle, append([]byte(title), 0))
	}
	w.attr(tnefLevelAttachment, attAttachData, data)
	if props != nil {
		w.attr(tnefLevelAttachment, attAttachment, props)
	}
	return w
}

// embedded writes an attachment that is a message (a mail forwarded as an
// attachment): its title, and the message as a TNEF stream in
// PR_ATTACH_DATA_OBJ after IID_IMessage.
func (w *tnefWriter) embedded(title string, msg []byte) *tnefWriter {
	w.attr(tnefLevelAttachment, attAttachRenddata, make([]byte, 14))
	w.attr(tnefLevelAttachment, attAttachTitle, append([]byte(title), 0))
	props := (&mapiProps{}).long(0x3705, 5). // PidTagAttachMethod: embedded message
							variable(ptObject, prAttachDataBin, append([]byte(iidIMessage), msg...)).bytes()
	return w.attr(tnefLevelAttachment, attAttachment, props)
}

// mapiProps writes a MAPI property list.
type mapiProps struct {
	n uint32
	b bytes.Buffer
}

func (p *mapiProps) u16(v uint16) { binary.Write(&p.b, binary.LittleEndian, v) }
func (p *mapiProps) u32(v uint32) { binary.Write(&p.b, binary.LittleEndian, v) }

// value writes one length-prefixed value padded to 4 bytes.
func (p *mapiProps) value(v []byte) {
	p.u32(uint32(len(v)))
	p.b.Write(v)
	p.b.Write(make([]byte, pad4(uint64(len(v)))-uint64(len(v))))
}

func (p *mapiProps) variable(typ, id uint16, v []byte) *mapiProps {
	p.n++
	p.u16(typ)
	p.u16(id)
	p.u32(1)
	p.value(v)
	return p
}

func (p *mapiProps) unicode(id uint16, s string) *mapiProps {
	u := utf16.Encode([]rune(s + "\x00"))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return p.variable(ptUnicode, id, b)
}

func (p *mapiProps) string8(id uint16, s string) *mapiProps {
	return p.variable(ptString8, id, append([]byte(s), 0))
}

// fixed writes a single fixed-length value as a TNEF stream holds it.
func (p *mapiProps) fixed(typ, id uint16, v []byte) *mapiProps {
	p.n++
	p.u16(typ)
	p.u16(id)
	p.b.Write(v)
	return p
}

func (p *mapiProps) long(id uint16, v uint32) *mapiProps {
	p.n++
	p.u16(0x0003)
	p.u16(id)
	p.u32(v)
	return p
}

// named writes a named property (a string name) of type PT_LONG.
func (p *mapiProps) named(name string, v uint32) *mapiProps {
	p.n++
	p.u16(0x0003)
	p.u16(0x8005)
	p.b.Write(make([]byte, 16)) // GUID
	p.u32(1)
	u := utf16.Encode([]rune(name + "\x00"))
	p.u32(uint32(2 * len(u)))
	for _, c := range u {
		p.u16(c)
	}
	p.b.Write(make([]byte, pad4(uint64(2*len(u)))-uint64(2*len(u))))
	p.u32(v)
	return p
}

func (p *mapiProps) bytes() []byte {
	out := binary.LittleEndian.AppendUint32(nil, p.n)
	return append(out, p.b.Bytes()...)
}

var (
	jpegBytes = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), bytes.Repeat([]byte{7}, 300)...)
	pdfBytes  = []byte("%PDF-1.4\n% receipt\n")
)

// outlookTNEF is a winmail.dat as Outlook writes it for a mail with one
// photo: message attributes, then the attachment with a short title and a
// MAPI block naming it in full, in UTF-16, with its MIME type.
func outlookTNEF(name string, data []byte) []byte {
	w := newTNEF()
	w.attr(tnefLevelMessage, 0x00089006, []byte{1, 0, 0, 0, 0, 0, 0, 0}) // attTnefVersion
	w.attr(tnefLevelMessage, attOemCodepage, []byte{0xe4, 0x04, 0, 0, 0, 0, 0, 0})
	w.attr(tnefLevelMessage, 0x00018004, []byte("invoice\x00")) // attSubject
	props := (&mapiProps{}).long(0x3705, 1).named("x-attach", 7).unicode(prAttachLongFilename, name).
		variable(ptBinary, 0x3702, []byte{1, 2, 3}).string8(prAttachMimeTag, "image/jpeg").bytes()
	w.attachment("INVOIC~1.JPG", data, props)
	return w.Bytes()
}

func TestTNEFDecode(t *testing.T) {
	cases := []struct {
		name   string
		stream []byte
		want   []tnefFile
		left   int // attachments without bytes
	}{
		{"two attachments", newTNEF().
			attachment("invoice.jpg", jpegBytes, nil).
			attachment("receipt.pdf", pdfBytes, nil).Bytes(),
			[]tnefFile{{"invoice.jpg", "image/jpeg", jpegBytes}, {"receipt.pdf", "application/pdf", pdfBytes}}, 0},
		{"long filename over title", outlookTNEF("Rechnung März 2026.jpg", jpegBytes),
			[]tnefFile{{"Rechnung März 2026.jpg", "image/jpeg", jpegBytes}}, 0},
		{"8-bit long filename and MIME tag", newTNEF().attachment("RECEIP~1.PDF", pdfBytes,
			(&mapiProps{}).string8(prAttachLongFilename, "receipt 2026.pdf").string8(prAttachMimeTag, "Application/PDF; name=x").bytes()).Bytes(),
			[]tnefFile{{"receipt 2026.pdf", "application/pdf", pdfBytes}}, 0},
		{"title in the code page", newTNEF().
			attr(tnefLevelMessage, attOemCodepage, []byte{0xa8, 0x03, 0, 0, 0, 0, 0, 0}). // 936
			attachment("\xb7\xa2\xc6\xb1.jpg", jpegBytes, nil).Bytes(),
			[]tnefFile{{"发票.jpg", "image/jpeg", jpegBytes}}, 0},
		{"no name: typed by its bytes", newTNEF().attachment("", jpegBytes, nil).Bytes(),
			[]tnefFile{{"attachment.jpg", "image/jpeg", jpegBytes}}, 0},
		{"folders dropped", newTNEF().attachment(`C:\Users\john\invoice.jpg`, jpegBytes, nil).Bytes(),
			[]tnefFile{{"invoice.jpg", "image/jpeg", jpegBytes}}, 0},
		{"body only", newTNEF().
			attr(tnefLevelMessage, 0x00069003, (&mapiProps{}).variable(ptBinary, 0x1009, []byte("LZFu....")).bytes()).Bytes(),
			nil, 0},
		{"attachment without bytes", newTNEF().
			attr(tnefLevelAttachment, attAttachRenddata, make([]byte, 14)).
			attr(tnefLevelAttachment, attAttachTitle, []byte("Mail.msg\x00")).Bytes(),
			nil, 1},
		{"16-bit values padded to 4 bytes, null values empty", newTNEF().attachment("INVOIC~1.JPG", jpegBytes,
			func() []byte {
				p := &mapiProps{}
				p.fixed(0x000B, 0x7FFE, []byte{1, 0, 0, 0}) // PidTagAttachmentHidden, a boolean
				p.fixed(0x0002, 0x3714, []byte{4, 0, 0, 0}) // a 16-bit integer
				p.fixed(0x0001, 0x3716, nil)                // a null value
				return p.unicode(prAttachLongFilename, "invoice 2026.jpg").bytes()
			}()).Bytes(),
			[]tnefFile{{"invoice 2026.jpg", "image/jpeg", jpegBytes}}, 0},
		{"files of a forwarded message taken out, the message counted", newTNEF().
			attachment("photo.jpg", jpegBytes, nil).
			embedded("Order 12345.msg", outlookTNEF("invoice.jpg", jpegBytes)).Bytes(),
			[]tnefFile{{"photo.jpg", "image/jpeg", jpegBytes}, {"invoice.jpg", "image/jpeg", jpegBytes}}, 1},
		{"a message forwarded inside a forwarded message", newTNEF().
			embedded("Fwd.msg", newTNEF().embedded("Order.msg", newTNEF().attachment("receipt.pdf", pdfBytes, nil).Bytes()).Bytes()).Bytes(),
			[]tnefFile{{"receipt.pdf", "application/pdf", pdfBytes}}, 2},
		{"a broken forwarded message counted, the rest kept", newTNEF().
			attachment("photo.jpg", jpegBytes, nil).
			embedded("Order.msg", outlookTNEF("invoice.jpg", jpegBytes)[:40]).Bytes(),
			[]tnefFile{{"photo.jpg", "image/jpeg", jpegBytes}}, 1},
		{"messages nested deeper than maxTNEFDepth not opened", func() []byte {
			b := newTNEF().attachment("receipt.pdf", pdfBytes, nil).Bytes()
			for range maxTNEFDepth + 1 {
				b = newTNEF().embedded("Fwd.msg", b).Bytes()
			}
			return b
		}(), nil, maxTNEFDepth + 1},
		{"an object that is no message counted", newTNEF().
			attr(tnefLevelAttachment, attAttachRenddata, make([]byte, 14)).
			attr(tnefLevelAttachment, attAttachment, (&mapiProps{}).variable(ptObject, prAttachDataBin, append(make([]byte, 16), pdfBytes...)).bytes()).Bytes(),
			nil, 1},
		{"unknown property type ends the list", newTNEF().attachment("INVOIC~1.JPG", jpegBytes,
			func() []byte {
				p := (&mapiProps{}).unicode(prAttachLongFilename, "invoice.jpg")
				p.n++
				p.u16(0x00FD) // a restriction: its length is not known
				p.u16(0x0001)
				p.u32(99)
				return p.bytes()
			}()).Bytes(),
			[]tnefFile{{"invoice.jpg", "image/jpeg", jpegBytes}}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, left, err := decodeTNEF(tc.stream, 10<<20)
			if err != nil {
				t.Fatal(err)
			}
			if left != tc.left {
				t.Errorf("left %d, want %d", left, tc.left)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d files, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				if got[i].Name != w.Name || got[i].Type != w.Type || !bytes.Equal(got[i].Data, w.Data) {
					t.Errorf("file %d = %q %q (%d bytes), want %q %q (%d bytes)", i, got[i].Name, got[i].Type, len(got[i].Data), w.Name, w.Type, len(w.Data))
				}
			}
		})
	}
}

func TestTNEFErrors(t *testing.T) {
	good := outlookTNEF("invoice.jpg", jpegBytes)
	badSum := bytes.Clone(good)
	badSum[len(badSum)-1] ^= 0x55 // the last attribute's checksum
	flipped := bytes.Clone(good)
	i := bytes.Index(flipped, jpegBytes)
	flipped[i+20]++ // a byte of the photo: its checksum no longer matches
	huge := newTNEF().Bytes()
	huge = append(huge, tnefLevelAttachment)
	huge = binary.LittleEndian.AppendUint32(huge, attAttachData)
	huge = binary.LittleEndian.AppendUint32(huge, 0xFFFFFFF0)
	huge = append(huge, "short"...)
	manyProps := newTNEF().attr(tnefLevelAttachment, attAttachRenddata, make([]byte, 14)).
		attr(tnefLevelAttachment, attAttachment, []byte{0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4}).Bytes()
	manyValues := newTNEF().attr(tnefLevelAttachment, attAttachRenddata, make([]byte, 14)).
		attr(tnefLevelAttachment, attAttachment, []byte{1, 0, 0, 0, 0x1f, 0, 0x07, 0x37, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0}).Bytes()
	longValue := newTNEF().attr(tnefLevelAttachment, attAttachRenddata, make([]byte, 14)).
		attr(tnefLevelAttachment, attAttachment, []byte{1, 0, 0, 0, 0x1f, 0, 0x07, 0x37, 1, 0, 0, 0, 0xf0, 0xff, 0xff, 0xff, 'a', 0, 0, 0}).Bytes()
	cases := []struct {
		name   string
		stream []byte
		limit  int64
	}{
		{"empty", nil, 1 << 20},
		{"not TNEF", []byte("{\\rtf1\\ansi hello}"), 1 << 20},
		{"bad checksum", badSum, 1 << 20},
		{"data changed", flipped, 1 << 20},
		{"truncated in data", good[:len(good)/2], 1 << 20},
		{"truncated in checksum", good[:len(good)-1], 1 << 20},
		{"truncated in header", good[:5], 1 << 20},
		{"truncated attribute head", good[:6+4], 1 << 20},
		{"length larger than input", huge, 1 << 40},
		{"attribute over the limit", good, 100},
		{"absurd property count", manyProps, 1 << 20},
		{"absurd value count", manyValues, 1 << 20},
		{"value longer than the list", longValue, 1 << 20},
		{"bad level", newTNEF().attr(7, attAttachData, []byte("x")).Bytes(), 1 << 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			files, _, err := decodeTNEF(tc.stream, tc.limit)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrTNEF) {
				t.Fatalf("err = %v (files %+v), want ErrTNEF", err, files)
			}
			if files != nil {
				t.Errorf("files %+v with the error", files)
			}
			if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 { // a length believed would be gigabytes
				t.Errorf("allocated %d bytes reading a %d-byte stream", d, len(tc.stream))
			}
		})
	}
}

// TestParseWinmailDat: a mail's winmail.dat part is replaced by the files
// it carries; one that cannot be read is kept as it came, with the reason;
// one with only a body adds nothing.
func TestParseWinmailDat(t *testing.T) {
	mailWith := func(ctype, name string, tnef []byte) []byte {
		return []byte("From: john.smith@contoso.com\r\nTo: service@shop.example\r\nSubject: invoice\r\nMessage-ID: <w1@contoso.com>\r\n" +
			"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=\"us-ascii\"\r\n\r\n" +
			"Please find my invoice attached.\r\n\r\n--b1\r\nContent-Type: " + ctype + "; name=\"" + name + "\"\r\n" +
			"Content-Disposition: attachment; filename=\"" + name + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(tnef) + "\r\n--b1--\r\n")
	}
	two := newTNEF().attachment("invoice.jpg", jpegBytes, nil).attachment("receipt.pdf", pdfBytes, nil).Bytes()
	broken := outlookTNEF("invoice.jpg", jpegBytes)
	broken = broken[:len(broken)-3]
	withMsg := newTNEF().attachment("invoice.jpg", jpegBytes, nil).
		attr(tnefLevelAttachment, attAttachRenddata, make([]byte, 14)).
		attr(tnefLevelAttachment, attAttachTitle, []byte("Order.msg\x00")).Bytes()
	forwarded := newTNEF().embedded("Order 12345.msg", outlookTNEF("invoice.jpg", jpegBytes)).Bytes()
	bodyOnly := newTNEF().attr(tnefLevelMessage, 0x00018004, []byte("invoice\x00")).Bytes()
	cases := []struct {
		name      string
		raw       []byte
		want      []string // name/type of each attachment
		undecoded bool
	}{
		{"application/ms-tnef", mailWith("application/ms-tnef", "winmail.dat", outlookTNEF("invoice.jpg", jpegBytes)), []string{"invoice.jpg image/jpeg"}, false},
		{"named winmail.dat", mailWith("application/octet-stream", "WINMAIL.DAT", two), []string{"invoice.jpg image/jpeg", "receipt.pdf application/pdf"}, false},
		{"vnd.ms-tnef, other name", mailWith("application/vnd.ms-tnef", "att00001.dat", two), []string{"invoice.jpg image/jpeg", "receipt.pdf application/pdf"}, false},
		{"broken kept", mailWith("application/ms-tnef", "winmail.dat", broken), []string{"winmail.dat application/ms-tnef"}, true},
		{"embedded message: the file, and winmail.dat kept", mailWith("application/ms-tnef", "winmail.dat", withMsg),
			[]string{"invoice.jpg image/jpeg", "winmail.dat application/ms-tnef"}, true},
		{"forwarded message: the file inside it, and winmail.dat kept", mailWith("application/ms-tnef", "winmail.dat", forwarded),
			[]string{"invoice.jpg image/jpeg", "winmail.dat application/ms-tnef"}, true},
		{"body only", mailWith("application/ms-tnef", "winmail.dat", bodyOnly), nil, false},
		{"other .dat untouched", mailWith("application/octet-stream", "data.dat", two), []string{"data.dat application/octet-stream"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse(tc.raw, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range m.Attachments {
				got = append(got, a.Name+" "+a.Type)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("attachments %q, want %q", got, tc.want)
			}
			if (len(m.Undecoded) > 0) != tc.undecoded {
				t.Errorf("undecoded %q, want %v", m.Undecoded, tc.undecoded)
			}
			if m.Text != "Please find my invoice attached.\n" {
				t.Errorf("text %q", m.Text)
			}
		})
	}
	// The photo's bytes are the photo's.
	m, _ := Parse(mailWith("application/ms-tnef", "winmail.dat", outlookTNEF("invoice.jpg", jpegBytes)), 1<<20)
	if len(m.Attachments) != 1 || !bytes.Equal(m.Attachments[0].Data, jpegBytes) {
		t.Errorf("the photo's bytes differ")
	}
}

// FuzzTNEF: no input makes the decoder panic, and what it returns is
// inside the input.
func FuzzTNEF(f *testing.F) {
	f.Add(outlookTNEF("invoice.jpg", jpegBytes))
	f.Add(newTNEF().attachment("invoice.jpg", jpegBytes, nil).attachment("receipt.pdf", pdfBytes, nil).Bytes())
	f.Add(newTNEF().attr(tnefLevelAttachment, attAttachRenddata, nil).
		attr(tnefLevelAttachment, attAttachment, (&mapiProps{}).named("n", 1).string8(prAttachMimeTag, "image/png").bytes()).Bytes())
	f.Add(newTNEF().embedded("Order.msg", outlookTNEF("invoice.jpg", jpegBytes)).Bytes())
	f.Add([]byte{0x78, 0x9f, 0x3e, 0x22, 1, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		files, _, err := decodeTNEF(b, 1<<20)
		if err != nil && !errors.Is(err, ErrTNEF) {
			t.Fatalf("error not ErrTNEF: %v", err)
		}
		total := 0
		for _, f := range files {
			total += len(f.Data)
			if f.Name == "" || f.Type == "" {
				t.Errorf("file without name or type: %q %q", f.Name, f.Type)
			}
		}
		if total > len(b) {
			t.Errorf("%d bytes of files from %d bytes", total, len(b))
		}
	})
}
