package extract

import "testing"

type strCase struct {
	name string
	text string
	want string
	ok   bool
}

func runStrCases(t *testing.T, fn string, f func(string) (string, bool), cases []strCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := f(tc.text)
			if got != tc.want || ok != tc.ok {
				t.Errorf("%s(%q) = %q, %v; want %q, %v", fn, tc.text, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestOrderNumber(t *testing.T) {
	runStrCases(t, "OrderNumber", OrderNumber, []strCase{
		{"订单号 colon", "订单号：SO-20261124-0001", "SO-20261124-0001", true},
		{"订单号 no separator", "订单号2026112400123", "2026112400123", true},
		{"订单编号", "订单编号 是 AB12345678", "AB12345678", true},
		{"订单", "我的订单 123456 还没到", "123456", true},
		{"单号", "单号:JD998877", "JD998877", true},
		{"发票号", "发票号：04400123", "04400123", true},
		{"order number is", "my order number is 2026112400123", "2026112400123", true},
		{"order hash", "Order #AB123456", "AB123456", true},
		{"order no.", "order no. 55-77-8899", "55-77-8899", true},
		{"invoice", "invoice: INV-2026-0042", "INV-2026-0042", true},
		{"full-width", "订单号：ＳＯ１２３４５６", "SO123456", true},
		{"mobile after keyword is an order", "订单号13812345678", "13812345678", true},
		{"bare long digits", "20261124001234 这个", "20261124001234", true},
		{"bare mobile is a phone", "13812345678", "", false},
		{"bare mobile after +86", "+86 13812345678", "", false},
		{"bare Taiwan mobile is a phone", "0912345678", "", false},
		{"Taiwan mobile after keyword is an order", "订单号 0912345678", "0912345678", true},
		{"bare digits too short", "123456789", "", false},
		{"too short after keyword", "订单号12345", "", false},
		{"too long after keyword", "order 123456789012345678901234567890123", "", false},
		{"no digit after keyword", "order status please", "", false},
		{"in order to", "in order to fix it", "", false},
		{"order no. read out in groups", "order no. 0912 345 678", "0912345678", true},
		{"order number in two groups", "order number 2026 1001 0912", "202610010912", true},
		{"order then a phone are two numbers", "order 88812345678 0912345678", "88812345678", true},
		{"order with letters keeps its space", "order SO-123 456", "SO-123", true},
		{"单子", "我的單子是 0923-456-781", "0923-456-781", true},
		{"serial number is no order", "序列号 2026100109123", "", false},
		{"serial no. is no order", "serial no. 20261001091234", "", false},
		{"waybill is not an order", "快递单号SF1234567", "", false},
		{"waybill 运单号", "运单号 SF1234567", "", false},
		{"nothing", "你好", "", false},
	})
}

func TestPhone(t *testing.T) {
	runStrCases(t, "Phone", Phone, []strCase{
		{"mobile", "13812345678", "13812345678", true},
		{"mobile in text", "电话13812345678，谢谢", "13812345678", true},
		{"mobile spaced", "call 138 1234 5678", "13812345678", true},
		{"mobile hyphens", "138-1234-5678", "13812345678", true},
		{"mobile full-width", "１３８１２３４５６７８", "13812345678", true},
		{"mobile in Chinese numerals", "电话是一三八一二三四五六七八", "13812345678", true},
		{"mobile with 幺 and spaces", "幺三八 幺二三四 五六七八", "13812345678", true},
		{"Chinese numerals too short", "一二三四五六七", "", false},
		{"Chinese numerals not a mobile", "二三八一二三四五六七八", "", false},
		{"mobile +86", "+86 138-1234-5678", "13812345678", true},
		{"mobile 86 prefix", "8613812345678", "13812345678", true},
		{"international", "+44 20 7946 0958", "+442079460958", true},
		{"international dotted", "+1.415.555.2671", "+14155552671", true},
		{"landline", "010-12345678", "010-12345678", true},
		{"landline parentheses", "(0755) 1234567", "0755-1234567", true},
		{"mobile after a colon", "tel:13812345678", "13812345678", true},
		{"Taiwan mobile", "0912345678", "0912345678", true},
		{"Taiwan mobile in text", "手機0912345678，謝謝", "0912345678", true},
		{"Taiwan mobile hyphens", "0912-345-678", "0912345678", true},
		{"Taiwan mobile spaced", "call me on 0912 345 678", "0912345678", true},
		{"Taiwan mobile 4-6", "0912-345678", "0912345678", true},
		{"Taiwan mobile full-width", "０９１２３４５６７８", "0912345678", true},
		{"Taiwan mobile too long", "09123456789", "", false},
		{"Taiwan mobile then more digits", "0912 345 678 9", "", false},
		{"Taiwan prefix too short", "091234567", "", false},
		{"not 09", "0812345678", "", false},
		{"Taiwan-like order number after keyword", "order number 0912345678", "", false},
		{"Taiwan-like digits in an order number", "SO0912345678", "", false},
		{"date is no Taiwan mobile", "2026-09-12 345678", "", false},
		{"Taiwan mobile 2-4-4 hyphenated", "09-1234-5678", "0912345678", true},
		{"Taiwan mobile 2-4-4 hyphenated in text", "my number is 09-1234-5678, thanks", "0912345678", true},
		{"Taiwan mobile 2-4-4 mixed separators", "09-1234 5678", "", false},
		{"Taiwan mobile 2-4-4 hyphenated then more digits", "09-1234-5678-9", "", false},
		{"Taiwan mobile 2-4-4 spaced", "09 1234 5678", "0912345678", true},
		{"Taiwan mobile 2-4-4 spaced in text", "我的手機是09 1234 5678，謝謝", "0912345678", true},
		{"Taiwan mobile 2-4-4 then more digits", "09 1234 5678 9", "", false},
		{"Taiwan mobile 2-4-4 then letters", "09 1234 5678abc", "", false},
		{"2-4-4 not 09", "08 1234 5678", "", false},
		{"Taiwan mobile +886", "+886 912 345 678", "0912345678", true},
		{"Taiwan mobile +886 hyphens", "+886-912-345-678", "0912345678", true},
		{"Taiwan mobile +886 with its trunk zero", "+886 0912 345 678", "0912345678", true},
		{"Taiwan landline +886 stays international", "+886 2 2345 6789", "+886223456789", true},
		{"mobile +86 spaced", "+86 138 1234 5678", "13812345678", true},
		{"serial number in 2-4-4 groups is no phone", "serial number 09 1234 5678", "", false},
		{"序列号 in 2-4-4 groups is no phone", "序列号 09 1234 5678", "", false},
		{"order number in 2-4-4 groups is no phone", "订单号 09 1234 5678", "", false},
		{"serial number is no phone", "my WM-100 doesn't spin, serial number 0912345678", "", false},
		{"机身序列号 is no phone", "WM-100不转了，机身序列号0987654321", "", false},
		{"S/N is no phone", "S/N: 0912-345-678", "", false},
		{"order number is no phone", "订单号13812345678", "", false},
		{"单子 is no phone", "我的单子是 0923-456-781", "", false},
		{"order no. in groups is no phone", "order no. 0912 345 678", "", false},
		{"phone number is a phone", "phone number: 0912345678", "0912345678", true},
		{"phone after a serial number", "serial number 0912345678, call me on 0987654321", "0987654321", true},
		{"mobile then digit", "13812345678 2", "13812345678", true},
		{"too long", "138123456789", "", false},
		{"not a mobile prefix", "12812345678", "", false},
		{"inside an order number", "SO13812345678", "", false},
		{"too short international", "+12 345", "", false},
		{"nothing", "no phone here", "", false},
	})
}

func TestEmail(t *testing.T) {
	runStrCases(t, "Email", Email, []strCase{
		{"plain", "wang.li@qq.com", "wang.li@qq.com", true},
		{"in chinese text", "邮箱wang.li@qq.com谢谢", "wang.li@qq.com", true},
		{"trailing dot", "write to a+b@mail.example.cn.", "a+b@mail.example.cn", true},
		{"full-width", "ｗａｎｇ＠ｑｑ．ｃｏｍ", "wang@qq.com", true},
		{"case kept", "Li.Wang@Example.COM", "Li.Wang@Example.COM", true},
		{"second is valid", "@ me at x@y.org", "x@y.org", true},
		{"no tld", "a@localhost", "", false},
		{"numeric tld", "a@1.2", "", false},
		{"empty label", "a@b..com", "", false},
		{"local dots", "a..b@c.com", "", false},
		{"no local part", "@qq.com", "", false},
		{"nothing", "你好", "", false},
	})
}
