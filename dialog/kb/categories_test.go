package kb

import (
	"errors"
	"testing"
)

// A troubleshooting key that is not a policy category is reported with its
// line and the category meant; the categories the policy has pass.
func TestCheckCategories(t *testing.T) {
	src := valid + `troubleshooting:
  wearables:
    - {zh: 充电, en: Charge it.}
  wearable:
    - {zh: 重启, en: Restart it.}
  phone:
    - {zh: 重启, en: Restart it.}
`
	k, err := Load("kb.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	err = k.CheckCategories([]string{"home-electronics", "wearables"})
	want := `troubleshooting.wearable: not a category of the policy (did you mean "wearables"?): its steps would never be offered (kb.yaml:12)` + "\n" +
		`troubleshooting.phone: not a category of the policy (known: home-electronics, wearables): its steps would never be offered (kb.yaml:14)`
	if err == nil || err.Error() != want || !errors.Is(err, ErrInvalid) {
		t.Fatalf("err =\n%v\nwant\n%s", err, want)
	}
	if err := k.CheckCategories([]string{"wearables", "wearable", "phone", "tv"}); err != nil {
		t.Errorf("every key a category: %v", err)
	}
	if err := Default().CheckCategories([]string{"home-electronics", "small-appliances", "major-appliances", "office-equipment"}); err != nil {
		t.Errorf("the embedded knowledge base against the demo policy's categories: %v", err)
	}
}
