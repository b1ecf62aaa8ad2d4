package email

import (
	"encoding/base64"
	"strings"
	"testing"
)

// The mails of customers' real clients (QQ Mail, NetEase 163, Foxmail,
// Outlook, Apple Mail, Gmail, forwards, auto-replies, bounces), as raw
// RFC 5322 with MIME, and what of each the bot reads as a reply in a
// conversation: no quoted history, no signature, nothing of a machine's.

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func clientCorpus(t *testing.T) map[string]string {
	g := func(s string) string { return string(gbk(t, s)) }
	c := map[string]string{}
	// QQ Mail reply, GBK base64, html+plain
	qqBody := "洗衣机还是不转，我已经按您说的重启过了。\n\n\n------------------ 原始邮件 ------------------\n发件人: \"Support\"<service@shop.example>;\n发送时间: 2026年11月25日(星期三) 上午10:05\n收件人: \"张三\"<zhang@qq.com>;\n主题: Re: 洗衣机不转 [T-1001]\n\n请问您试过重启吗？\n"
	c["qq-reply"] = "From: =?gb18030?B?" + b64([]byte(g("张三"))) + "?= <zhang@qq.com>\nTo: service@shop.example\nSubject: =?gb18030?B?" + b64([]byte(g("回复：Re: 洗衣机不转 [T-1001]"))) + "?=\nMessage-ID: <tencent_1@qq.com>\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"----=_NextPart_1\"\n\n------=_NextPart_1\nContent-Type: text/plain; charset=\"gb18030\"\nContent-Transfer-Encoding: base64\n\n" + b64([]byte(g(qqBody))) + "\n\n------=_NextPart_1\nContent-Type: text/html; charset=\"gb18030\"\nContent-Transfer-Encoding: base64\n\n" + b64([]byte(g("<div>洗衣机还是不转</div>"))) + "\n\n------=_NextPart_1--\n"
	// QQ mail without blank line, "------------------&nbsp;原始邮件&nbsp;------------------" HTML only
	qqHTML := "<div>好的，订单号是 888123456。</div><div><br></div><div>------------------&nbsp;原始邮件&nbsp;------------------</div><div><b>发件人:</b>&nbsp;\"Support\"&lt;service@shop.example&gt;;</div><div><b>发送时间:</b>&nbsp;2026年11月25日(星期三) 上午10:05</div><div><b>收件人:</b>&nbsp;\"张三\"&lt;zhang@qq.com&gt;;</div><div><b>主题:</b>&nbsp;Re: 洗衣机不转</div><div>请提供订单号</div>"
	c["qq-html-only"] = "From: zhang@qq.com\nTo: service@shop.example\nSubject: =?gb18030?B?" + b64([]byte(g("回复：洗衣机不转"))) + "?=\nMessage-ID: <tencent_2@qq.com>\nMIME-Version: 1.0\nContent-Type: text/html; charset=\"gb18030\"\nContent-Transfer-Encoding: base64\n\n" + b64([]byte(g(qqHTML))) + "\n"
	// 163 reply
	c["163-reply"] = "From: li@163.com\nTo: service@shop.example\nSubject: =?GBK?B?" + b64([]byte(g("Re:Re: 电视没有声音"))) + "?=\nMessage-ID: <1a2b.3c@163.com>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=GBK\nContent-Transfer-Encoding: base64\n\n" + b64([]byte(g("还是没有声音。\n\n\n\n\n\n在 2026-11-25 10:05:00，\"Support\" <service@shop.example> 写道：\n>请问您的型号是？\n"))) + "\n"
	// 163 style "在 2026年11月25日 … 写道：" split over two lines
	c["163-twoline"] = "From: li@163.com\nTo: service@shop.example\nSubject: Re: TV\nMessage-ID: <1a2c.3c@163.com>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=GBK\nContent-Transfer-Encoding: base64\n\n" + b64([]byte(g("型号是 TV-55X。\n\n在 2026年11月25日 10:05，\"Support\" <service@shop.example>\n写道：\n> 请问您的型号是？\n"))) + "\n"
	// Foxmail
	c["foxmail"] = "From: wang@foxmail.com\nTo: service@shop.example\nSubject: =?gb2312?B?" + b64([]byte(g("回复: 退货"))) + "?=\nMessage-ID: <202611251005.123@foxmail.com>\nX-Mailer: Foxmail 7.2\nMIME-Version: 1.0\nContent-Type: text/plain; charset=\"gb2312\"\nContent-Transfer-Encoding: base64\n\n" + b64([]byte(g("我想退货。\n\n\n\nwang@foxmail.com\n \n发件人： Support\n发送时间： 2026-11-25 10:05\n收件人： wang@foxmail.com\n主题： Re: 退货\n请问原因？\n"))) + "\n"
	// Foxmail with From: Support <…> block preceded by signature "--------------"
	c["foxmail-sig"] = "From: wang@foxmail.com\nTo: service@shop.example\nSubject: test\nMessage-ID: <202611251006.1@foxmail.com>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=\"GB18030\"\nContent-Transfer-Encoding: base64\n\n" + b64([]byte(g("冰箱不制冷了，型号 BCD-500。\n\n\n\n--------------\n王五\n\n"))) + "\n"
	// Outlook HTML only with From/Sent block
	c["outlook-html"] = "From: \"Smith, John\" <john.smith@contoso.com>\nTo: service@shop.example\nSubject: RE: TV-55X no sound [T-1001]\nMessage-ID: <DM6PR01MB1234@namprd01.prod.outlook.com>\nThread-Topic: TV-55X no sound\nMIME-Version: 1.0\nContent-Type: text/html; charset=\"us-ascii\"\nContent-Transfer-Encoding: quoted-printable\n\n<html><head><style>p{margin:0}</style></head><body><div class=3D\"WordSection1\"><p class=3D\"MsoNormal\">Still no sound after the reset.<o:p></o:p></p><p class=3D\"MsoNormal\"><o:p>&nbsp;</o:p></p><div><div style=3D\"border:none;border-top:solid #E1E1E1 1.0pt\"><p class=3D\"MsoNormal\"><b>From:</b> Support &lt;service@shop.example&gt;<br><b>Sent:</b> Wednesday, November 25, 2026 10:05 AM<br><b>To:</b> Smith, John &lt;john.smith@contoso.com&gt;<br><b>Subject:</b> Re: TV-55X no sound [T-1001]<o:p></o:p></p></div></div><p>Did you try resetting?</p></div></body></html>\n"
	// Outlook with winmail.dat
	c["outlook-tnef"] = "From: john.smith@contoso.com\nTo: service@shop.example\nSubject: invoice\nMessage-ID: <tnef1@contoso.com>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain; charset=\"us-ascii\"\n\nPlease find my invoice attached.\n\n--b1\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\nContent-Disposition: attachment; filename=\"winmail.dat\"\nContent-Transfer-Encoding: base64\n\neJ8+IgEAAQ==\n--b1--\n"
	// Apple Mail format=flowed
	c["apple-flowed"] = "From: Alice <alice@icloud.com>\nTo: service@shop.example\nSubject: Re: TV-55X no sound\nMessage-ID: <A1B2@icloud.com>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\nContent-Transfer-Encoding: quoted-printable\n\nI tried the reset but the TV still has no sound at all, even with =\nheadphones plugged in. The order number is 88812345678. \nIt was bought in April.\n\nSent from my iPhone\n\n> On 25 Nov 2026, at 10:05, Support <service@shop.example> wrote:\n> \n> Did you try resetting?\n"
	// Gmail
	c["gmail"] = "From: Bob <bob.c@gmail.com>\nTo: service@shop.example\nSubject: Re: TV-55X no sound\nMessage-ID: <CAF=abc@mail.gmail.com>\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"000\"\n\n--000\nContent-Type: text/plain; charset=\"UTF-8\"\n\nYes it was dropped once.\n\nOn Wed, Nov 25, 2026 at 10:05 AM Support <service@shop.example>\nwrote:\n\n> Has it been dropped?\n>\n\n--000\nContent-Type: text/html; charset=\"UTF-8\"\n\n<div dir=3D\"ltr\">Yes</div>\n--000--\n"
	// Gmail Chinese locale
	c["gmail-zh"] = "From: chen@gmail.com\nTo: service@shop.example\nSubject: Re: TV\nMessage-ID: <CAF=zh@mail.gmail.com>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=\"UTF-8\"\n\n没有摔过。\n\nSupport <service@shop.example> 于2026年11月25日周三 10:05写道：\n\n> 是否摔过？\n"
	// Forwarded mail
	c["forward"] = "From: carol@example.org\nTo: service@shop.example\nSubject: Fwd: Your order 88812345678\nMessage-ID: <fwd1@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nThe TV from this order does not turn on.\n\n---------- Forwarded message ---------\nFrom: Shop <orders@shop.example>\nDate: Mon, Apr 10, 2026\nSubject: Your order 88812345678\nTo: carol@example.org\n\nThanks for your order.\n"
	// Forward with nothing written above
	c["forward-bare"] = "From: carol@example.org\nTo: service@shop.example\nSubject: Fwd: Your order 88812345678\nMessage-ID: <fwd2@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n---------- Forwarded message ---------\nFrom: Shop <orders@shop.example>\nDate: Mon, Apr 10, 2026\nSubject: Your order 88812345678\nTo: carol@example.org\n\nThanks for your order.\n"
	// OOO
	c["ooo-headers"] = "From: dan@example.com\nTo: service@shop.example\nSubject: Automatic reply: Re: TV\nAuto-Submitted: auto-replied\nMessage-ID: <ooo1@example.com>\n\nI am out of office.\n"
	c["ooo-zh-subject"] = "From: zhao@163.com\nTo: service@shop.example\nSubject: =?UTF-8?B?" + b64([]byte("自动回复: Re: 电视")) + "?=\nMessage-ID: <ooo2@163.com>\nContent-Type: text/plain; charset=utf-8\n\n您好，我正在休假。\n"
	c["ooo-zh-subject-after-re"] = "From: zhao@qq.com\nTo: service@shop.example\nSubject: =?UTF-8?B?" + b64([]byte("Re: 电视 [T-1001] 自动回复")) + "?=\nMessage-ID: <ooo3@qq.com>\nContent-Type: text/plain; charset=utf-8\n\n这是来自QQ邮箱的假期自动回复邮件。\n您好，我最近正在休假中，无法亲自回复您的邮件。\n"
	c["ooo-xautoreply"] = "From: e@example.com\nTo: service@shop.example\nSubject: Re: TV\nX-Autoreply: yes\nMessage-ID: <ooo4@example.com>\n\naway\n"
	c["ooo-x-autoreply-ms"] = "From: f@example.com\nTo: service@shop.example\nSubject: Out of Office: Re: TV\nMessage-ID: <ooo5@example.com>\n\naway\n"
	c["ooo-vacation-exchange"] = "From: g@example.com\nTo: service@shop.example\nSubject: Re: TV\nX-MS-Exchange-Inbox-Rules-Loop: g@example.com\nMessage-ID: <ooo6@example.com>\n\nI'm away\n"
	// Automatic replies marked only by a header of their own: Exchange's
	// out-of-office or inbox rule ("thank you, we received…"), a mail
	// Exchange generated, a responder's X-Loop, X-Autorespond.
	c["ooo-exchange-generated"] = "From: \"Helpdesk, Contoso\" <helpdesk@contoso.com>\nTo: service@shop.example\nSubject: RE: TV-55X no sound [T-1001]\nMessage-ID: <DM6PR01MB9999@namprd01.prod.outlook.com>\nThread-Topic: TV-55X no sound\nX-MS-Exchange-Inbox-Rules-Loop: helpdesk@contoso.com\nX-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent\nX-MS-Has-Attach:\nX-MS-TNEF-Correlator:\nMIME-Version: 1.0\nContent-Type: text/html; charset=\"us-ascii\"\nContent-Transfer-Encoding: quoted-printable\n\n<html><body><p class=3D\"MsoNormal\">Thank you for your message. Our team will get back to you within two working days.</p></body></html>\n"
	c["ooo-exchange-suppress"] = "From: \"Smith, John\" <john.smith@contoso.com>\nTo: service@shop.example\nSubject: RE: TV-55X no sound\nMessage-ID: <DM6PR01MB8888@namprd01.prod.outlook.com>\nX-Auto-Response-Suppress: All\nX-MS-Has-Attach:\nContent-Type: text/plain; charset=\"us-ascii\"\n\nI am travelling until 30 November with limited access to email.\n"
	c["ooo-x-loop"] = "From: Service Desk <desk@vendor.example>\nTo: service@shop.example\nSubject: [Ticket#2026112510000013] Re: TV-55X no sound\nMessage-ID: <1764050700.4711@vendor.example>\nX-Loop: desk@vendor.example\nContent-Type: text/plain; charset=utf-8\n\nYour request has been received and will be handled shortly.\n"
	c["ooo-x-loop-bare"] = "From: h@example.org\nTo: service@shop.example\nSubject: Re: TV\nMessage-ID: <ooo7@example.org>\nX-Loop: yes\nContent-Type: text/plain; charset=utf-8\n\nThanks, I will read your mail when I am back.\n"
	c["ooo-xautorespond"] = "From: i@example.com\nTo: service@shop.example\nSubject: Re: TV\nMessage-ID: <ooo8@example.com>\nX-Autorespond: Re: TV\nContent-Type: text/plain; charset=utf-8\n\nI am on leave until Monday.\n"
	// A customer's mail that an inbox rule of another mailbox of the company
	// redirected to the support address: the rule's headers name that
	// mailbox, the customer is the sender, and it is answered.
	c["redirected-by-rule"] = "From: \"Wang, Lei\" <wang.lei@example.net>\nTo: info@shop.example\nSubject: TV-55X no sound\nMessage-ID: <redir1@example.net>\nX-MS-Exchange-Inbox-Rules-Loop: info@shop.example\nX-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent\nContent-Type: text/plain; charset=\"us-ascii\"\n\nThe TV-55X I bought last week has no sound.\n"
	// A person's Outlook mail carries X- headers of its own: it is answered.
	c["outlook-x-headers"] = "From: \"Smith, John\" <john.smith@contoso.com>\nTo: service@shop.example\nSubject: TV-55X no sound\nMessage-ID: <DM6PR01MB7777@namprd01.prod.outlook.com>\nThread-Topic: TV-55X no sound\nThread-Index: AdtfQ1Q2xyz==\nX-MS-Has-Attach:\nX-MS-TNEF-Correlator:\nX-MS-Exchange-Organization-SCL: 1\nX-MS-Exchange-CrossTenant-OriginalArrivalTime: 25 Nov 2026 02:05:00.0000 (UTC)\nX-Originating-IP: [203.0.113.7]\nX-Mailer: Microsoft Outlook 16.0\nX-Priority: 3\nContent-Type: text/plain; charset=\"us-ascii\"\n\nThe TV-55X I bought last week has no sound.\n"
	// Bounce DSN
	c["bounce"] = "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\nTo: service@shop.example\nSubject: Undelivered Mail Returned to Sender\nMessage-ID: <dsn1@mx.example.com>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\n\n--r\nContent-Type: text/plain\n\nThis is the mail system.\n--r\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\nFinal-Recipient: rfc822; gone@example.com\nAction: failed\nStatus: 5.1.1\n\n--r\nContent-Type: message/rfc822\n\nFrom: service@shop.example\nSubject: Re: TV\nMessage-ID: <supportd.x.1@shop.example>\n\nhello\n--r--\n"
	c["bounce-noreport"] = "From: postmaster@qq.com\nTo: service@shop.example\nSubject: =?UTF-8?B?" + b64([]byte("退信")) + "?=\nMessage-ID: <dsn2@qq.com>\n\nThe mail could not be delivered\n"
	// Only an attachment
	c["only-attachment"] = "From: hank@example.com\nTo: service@shop.example\nSubject: \nMessage-ID: <att1@example.com>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: image/jpeg; name=\"IMG_0001.jpg\"\nContent-Disposition: attachment; filename=\"IMG_0001.jpg\"\nContent-Transfer-Encoding: base64\n\n/9j/4AAQSkZJRgABAQ==\n--b--\n"
	c["only-attachment-inline-img"] = "From: hank@example.com\nTo: service@shop.example\nSubject: receipt\nMessage-ID: <att2@example.com>\nMIME-Version: 1.0\nContent-Type: multipart/related; boundary=\"b\"\n\n--b\nContent-Type: text/html; charset=utf-8\n\n<div><img src=\"cid:ii_1\"></div>\n--b\nContent-Type: image/png\nContent-ID: <ii_1>\nContent-Disposition: inline\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b--\n"
	// Attachment with RFC 2231 Chinese filename
	c["att-zh-name"] = "From: hank@example.com\nTo: service@shop.example\nSubject: invoice\nMessage-ID: <att3@example.com>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\nsee attached\n--b\nContent-Type: application/pdf; name=\"=?GBK?B?" + b64([]byte(g("发票.pdf"))) + "?=\"\nContent-Disposition: attachment; filename=\"=?GBK?B?" + b64([]byte(g("发票.pdf"))) + "?=\"\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n--b--\n"
	// Outlook Rich Text: the invoice inside winmail.dat (TestParseWinmailDat checks the files)
	c["outlook-tnef-invoice"] = "From: \"Smith, John\" <john.smith@contoso.com>\nTo: service@shop.example\nSubject: TV-55X no sound\nMessage-ID: <DM6PR01MB5555@namprd01.prod.outlook.com>\nX-MS-Has-Attach: yes\nX-MS-TNEF-Correlator: <DM6PR01MB5555@namprd01.prod.outlook.com>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"_000_DM6PR01MB5555_\"\n\n--_000_DM6PR01MB5555_\nContent-Type: text/plain; charset=\"us-ascii\"\n\nThe TV-55X has no sound. Photo of the invoice attached.\n\n--_000_DM6PR01MB5555_\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\nContent-Disposition: attachment; filename=\"winmail.dat\"\nContent-Transfer-Encoding: base64\n\n" + b64(outlookTNEF("invoice.jpg", jpegBytes)) + "\n--_000_DM6PR01MB5555_--\n"
	// Signature variants
	c["sig-dashes-nospace"] = "From: ivy@example.com\nTo: service@shop.example\nSubject: Fridge\nMessage-ID: <sig1@example.com>\nContent-Type: text/plain; charset=utf-8\n\nMy fridge FR-200 stopped cooling yesterday.\n\nBest regards,\nIvy Chen\nSenior Buyer | Acme Ltd\nTel +86 21 5555 0000\nwww.acme.example\n"
	c["sig-sent-from-mail-windows"] = "From: ivy@example.com\nTo: service@shop.example\nSubject: Fridge\nMessage-ID: <sig2@example.com>\nContent-Type: text/plain; charset=utf-8\n\nMy fridge FR-200 stopped cooling yesterday.\n\nSent from Mail for Windows\n"
	c["sig-163-mobile"] = "From: li@163.com\nTo: service@shop.example\nSubject: x\nMessage-ID: <sig3@163.com>\nContent-Type: text/plain; charset=utf-8\n\n空调漏水\n\n发自网易邮箱大师\n"
	c["sig-qq-mobile"] = "From: li@qq.com\nTo: service@shop.example\nSubject: x\nMessage-ID: <sig4@qq.com>\nContent-Type: text/plain; charset=utf-8\n\n空调漏水\n\n\n\n\n\n\n来自我的iPhone\n"
	// Reply quoting our reply in Outlook plain text with "-----Original Message-----"
	c["outlook-plain-orig"] = "From: john.smith@contoso.com\nTo: service@shop.example\nSubject: RE: TV\nMessage-ID: <op1@contoso.com>\nContent-Type: text/plain; charset=utf-8\n\nno\n\n-----Original Message-----\nFrom: Support <service@shop.example>\nSent: Wednesday\nSubject: Re: TV\n\nHas it been dropped?\n"
	// Outlook "________________________________" then block
	c["outlook-rule"] = "From: john.smith@contoso.com\nTo: service@shop.example\nSubject: RE: TV\nMessage-ID: <op2@contoso.com>\nContent-Type: text/plain; charset=utf-8\n\nno\n\n________________________________\nFrom: Support <service@shop.example>\nSent: Wednesday, November 25, 2026 10:05 AM\n\nHas it been dropped?\n"
	// Outlook Chinese: 发件人: ... 发送时间
	c["outlook-zh"] = "From: liu@corp.cn\nTo: service@shop.example\nSubject: =?UTF-8?B?" + b64([]byte("答复: 电视")) + "?=\nMessage-ID: <oz1@corp.cn>\nContent-Type: text/plain; charset=utf-8\n\n没有摔过\n\n发件人: Support <service@shop.example>\n发送时间: 2026年11月25日 10:05\n收件人: liu@corp.cn\n主题: Re: 电视\n\n是否摔过？\n"
	// Very long mail
	c["long"] = "From: long@example.com\nTo: service@shop.example\nSubject: Long story\nMessage-ID: <long1@example.com>\nContent-Type: text/plain; charset=utf-8\n\nMy TV-55X has no sound.\n" + strings.Repeat("It all started when I moved house and the cable was different. ", 400) + "\n"
	// plain text wrapped quoted-printable utf-8 with subject RFC 2047 split
	c["subj-split"] = "From: x@example.com\nTo: service@shop.example\nSubject: =?UTF-8?B?" + b64([]byte("洗衣机")) + "?=\n =?UTF-8?B?" + b64([]byte("漏水")) + "?=\nMessage-ID: <ss@example.com>\nContent-Type: text/plain; charset=utf-8\n\n请帮忙\n"
	// Subject with double Re and 回复
	c["subj-rere"] = "From: x@example.com\nTo: service@shop.example\nSubject: =?UTF-8?B?" + b64([]byte("回复：回复：Re: RE: 洗衣机 [T-1001]")) + "?=\nMessage-ID: <ss2@example.com>\nContent-Type: text/plain; charset=utf-8\n\n好的\n"
	c["subj-re-nospace"] = "From: x@example.com\nTo: service@shop.example\nSubject: Re:Re:Fw: AW: TV\nMessage-ID: <ss3@example.com>\nContent-Type: text/plain; charset=utf-8\n\nok\n"
	c["subj-Re-brackets"] = "From: x@example.com\nTo: service@shop.example\nSubject: [EXTERNAL] RE: TV [T-1001]\nMessage-ID: <ss4@example.com>\nContent-Type: text/plain; charset=utf-8\n\nok\n"
	// HTML gmail reply with gmail_quote div (not blockquote-prefixed lines)
	c["gmail-html-only"] = "From: bob.c@gmail.com\nTo: service@shop.example\nSubject: Re: TV\nMessage-ID: <CAF=h@mail.gmail.com>\nMIME-Version: 1.0\nContent-Type: text/html; charset=UTF-8\n\n<div dir=\"ltr\">It was never dropped.</div><br><div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">On Wed, Nov 25, 2026 at 10:05 AM Support &lt;service@shop.example&gt; wrote:<br></div><blockquote class=\"gmail_quote\">Has it been dropped?<br>Reply: Yes / No</blockquote></div>\n"
	// Unknown charset
	c["unknown-charset"] = "From: y@example.com\nTo: service@shop.example\nSubject: hi\nMessage-ID: <uc@example.com>\nContent-Type: text/plain; charset=x-unknown\n\nmy kettle broke\n"
	// GB2312 declared, actually GBK chars (e.g. 镕)
	c["gb2312-gbkchars"] = "From: y@example.com\nTo: service@shop.example\nSubject: hi\nMessage-ID: <gb@example.com>\nContent-Type: text/plain; charset=gb2312\n\n" + g("朱镕基的电视坏了") + "\n"
	// iPhone Chinese quote header "在 2026年11月25日，10:05，Support <…> 写道：" prefixed by ">"?
	c["iphone-zh"] = "From: z@icloud.com\nTo: service@shop.example\nSubject: Re: TV\nMessage-ID: <iz@icloud.com>\nContent-Type: text/plain; charset=utf-8\n\n没有\n\n发自我的iPhone\n\n> 在 2026年11月25日，10:05，Support <service@shop.example> 写道：\n> \n> 是否摔过？\n"
	return c
}

