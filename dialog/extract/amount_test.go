package extract

import "testing"

func TestAmount(t *testing.T) {
	tests := []struct {
		name string
		text string
		fen  int64
		ok   bool
	}{
		{"元", "350元", 35000, true},
		{"块", "修了花了350块", 35000, true},
		{"块钱", "350块钱", 35000, true},
		{"yen sign", "¥350", 35000, true},
		{"full-width yen sign", "￥350", 35000, true},
		{"two decimals bare", "350.50", 35050, true},
		{"RMB before", "RMB 350", 35000, true},
		{"RMB glued", "rmb350", 35000, true},
		{"RMB after", "350 RMB", 35000, true},
		{"yuan after", "350 yuan", 35000, true},
		{"人民币", "人民币 2000", 200000, true},
		{"chinese numeral", "三百五十元", 35000, true},
		{"chinese numeral 两千块", "两千块", 200000, true},
		{"one decimal with unit", "3.5元", 350, true},
		{"thousands", "￥1,299.00", 129900, true},
		{"万", "3万元", 3000000, true},
		{"decimal 万", "1.5万元", 1500000, true},
		{"块 and a digit", "3块5", 350, true},
		{"块 and 毛", "3块5毛", 350, true},
		{"元角分", "3元5角2分", 352, true},
		{"full-width", "３５０元", 35000, true},
		{"first of several", "原价399元，实付350元", 39900, true},
		{"bare integer message", "350", 35000, true},
		{"bare chinese message", "三百五", 35000, true},
		{"model is no amount", "型号TV-55X", 0, false},
		{"three decimals", "3.14159", 0, false},
		{"date is no amount", "2026.3.5", 0, false},
		{"number in a sentence", "I have 2 TVs", 0, false},
		{"too large", "99999999999999999元", 0, false},
		{"nothing", "多少钱", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fen, ok := Amount(tc.text)
			if fen != tc.fen || ok != tc.ok {
				t.Errorf("Amount(%q) = %d, %v; want %d, %v", tc.text, fen, ok, tc.fen, tc.ok)
			}
		})
	}
}
