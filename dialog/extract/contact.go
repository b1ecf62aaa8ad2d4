package extract

import (
	"strings"
	"unicode/utf8"
)

// Order numbers, phone numbers and e-mail addresses. Each function returns
// the first one in the text, width-folded ("ＡＢ１２３" → "AB123") but
// otherwise as written, and is safe for concurrent use.

const (
	minOrderLen  = 6
	maxOrderLen  = 32
	minBareOrder = 10 // digits in an order number quoted without a keyword
)

// OrderNumber returns an order or invoice reference the customer quotes:
// 6–32 letters, digits and hyphens, at least one a digit, after 订单号, 订单编号,
// 订单, 单号, 单子, 发票号, 发票, "order", "order number", "order no.", "order id",
// "invoice", "invoice number" (optionally followed by ':', '：', '#', "no.",
// "is", 是, 为); digits grouped by single spaces ("order no. 0912 345 678")
// are returned without the spaces. Or else a bare run of 10 to 32 digits that
// is not a phone number (a Chinese mobile number 1[3-9]xxxxxxxxx alone, or
// one after +86, or a Taiwan mobile number 09xxxxxxxx) nor a serial number
// ("序列号 2026100109123", "serial no. …").
// A reference longer than 32 characters is refused, not cut. 快递单号 and 运单号
// (waybills) are not order numbers.
func OrderNumber(text string) (string, bool) {
	if !strings.ContainsAny(text, "0123456789０１２３４５６７８９") {
		return "", false // every reference has a digit: most messages need no scan
	}
	var buf [64]tok
	sc := newScan(text, buf[:])
	for i := range sc.t {
		j, ok := sc.orderKeyword(i)
		if !ok {
			continue
		}
		if start, end, ok := sc.orderRef(sc.orderFillers(j)); ok {
			ref := FoldWidth(text[start:end])
			if strings.ContainsRune(ref, ' ') {
				ref = strings.ReplaceAll(ref, " ", "") // "0912 345 678": one reference
			}
			return ref, true
		}
	}
	for i, t := range sc.t {
		if t.kind != kNum || t.ndig < minBareOrder || t.ndig > maxOrderLen ||
			sc.gluedBefore(i) || sc.kindAt(i+1) == kWord || sc.gluedAfter(i+1) || sc.is(i+1, '-') || sc.labelled(i, serialLabels) {
			continue
		}
		var db [maxOrderLen]byte
		d := sc.digits(i, db[:0])
		if isMobile(d) || isTWMobile(d) || sc.is(sc.prev(i), '+') ||
			len(d) == 13 && string(d[:2]) == "86" && isMobile(d[2:]) {
			continue
		}
		return string(d), true
	}
	return "", false
}

// orderKeyword matches an order or invoice keyword at i.
func (sc *scan) orderKeyword(i int) (int, bool) {
	if j, ok := sc.lits(i, "订单编号", "訂單編號", "订单号码", "订单号", "訂單號", "订单", "訂單",
		"发票号码", "發票號碼", "发票号", "發票號", "发票", "發票"); ok {
		return j, true
	}
	if j, ok := sc.lits(i, "单号", "單號", "单子", "單子"); ok {
		if sc.is(i-1, '运') || sc.is(i-1, '運') || sc.isLitsBefore(i, "快递", "快遞", "物流") {
			return i, false
		}
		return j, true
	}
	if sc.gluedBefore(i) || !sc.wordIs(i, "order") && !sc.wordIs(i, "invoice") {
		return i, false
	}
	j := i + 1
	if k := sc.sp(j); sc.wordIs(k, "number") || sc.wordIs(k, "no") || sc.wordIs(k, "id") || sc.wordIs(k, "nr") {
		j = k + 1
	}
	return j, true
}

