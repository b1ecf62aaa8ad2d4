package dialog

import (
	"maps"
	"strings"
	"testing"
	"unicode"
)

func TestCueNegation(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int
	}{
		{"i dropped it", 1},
		{"it fell off the table", 1},
		{"it was never dropped", -1},
		{"no, it was never dropped", -1},
		{"it has not been dropped or got wet", -1},
		{"it hasn't been dropped", -1},
		{"no water damage", -1},
		{"no, it fell off the shelf", 1}, // the "no" answers something else: the clause says it fell
		{"not dropped, but it got wet", 1},
		{"the screen is dark", 0},
		{"it stopped working and then it fell", 1},
		{"it didn't turn on after it fell", 1},
		{"摔过一次", 1},
		{"不小心摔了", 1},
		{"没想到摔了一下", 1},
		{"没有摔过", -1},
		{"从来没摔过", -1},
		{"没有进水，但是摔过", 1},
		{"没被撞过", -1},
		{"未曾进水", -1},
	} {
		if got := cue(norm(tc.text), misuseCues); got != tc.want {
			t.Errorf("cue(%q) = %d, want %d", tc.text, got, tc.want)
		}
	}
}

func TestNumberedAnswers(t *testing.T) {
	for _, tc := range []struct {
		text string
		n    int
		want map[int]string
	}{
		{"1. order 888\n2. no\n3) no\n4、不是", 4, map[int]string{1: "order 888", 2: "no", 3: "no", 4: "不是"}},
		{"Hi,\n 2: yes \nThanks", 3, map[int]string{2: "yes"}},
		{"１．是\n２：否", 2, map[int]string{1: "是", 2: "否"}}, // full-width digits and marks
		{"1. yes\n1. no", 2, map[int]string{1: "yes"}},  // the first answer counts
		{"5. yes\n0. no", 4, nil},                       // no such question
		{"2026-04-10 is the date\n88812345678", 4, nil}, // numbers, not numbered answers
		{"1. yes", 0, nil},                              // no list was asked
		{"12. yes", 12, map[int]string{12: "yes"}},
		{"1-2 times a day", 3, nil},
		{"1.5 hours after it starts\n1:30 in the morning", 3, nil},
		{"1 . yes\n2 ) no", 2, map[int]string{1: "yes", 2: "no"}},
		{"一、WM-100\n二、2026年3月1日\n三、不脱水", 3, map[int]string{1: "WM-100", 2: "2026年3月1日", 3: "不脱水"}}, // Chinese numbering
		{"十、是", 10, map[int]string{10: "是"}},
		{"一个月前买的\n好的、谢谢", 3, nil}, // no numbering
	} {
		got := numberedAnswers(tc.text, tc.n)
		if !maps.Equal(got, tc.want) {
			t.Errorf("numberedAnswers(%q, %d) = %v, want %v", tc.text, tc.n, got, tc.want)
		}
	}
}

