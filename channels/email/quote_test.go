package email

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTrimQuoted(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"on wrote", "Still broken.\n\nOn Wed, 25 Nov 2026 at 10:00, Support <s@shop.example> wrote:\n> Did that solve it?\n> Reply: Yes / No", "Still broken."},
		{"on wrote on two lines", "no\n\nOn Wed, 25 Nov 2026 at 10:00, Support Team <s@shop.example>\nwrote:\n> question", "no"},
		{"quoted lines inline", "> Has it been dropped?\nno\n> Opened by a third party?\nno", "no\nno"},
		{"outlook original message", "Yes please.\r\n\r\n-----Original Message-----\r\nFrom: Support\r\nSent: Monday\r\n\r\nold", "Yes please."},
		{"outlook header block", "ok\n\n________________________________\nFrom: Support <s@shop.example>\nSent: Monday\nTo: me\n\nold", "ok"},
		{"outlook header block without rule", "ok\n\nFrom: Support <s@shop.example>\nSent: Monday, 2 Nov\nSubject: x\n\nold", "ok"},
		{"chinese gmail", "没有摔过\n\n在 2026年11月25日周三 10:00，客服 <s@shop.example> 写道：\n> 产品是否摔过？", "没有摔过"},
		{"chinese gmail, 于 … 写道", "没有摔过。\n\nSupport <s@shop.example> 于2026年11月25日周三 10:05写道：\n\n> 是否摔过？", "没有摔过。"},
		{"NetEase, 写道 on its own line", "型号是 TV-55X。\n\n在 2026年11月25日 10:05，\"Support\" <s@shop.example>\n写道：\n> 请问您的型号是？", "型号是 TV-55X。"},
		{"NetEase bottom-posted, 写道 on its own line", "在 2026年11月25日 10:05，\"Support\" <s@shop.example>\n写道：\n> 请问您的型号是？\nTV-55X", "TV-55X"},
		{"a sentence starting with 在", "在使用过程中突然断电。\n之后就打不开了", "在使用过程中突然断电。\n之后就打不开了"},
		{"sent from mail for windows", "My fridge stopped cooling.\n\nSent from Mail for Windows", "My fridge stopped cooling."},
		{"NetEase mobile", "空调漏水\n\n发自网易邮箱大师", "空调漏水"},
		{"QQ mobile", "空调漏水\n\n\n来自我的iPhone", "空调漏水"},
		{"a sentence starting with 来自", "来自我的朋友推荐的这款洗衣机，用了三天就坏了，型号 WM-100。", "来自我的朋友推荐的这款洗衣机，用了三天就坏了，型号 WM-100。"},
		{"traditional chinese gmail", "沒有摔過\n\nSupport <s@shop.example> 於 2026年11月25日 週三 上午10:05寫道：\n\n> 是否摔過？", "沒有摔過"},
		{"traditional chinese apple mail", "沒有\n\n在 2026年11月25日 上午10:05，Support <s@shop.example> 寫道：\n> 是否摔過？", "沒有"},
		{"traditional chinese outlook", "是\n\n-----原始郵件-----\n寄件者: Support\n寄件日期: 2026年11月25日\n\n舊的", "是"},
		{"traditional chinese outlook block", "是\n\n寄件者: Support <s@shop.example>\n寄件日期: 2026年11月25日 上午 10:05\n收件者: 我\n主旨: Re: 電視\n\n舊的", "是"},
		{"chinese original", "好的\n\n------------------ 原始邮件 ------------------\n发件人: 客服", "好的"},
		{"QQ separator with non-breaking spaces", "好的\n\n------------------\u00a0原始邮件\u00a0------------------\n发件人: 客服", "好的"},
		{"Foxmail in English", "Still no sound\n\n------------------ Original ------------------\nFrom: Support", "Still no sound"},
		{"NetEase in English", "Still no sound\n\nAt 2026-11-25 10:05:00, \"Support\" <s@shop.example> wrote:\n> Did that solve it?", "Still no sound"},
		{"chinese outlook", "是\n\n发件人: 客服 <s@shop.example>\n发送时间: 2026年11月25日\n收件人: 我", "是"},
		{"signature", "order 88812345678\n\n-- \nAlice Smith\n+86 138 0013 8000", "order 88812345678"},
		{"signature without space", "order 88812345678\n--\nAlice", "order 88812345678"},
		{"sent from my phone", "yes\n\nSent from my iPhone", "yes"},
		{"sent from my phone zh", "是的\n\n发自我的iPhone", "是的"},
		{"nothing to trim", "My TV-55X has no sound.\nI bought it on 2026-04-10.", "My TV-55X has no sound.\nI bought it on 2026-04-10."},
		{"a sentence starting with On", "On Monday it stopped working.\nOn Tuesday too.", "On Monday it stopped working.\nOn Tuesday too."},
		{"dashes in text", "Model -- TV-55X -- no sound", "Model -- TV-55X -- no sound"},
		{"only quoted", "> a\n> b", ""},
		{"bottom-posted", "On Wed, 25 Nov 2026 at 10:00, Support <s@shop.example> wrote:\n> Did that solve it?\n> Reply: Yes / No\n\nno, still broken\n\n-- \nAlice", "no, still broken"},
		{"bottom-posted, wrote on its own line", "On Wed, 25 Nov 2026 at 10:00, Support Team <s@shop.example>\nwrote:\n> question\nno", "no"},
		{"top-posted wins over text below", "yes\n\nOn Wed, 25 Nov 2026 at 10:00, Support <s@shop.example> wrote:\n> question\nno", "yes"},
		{"empty reply above an outlook block", "\n-----Original Message-----\nFrom: Support\nSent: Monday\n\nDid that solve it?", ""},
		{"bottom-posted above an older history", "在 2026年11月25日 10:00，客服 <s@shop.example> 写道：\n> 问题解决了吗？\n没有\n\n发件人: 客服\n发送时间: 昨天\n\n旧的内容", "没有"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := TrimQuoted(tc.in); got != tc.want {
				t.Errorf("TrimQuoted(%q)\n = %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestInlineAnswers(t *testing.T) {
	list := "> Please answer these in your reply, each on its own line with its number (e.g. \"1. yes\"):\n" +
		"> 1. Please give your proof of purchase: the order number, or upload a photo of the invoice or receipt.\n" +
		"> 2. Has the product been dropped, got wet or been knocked?\n" +
		"> 3. Has anyone not authorised by us opened or repaired it?\n"
	for _, tc := range []struct{ name, in, want string }{
		{"under each question",
			"On Wed, 25 Nov 2026 at 10:00, Support <s@shop.example> wrote:\n" +
				"> Please answer these in your reply:\n> 1. Proof of purchase?\norder 88812345678\n> 2. Dropped?\nno, never\n> 3. Opened?\n\nno\n",
			"1. order 88812345678\n2. no, never"}, // "no" after a blank line answers nothing
		{"answer over two lines", "> 1. Proof of purchase?\nthe order number is\n88812345678\n> 2. Dropped?\nno", "1. the order number is 88812345678\n2. no"},
		{"numbered below the quote", "On Wed, Support wrote:\n" + list + "\n1. order 88812345678\n2) no\n3、没有\n\nBest,\nAlice", "1. order 88812345678\n2) no\n3、没有"},
		{"top-posted: nothing more", "1. order 88812345678\n2. no\n\nOn Wed, Support wrote:\n" + list, ""},
		{"chinese, full-width", "> １．请提供购买凭证\n没有凭证\n> ２．是否摔过？\n没有", "１. 没有凭证\n２. 没有"},
		{"quoted deeper", ">> 1. Proof?\n> old answer\nnew answer", "1. new answer"},
		{"signature ends it", "> 1. Proof?\n88812345678\n-- \n> 2. Dropped?\nno", "1. 88812345678"},
		{"no list", "Thanks!\n\nOn Wed, Support wrote:\n> Did that solve the problem?\nno", ""},
		{"first mail with numbers", "1. no sound\n2. bought in March", ""},
		{"numbers below the quote that are no answers", "> Did it help?\n1.5 hours later it stopped\n10:30 today", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := InlineAnswers(tc.in); got != tc.want {
				t.Errorf("InlineAnswers(%q)\n = %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzTrimQuoted: no panic, never longer than the input, valid UTF-8 in,
// valid UTF-8 out, and trimming twice changes nothing more than once; the
// courtesy trimmed after it is no longer either and leaves some text.
func FuzzTrimQuoted(f *testing.F) {
	for _, s := range []string{"a\n> b", "x\nOn Mon, a <b@c> wrote:\n> y", "在 2026年 写道：", "-- \nsig", "\r\r\n\n", "On 1\nwrote:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := TrimQuoted(s)
		if len(got) > len(s) {
			t.Fatalf("longer: %q -> %q", s, got)
		}
		if c := TrimCourtesy(got); len(c) > len(got) || (got != "" && strings.TrimSpace(c) == "") {
			t.Fatalf("TrimCourtesy(%q) = %q: longer, or emptied", got, c)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		if strings.Contains(got, "\r") {
			t.Fatalf("CR kept: %q", got)
		}
	})
}

func TestTrimCourtesy(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"greeting and sign-off", "Hi,\n\nmy TV-55X has no sound.\n\nThanks,\nJo", "my TV-55X has no sound."},
		{"dear and regards with two name lines", "Dear Sir or Madam,\nThe printer jams.\nBest regards\nJo Smith\nACME Ltd", "The printer jams."},
		{"chinese", "您好：\n洗衣机不转了。\n谢谢！\n王芳", "洗衣机不转了。"},
		{"a phone under the sign-off stays", "Hi,\nno sound\nThanks,\nJo\n138 0013 8000", "no sound\nThanks,\nJo\n138 0013 8000"},
		{"only thanks", "Thanks!", "Thanks!"},
		{"only a greeting", "Hello,", "Hello,"},
		{"a sentence starting with hi is kept", "Hi there, my order 123 never came and the box was damaged when it arrived", "Hi there, my order 123 never came and the box was damaged when it arrived"},
		{"a word starting like a greeting", "Hill street 5 is my address", "Hill street 5 is my address"},
		{"thanks inside the text", "It works now, thanks for the steps.\nBye", "It works now, thanks for the steps.\nBye"},
		{"no courtesy", "1. no\n2. yes", "1. no\n2. yes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := TrimCourtesy(tc.in); got != tc.want {
				t.Errorf("TrimCourtesy(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
