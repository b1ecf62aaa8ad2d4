package extract_test

import (
	"fmt"

	"github.com/supportd/supportd/dialog/extract"
	"github.com/supportd/supportd/policy"
)

func ExampleDates() {
	today, _ := policy.ParseDate("2026-11-24")
	for _, m := range extract.Dates("去年3月买的，上周三开始漏水; bought it 3 weeks ago", today) {
		fmt.Println(m.Text, m.Date, m.Precision, m.Relative)
	}
	// Output:
	// 去年3月 2025-03-01 month true
	// 上周三 2026-11-18 day true
	// 3 weeks ago 2026-11-03 day true
}

func ExampleCatalog_Models() {
	catalog := extract.NewCatalog([]string{"TV-55X", "WM-100"})
	for _, m := range catalog.Models("型号ＷＭ－１００，另一台是TV-55Y") {
		fmt.Println(m.Text, m.Model, m.Exact, m.Distance)
	}
	// Output:
	// ＷＭ－１００ WM-100 true 0
	// TV-55Y TV-55X false 1
}

func ExampleRating() {
	for _, s := range []string{"五星", "4/5", "非常满意", "terrible", "6分"} {
		score, ok := extract.Rating(s)
		fmt.Println(s, score, ok)
	}
	// Output:
	// 五星 5 true
	// 4/5 4 true
	// 非常满意 5 true
	// terrible 1 true
	// 6分 0 false
}

func ExampleAmount() {
	fen, ok := extract.Amount("维修费三百五十元")
	fmt.Println(fen, ok)
	// Output: 35000 true
}
