package kb

import "testing"

// benchQueries mix Chinese, English and mixed questions, paraphrases,
// full-width forms and typos, with messages that get no answer.
var benchQueries = []string{
	"保修期多久", "电视的保修期是几年", "过了保修期修理要花多少钱", "包装盒已经扔掉了还能退货吗",
	"how long is the warranty on a TV", "I lost the invoice, is the order number ok?", "ｗａｒｒａｎｔｙ ｐｅｒｉｏｄ",
	"retrun policy", "洗衣机warranty几年", "我的洗衣机不转了", "I want to return my TV", "今天天气怎么样",
}

var sinkEntry *Entry

// BenchmarkBaselineNormalize is the baseline the others are compared with:
// normalising the same questions, without tokenising or scoring.
func BenchmarkBaselineNormalize(b *testing.B) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = normalize(benchQueries[i%len(benchQueries)])
		i++
	}
}

// BenchmarkAnswer reports the time of one Answer over the mixed set.
func BenchmarkAnswer(b *testing.B) {
	kb := Default()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkEntry, _ = kb.Answer(benchQueries[i%len(benchQueries)], "zh")
		i++
	}
}

func BenchmarkSearch(b *testing.B) {
	kb := Default()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = kb.Search(benchQueries[i%len(benchQueries)], "en")
		i++
	}
}

func BenchmarkAnswerParallel(b *testing.B) {
	kb := Default()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			kb.Answer(benchQueries[i%len(benchQueries)], "zh")
			i++
		}
	})
}

// BenchmarkLoadDefault is the cost of loading and indexing the embedded file.
func BenchmarkLoadDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(DefaultName, defaultYAML); err != nil {
			b.Fatal(err)
		}
	}
}