func TestScoreOnly(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"5", true}, {"4 stars", true}, {"★★★★", true}, {"5分", true}, {"五星", true}, {"3/5", true}, {"4 out of 5!", true},
		{"4 stars, the technician came late", false}, {"5分，师傅很专业", false}, {"2 - nobody called back", false},
	} {
		if got := scoreOnly(tc.text); got != tc.want {
			t.Errorf("scoreOnly(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestWantsHuman(t *testing.T) {
	for text, want := range map[string]bool{
		"can I talk to a real person please": true, "I need a person again": true, "let me speak to someone": true,
		"转人工": true, "人工": true, "我要人工服务": true, "帮我转客服": true, "Agent": true, "representative please": true,
		"I want to speak with a representative": true, "人工费多少钱": false, "a person came to install it": false,
		"the agent was rude": false, "my TV-55X has no sound": false, "客服态度很差": false,
	} {
		if got := wantsHuman(text); got != want {
			t.Errorf("wantsHuman(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestTicketRef(t *testing.T) {
	for text, want := range map[string]string{
		"what's the status of T-1001?": "T-1001", "Ｔ－１００２ 怎么样了": "T-1002", "t1003 现在什么状态": "T-1003",
		"my order T20240502 hasn't arrived": "", "TV-5500 broke": "", "at-1001": "", "t-0001001": "T-1001",
	} {
		n := norm(text)
		if got := ticketNamed(n, containsAny(n, statusCues...)); got != want {
			t.Errorf("%q: ticket %q, want %q", text, got, want)
		}
	}
}

func TestPlainLang(t *testing.T) {
	for text, want := range map[string]string{
		"I need someone to install my TV-65X": "en", "我要预约安装": "zh", "TV-55X": "", "ok": "", "好的": "",
		"yes please": "", "订单号 TB2024050299": "zh", "choice:yes": "", "my TV is broken": "en", "杭州市南京路12号": "zh",
		"Hi, my 扫地机器人 stopped charging": "en", "我想return这个product，因为quality太差": "zh",
		"我的TV55X电视黑屏了, bought last year": "zh", "my 电视 has no 声音": "en", "my 电视 is broken, 我很着急": "en",
	} {
		if got := plainLang(text); got != want {
			t.Errorf("plainLang(%q) = %q, want %q", text, got, want)
		}
	}
}

// The language of a first message: Chinese with English words or a model
// in it is Chinese, English around a Chinese product name is English.
func TestDetectLang(t *testing.T) {
	for text, want := range map[string]string{
		"Hi, my 扫地机器人 stopped charging": "en", "my 电视 has no 声音": "en", "我的TV-55X没有声音": "zh",
		"我想return这个product，因为quality太差": "zh", "Hello，我的电视坏了": "zh", "好": "zh", "TV-55X": "en",
		"hi": "en", "😡": "", "2026-04-10": "", "intent:repair": "", "TV 好": "zh", "ok 好": "zh",
	} {
		if got := detectLang(text); got != want {
			t.Errorf("detectLang(%q) = %q, want %q", text, got, want)
		}
	}
}

// A command in a few words more is the command; words that only start like
// one are not.
func TestCommandOf(t *testing.T) {
	for text, want := range map[string]command{
		"算了": cmdCancel, "那算了": cmdCancel, "算了吧": cmdCancel, "还是算了": cmdCancel, "那就不用了": cmdCancel,
		"never mind then": cmdCancel, "cancel please": cmdCancel, "oh, forget it.": cmdCancel, "算了，谢谢": cmdCancel, "ok cancel": cmdCancel,
		"?": cmdHelp, "？？": cmdHelp, " ? ": cmdHelp, "cmd:human": cmdHuman, "人工": cmdHuman,
		"那个地址不对": cmdNone, "oh no": cmdNone, "stop working": cmdNone, "": cmdNone, "it": cmdNone,
	} {
		if got := commandOf(text); got != want {
			t.Errorf("commandOf(%q) = %q, want %q", text, got, want)
		}
	}
}

// Yes and no are whole words: "yesterday" is no yes.
func TestYesNo(t *testing.T) {
	for text, want := range map[string]int{
		"yes": 1, "Yes, that's right": 1, "yes.": 1, "ok, go ahead": 1, "okay then": 1, "ok. how long is the warranty?": 0, "yes, but is it free?": 0,
		"Accept": 1, "I accept": 1, "accept the quote": 1, "Decline": -1, "decline the quote": -1, "不接受": -1, "接受报价": 1, "sure!": 1, "好的": 1, "👍": 1,
		"yesterday": 0, "surely not": 0, "okapi": 0, "no": -1, "no, it's wrong": -1, "nope": -1, "不是": -1, "noon": 0,
	} {
		if got := yesNo(text); got != want {
			t.Errorf("yesNo(%q) = %d, want %d", text, got, want)
		}
	}
}

// Traditional Chinese is read in Simplified characters.
func TestSimplified(t *testing.T) {
	for text, want := range map[string]string{
		"我的電視壞了": "我的电视坏了", "轉人工": "转人工", "我要投訴": "我要投诉", "保固多久？": "保修多久？",
		"我的洗衣機不轉了": "我的洗衣机不转了", "沒有": "没有", "TV-55X 螢幕閃爍": "TV-55X 屏幕闪烁", "已经是简体": "已经是简体",
		"保固卡被塗改過": "保修卡被涂改过", "保證書上的型號跟電視不一樣": "保证书上的型号跟电视不一样",
	} {
		if got := simplified(text); got != want {
			t.Errorf("simplified(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestWithoutGreeting(t *testing.T) {
	for text, want := range map[string]string{
		"hi, my TV-55X has no sound": "my TV-55X has no sound", "Hello! the washer leaks": "the washer leaks",
		"你好，电视没声音了": "电视没声音了", "您好 洗衣机不转": "洗衣机不转", "history of faults": "history of faults",
		"hi": "hi", "my tv is broken": "my tv is broken", "Hey there, the TV-55X is dead": "the TV-55X is dead",
	} {
		if got := withoutGreeting(text); got != want {
			t.Errorf("withoutGreeting(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestLowerIsToLower(t *testing.T) {
	for _, s := range []string{"my TV-55X has no sound", "洗衣机不转了，怎么办？", "ÀÉ Straße ΣΑΣ Привет 漢字 ＡＢ", "\xff\xfeABC", ""} {
		if got, want := lower(s), strings.ToLower(s); got != want {
			t.Errorf("lower(%q) = %q, want %q", s, got, want)
		}
	}
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if s := string(r) + "A"; lower(s) != strings.ToLower(s) {
			t.Fatalf("lower(%q) = %q, want %q", s, lower(s), strings.ToLower(s))
		}
	}
}

// TestCardSays: a warranty card that names another model or was altered is
// read as such (§5.4); a card named as a proof, one that matches, a denial
// and a question what if are not.
func TestCardSays(t *testing.T) {
	for _, tc := range []struct {
		text, model, want string
	}{
		{"the warranty card says TV-50A but my TV is a TV-55X", "TV-55X", "mismatch"},
		{"the warranty card says TV-65X but my TV is a 55 inch TV-55X, is that a problem?", "TV-55X", "mismatch"},
		{"保修卡上写的型号和机器不一样", "TV-55X", "mismatch"},
		{"保修卡上的型号是ＴＶ－５０Ａ", "TV-55X", "mismatch"},
		{"the model on the warranty card doesn't match", "", "mismatch"},
		{"保修卡上的日期涂改过", "WM-100", "altered"},
		{"I'm afraid the warranty card was altered", "WM-100", "altered"},
		{"保修卡上的型号是TV-55X", "TV-55X", ""},
		{"the warranty card says tv 55x", "TV-55X", ""},
		{"保修卡没有涂改过", "TV-55X", ""},
		{"保修卡上的型号没有不一样", "TV-55X", ""},
		{"I only have the warranty card", "TV-55X", ""},
		{"the warranty card is lost but my TV is a TV-55X", "TV-55X", ""},
		{"the warranty card is lost, the order was AB1234", "TV-55X", ""},
		{"保修卡丢了，订单号 JD20260501123", "TV-55X", ""},
		{"the warranty card says TV-50A, not sure if that matters", "TV-55X", "mismatch"},
		{"what if the warranty card shows another model?", "TV-55X", ""},
		{"is it still covered if the warranty card shows another model?", "TV-55X", ""},
		{"如果保修卡上的型号和机器不一样，还能保修吗？", "TV-55X", ""},
		{"the model is different from the one I ordered", "TV-55X", ""}, // no card
		{"保修卡上写的是TV-50A", "", ""},                                       // the product's model not known: maybe it is the card's
		// Asked, not told: answered, not recorded.
		{"What happens when the warranty card has the wrong model?", "TV-55X", ""},
		{"保修卡上的型号和机器不一致怎么办？", "TV-55X", ""},
		{"保修卡型号不一样的话还能保修吗", "TV-55X", ""},
		{"保修卡涂改过还能保修吗？", "TV-55X", ""},
		// A difference said of something else than the card's model.
		{"订单号 JD20260501123。保修卡在，不过声音和以前不一样", "TV-55X", ""},
		{"order 88812345678. I have the warranty card. The picture is different every time I turn it on, sometimes black", "TV-55X", ""},
		{"order 88812345678. I have another model at home too, the warranty card for this one is in the drawer", "TV-55X", ""},
		{"订单号 JD20260501123，保修卡也在，和发票上的日期不一样，发票是5月1日，保修卡写的5月3日", "TV-55X", ""},
		{"保修卡上的日期和发票不一样", "TV-55X", ""},
		{"My TV-55X has no sound and the picture is different colours, warranty card and receipt in hand", "TV-55X", ""},
		{"电视TV-55X不同时有声音和图像，保修卡在", "TV-55X", ""},
		{"订单号 JD20260501123，保修卡也在，但如果要我付费我不同意", "TV-55X", ""},
		{"the warranty card is the same model, not a different one", "TV-55X", ""},
		{"保修卡上写的是TV-55X，跟机器一样", "TV-55X", ""},
		// An alteration said of something else than the card.
		{"订单号 JD20260501123，保修卡在。另外我之前修改过收货地址", "TV-55X", ""},
		{"sorry I changed the date in my head, it was 2026-05-02, it says so on the warranty card", "TV-55X", ""},
		// Another product's card.
		{"order 88812345678, and I still have the warranty card for WM-100 too", "TV-55X", ""},
		{"I also have the warranty card of my WM-100 somewhere", "TV-55X", ""},
		{"我还有WM-100的保修卡", "TV-55X", ""},
		// Said of the card's model.
		{"the warranty card says TV-65X", "TV-55X", "mismatch"},
		{"the card says TV-65X", "TV-55X", "mismatch"},
		{"my credit card says TV-65X", "TV-55X", ""},
		{"the warranty card for my TV says TV-65X", "TV-55X", "mismatch"},
		{"the warranty card is for a TV-65X", "TV-55X", "mismatch"},
		{"TV-55X的保修卡上写的是TV-65X", "TV-55X", "mismatch"},
		{"the warranty card has a different model on it", "TV-55X", "mismatch"},
		{"the model doesn't match the warranty card", "TV-55X", "mismatch"},
		{"机器和保修卡对不上", "TV-55X", "mismatch"},
		{"保修卡上是别的型号", "TV-55X", "mismatch"},
		{"保证书上的型号跟电视不一样", "TV-55X", "mismatch"}, // 保證書, read in Simplified
		{"the waranty card has a diferent model on it, order 88812345678", "TV-55X", "mismatch"},
		{"the warranty card has 3 stamps on it", "TV-55X", ""},
		{"the warranty card is 2 years old", "TV-55X", ""},
		{"the warranty card says WM 100", "TV-55X", "mismatch"},
		// Said of the card in the clause after the one that names it.
		{"I checked the warranty card, it says TV-50A", "WM-100", "mismatch"},
		{"I checked the warranty card. It says TV-50A", "WM-100", "mismatch"},
		{"I found the warranty card and it shows TV-50A", "WM-100", "mismatch"},
		{"我看了保修卡，上面写的是TV-50A", "WM-100", "mismatch"},
		{"我看了保修卡，写的是ＴＶ－５０Ａ", "WM-100", "mismatch"},
		{"保修卡我找到了，上面的型号和机器不一样", "WM-100", "mismatch"},
		{"I checked the warranty card, it says WM-100", "WM-100", ""},
		{"我看了保修卡，上面写的是WM-100", "WM-100", ""},
		{"I checked the warranty card, what if it says TV-50A?", "WM-100", ""},
		{"I checked the warranty card, does it say TV-50A?", "WM-100", ""},
		{"我看了保修卡，上面写的是TV-50A吗？", "WM-100", ""},
		{"我看了保修卡，如果上面写的是TV-50A怎么办", "WM-100", ""},
		{"what if the card says TV-50A?", "WM-100", ""},
		{"the warranty card is lost, it's a TV-50A", "WM-100", ""},
		{"I have the warranty card, my other TV-50A is fine", "WM-100", ""},
		{"I have the warranty card, it broke last week", "WM-100", ""},
		// Altered, said of the card.
		{"保修卡被涂改过，订单号 JD20260501123", "TV-55X", "altered"},
		{"someone crossed out the model on the warranty card", "TV-55X", "altered"},
		{"the date on the warranty card was changed", "TV-55X", "altered"},
	} {
		if got := cardSays(tc.text, tc.model); got != tc.want {
			t.Errorf("cardSays(%q, %q) = %q, want %q", tc.text, tc.model, got, tc.want)
		}
	}
}

// TestCardRole: a model number named as the warranty card's is not the
// product's; one whose card it is is another product, unless nothing else
// names the product.
func TestCardRole(t *testing.T) {
	for _, tc := range []struct {
		text, model string
		want        cardRole
	}{
		{"the warranty card says TV-65X", "TV-65X", cardNames},
		{"the warranty card says TV-65X but my TV is a TV-55X", "TV-65X", cardNames},
		{"the warranty card says TV-65X but my TV is a TV-55X", "TV-55X", notCards},
		{"保修卡上写的是TV-65X，但我的电视是TV-55X", "TV-65X", cardNames},
		{"保修卡上写的是TV-65X，但我的电视是TV-55X", "TV-55X", notCards},
		{"the card says TV-65X", "TV-65X", cardNames},
		{"the warranty card for my TV says TV-65X", "TV-65X", cardNames},
		{"order 88812345678, and I still have the warranty card for WM-100 too", "WM-100", cardOf},
		{"I also have the warranty card of my WM-100 somewhere", "WM-100", cardOf},
		{"我还有WM-100的保修卡", "WM-100", cardOf},
		{"TV-55X的保修卡上写的是TV-65X", "TV-55X", cardOf},
		{"TV-55X的保修卡上写的是TV-65X", "TV-65X", cardNames},
		{"I have the warranty card and the TV-55X has no picture", "TV-55X", notCards},
		{"the warranty card is lost but my TV is a TV-55X", "TV-55X", notCards},
		{"保修卡丢了，TV-55X没有图像", "TV-55X", notCards},
		{"my TV-55X has no picture", "TV-55X", notCards},
		{"I checked the warranty card, it says TV-50A", "TV-50A", cardNames},
		{"我看了保修卡，上面写的是TV-50A", "TV-50A", cardNames},
		{"the warranty card says: TV-50A", "TV-50A", cardNames},
		{"the warranty card is lost, it's a TV-50A", "TV-50A", notCards},
		{"I have the warranty card, the TV-55X has no picture", "TV-55X", notCards},
		{"I have the warranty card, it says nothing, and TV-55X has no picture", "TV-55X", notCards},
	} {
		at := strings.Index(tc.text, tc.model) // each written once
		if got := roleAt(tc.text, at, at+len(tc.model)); got != tc.want {
			t.Errorf("roleAt(%q, %s) = %d, want %d", tc.text, tc.model, got, tc.want)
		}
	}
}

// TestInstallQuestion: how long, how much or who installs is a question for
// the knowledge base, with or without a question mark, and so is a question
// whether a product is installed or what it costs; asking for an
// installation, or for someone to come and install, in question form too,
// is a request that books one. An installation told with nothing asked
// starts nothing; told with a fault, it is a repair.
func TestInstallQuestion(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"安装要多长时间", true},
		{"我想问一下安装要多久", true},
		{"谁来安装", true},
		{"安装费多少", true},
		{"how long does it take to install the WM-100", true},
		{"who does the installation", true},
		{"我要预约安装", false},
		{"我想约个时间安装WM-100", false},
		{"帮我安装洗衣机，要多久能来", false},
		{"can you install my WM-100? how long will it take", false},
		{"I'd like to book an installation, how soon can you come", false},
		{"安装", false},
		{"how long is the warranty", false}, // not about installing
		// "I'd like to know", "I want to know", "麻烦问下" open a question:
		// their "I'd like", "I want", "麻烦" ask for nothing.
		{"I'd like to know if you install TVs", true},
		{"I'd like to know who does the installation", true},
		{"I'd like to know how long installation of the RF-450 takes", true},
		{"I want to know how much installation costs for the TV-55X", true},
		{"麻烦问下WM-100安装要多久", true},
		{"我想了解一下WM-100的安装流程", true},
		// Yes/no questions about installing are asked, not requested.
		{"WM-100需要安装吗", true},
		{"Does the TV-55X need installation", true},
		{"Do you install the TV-55X?", true},
		{"is installation free for the WM-100", true},
		{"what's the installation fee for TV-65X", true},
		{"Could you tell me if installation is included with the WM-100?", true},
		// Asking someone to come and install is a request.
		{"可以上门安装吗", false},
		{"可以上门安装WM-100吗", false},
		{"能派师傅来装WM-100吗", false},
		{"can you come and install my WM-100?", false},
		{"can someone come to install my WM-100 next Monday", false},
		{"I'd like to book installation of my WP-8", false},
		{"麻烦安排师傅上门安装WM-100", false},
		{"电视TV-55X没声音了，另外我想问下净水器WP-8安装收费吗？", false}, // a fault too: two requests
	} {
		if got := installQuestion(tc.text); got != tc.want {
			t.Errorf("installQuestion(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	for _, tc := range []struct {
		text string
		want intent
	}{
		{"洗衣机WM-100不转了，2024年6月安装的", intentRepair}, // an installation told in a fault report
		{"净水器WP-8安装后一直漏水", intentRepair},
		{"洗衣机已经安装好了，不转", intentRepair},
		{"净水器WP-8要安装", intentInstall},
		{"WP-8安装的费用多少", intentInstall}, // the installation's fee: asked about
		{"帮我把洗衣机安装好", intentInstall},
		// An installation told, and nothing asked: no journey.
		{"安装好了，谢谢", intentNone},
		{"WM-100是上周安装的，用着挺好", intentNone},
		{"Installation of my WM-100 went well, thanks", intentNone},
		{"Installation went fine, the technician was great", intentNone},
		// A fault after an installation told is a repair.
		{"WP-8漏水，去年3月份师傅来装上的，买是2月份买的", intentRepair},
		{"my WM-100 was set up last Monday and it's been making a loud noise ever since", intentRepair},
		{"安装的时候师傅说WP-8要定期换滤芯，现在出水很慢", intentRepair},
		{"can you set up my WM-100", intentInstall},
		{"after the installation it leaks", intentRepair},
		{"since the installation my WM-100 makes a loud noise", intentRepair},
		{"the installation guy left and now my WP-8 leaks", intentRepair},
		{"after the installation, can you also install my TV?", intentInstall},
	} {
		if got := intentOf(tc.text); got != tc.want {
			t.Errorf("intentOf(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestPackagingSays: damage, or "intact" denied, wins over "fine" in the
// answer to "is the packaging intact?" (§3.4: damaged packaging, no
// return); what is said of the product alone is not said of the packaging.
func TestPackagingSays(t *testing.T) {
	for text, want := range map[string]int{
		"the box isn't fine, it's torn":         -1,
		"not fine, the box got wet":             -1,
		"the TV is fine but the box is crushed": -1,
		"the box is a bit torn but fine":        -1,
		"the box is fine but a little dented":   -1,
		"包装不完整":                                 -1,
		"盒子压坏了":                                 -1,
		"no":                                    -1,
		"I threw the box away":                  -1,
		"fine":                                  1,
		"yes":                                   1,
		"it's fine":                             1,
		"the box is intact, the TV crackles":    1,
		"机器坏了，但包装完好":                            1,
		"包装没有破":                                 1,
		"not damaged at all":                    1,
		"still sealed":                          1,
		"the TV is fine":                        0,
		"嗯，我想想":                                 0,
	} {
		if got := packagingSays(text); got != want {
			t.Errorf("packagingSays(%q) = %d, want %d", text, got, want)
		}
	}
}

// TestFineAnswers: "fine" answers the paid-repair offer and "Did that solve
// the problem?", unless denied or said with the fault.
func TestFineAnswers(t *testing.T) {
	for text, want := range map[string]int{
		"fine": 1, "fine by me": 1, "fine, repair it": 1, "that's fine": 1, "that's not fine": -1, "fine, but how long does it take?": 0, "hmm": 0,
	} {
		if got := agrees(text); got != want {
			t.Errorf("agrees(%q) = %d, want %d", text, got, want)
		}
	}
	for text, want := range map[string]int{
		"it's fine now": 1, "seems fine now, thanks": 1, "works fine": 1, "all good now": 1,
		"fine, still no sound": -1, "it's not fine now": -1, "the picture is fine but there's no sound": -1, "fine": 0,
		"it still works now, thanks": 1, "yes, it works still": 1, "is it still under warranty?": 0,
		"still broken": -1, "yes, it's still making noise": -1, "ok, still leaking": -1, "still dark": -1, "still the same": -1,
		"still nothing": -1, "好了，发票我依然留着": 1, "是的，还是有杂音": -1, "还是不行": -1, "依然一样": -1,
		"还是不错": 1, "还是不错的": 1, "still not bad": 1, "still cold": -1,
	} {
		if got := helped(text); got != want {
			t.Errorf("helped(%q) = %d, want %d", text, got, want)
		}
	}
	// Which products work when they are "still cold".
	for name, want := range map[string]bool{"450 L side-by-side refrigerator": true, "Chest freezer": true, "Split air conditioner": false, "Smart rice cooker": false} {
		if got := containsAny(strings.ToLower(name), coolers...); got != want {
			t.Errorf("%q keeps things cold = %v, want %v", name, got, want)
		}
	}
	// A fridge "still cold" works: its fault does not go on.
	for text, want := range map[string]int{"still cold": 1, "it's still cold": 1, "still cold, but still noisy": -1, "still not cold": -1} {
		if got := helped(text, "cold", "cool", "cooling"); got != want {
			t.Errorf("helped(%q) of a fridge = %d, want %d", text, got, want)
		}
	}
}

// TestSaidOfOther: asked for a rating, "fine" or "ok" said of the product
// or with a request rates nothing; said of the service, or with a score or
// other rating words, it rates.
func TestSaidOfOther(t *testing.T) {
	for text, want := range map[string]bool{
		"it works fine now": true, "everything is fine now, thanks": true, "fine, repair it": true, "ok, it still won't turn on": true,
		"fine": false, "Fine, thanks": false, "it was fine but the engineer came late": false, "it wasn't fine": false,
		"works fine now, 5 stars": false, "the TV works fine now, great service": false, "ok": false,
	} {
		if got := saidOfOther(text); got != want {
			t.Errorf("saidOfOther(%q) = %v, want %v", text, got, want)
		}
	}
}

// A message that is only thanks or an acknowledgement needs no person
// (a copied colleague's "thanks" before the case has a ticket); a remark
// with the thanks may.
func TestCourtesyOnly(t *testing.T) {
	for text, want := range map[string]bool{
		"thanks": true, "Thanks!": true, "谢谢": true, "谢谢！": true, "got it": true, "收到": true, "Got it, thanks.": true,
		"收到，谢谢": true, "好的，谢谢！": true, "OK thanks": true, "Thank you very much!\nNoted.": true, "👍": true,
		"": false, "  ": false, "Thanks, please call before Friday.": false, "谢谢，另外请把发票寄给我": false,
		"Please don't send a technician before Friday, thanks": false, "Thanks,\nJohn": false, "got it?": false,
		"my TV-55X is great, thanks": false, "收到了吗？": false,
	} {
		if got := courtesyOnly(text); got != want {
			t.Errorf("courtesyOnly(%q) = %v, want %v", text, got, want)
		}
	}
}

// One reading of a question about a price, for the repair, the paid
// offer and the installation: whole words, so that "feedback" or a
// headphone "charging" asks nothing.
func TestAsksCost(t *testing.T) {
	for text, want := range map[string]bool{
		"how much will it cost?": true, "is it free?": true, "what are the fees": true, "do I have to pay?": true,
		"prices?": true, "要多少钱？": true, "收费吗": true, "什么价": true,
		"can I give feedback?": false, "is it still charging?": false, "the display is broken": false, "what's the status?": false,
	} {
		if got := asksCost(text); got != want {
			t.Errorf("asksCost(%q) = %v, want %v", text, got, want)
		}
	}
	if !asksInstallCost(norm("is installation included?")) || asksInstallCost(norm("is it charging now?")) {
		t.Error("asksInstallCost")
	}
}
