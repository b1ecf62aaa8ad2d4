package extract

import (
	"fmt"
	"testing"
)

// Typical messages of about 40 characters.
const (
	benchZH = "我的洗衣机不转了，去年3月买的，型号ＷＭ－１００，上周三开始漏水"
	benchEN = "my TV-55Y broke 3 weeks ago, bought March 5"
)

var sinkDates []DateMatch
var sinkModels []ModelMatch

// BenchmarkBaselineScan is the baseline the others are compared with: one
// pass of the tokenizer over the same message.
func BenchmarkBaselineScan(b *testing.B) {
	b.ReportAllocs()
	var buf [64]tok
	for b.Loop() {
		_ = newScan(benchZH, buf[:])
	}
}

func BenchmarkDates(b *testing.B) {
	today := mustDate(b, novToday)
	for _, bc := range []struct{ name, text string }{{"zh", benchZH}, {"en", benchEN}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkDates = Dates(bc.text, today)
			}
		})
	}
}

func BenchmarkModels(b *testing.B) {
	models := make([]string, 0, 2000)
	for i := range 1000 {
		models = append(models, fmt.Sprintf("TV-%02dX%d", i%90+10, i/90), fmt.Sprintf("WM-%d", 100+i))
	}
	big := NewCatalog(models)
	for _, bc := range []struct {
		name string
		cat  *Catalog
		text string
	}{
		{"exact/small", testCatalog, benchZH},
		{"near/small", testCatalog, benchEN},
		{"exact/2000", big, benchZH},
		{"near/2000", big, benchEN},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkModels = bc.cat.Models(bc.text)
			}
		})
	}
}

func BenchmarkRating(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Rating("师傅上门很快，服务态度也很好，但是等了5分钟，总体来说比较满意吧")
	}
}

func BenchmarkNumbersAmountContact(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Numbers(benchZH)
		_, _ = Amount("修了一下花了三百五十元，发票号：04400123")
		_, _ = OrderNumber("订单号：SO-20261124-0001，电话13812345678")
		_, _ = Phone("订单号：SO-20261124-0001，电话13812345678")
		_, _ = Email("邮箱wang.li@qq.com谢谢")
	}
}
