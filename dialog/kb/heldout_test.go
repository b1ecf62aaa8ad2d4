package kb

import (
	"fmt"
	"slices"
	"testing"
)

// The held-out questions are paraphrases that are not in the knowledge base
// file: other words, full-width forms, typos and mixed Chinese and English.
// They were written in four rounds, and the retrieval parameters and the
// phrasings in default.yaml were adjusted after the first three, so only the
// last set measures new questions without bias:
//
//   - heldOutQuestions: written first; the parameters were tuned on them.
//   - freshQuestions: written after the first tuning; phrasings were added
//     to default.yaml after seeing their misses.
//   - finalQuestions: written next; the Answer threshold was recalibrated
//     after seeing them.
//   - unseenQuestions: written last and measured once; nothing was changed
//     after.
//
// A miss is either no answer (the dialog then asks with the top choices) or a
// wrong answer, which is worse and is bounded separately.
type heldOut struct{ text, lang, want string }

// heldOutQuestions are paraphrases that are not in the file: other words,
// full-width forms, typos and mixed Chinese and English.
var heldOutQuestions = []heldOut{
	// Chinese
	{"电视的保修期是几年", "zh", "warranty-period"},
	{"买的冰箱能保修几年啊", "zh", "warranty-period"},
	{"扫地机保修多长时间", "zh", "warranty-period"},
	{"打印机质保多久呀", "zh", "warranty-period"},
	{"你们家东西一般保修多久", "zh", "warranty-period"},
	{"保修期是从哪一天开始计算的", "zh", "warranty-start"},
	{"过了保修期修理要花多少钱", "zh", "out-of-warranty-fees"},
	{"检测费要多少", "zh", "out-of-warranty-fees"},
	{"发票找不到了还能保修吗", "zh", "proof-of-purchase"},
	{"买了五天能退吗", "zh", "return-policy"},
	{"收到货第10天可以换吗", "zh", "exchange-policy"},
	{"包装盒已经扔掉了还能退货吗", "zh", "return-packaging"},
	{"换货的时候没有同款了怎么处理", "zh", "exchange-out-of-stock"},
	{"维修后换的零件保修多长时间", "zh", "replaced-parts-warranty"},
	{"一般多少天能修好", "zh", "repair-time"},
	{"洗衣机坏了可以上门修吗", "zh", "service-mode"},
	{"师傅多久能上门", "zh", "onsite-response-time"},
	{"冰箱安装收费吗", "zh", "installation"},
	{"客服几点下班啊", "zh", "opening-hours"},
	{"怎么找人工", "zh", "human-agent"},
	{"我想投诉，怎么弄", "zh", "complaint"},
	{"滤芯多久需要换", "zh", "filter-replacement"},
	{"耳机电池坏了在保修范围吗", "zh", "consumables"},
	{"东西没问题但是我不喜欢，能退吗", "zh", "no-reason-return"},
	{"维修进度在哪看", "zh", "repair-progress"},
	{"修理之前会先告诉我价格吗", "zh", "repair-quote"},
	{"电视摔坏了保不保修", "zh", "warranty-exclusions"},
	{"自己拆开修过还能保吗", "zh", "unauthorized-repair"},
	{"保秀期多久", "zh", "warranty-period"},
	{"报修的话要提供什么资料", "zh", "how-to-report-fault"},
	// English
	{"how long is the warranty on a TV", "en", "warranty-period"},
	{"what's the guarantee period for the fridge?", "en", "warranty-period"},
	{"warranty for the rice cooker?", "en", "warranty-period"},
	{"How long is my printer under warranty", "en", "warranty-period"},
	{"ｗａｒｒａｎｔｙ ｐｅｒｉｏｄ", "en", "warranty-period"},
	{"how long do warranties last", "en", "warranty-period"},
	{"does the warranty start when I buy it or when it's delivered", "en", "warranty-start"},
	{"how much will an out-of-warranty repair cost me", "en", "out-of-warranty-fees"},
	{"I lost the invoice, is the order number ok?", "en", "proof-of-purchase"},
	{"can I return something within a week", "en", "return-policy"},
	{"do I need to keep the box to return it", "en", "return-packaging"},
	{"what if you don't have the same model for my exchange", "en", "exchange-out-of-stock"},
	{"are the new parts guaranteed", "en", "replaced-parts-warranty"},
	{"how long will it take to repair my TV", "en", "repair-time"},
	{"do you do home visits for repairs", "en", "service-mode"},
	{"how quickly can an engineer come out in Shanghai", "en", "onsite-response-time"},
	{"is installing the washing machine free", "en", "installation"},
	{"what time do you open", "en", "opening-hours"},
	{"how do I speak to an actual human", "en", "human-agent"},
	{"how can I file a complaint", "en", "complaint"},
	{"how often do I need to replace the HEPA filter", "en", "filter-replacement"},
	{"is the remote battery covered", "en", "consumables"},
	{"I changed my mind, can I send it back?", "en", "no-reason-return"},
	{"how can I see the status of my repair", "en", "repair-progress"},
	{"do Saturdays count as working days", "en", "working-days"},
	{"will you tell me the price before repairing", "en", "repair-quote"},
	{"is water damage covered", "en", "warranty-exclusions"},
	{"warrenty for washing machine", "en", "warranty-period"},
	{"retrun policy", "en", "return-policy"},
	{"ｈｏｗ ｌｏｎｇ ｗｉｌｌ ｔｈｅ ｒｅｐａｉｒ ｔａｋｅ", "en", "repair-time"},
	// Mixed Chinese and English
	{"TV能保修多长时间", "zh", "warranty-period"},
	{"洗衣机warranty几年", "zh", "warranty-period"},
	{"return policy是什么", "zh", "return-policy"},
	{"installation要收费吗", "zh", "installation"},
	{"ＴＶ－５５Ｘ保修期多长", "zh", "warranty-period"},
	{"客服电话？", "zh", "human-agent"},
}