// isLitsBefore reports whether one of lits ends just before token i.
func (sc *scan) isLitsBefore(i int, lits ...string) bool {
	for _, l := range lits {
		if k := i - utf8.RuneCountInString(l); k >= 0 && sc.isLits(k, l) {
			return true
		}
	}
	return false
}

// orderFillers skips what may stand between a keyword and the reference.
func (sc *scan) orderFillers(j int) int {
	for range 6 {
		switch {
		case sc.kindAt(j) == kSpace, sc.is(j, ':'), sc.is(j, '#'), sc.is(j, '.'),
			sc.is(j, '是'), sc.is(j, '为'), sc.is(j, '為'), sc.is(j, '：'):
			j++
		case sc.wordIs(j, "is") || sc.wordIs(j, "was") || sc.wordIs(j, "no"):
			j++
		default:
			return j
		}
	}
	return j
}

// orderRef reads a reference of letters, digits and hyphens at i and
// returns its byte offsets. Digits may be grouped by single spaces as a
// number is read out ("0912 345 678": a group of at most 6 digits, then
// groups of 3 or 4), not two numbers told one after the other.
func (sc *scan) orderRef(i int) (start, end int, ok bool) {
	if k := sc.kindAt(i); k != kNum && k != kWord {
		return 0, 0, false
	}
	j, n, digit := i, 0, false
	for ; sc.kindAt(j) == kNum || sc.kindAt(j) == kWord || sc.is(j, '-') && (sc.kindAt(j+1) == kNum || sc.kindAt(j+1) == kWord) || sc.spacedGroup(i, j); j++ {
		n += utf8.RuneCountInString(sc.s[sc.t[j].start:sc.t[j].end])
		digit = digit || sc.kindAt(j) == kNum
		if n > maxOrderLen {
			return 0, 0, false
		}
	}
	if n < minOrderLen || n > maxOrderLen || !digit {
		return 0, 0, false
	}
	return sc.t[i].start, sc.t[j-1].end, true
}

// spacedGroup reports whether token j, inside a reference that starts at
// token i, is a single space between digit groups of a number read out in
// groups: a first group of at most 6 digits, every later one of 3 or 4.
func (sc *scan) spacedGroup(i, j int) bool {
	if sc.kindAt(j) != kSpace || !sc.groupSep(j) || sc.kindAt(j-1) != kNum || j-1 == i && sc.t[i].ndig > 6 {
		return false
	}
	for k := i; k < j; k++ {
		if sc.kindAt(k) != kNum && sc.kindAt(k) != kSpace {
			return false // "SO-123 456": letters or hyphens before are no read-out number
		}
		if k > i && sc.kindAt(k) == kNum && (sc.t[k].ndig < 3 || sc.t[k].ndig > 4) {
			return false
		}
	}
	if n := sc.t[j+1].ndig; n < 3 || n > 4 || sc.kindAt(j+2) == kWord {
		return false
	}
	return true
}

// Labels before a number that make it no phone number: a serial number
// ("序列号0987654321", "serial number 0912345678"), or an order or invoice
// reference ("订单号 0912345678", "我的单子是 0923-456-781").
var (
	serialLabels = []string{"序列号", "序列號", "序号", "序號", "编号", "編號", "串号", "串號", "机身号", "機身號", "条码", "條碼", "serial", "sn", "imei"}
	orderLabels  = []string{"订单号", "訂單號", "订单", "訂單", "单号", "單號", "单子", "單子", "发票号", "發票號", "发票", "發票", "工单", "工單", "order", "invoice", "ref", "reference"}
	numberLabels = append(append([]string{}, serialLabels...), orderLabels...)
)

