package dialog

import (
	"regexp"
	"strings"

	"github.com/supportd/supportd/policy"
)

// A question whether we repair a kind of product ("do you repair washing
// machines?", "can you fix a samsung tv?", "你们修洗衣机吗", "which products
// do you repair?") is no fault report: the catalog answers how each product
// it names is repaired (on site or by mail-in, §3.3.3), another brand's is
// left to its maker, and reporting a fault is offered. Asking to fix one's
// own ("can you fix my TV?", "电视坏了你们能修吗") still starts the repair.

// repairAskedEN and repairAskedZH ask whether, or what, we repair.
var (
	repairAskedEN = regexp.MustCompile(`\b(?:do|does|can|could|will|would)\s+(?:you|u|you guys|your (?:company|team|technicians?|engineers?|service))\s+` +
		`(?:also\s+|even\s+)?(?:fix|repair|service|do repairs (?:on|of|for))\b|` +
		`\b(?:which|what)\b[^.?!]{0,40}\b(?:do|can|will)\s+you\s+(?:also\s+)?(?:fix|repair|service)\b|` +
		`\bdo you (?:offer|provide) (?:repairs?|servicing) (?:for|of|on)\b`)
	repairAskedZH = regexp.MustCompile(`(?:你们|贵公司|你家|你们公司|你们这)[^，。,？?！!]{0,4}?(?:修|维修|保养)[^，。,！!]{0,12}(?:吗|么|嘛|不修|哪些|什么|哪几)|` +
		`(?:哪些|什么|哪种|哪类|哪几种)(?:产品|东西|品牌|牌子|电器|家电)?[^，。,]{0,6}(?:可以|能|你们)(?:修|维修|保养)|` +
		`(?:修|维修)(?:哪些|什么|哪几种|哪种)|` +
		`(?:能|可以|会)(?:修|维修|保养)[^，。,！!？?]{0,12}(?:吗|么|嘛)|(?:修|维修)不(?:修|维修)`)
)

// ownProduct names the customer's own product or one already spoken of: a
// request to fix it, not a question whether we do.
var ownProduct = regexp.MustCompile(`\b(?:my|mine|our|it|this|that|these|those)\b|我的|我家|我们家|家里的|家里那|这台|这个|那台|它`)

// otherBrands are makers whose products their makers service.
var otherBrands = newPhraseSet([]string{"samsung", "lg", "sony", "philips", "panasonic", "sharp", "haier", "midea", "gree", "xiaomi",
	"hisense", "tcl", "skyworth", "bosch", "siemens", "whirlpool", "electrolux", "dyson", "apple", "huawei", "hp", "canon", "epson",
	"brother", "other brand", "other brands", "another brand", "other makers", "other manufacturers", "other companies", "三星", "索尼", "飞利浦", "松下", "夏普", "海尔", "美的",
	"格力", "小米", "海信", "创维", "长虹", "博世", "西门子", "惠而浦", "伊莱克斯", "戴森", "苹果", "华为", "惠普", "佳能", "爱普生",
	"别的牌子", "别的品牌", "其他品牌", "其它品牌", "其他牌子", "别家"})

// anyProductCue asks of products in general: "which products", "what
// appliances", "你们修哪些东西".
var anyProductCue = regexp.MustCompile(`\b(?:products?|appliances?|devices?|brands?|makes?|kinds?|types?|things|what|which|electronics|stuff)\b|产品|东西|电器|家电|品牌|牌子|哪些|什么|哪几|哪种|哪类`)

// notProduct is what a customer asks to fix that is no product: a date,
// an address, a booking, a mistake.
var notProduct = regexp.MustCompile(`\b(?:date|time|day|address|appointment|booking|order|ticket|name|phone number|number|mistake|error|typo|problem|issue|it|that|this)\b|日期|时间|地址|预约|订单|工单|名字|电话|号码|错|问题`)

// othersAsked reports whether normalised n, a question whether we repair
// something that names none of our products, asks of products we do not
// make ("do you repair phones?", "你们修空调吗"): not of a date or a booking
// ("can you fix the date?"), nor maybe of a part of one's own ("can you fix
// the drum?").
func othersAsked(n string) bool {
	if notProduct.MatchString(n) {
		return false
	}
	if isASCII(n) {
		return hasPrefixAny(n, "do you", "does ", "do your ")
	}
	return zhObject.MatchString(n) // "你们能修吗" names nothing: one's own
}