// freshQuestions were written after the retrieval parameters were tuned on
// heldOutQuestions, to check that the accuracy carries over.
var freshQuestions = []heldOut{
	{"请问洗衣机的保修是几年", "zh", "warranty-period"},
	{"耳机买了半年坏了还在保修内吗", "zh", "warranty-check"},
	{"净化器能保修多久", "zh", "warranty-period"},
	{"投影仪坏了保修期是多长", "zh", "warranty-period"},
	{"保修期限从什么时间开始", "zh", "warranty-start"},
	{"超过保修期了修要收费吗", "zh", "out-of-warranty-fees"},
	{"没有购买凭证怎么保修", "zh", "proof-of-purchase"},
	{"退货的条件是什么", "zh", "return-policy"},
	{"买了一个礼拜还能换新的吗", "zh", "exchange-policy"},
	{"退货包装要完整吗", "zh", "return-packaging"},
	{"维修完的零件有几天保修", "zh", "replaced-parts-warranty"},
	{"修一个东西大概几天", "zh", "repair-time"},
	{"冰箱可以上门维修吗", "zh", "service-mode"},
	{"上门的话几天能到", "zh", "onsite-response-time"},
	{"净水器安装收不收费", "zh", "installation"},
	{"周末客服上班吗", "zh", "opening-hours"},
	{"怎么才能联系到人工", "zh", "human-agent"},
	{"投诉的话多久能解决", "zh", "complaint"},
	{"发票可以重新开吗", "zh", "invoice-request"},
	{"维修报价的有效期是几天", "zh", "repair-quote"},
	{"工作日包含调休吗", "zh", "working-days"},
	{"怎么给这次服务打分", "zh", "satisfaction-rating"},
	{"how long is the warranty for headphones", "en", "warranty-period"},
	{"what's the warranty on the copier", "en", "warranty-period"},
	{"do you cover batteries under warranty", "en", "consumables"},
	{"what documents prove my purchase", "en", "proof-of-purchase"},
	{"can I return my purchase after 5 days", "en", "return-policy"},
	{"is the original packaging required for a return", "en", "return-packaging"},
	{"what happens if I reject the quote", "en", "repair-quote"},
	{"how long does it take to fix a washing machine", "en", "repair-time"},
	{"do you install the water purifier", "en", "installation"},
	{"what are your hours on saturday", "en", "opening-hours"},
	{"how fast do you answer emails", "en", "response-time"},
	{"how do I get hold of a human agent", "en", "human-agent"},
	{"how long does it take to handle a complaint", "en", "complaint"},
	{"is damage from a fire covered", "en", "warranty-exclusions"},
	{"does opening the device void my warranty", "en", "unauthorized-repair"},
	{"can I get the replacement parts warranty", "en", "replaced-parts-warranty"},
	{"printer warrenty lenght", "en", "warranty-period"},
	{"冰箱的warranty多长时间", "zh", "warranty-period"},
}

