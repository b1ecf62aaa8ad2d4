package dialog

import "testing"

func TestAddressIn(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"冰箱RF-450需要上门安装，地址上海市浦东新区世纪大道100号，12月1号下午，电话13512345678", "上海市浦东新区世纪大道100号"},
		{"地址是：北京市朝阳区建国路88号", "北京市朝阳区建国路88号"},
		{"洗衣机坏了，我家在杭州市西湖区文三路5号3单元", "杭州市西湖区文三路5号3单元"},
		{"I need installation for my fridge RF-450 at 200 Caoxi Road, Shanghai", "200 Caoxi Road, Shanghai"},
		{"Please come to 18 Tianmu Rd, Hangzhou. Call me on 13812345678", "18 Tianmu Rd, Hangzhou"},
		{"my address is Flat 3, 77 Nanjing West Road, Shanghai", "Flat 3, 77 Nanjing West Road, Shanghai"},
		{"Room 1201, 88 Wensan Road, Hangzhou", "Room 1201, 88 Wensan Road, Hangzhou"},
		{"come to Apt 5B, 12 Huaihai Road, Shanghai. Phone 13600001111.", "Apt 5B, 12 Huaihai Road, Shanghai"},
		{"5 Jianguo Road, Chaoyang, Beijing. Phone 13600001111.", "5 Jianguo Road, Chaoyang, Beijing"},
		// No address.
		{"我在路上，等会儿再说", ""},
		{"我住在北京", ""},
		{"I bought 2 TVs at the store last week", ""},
		{"call me at 5 pm", ""},
		{"电视TV-55X没声音了，11月1号买的", ""},
	} {
		if got := addressIn(tc.text); got != tc.want {
			t.Errorf("addressIn(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