// zhObject is something named after 修 and before the question ends:
// "修空调吗", "维修手机吗".
var zhObject = regexp.MustCompile(`(?:修|维修|保养)[^，。,！!？?吗么嘛]{2,}(?:吗|么|嘛)`)

// repairAsked reports whether text asks whether or what we repair, with
// no fault told besides the asking ("fix", "修" are repair words) and no
// product of the customer's own named.
func repairAsked(text string) bool {
	n := norm(text)
	if !strings.Contains(n, "fix") && !strings.Contains(n, "repair") && !strings.Contains(n, "servic") && !strings.Contains(n, "修") && !strings.Contains(n, "保养") {
		return false // no word of repairing: the patterns below need not run
	}
	if ownProduct.MatchString(n) || containsAny(n, warrantyCues...) {
		return false // "过了保修期还能修吗": whether, and for what, after the warranty
	}
	for _, re := range []*regexp.Regexp{repairAskedEN, repairAskedZH} {
		// The Chinese forms ask by themselves ("修不修", "修哪些"); "can
		// you fix a TV" may be a request without its question mark.
		if loc := re.FindStringIndex(n); loc != nil && (re == repairAskedZH || looksLikeQuestion(text)) {
			return !faultPhrases.any(n[:loc[0]] + " " + n[loc[1]:])
		}
	}
	return false
}

// repairOfProducts answers a question whether we repair the products text
// names (all of ours when it names none) from the catalog, and offers to
// report a fault; false when text asks no such thing. A model asked of
// ("do you repair the TV-55X?", "你们修TV-55X吗") is answered too; "can you
// fix the TV-55X?" asks to repair it.
func (t *turn) repairOfProducts(text string) bool {
	models, other, ok := t.repairModes(text)
	if !ok {
		return false
	}
	if models == nil {
		return true // the knowledge base answered
	}
	later := text
	if len(models) == 1 {
		later = models[0] // the button reports the fault of this one
	}
	t.c.Later = &Later{Intent: string(intentRepair), Text: later}
	key := "repair.report_now"
	if other {
		key = "repair.report_if_ours"
	}
	t.ask(key, []Choice{t.choice("intent:repair", "menu.repair")})
	return true
}

// repairModes tells how the products a question whether we repair them
// names are repaired (repairOfProducts), asked in a form too ("我要预约安
// 装…", then "你们也修冰箱吗"): the models told, whether another brand was
// named, and false when text asks no such thing. No models and true: the
// knowledge base answered ("do you repair other brands?").
func (t *turn) repairModes(text string) (models []string, other, ok bool) {
	if !repairAsked(text) {
		return nil, false, false
	}
	models = t.productsNamed(text)
	ms := t.e.catalog.Models(text)
	if len(ms) > 0 {
		if n := norm(text); len(ms) > 1 || !ms[0].Exact || isASCII(n) && !hasPrefixAny(n, "do you", "does ", "do your ") {
			return nil, false, false
		}
		models = []string{ms[0].Model}
	}
	other = len(ms) == 0 && otherBrands.any(norm(text)) // "HP-30" is our model, not the maker HP
	if other && len(models) == 0 && t.answerQuestion(text) {
		return nil, true, true // "do you repair other brands?": the knowledge base's words
	}
	if len(models) == 0 && !other && !anyProductCue.MatchString(norm(text)) {
		if !othersAsked(norm(text)) {
			return nil, false, false
		}
		other = true // "do you repair phones?", "你们修空调吗": not one of ours
	}
	if other {
		t.say("repair.other_brands")
	}
	if len(models) == 0 {
		for _, pr := range t.e.pol.Products {
			models = append(models, pr.Model)
		}
	}
	var onsite, mailin []string
	for _, m := range models {
		if terms, err := t.e.pol.TermsOf(m); err == nil && terms.ServiceMode == policy.Onsite {
			onsite = append(onsite, m)
		} else if err == nil {
			mailin = append(mailin, m)
		}
	}
	if len(onsite) > 0 {
		t.say("repair.products_onsite", "products", t.productList(onsite))
	}
	if len(mailin) > 0 {
		t.say("repair.products_mailin", "products", t.productList(mailin))
	}
	return models, other, true
}