// finalQuestions were written last, and nothing was tuned after they were
// first measured: their accuracy is the honest estimate for new questions.
var finalQuestions = []heldOut{
	{"空气净化器的质保是几年", "zh", "warranty-period"},
	{"音响过了一年还保修吗", "zh", "warranty-period"},
	{"复印机坏了保修几年", "zh", "warranty-period"},
	{"发票上的日期就是保修开始的日子吗", "zh", "warranty-start"},
	{"免费保修包括换零件吗", "zh", "warranty-coverage"},
	{"遥控器没电了算保修吗", "zh", "consumables"},
	{"下雷雨把电视打坏了给保修吗", "zh", "warranty-exclusions"},
	{"只有订单号没有发票行不行", "zh", "proof-of-purchase"},
	{"刚买三天发现有故障可以退吗", "zh", "return-policy"},
	{"第12天发现故障能换货吗", "zh", "exchange-policy"},
	{"要换的型号没货了怎么办", "zh", "exchange-out-of-stock"},
	{"保修过期了修理费怎么算", "zh", "out-of-warranty-fees"},
	{"报价几天内要确认", "zh", "repair-quote"},
	{"一般维修需要多少个工作日", "zh", "repair-time"},
	{"北京的话上门要几天", "zh", "onsite-response-time"},
	{"净水器需要自己找人装吗", "zh", "installation"},
	{"春节期间客服上班吗", "zh", "opening-hours"},
	{"哪里可以找到真人客服", "zh", "human-agent"},
	{"怎么查我的维修单进度", "zh", "repair-progress"},
	{"滤网要多久更换一次比较好", "zh", "filter-replacement"},
	{"what is the warranty period for the soundbar", "en", "warranty-period"},
	{"does the guarantee cover manufacturing faults", "en", "warranty-coverage"},
	{"is a dropped TV covered", "en", "warranty-exclusions"},
	{"do I need the receipt to claim warranty", "en", "proof-of-purchase"},
	{"within how many days can I return a faulty item", "en", "return-policy"},
	{"is there a fee if my product is out of warranty", "en", "out-of-warranty-fees"},
	{"how long are the parts you replace guaranteed for", "en", "replaced-parts-warranty"},
	{"will somebody come to my home to repair the fridge", "en", "service-mode"},
	{"how do I schedule an installation appointment", "en", "installation-booking"},
	{"when can I talk to someone", "en", "opening-hours"},
	{"how can I contact a real agent", "en", "human-agent"},
	{"who can I complain to", "en", "complaint"},
	{"how do I change the water filter in the fridge", "en", "filter-replacement"},
	{"can I return it if the box is missing", "en", "return-packaging"},
	{"ｉｓ ｉｎｓｔａｌｌａｔｉｏｎ ｆｒｅｅ ｆｏｒ ｔｈｅ ｗａｓｈｅｒ", "en", "installation"},
	{"how mcuh does a repair cost after the warranty ends", "en", "out-of-warranty-fees"},
	{"打印机可以on-site维修吗", "zh", "service-mode"},
	{"退货需要inspection吗", "zh", "return-inspection"},
}

// unseenQuestions were written after all tuning and measured once.
var unseenQuestions = []heldOut{
	{"你们产品的保修一般是多长", "zh", "warranty-period"},
	{"电饭煲用坏了还能免费修吗，买了一年半", "zh", "warranty-period"},
	{"保修日期是按收到货那天算吗", "zh", "warranty-start"},
	{"怎么确认自己的机器有没有过保修期", "zh", "warranty-check"},
	{"保修期内修理收人工费吗", "zh", "warranty-coverage"},
	{"孩子把耳机摔坏了能免费修吗", "zh", "warranty-exclusions"},
	{"找外面的师傅修过，还能享受保修吗", "zh", "unauthorized-repair"},
	{"扫地机的边刷属于耗材吗", "zh", "consumables"},
	{"净化器的滤网多长时间换", "zh", "filter-replacement"},
	{"保修时需要出示什么", "zh", "proof-of-purchase"},
	{"发票能换成公司抬头吗", "zh", "invoice-request"},
	{"几天之内能退货", "zh", "return-policy"},
	{"外包装有破损还可以退吗", "zh", "return-packaging"},
	{"单纯不想要了，可以退吗", "zh", "no-reason-return"},
	{"检测一般要几个工作日", "zh", "return-inspection"},
	{"保外维修的检测费和人工费是多少", "zh", "out-of-warranty-fees"},
	{"更换下来的零件保修几个月", "zh", "replaced-parts-warranty"},
	{"投影仪能不能上门修", "zh", "service-mode"},
	{"洗衣机安装要另外付钱吗", "zh", "installation"},
	{"预约安装要告诉你们什么信息", "zh", "installation-booking"},
	{"客服周六上不上班", "zh", "opening-hours"},
	{"发了邮件一般多久回", "zh", "response-time"},
	{"投诉一般几天给答复", "zh", "complaint"},
	{"怎么给师傅的服务打分", "zh", "satisfaction-rating"},
	{"how many years is the fridge under warranty", "en", "warranty-period"},
	{"when does my warranty period begin", "en", "warranty-start"},
	{"does the warranty pay for labour and parts", "en", "warranty-coverage"},
	{"is lightning damage covered by the guarantee", "en", "warranty-exclusions"},
	{"are headphone ear pads covered", "en", "consumables"},
	{"is an order number accepted as proof", "en", "proof-of-purchase"},
	{"how many days can I exchange a faulty product", "en", "exchange-policy"},
	{"what if the model I want to exchange for costs more", "en", "exchange-out-of-stock"},
	{"how long is a repair quote valid for", "en", "repair-quote"},
	{"how long will my repair take", "en", "repair-time"},
	{"how soon will a technician visit in beijing", "en", "onsite-response-time"},
	{"how do I start a repair request", "en", "how-to-report-fault"},
	{"can you help me troubleshoot remotely", "en", "remote-guidance"},
	{"are weekends counted as working days", "en", "working-days"},
	{"ｗｈａｔ ｉｓ ｙｏｕｒ ｒｅｔｕｒｎ ｐｏｌｉｃｙ ｆｏｒ ｆａｕｌｔｙ ｉｔｅｍｓ", "en", "return-policy"},
	{"instalation fee for the tv", "en", "installation"},
	{"客服email是多少", "zh", "human-agent"},
	{"printer上门维修吗", "zh", "service-mode"},
}

