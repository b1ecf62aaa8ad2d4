package dialog

import (
	"slices"
	"testing"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog/extract"
)

// TestProductsNamed: a product noun names the catalog's models whose name
// holds it, a plural too ("TVs"); a noun inside a longer one said
// ("purifier" in "water purifier") names nothing more; a noun no name holds
// ("washer", "television") names its group's products.
func TestProductsNamed(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	tn := &turn{e: &Engine{pol: &cfg.Policy}}
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"do you install TVs?", []string{"TV-55X", "TV-65X"}},
		{"I'd like to know if you install TVs", []string{"TV-55X", "TV-65X"}},
		{"你们装电视吗", []string{"TV-55X", "TV-65X"}},
		{"do you install water purifiers?", []string{"WP-8"}},
		{"is the air purifier installed", []string{"AP-300"}},
		{"do you install purifiers?", []string{"AP-300", "WP-8"}},
		{"净化器安装吗", []string{"AP-300"}},
		{"净水器安装吗", []string{"WP-8"}},
		{"do you install washers", []string{"WM-100"}},
		{"television installation", []string{"TV-55X", "TV-65X"}},
		{"冰箱装不装", []string{"RF-450"}},
		{"how long is the warranty", nil},
		{"do you install tvstands", nil}, // not a plural of "tv"
	} {
		if got := tn.productsNamed(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("productsNamed(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestInstallKindQuestion: a question whether a kind of product is
// installed is an installation question, 装 before a product or "装不装"
// included; asking for one ("帮我装个洗衣机") is a request.
func TestInstallKindQuestion(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"do you install TVs?", true},
		{"你们装电视吗", true},
		{"电视安装吗", true},
		{"洗衣机你们给装吗", true},
		{"冰箱装不装", true},
		{"电视安装收费吗", true},
		{"电视的安装流程是怎样的", true},
		{"what's the installation process for the WM-100?", true},
		{"帮我装个洗衣机", false},
		{"我要预约安装", false},
	} {
		if got := installQuestion(tc.text); got != tc.want {
			t.Errorf("installQuestion(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	for _, text := range []string{"你们装电视吗", "帮我装个洗衣机", "装台冰箱要多久"} {
		if got := intentOf(text); got != intentInstall {
			t.Errorf("intentOf(%q) = %q, want %q", text, got, intentInstall)
		}
	}
	for _, text := range []string{"电视有包装吗", "包装电视的箱子还要吗"} { // 包装 is packaging
		if got := intentOf(text); got == intentInstall {
			t.Errorf("intentOf(%q) = %q", text, got)
		}
	}
}

// TestInstallProblem: a problem with an installation done (too short, not
// level, not connected) is told with the installation; a fault of the
// product after it, an installation to come, or the problem without an
// installation told is not one.
func TestInstallProblem(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"安装完了，但是排水管太短了", true},
		{"安装完了，但是WM-100的排水管太短了，能换一根吗", true},
		{"师傅装完走了，电视挂歪了", true},
		{"刚装好的净水器，水管没接好", true},
		{"洗衣机装好了，但是运输螺栓没拆", true},
		{"the installer left but the hose is too short", true},
		{"the TV-55X you installed yesterday is crooked", true},
		{"my WM-100 was installed today and the drain hose doesn't reach the drain", true},
		{"after the installation the washing machine is not level", true},
		{"the technician just left and the TV mount is loose", true},
		// Not a problem with an installation done.
		{"the installation guy left and now my WP-8 leaks", false}, // the product's fault: a repair
		{"师傅装完走了，现在漏水了", false},
		{"the installer hasn't come yet", false},
		{"the hose is too short", false},
		{"排水管太短了，能换一根长的吗", false},
		{"安装好了，谢谢", false},
		{"I need my WM-100 installed", false},
		{"包装好了，但是电视歪了", false}, // the packaging, no installation told
	} {
		if got := installProblem(norm(tc.text)); got != tc.want {
			t.Errorf("installProblem(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestInstallsModel: 装 right before a model ("你们装WM-100吗", "能装个WP-8吗")
// is installing it; 装 elsewhere is not.
func TestInstallsModel(t *testing.T) {
	cat := extract.NewCatalog([]string{"WM-100", "WP-8"})
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"你们装WM-100吗", true},
		{"能装个WP-8吗", true},
		{"装 WM-100 吗", true},
		{"WM-100安装吗", false}, // the cue says it
		{"WM-100的包装坏了", false},
		{"装修以后WM-100漏水", false},
	} {
		if got := installsModel(tc.text, cat.Models(tc.text)); got != tc.want {
			t.Errorf("installsModel(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
