package slack_test

import (
	"testing"

	"github.com/supportd/supportd/channels/slack"
	"github.com/supportd/supportd/config"
)

// channels.slack.channels routes by kind and product category
// ("repair/major-appliances") before the kind alone: a washing machine's
// on-site repair goes to the major appliances' channel, a TV's repair to
// the repairs' channel, a complaint (no product) to its kind's.
func TestEscalationsRoutedByCategory(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) {
		s.Channels["repair/major-appliances"] = "C_MAJOR"
	})
	for _, s := range []string{"洗衣机 WM-100 漏水了，2026年5月2日买的", "试过了，还是不行", "订单号 TB2026050299", "没有", "没有", "不是",
		"上海市浦东新区世纪大道100号", "13800138000", "是的"} {
		h.say("v1", s)
	}
	paidRepair(h, "v2")
	h.complaint("v3", "The fridge door is broken")
	for id, want := range map[string]string{"T-1001": "C_MAJOR", "T-1002": "C_REPAIRS", "T-1003": "C_COMPLAINTS"} {
		if ch, _ := h.thread(id); ch != want {
			t.Errorf("%s escalated in %s, want %s", id, ch, want)
		}
	}
}
