package extract

// maxYuanDigits bounds the integer part of an amount.
const maxYuanDigits = 13

// Amount returns the first amount of money in text, in minor units (fen):
//
//   - a number with a currency after it: "350元", "350块", "350块钱", "350 yuan",
//     "350 RMB", "三百五十元", "两千块", "3万元", "1.5万元", and the small units
//     "3块5" / "3元5角" / "3块5毛" (3.50), "3元5角2分";
//   - a currency before a number: "¥350", "￥1,299.00", "RMB 350", "CNY350",
//     "人民币350";
//   - a decimal with exactly two decimals: "350.50";
//   - failing all these, a message that is nothing but a number: "350", "三百五".
//
// Thousands commas are understood ("1,299"); more than two decimals are not
// money ("3.14159"). ok is false when there is no amount. Safe for concurrent
// use.
func Amount(text string) (fen int64, ok bool) {
	var buf [64]tok
	sc := newScan(text, buf[:])
	for i := range sc.t {
		if v, ok := sc.amountAt(i); ok {
			return v, true
		}
	}
	if v, found := sc.bareNumber(); found && v <= 1e13 {
		return v * 100, true
	}
	return 0, false
}

// amountAt reads an amount with a currency, or a two-decimal number, at i.
func (sc *scan) amountAt(i int) (int64, bool) {
	// Currency first.
	j, pre := i, false
	switch {
	case sc.is(i, '¥') || sc.is(i, '￥'):
		j, pre = i+1, true
	case sc.wordIs(i, "rmb") || sc.wordIs(i, "cny"):
		j, pre = i+1, !sc.gluedBefore(i)
	default:
		if k, ok := sc.lit(i, "人民币"); ok {
			j, pre = k, true
		}
	}
	if pre {
		j = sc.sp(j)
		if sc.is(j, ':') {
			j = sc.sp(j + 1)
		}
		v, _, ok := sc.money(j, true)
		return v, ok
	}
	v, j, ok := sc.money(i, false)
	if !ok {
		return 0, false
	}
	if decimals := sc.is(j-2, '.'); decimals && sc.t[j-1].ndig == 2 && !sc.gluedAfter(j) && sc.kindAt(j) != kWord {
		return v, true // 350.50
	}
	k := sc.sp(j)
	unit, ok := sc.lits(k, "块钱", "塊錢", "元", "块", "塊", "圆", "圓")
	if !ok {
		if sc.wordIs(k, "yuan") || sc.wordIs(k, "rmb") || sc.wordIs(k, "cny") || sc.wordIs(k, "kuai") {
			return v, true
		}
		return 0, false
	}
	return v + sc.smallUnits(unit, sc.is(unit-1, '块') || sc.is(unit-1, '塊')), true
}

// money reads a number of yuan at i and returns it in fen: Arabic digits
// with thousands commas and up to two decimals, optionally times 万 or 千, or a
// Chinese numeral. glued allows a currency glued before it ("RMB350").
func (sc *scan) money(i int, glued bool) (fen int64, j int, ok bool) {
	switch sc.kindAt(i) {
	case kHan:
		v, _, j, ok := sc.cnum(i)
		if !ok || v > 1e13 {
			return 0, i, false
		}
		return v * 100, j, true
	case kNum:
	default:
		return 0, i, false
	}
	t := sc.t
	if t[i].ndig > maxYuanDigits || !glued && sc.gluedBefore(i) {
		return 0, i, false
	}
	v, j := t[i].val, i+1
	if t[i].ndig <= 3 {
		for sc.is(j, ',') && sc.kindAt(j+1) == kNum && t[j+1].ndig == 3 && v < 1e10 {
			v, j = v*1000+t[j+1].val, j+2
		}
	}
	fen = v * 100
	if sc.is(j, '.') && sc.kindAt(j+1) == kNum {
		switch t[j+1].ndig {
		case 1:
			fen += t[j+1].val * 10
		case 2:
			fen += t[j+1].val
		default:
			return 0, i, false
		}
		j += 2
		if sc.is(j, '.') && sc.kindAt(j+1) == kNum {
			return 0, i, false // 2026.3.5
		}
	}
	switch {
	case sc.is(j, '万') || sc.is(j, '萬'):
		fen, j = fen*10000, j+1
	case sc.is(j, '千'):
		fen, j = fen*1000, j+1
	}
	return fen, j, true
}

// smallUnits reads the jiao and fen after 元 or 块 at j: "5角", "5毛", "5角2分",
// and after 块 a bare digit ("3块5" is 3.50).
func (sc *scan) smallUnits(j int, kuai bool) int64 {
	var fen int64
	d, _, k, ok := sc.zhNum(j)
	if !ok || d > 9 {
		return 0
	}
	switch {
	case sc.isLits(k, "角", "毛"):
		fen = d * 10
		if d2, _, k2, ok := sc.zhNum(k + 1); ok && d2 <= 9 && sc.is(k2, '分') {
			fen += d2
		}
	case sc.is(k, '分'):
		if j > 0 && sc.is(j-1, '元') {
			fen = d
		}
	case kuai && (sc.kindAt(k) != kHan || sc.is(k, '钱')):
		fen = d * 10
	}
	return fen
}
