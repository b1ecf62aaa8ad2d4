package dialog

// Closing reports whether a customer's message only closes the exchange:
// thanks, an acknowledgement or a goodbye ("thanks", "ok", "谢谢", "好的",
// "ok thanks, bye"), with no question, request or fault in it. An agent
// may hand such a conversation back or resolve it without asking whether
// the customer is done.
func Closing(text string) bool {
	return courtesyOnly(text) || isGoodbye(text) || leaves(text)
}