// TestHeldOutAccuracy asserts the accuracy of Answer on each set of held-out
// questions, at the floor measured when the set was last looked at, and a
// ceiling on wrong answers over all of them. Run with -v to list the misses.
func TestHeldOutAccuracy(t *testing.T) {
	kb := Default()
	texts, bags := phrasingIndex(kb)
	var total, right, wrong int
	for _, c := range []struct {
		name  string
		qs    []heldOut
		floor float64 // measured: 90.9%, 85.0%, 71.1%, 81.0%
	}{
		{"tuning", heldOutQuestions, 0.90},
		{"fresh", freshQuestions, 0.85},
		{"final", finalQuestions, 0.70},
		{"unseen", unseenQuestions, 0.80},
	} {
		t.Run(c.name, func(t *testing.T) {
			var misses []string
			n, sameBag := 0, 0
			for _, h := range c.qs {
				if _, ok := kb.Entry(h.want); !ok {
					t.Fatalf("%q: no entry %s", h.text, h.want)
				}
				if id, ok := texts[normalize(h.text)]; ok {
					t.Errorf("%q is a phrasing of %s in the file: not held out", h.text, id)
				}
				if bags[bagOf(kb, h.text)] {
					sameBag++ // a variant (width, synonyms, stop words) of a phrasing
				}
				got, ok := kb.Answer(h.text, h.lang)
				switch {
				case ok && got.ID == h.want:
					n++
					continue
				case ok:
					wrong++
				}
				misses = append(misses, fmt.Sprintf("%q: Answer = %s, want %s; top: %s",
					h.text, idOf(got, ok), h.want, top(kb.Search(h.text, h.lang), 3)))
			}
			total += len(c.qs)
			right += n
			acc := float64(n) / float64(len(c.qs))
			t.Logf("accuracy %.1f%% (%d/%d; %d only vary a phrasing's width, stop words or synonyms)",
				100*acc, n, len(c.qs), sameBag)
			if acc < c.floor || testing.Verbose() {
				for _, m := range misses {
					t.Log("miss: " + m)
				}
			}
			if acc < c.floor {
				t.Errorf("accuracy %.1f%% is below the floor of %.0f%%", 100*acc, 100*c.floor)
			}
		})
	}
	t.Logf("overall: %d/%d right (%.1f%%), %d wrong answers (%.1f%%)", right, total,
		100*float64(right)/float64(total), wrong, 100*float64(wrong)/float64(total))
	if float64(right) < 0.80*float64(total) {
		t.Errorf("overall accuracy below 80%%")
	}
	if total < 30 {
		t.Errorf("only %d held-out questions", total)
	}
	if float64(wrong) > 0.05*float64(total) {
		t.Errorf("%d wrong answers out of %d: more than 5%%", wrong, total)
	}
}

// phrasingIndex returns the normalised phrasings of kb (→ entry id) and
// their bags of tokens.
func phrasingIndex(kb *KB) (texts map[string]string, bags map[string]bool) {
	texts, bags = map[string]string{}, map[string]bool{}
	for _, e := range kb.Entries() {
		for _, q := range append(slices.Clone(e.Questions.ZH), e.Questions.EN...) {
			texts[normalize(q)] = e.ID
			bags[bagOf(kb, q)] = true
		}
	}
	return texts, bags
}