// TestClientsCorpus: what the bot reads of each mail of clientCorpus
// (threaded into a conversation, so without the subject), and which are
// automatic (recorded, never answered).
func TestClientsCorpus(t *testing.T) {
	want := map[string]string{
		"qq-reply":                   "洗衣机还是不转，我已经按您说的重启过了。",
		"qq-html-only":               "好的，订单号是 888123456。",
		"163-reply":                  "还是没有声音。",
		"163-twoline":                "型号是 TV-55X。",
		"foxmail":                    "我想退货。\n\n\n\nwang@foxmail.com", // Foxmail's address signature stays (not told from text)
		"outlook-html":               "Still no sound after the reset.",
		"outlook-tnef":               "Please find my invoice attached.",
		"outlook-tnef-invoice":       "The TV-55X has no sound. Photo of the invoice attached.",
		"outlook-plain-orig":         "no",
		"outlook-rule":               "no",
		"outlook-zh":                 "没有摔过",
		"apple-flowed":               "I tried the reset but the TV still has no sound at all, even with headphones plugged in. The order number is 88812345678.\nIt was bought in April.",
		"gmail":                      "Yes it was dropped once.",
		"gmail-html-only":            "It was never dropped.",
		"gmail-zh":                   "没有摔过。",
		"iphone-zh":                  "没有",
		"forward":                    "The TV from this order does not turn on.",
		"forward-bare":               "Your order 88812345678",
		"only-attachment":            "",
		"only-attachment-inline-img": "receipt",
		"att-zh-name":                "see attached",
		"sig-sent-from-mail-windows": "My fridge FR-200 stopped cooling yesterday.",
		"sig-163-mobile":             "空调漏水",
		"sig-qq-mobile":              "空调漏水",
		"subj-split":                 "请帮忙",
		"subj-rere":                  "好的",
		"subj-re-nospace":            "ok",
		"subj-Re-brackets":           "ok",
		"unknown-charset":            "my kettle broke",
		"gb2312-gbkchars":            "朱镕基的电视坏了",
		"outlook-x-headers":          "The TV-55X I bought last week has no sound.",
		"redirected-by-rule":         "The TV-55X I bought last week has no sound.",
	}
	// Known and left as they are: a corporate signature under "Best
	// regards," (a phone number under a sign-off stays, see docs), Foxmail's
	// "-------------- name" signature, a very long mail.
	unchecked := map[string]bool{"long": true, "sig-dashes-nospace": true, "foxmail-sig": true}
	auto := map[string]bool{"ooo-headers": true, "ooo-zh-subject": true, "ooo-zh-subject-after-re": true, "ooo-xautoreply": true,
		"ooo-x-autoreply-ms": true, "ooo-vacation-exchange": true, "ooo-exchange-generated": true, "ooo-exchange-suppress": true,
		"ooo-x-loop": true, "ooo-x-loop-bare": true, "ooo-xautorespond": true, "bounce": true, "bounce-noreport": true}
	for name, raw := range clientCorpus(t) {
		t.Run(name, func(t *testing.T) {
			m, err := Parse([]byte(strings.ReplaceAll(raw, "\n", "\r\n")), 10<<20)
			if err != nil {
				t.Fatal(err)
			}
			if got := automated(m) != ""; got != auto[name] {
				t.Errorf("automated %v (%q), want %v", got, automated(m), auto[name])
			}
			if auto[name] || unchecked[name] {
				return
			}
			w, ok := want[name]
			if !ok {
				t.Fatalf("no expectation for %s", name)
			}
			if got := inboundFor(m, "c1", m.Key(), nil, 10<<20).Text; got != w {
				t.Errorf("the bot reads %q\nwant %q", got, w)
			}
		})
	}
}