// labelled reports whether the number at token i comes after one of labels,
// with only ':', '#', '.', 是, 为, "is", "no", "number" between ("serial no.
// 0912…", "序列号是0987…").
func (sc *scan) labelled(i int, labels []string) bool {
	j := sc.prev(i)
	for range 5 {
		if sc.is(j, ':') || sc.is(j, '：') || sc.is(j, '#') || sc.is(j, '.') || sc.is(j, '是') || sc.is(j, '为') || sc.is(j, '為') ||
			sc.wordIs(j, "is") || sc.wordIs(j, "no") || sc.wordIs(j, "number") || sc.wordIs(j, "nr") || sc.wordIs(j, "num") {
			j = sc.prev(j)
			continue
		}
		break
	}
	switch sc.kindAt(j) {
	case kWord:
		for _, l := range labels {
			if l[0] < 0x80 && sc.wordIs(j, l) {
				return true
			}
		}
		// "S/N 0912…"
		return sc.wordIs(j, "n") && sc.is(j-1, '/') && sc.wordIs(j-2, "s")
	case kHan:
		return sc.isLitsBefore(j+1, labels...)
	}
	return false
}

// digits appends the ASCII digits of the number token i to b.
func (sc *scan) digits(i int, b []byte) []byte {
	s := sc.s[sc.t[i].start:sc.t[i].end]
	for k := 0; k < len(s); {
		r, n := decodeFold(s, k)
		b = append(b, byte(r))
		k += n
	}
	return b
}

// isMobile reports whether d is a Chinese mobile number: 1[3-9] and 9 more
// digits.
func isMobile(d []byte) bool {
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9'
}

// isTWMobile reports whether d is a Taiwan mobile number: 09 and 8 more
// digits.
func isTWMobile(d []byte) bool {
	return len(d) == 10 && d[0] == '0' && d[1] == '9'
}

// Phone returns the first phone number in text: a Chinese mobile number
// (13812345678, 138 1234 5678, 138-1234-5678, +86 138 1234 5678, returned as
// its 11 digits), a Taiwan mobile number (0912345678, 0912-345-678,
// 0912 345 678, 0912-345678, 09 1234 5678, 09-1234-5678, +886 912 345 678, returned as its
// 10 digits starting 09; not one given as an order number), an international number after '+' (+44 20 7946 0958,
// returned as '+' and 8 to 15 digits), or a Chinese landline with its area
// code (010-12345678, (0755) 1234567, returned as "010-12345678"), or a
// mobile number in Chinese numerals (一三八一二三四五六七八). A number
// labelled as something else is none: a serial number ("机身序列号0987654321",
// "serial number 0912345678") or an order or invoice reference ("订单号
// 13812345678", "我的单子是 0923-456-781").
func Phone(text string) (string, bool) {
	var buf [64]tok
	sc := newScan(text, buf[:])
	for i := range sc.t {
		if s, ok := sc.phoneAt(i); ok {
			return s, true
		}
	}
	return cnMobile(text)
}

// cnMobile finds a mobile number said in Chinese numerals, as a voice
// input writes it: 一三八一二三四五六七八, with 幺 for one and spaces allowed.
func cnMobile(text string) (string, bool) {
	var d []byte
	flush := func() (string, bool) {
		ok := isMobile(d)
		s := string(d)
		d = d[:0]
		if !ok {
			return "", false
		}
		return s, true
	}
	for _, r := range text {
		switch v := cnDigit(r); {
		case r == '幺':
			d = append(d, '1')
		case v >= 0 && r != '两' && r != '兩':
			d = append(d, byte('0'+v))
		case r == ' ' && len(d) > 0:
		default:
			if s, ok := flush(); ok {
				return s, true
			}
		}
	}
	return flush()
}