func bagOf(kb *KB, q string) string {
	return bagKey(tokenize(kb.idx.rep.apply(normalize(q)), nil))
}

// TestNoAnswer: chit-chat, nonsense and the customer's requests and fault
// reports, which the dialog's intents handle, get no FAQ answer.
func TestNoAnswer(t *testing.T) {
	kb := Default()
	if len(noAnswer) < 15 {
		t.Fatalf("only %d cases", len(noAnswer))
	}
	for _, c := range noAnswer {
		t.Run(c.name, func(t *testing.T) {
			for _, lang := range []string{"zh", "en"} {
				if e, ok := kb.Answer(c.text, lang); ok {
					t.Errorf("Answer(%q, %s) = %s, want none; top: %s", c.text, lang, e.ID, top(kb.Search(c.text, lang), 3))
				}
			}
		})
	}
}

var noAnswer = []struct{ name, text string }{
	{"empty", ""},
	{"spaces", "  \t\n"},
	{"punctuation", "？？？！！"},
	{"weather zh", "今天天气怎么样"},
	{"weather en", "what's the weather like tomorrow"},
	{"greeting en", "hello"},
	{"greeting zh", "你好"},
	{"thanks zh", "谢谢"},
	{"thanks en", "thanks a lot"},
	{"ok", "好的"},
	{"keyboard mash", "asdfgh"},
	{"digits", "1234"},
	{"phone number", "13812345678"},
	{"bot question", "你是机器人吗"},
	{"joke", "讲个笑话"},
	{"football", "who won the game last night"},
	{"fault zh washer", "我的洗衣机不转了"},
	{"fault zh tv", "电视坏了"},
	{"fault zh fridge", "冰箱不制冷了"},
	{"fault en printer", "my printer is jammed"},
	{"fault en vacuum", "the robot vacuum won't charge"},
	{"fault en headphones", "my headphones stopped working"},
	{"fault en printer 2", "printer not working"},
	{"fault en tv", "my TV has no picture"},
	{"fault en tv 2", "the TV I bought last week is broken"},
	{"fault zh tv days ago", "我的电视前几天坏了"},
	{"fault and return zh", "冰箱买了三天就坏了，我要退货"},
	{"installation request zh", "我要预约安装"},
	{"progress request zh", "帮我查一下维修进度"},
	{"return request en", "I want to return my TV"},
	{"return request zh", "我要退货"},
	{"exchange request zh", "我想换货"},
	{"complaint request", "我要投诉你们"},
	{"installation request", "I'd like to book an installation"},
	{"slot answer", "TV-55X 去年3月买的"},
	{"not our product", "你们卖手机吗"},
	{"not our product price", "空调多少钱"},
	// Questions about what the knowledge base does not cover, each sharing a
	// word with a phrasing ("card", "pay", "remote"): written after seeing
	// the first four answered wrongly in a conversation; the unknown-word
	// rule of Answer was made for them, so they are not a fair measure.
	{"gift cards", "do you sell gift cards?"},
	{"payment app", "can I pay with paypal?"},
	{"shop in a city", "do you have a store in Beijing?"},
	{"buying a part", "can I buy a spare remote control?"},
	{"delivery abroad", "do you deliver to Hong Kong?"},
	{"discounts", "do you offer student discounts?"},
	{"head office", "where is your head office?"},
	{"app", "do you have an app?"},
	{"loyalty", "is there a loyalty program?"},
	{"pick-up", "can I pick up my order in the shop?"},
	{"delivery address", "can I change the delivery address of my order?"},
	{"shipping abroad", "do you ship abroad?"},
	{"payment methods", "what payment methods do you accept?"},
	{"recycling", "do you recycle old appliances?"},
	{"app zh", "有没有app"},
	{"shop zh", "你们有实体店吗"},
	{"payment zh", "可以用花呗付款吗"},
	{"office zh", "你们公司在哪里"},
	{"pick-up zh", "可以到店自提吗"},
	{"gift card zh", "礼品卡怎么用"},
	{"points zh", "会员积分怎么用"},
	{"recycling zh", "旧家电可以回收吗"},
	{"delivery zh", "能寄到香港吗"},
	// Chinese questions about a kind of something an entry covers, the kind
	// a word no phrasing has right before the shared word ("学生优惠" beside
	// "现在有优惠吗"): the rule of Answer for an unknown modifier was made
	// for them, so they are not a fair measure either.
	{"student discount zh", "有学生优惠吗"},
	{"senior discount zh", "有老人优惠吗"},
}
