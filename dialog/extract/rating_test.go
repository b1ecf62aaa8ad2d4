package extract

import "testing"

func TestRating(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		score int
		ok    bool
	}{
		{"bare digit", "5", 5, true},
		{"bare full-width digit", "４", 4, true},
		{"bare with punctuation", " 3! ", 3, true},
		{"bare chinese", "五", 5, true},
		{"bare english word", "four", 4, true},
		{"english word stars", "four stars", 4, true},
		{"english word out of five", "three out of five", 3, true},
		{"give it a three", "I'd give it a three", 3, true},
		{"a solid four", "a solid four, the technician was quick", 4, true},
		{"say five", "I'd say 5", 5, true},
		{"english word out of range", "six stars", 0, false},
		{"english word in a sentence is no score", "one of the buttons is loose", 0, false},
		{"an english count is no score", "two days and nobody called", 0, false},
		{"leading, dash", "4 - friendly, but the answer took two days", 4, true},
		{"leading, comma zh", "5，师傅很专业", 5, true},
		{"leading, period", "3. slow", 3, true},
		{"leading out of range", "7, great", 0, false},
		{"leading decimal", "4.5 - the technician came late", 0, false},
		{"leading without punctuation", "2 days and nobody called", 0, false},
		{"leading duration", "5分钟, nobody came", 0, false},
		{"分", "5分", 5, true},
		{"chinese 分", "给四分吧", 4, true},
		{"五星", "五星", 5, true},
		{"颗星", "3颗星", 3, true},
		{"stars", "4 stars", 4, true},
		{"star hyphen", "a 4-star service", 4, true},
		{"slash five", "4/5", 4, true},
		{"full-width slash", "４／５", 4, true},
		{"out of five", "3 out of 5", 3, true},
		{"slash five, full marks", "5/5", 5, true},
		{"ten out of ten", "10/10", 5, true},
		{"ten out of ten spaced", "10 / 10 would recommend", 5, true},
		{"eight out of ten", "8/10", 4, true},
		{"seven out of ten rounds up", "7/10", 4, true},
		{"five out of ten rounds up", "5/10", 3, true},
		{"one out of ten", "1/10", 1, true},
		{"out of ten in words", "8 out of 10", 4, true},
		{"out of ten word", "nine out of ten", 5, true},
		{"zero out of ten", "0/10", 0, false},
		{"above ten out of ten", "11/10", 0, false},
		{"above five out of five", "7/5", 0, false},
		{"a date is no score out of ten", "8/10/2026", 0, false},
		{"filled stars", "★★★★", 4, true},
		{"filled and empty stars", "★★☆☆☆", 2, true},
		{"very satisfied zh", "非常满意", 5, true},
		{"satisfied zh", "满意", 4, true},
		{"average zh", "一般", 3, true},
		{"unsatisfied zh", "不满意", 2, true},
		{"very unsatisfied zh", "非常不满意", 1, true},
		{"very bad zh", "很差", 1, true},
		{"bad review zh", "差评！", 1, true},
		{"very satisfied", "Very satisfied", 5, true},
		{"satisfied", "satisfied", 4, true},
		{"ok", "ok", 3, true},
		{"fine", "fine", 3, true},
		{"it was fine", "it was fine", 3, true},
		{"fine, thanks", "Fine, thanks", 3, true},
		{"not fine", "not fine", 2, true},
		{"average", "average", 3, true},
		{"unsatisfied", "unsatisfied", 2, true},
		{"dissatisfied", "I am dissatisfied", 2, true},
		{"not satisfied", "not satisfied", 2, true},
		{"terrible", "terrible", 1, true},
		{"very dissatisfied", "very   dissatisfied", 1, true},
		{"so-so", "so-so", 3, true},
		{"worst", "the worst service ever", 1, true},
		{"not great", "not great", 2, true},
		{"great", "great service, thanks", 5, true},
		{"垃圾", "垃圾服务", 1, true},
		{"explicit beats words", "不满意，给2分", 2, true},
		{"explicit first", "5分，非常满意", 5, true},
		{"minutes are no score", "等了5分钟，一般", 3, true},
		{"weeks are no stars", "3星期", 0, false},
		{"out of range 分", "6分", 0, false},
		{"zero", "0", 0, false},
		{"ten", "10", 0, false},
		{"decimal score", "4.5分", 0, false},
		{"number in a sentence is no score", "I waited 3 days", 0, false},
		{"nothing", "你好", 0, false},
		{"empty", "", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			score, ok := Rating(tc.text)
			if score != tc.score || ok != tc.ok {
				t.Errorf("Rating(%q) = %d, %v; want %d, %v", tc.text, score, ok, tc.score, tc.ok)
			}
		})
	}
}