// phoneAt reads a phone number starting at token i.
func (sc *scan) phoneAt(i int) (string, bool) {
	var db [16]byte
	switch {
	case sc.is(i, '+'):
		j := sc.sp(i + 1)
		if sc.kindAt(j) != kNum {
			return "", false
		}
		d, ok := sc.digitGroups(j, db[:0], 15, true)
		if !ok || len(d) < 8 {
			return "", false
		}
		if len(d) == 13 && string(d[:2]) == "86" && isMobile(d[2:]) {
			return string(d[2:]), true
		}
		if tw, ok := twNational(d); ok {
			return tw, true // "+886 912 345 678": the number as dialled at home
		}
		return "+" + string(d), true
	case sc.is(i, '('):
		j := i + 1
		if sc.kindAt(j) != kNum || !sc.is(j+1, ')') {
			return "", false
		}
		return sc.landline(j, sc.sp(j+2))
	case sc.kindAt(i) != kNum || sc.gluedBefore(i) || sc.is(sc.prev(i), '+') || sc.labelled(i, numberLabels):
		return "", false // "serial number 0912345678", "订单号13812345678": no phone
	}
	if sc.is(i+1, '-') || sc.kindAt(i+1) == kSpace {
		if s, ok := sc.landline(i, i+2); ok {
			return s, true
		}
	}
	if s, ok := sc.twMobile(i); ok {
		if ref, order := OrderNumber(sc.s); order && strings.ReplaceAll(ref, "-", "") == s {
			return "", false // "订单号 0912345678" is the order
		}
		return s, true
	}
	// Mobile: digit groups that reach exactly 11 digits (or 86 and 11).
	d := db[:0]
	for j := i; ; j += 2 {
		if len(d)+sc.t[j].ndig > 13 {
			return "", false
		}
		d = sc.digits(j, d)
		if isMobile(d) && sc.kindAt(j+1) != kWord {
			return string(d), true
		}
		if len(d) == 13 && string(d[:2]) == "86" && isMobile(d[2:]) && sc.kindAt(j+1) != kWord {
			return string(d[2:]), true
		}
		if !sc.groupSep(j + 1) {
			return "", false
		}
	}
}

// twNational returns the Taiwan mobile number that digits d dialled after
// '+' are: 886 and 9 and 8 more digits (or 886 and 09…, the trunk zero
// kept by mistake), written as at home: 0912345678.
func twNational(d []byte) (string, bool) {
	if len(d) < 12 || string(d[:3]) != "886" {
		return "", false
	}
	n := d[3:]
	if n[0] == '0' {
		n = n[1:]
	}
	if len(n) != 9 || n[0] != '9' {
		return "", false
	}
	return "0" + string(n), true
}

// twMobile reads a Taiwan mobile number at token i, written in one group
// (0912345678), as 4+6 or 4+3+3 digits with single spaces or hyphens, or as
// 2+4+4 digits with single spaces or hyphens, the same twice (09 1234 5678,
// 09-1234-5678), and followed by no more digits or letters.
func (sc *scan) twMobile(i int) (string, bool) {
	j := i // the last group
	switch sc.t[i].ndig {
	case 10:
	case 2:
		// "09 1234 5678" as read out, "09-1234-5678" as written: the same
		// separator twice.
		if !sc.groupSep(i+1) || sc.t[i+2].ndig != 4 || !sc.groupSep(i+3) || sc.t[i+4].ndig != 4 ||
			sc.kindAt(i+1) != sc.kindAt(i+3) {
			return "", false
		}
		j = i + 4
	case 4:
		if !sc.groupSep(i + 1) {
			return "", false
		}
		switch n := sc.t[i+2].ndig; {
		case n == 6:
			j = i + 2
		case n == 3 && sc.groupSep(i+3) && sc.t[i+4].ndig == 3:
			j = i + 4
		default:
			return "", false
		}
	default:
		return "", false
	}
	if sc.kindAt(j+1) == kWord || sc.groupSep(j+1) || sc.gluedAfter(j+1) {
		return "", false
	}
	var db [16]byte
	d := db[:0]
	for k := i; k <= j; k += 2 {
		d = sc.digits(k, d)
	}
	if !isTWMobile(d) {
		return "", false
	}
	return string(d), true
}

// groupSep reports whether token i is a single space or hyphen between digit
// groups.
func (sc *scan) groupSep(i int) bool {
	if sc.kindAt(i+1) != kNum {
		return false
	}
	if sc.is(i, '-') {
		return true
	}
	return sc.kindAt(i) == kSpace && sc.t[i].end-sc.t[i].start <= 3 && utf8.RuneCountInString(sc.s[sc.t[i].start:sc.t[i].end]) == 1
}

// digitGroups collects digit groups from i separated by single spaces,
// hyphens or dots, up to limit digits; ok is false when there are more.
func (sc *scan) digitGroups(i int, d []byte, limit int, dots bool) ([]byte, bool) {
	for j := i; ; j += 2 {
		if len(d)+sc.t[j].ndig > limit {
			return d, false
		}
		d = sc.digits(j, d)
		if sc.groupSep(j+1) || dots && sc.is(j+1, '.') && sc.kindAt(j+2) == kNum {
			continue
		}
		return d, sc.kindAt(j+1) != kWord
	}
}

// landline reads an area code at a (0 and 2–3 digits) and a 7–8 digit
// number at n.
func (sc *scan) landline(a, n int) (string, bool) {
	if sc.kindAt(a) != kNum || sc.kindAt(n) != kNum {
		return "", false
	}
	ta, tn := sc.t[a], sc.t[n]
	if ta.ndig < 3 || ta.ndig > 4 || tn.ndig < 7 || tn.ndig > 8 || sc.kindAt(n+1) == kWord || sc.gluedAfter(n+1) {
		return "", false
	}
	var db [16]byte
	d := sc.digits(a, db[:0])
	if d[0] != '0' || d[1] == '0' {
		return "", false
	}
	d = append(d, '-')
	return string(sc.digits(n, d)), true
}

// Email returns the first e-mail address in text, such as "wang.li@qq.com"
// in "邮箱wang.li@qq.com谢谢": a local part of letters, digits and ._%+-, an
// '@' (or '＠'), and a domain of at least two labels whose last is two or
// more letters.
func Email(text string) (string, bool) {
	for at := 0; at < len(text); {
		r, n := decodeFold(text, at)
		if r != '@' {
			at += n
			continue
		}
		if s, ok := emailAround(text, at, at+n); ok {
			return s, true
		}
		at += n
	}
	return "", false
}

// Lengths of an address's parts (RFC 5321), in characters.
const maxEmailLocal, maxEmailDomain = 64, 255

func isLocalRune(r rune) bool {
	return isAlnum(r) || strings.ContainsRune("._%+-", r)
}

func isDomainRune(r rune) bool { return isAlnum(r) || r == '.' || r == '-' }

// emailAround validates the address around the '@' at text[at:after].
func emailAround(text string, at, after int) (string, bool) {
	l := at
	for l > 0 && at-l <= (maxEmailLocal+1)*3 {
		r, n := utf8.DecodeLastRuneInString(text[:l])
		if !isLocalRune(foldRune(r)) {
			break
		}
		l -= n
	}
	for l < at && text[l] == '.' {
		l++
	}
	e := after
	for e < len(text) && e-after <= (maxEmailDomain+1)*3 {
		r, n := decodeFold(text, e)
		if !isDomainRune(r) {
			break
		}
		e += n
	}
	addr := FoldWidth(text[l:e])
	addr = strings.TrimRight(addr, ".-")
	local, domain, _ := strings.Cut(addr, "@")
	if local == "" || len(local) > maxEmailLocal || len(domain) > maxEmailDomain ||
		strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return "", false
	}
	labels := 0
	for lab := range strings.SplitSeq(domain, ".") {
		if lab == "" || len(lab) > 63 || lab[0] == '-' || lab[len(lab)-1] == '-' {
			return "", false
		}
		labels++
	}
	tld := domain[strings.LastIndexByte(domain, '.')+1:]
	if labels < 2 || len(tld) < 2 || strings.IndexFunc(tld, func(r rune) bool { return !isLetter(r) }) >= 0 {
		return "", false
	}
	return addr, true
}
