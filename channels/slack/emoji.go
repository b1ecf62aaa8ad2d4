package slack

import (
	"strconv"

	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"
)

// shortcode matches a Slack emoji shortcode: ":pray:", ":+1:", and
// ":+1::skin-tone-2:" as two. A name with no letter ("10:30:00") is not one,
// unless it is a known emoji (":100:").
var shortcode = regexp.MustCompile(`:([a-z0-9_+\-]+):`)

// emojify turns Slack's emoji shortcodes in s into the emoji the customer
// sees (":thumbsup:" is 👍, ":+1::skin-tone-2:" is 👍: the tone is dropped)
// and drops those with no Unicode form, the workspace's custom emoji
// (":partyparrot:"), which the customer would read as typed. It returns the
// custom ones it dropped, as written.
//
// An unknown code is dropped only when it stands alone, as Slack shows an
// emoji: between spaces, at an edge of the text or a line, before
// punctuation or next to another code. "00:1a:2b", "a:b:c" in a path and
// "10:30:00" stay as written.
func emojify(s string) (string, []string) {
	var (
		b       strings.Builder
		dropped []string
		last    int // end of the text copied to b
		prevEnd = -1
	)
	ms := shortcode.FindAllStringSubmatchIndex(s, -1)
	for i, m := range ms {
		start, end, name := m[0], m[1], s[m[2]:m[3]]
		e, known := emoji[name]
		next := len(s) + 1
		if i+1 < len(ms) {
			next = ms[i+1][0]
		}
		switch {
		case known:
			b.WriteString(s[last:start])
			b.WriteString(e)
		case strings.IndexFunc(name, unicode.IsLetter) >= 0 && alone(s, start, end, prevEnd, next):
			// The spaces before it go with it; those after it stay to part
			// the words around it, unless nothing is before them on the line.
			b.WriteString(strings.TrimRight(s[last:start], " \t"))
			if out := b.String(); out == "" || strings.HasSuffix(out, "\n") {
				for end < len(s) && (s[end] == ' ' || s[end] == '\t') {
					end++
				}
			}
			dropped = append(dropped, s[start:m[1]])
		default:
			prevEnd = -1
			continue
		}
		last, prevEnd = end, m[1]
	}
	b.WriteString(s[last:])
	return b.String(), dropped
}

// alone reports whether the code s[start:end] stands alone: after the start
// of s, a space or the end of another code (prevEnd), and before the end of
// s, a space, punctuation or another code (next).
func alone(s string, start, end, prevEnd, next int) bool {
	if start > 0 && start != prevEnd && !isSpace(s[start-1]) {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		if !strings.ContainsRune("([{\"'.,!?;“‘（「，。！？；", r) && !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	if end == len(s) || end == next || isSpace(s[end]) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[end:])
	return r != '/' && r != ':' && unicode.IsPunct(r) || unicode.Is(unicode.Han, r)
}

// customOnly tells an agent why their reply, Slack text raw, did not go to
// the customer when it had nothing but custom emoji (emojify drops them);
// "" when it had none.
func customOnly(raw string) string {
	_, dropped := emojify(raw)
	if len(dropped) == 0 {
		return ""
	}
	dropped = slices.Compact(dropped)
	is := " is a custom emoji"
	if len(dropped) > 1 {
		is = " are custom emoji"
	}
	return "Not sent to the customer: " + esc(strings.Join(dropped, " ")) + is + " of this workspace, which the customer cannot see, " +
		"and the reply had nothing else. Write it in words, or use a standard emoji like :thumbsup:."
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// emoji are Slack's standard shortcodes agents use most, as the customer
// sees them. A code not here is taken for a custom emoji of the workspace.
var emoji = map[string]string{
	// Skin tones follow an emoji (":+1::skin-tone-2:"): the emoji alone.
	"skin-tone-1": "", "skin-tone-2": "", "skin-tone-3": "", "skin-tone-4": "", "skin-tone-5": "", "skin-tone-6": "",

	// Faces.
	"smile": "😄", "smiley": "😃", "simple_smile": "🙂", "grinning": "😀", "grin": "😁", "laughing": "😆", "satisfied": "😆",
	"sweat_smile": "😅", "joy": "😂", "rolling_on_the_floor_laughing": "🤣", "relaxed": "☺️", "blush": "😊", "innocent": "😇",
	"slightly_smiling_face": "🙂", "upside_down_face": "🙃", "wink": "😉", "relieved": "😌", "heart_eyes": "😍",
	"smiling_face_with_3_hearts": "🥰", "kissing_heart": "😘", "yum": "😋", "stuck_out_tongue": "😛",
	"stuck_out_tongue_winking_eye": "😜", "sunglasses": "😎", "hugging_face": "🤗", "hugs": "🤗", "star-struck": "🤩",
	"partying_face": "🥳", "thinking_face": "🤔", "thinking": "🤔", "neutral_face": "😐", "expressionless": "😑", "no_mouth": "😶",
	"face_with_rolling_eyes": "🙄", "smirk": "😏", "persevere": "😣", "disappointed_relieved": "😥", "open_mouth": "😮",
	"zipper_mouth_face": "🤐", "hushed": "😯", "sleepy": "😪", "tired_face": "😫", "sleeping": "😴", "worried": "😟",
	"slightly_frowning_face": "🙁", "white_frowning_face": "☹️", "confused": "😕", "disappointed": "😞", "pensive": "😔",
	"cry": "😢", "sob": "😭", "scream": "😱", "flushed": "😳", "rage": "😡", "angry": "😠", "triumph": "😤",
	"confounded": "😖", "weary": "😩", "fearful": "😨", "cold_sweat": "😰", "astonished": "😲", "grimacing": "😬",
	"exploding_head": "🤯", "mask": "😷", "nerd_face": "🤓", "pleading_face": "🥺", "face_palm": "🤦", "facepalm": "🤦",
	"shrug": "🤷", "see_no_evil": "🙈", "hear_no_evil": "🙉", "speak_no_evil": "🙊",

	// Hands and people.
	"+1": "👍", "thumbsup": "👍", "-1": "👎", "thumbsdown": "👎", "ok_hand": "👌", "clap": "👏", "raised_hands": "🙌",
	"pray": "🙏", "wave": "👋", "muscle": "💪", "point_right": "👉", "point_left": "👈", "point_up": "☝️", "point_up_2": "👆",
	"point_down": "👇", "v": "✌️", "crossed_fingers": "🤞", "handshake": "🤝", "hand": "✋", "raised_hand": "✋",
	"fist": "✊", "facepunch": "👊", "punch": "👊", "open_hands": "👐", "writing_hand": "✍️", "call_me_hand": "🤙",
	"eyes": "👀", "bow": "🙇", "raising_hand": "🙋", "ok_woman": "🙆", "no_good": "🙅",

	// Hearts.
	"heart": "❤️", "orange_heart": "🧡", "yellow_heart": "💛", "green_heart": "💚", "blue_heart": "💙",
	"purple_heart": "💜", "black_heart": "🖤", "broken_heart": "💔", "two_hearts": "💕", "sparkling_heart": "💖",
	"heartpulse": "💗",

	// Marks and symbols.
	"white_check_mark": "✅", "heavy_check_mark": "✔️", "ballot_box_with_check": "☑️", "x": "❌",
	"heavy_multiplication_x": "✖️", "negative_squared_cross_mark": "❎", "warning": "⚠️", "no_entry": "⛔",
	"no_entry_sign": "🚫", "exclamation": "❗", "heavy_exclamation_mark": "❗", "question": "❓", "grey_question": "❔",
	"bangbang": "‼️", "interrobang": "⁉️", "100": "💯", "information_source": "ℹ️", "arrow_right": "➡️",
	"arrow_left": "⬅️", "arrow_up": "⬆️", "arrow_down": "⬇️", "arrows_counterclockwise": "🔄", "repeat": "🔁",
	"heavy_plus_sign": "➕", "heavy_minus_sign": "➖", "red_circle": "🔴", "large_green_circle": "🟢",
	"large_blue_circle": "🔵", "large_orange_circle": "🟠", "large_yellow_circle": "🟡", "white_circle": "⚪",
	"black_circle": "⚫", "ok": "🆗", "new": "🆕", "free": "🆓", "sos": "🆘", "cool": "🆒", "up": "🆙",

	// Celebration and time.
	"star": "⭐", "star2": "🌟", "sparkles": "✨", "zap": "⚡", "fire": "🔥", "boom": "💥", "collision": "💥",
	"tada": "🎉", "confetti_ball": "🎊", "gift": "🎁", "balloon": "🎈", "trophy": "🏆", "sports_medal": "🏅",
	"medal": "🏅", "first_place_medal": "🥇", "dart": "🎯", "red_envelope": "🧧", "izakaya_lantern": "🏮",
	"lantern": "🏮", "hourglass": "⌛", "hourglass_flowing_sand": "⏳", "alarm_clock": "⏰", "stopwatch": "⏱️",
	"watch": "⌚",

	// Objects.
	"bulb": "💡", "phone": "☎️", "telephone": "☎️", "telephone_receiver": "📞", "email": "📧", "e-mail": "📧",
	"envelope": "✉️", "incoming_envelope": "📨", "mailbox": "📫", "calendar": "📆", "date": "📅",
	"spiral_calendar_pad": "🗓️", "memo": "📝", "pencil": "📝", "pencil2": "✏️", "clipboard": "📋", "pushpin": "📌",
	"round_pushpin": "📍", "paperclip": "📎", "link": "🔗", "lock": "🔒", "unlock": "🔓", "key": "🔑", "mag": "🔍",
	"mag_right": "🔎", "wrench": "🔧", "hammer": "🔨", "hammer_and_wrench": "🛠️", "gear": "⚙️", "nut_and_bolt": "🔩",
	"battery": "🔋", "electric_plug": "🔌", "computer": "💻", "iphone": "📱", "calling": "📲",
	"desktop_computer": "🖥️", "printer": "🖨️", "keyboard": "⌨️", "camera": "📷", "tv": "📺", "headphones": "🎧",
	"speaker": "🔈", "sound": "🔉", "loud_sound": "🔊", "mute": "🔇", "bell": "🔔", "package": "📦", "truck": "🚚",
	"articulated_lorry": "🚛", "rocket": "🚀", "car": "🚗", "airplane": "✈️", "house": "🏠", "office": "🏢",
	"moneybag": "💰", "dollar": "💵", "yen": "💴", "credit_card": "💳", "receipt": "🧾",
	"chart_with_upwards_trend": "📈", "chart_with_downwards_trend": "📉", "bar_chart": "📊", "books": "📚",
	"book": "📖", "page_facing_up": "📄", "file_folder": "📁", "scissors": "✂️", "shopping_trolley": "🛒",

	// Food, nature, animals.
	"coffee": "☕", "tea": "🍵", "cake": "🍰", "birthday": "🎂", "pizza": "🍕", "beer": "🍺", "rose": "🌹",
	"sunflower": "🌻", "four_leaf_clover": "🍀", "sunny": "☀️", "cloud": "☁️", "umbrella": "☔", "snowflake": "❄️",
	"rainbow": "🌈", "earth_asia": "🌏", "globe_with_meridians": "🌐", "dog": "🐶", "cat": "🐱", "panda_face": "🐼",
}

// withBlockEmoji writes in Slack text raw, as Unicode, the standard emoji
// that the message's blocks name with their code points (Slack's
// rich_text emoji elements carry "unicode" for every standard emoji, none
// for custom ones): those the table (emoji) lacks reach the customer too,
// rather than being taken for custom ones and dropped. Edits carry no
// blocks here: the table alone reads them.
func withBlockEmoji(raw string, blocks slackapi.Blocks) string {
	for name, e := range blockEmoji(blocks) {
		if _, ok := emoji[name]; !ok {
			raw = strings.ReplaceAll(raw, ":"+name+":", e)
		}
	}
	return raw
}

// blockEmoji returns the standard emoji of rich_text blocks by name.
func blockEmoji(blocks slackapi.Blocks) map[string]string {
	out := map[string]string{}
	section := func(els []slackapi.RichTextSectionElement) {
		for _, el := range els {
			if e, ok := el.(*slackapi.RichTextSectionEmojiElement); ok && e.Unicode != "" {
				if u, ok := codePoints(e.Unicode); ok {
					// The text writes a skin tone apart
					// (":+1::skin-tone-2:"): the emoji alone.
					out[e.Name] = strings.Map(func(r rune) rune {
						if r >= 0x1F3FB && r <= 0x1F3FF {
							return -1
						}
						return r
					}, u)
				}
			}
		}
	}
	var walk func(els []slackapi.RichTextElement)
	walk = func(els []slackapi.RichTextElement) {
		for _, el := range els {
			switch el := el.(type) {
			case *slackapi.RichTextSection:
				section(el.Elements)
			case *slackapi.RichTextQuote:
				section(el.Elements)
			case *slackapi.RichTextList:
				walk(el.Elements)
			}
		}
	}
	for _, b := range blocks.BlockSet {
		if rt, ok := b.(*slackapi.RichTextBlock); ok {
			walk(rt.Elements)
		}
	}
	return out
}

// codePoints reads Slack's "1f44d" or "1f468-200d-1f469" as the emoji.
func codePoints(s string) (string, bool) {
	var b strings.Builder
	for _, h := range strings.Split(s, "-") {
		n, err := strconv.ParseUint(h, 16, 32)
		if err != nil || !utf8.ValidRune(rune(n)) || n < 0x80 {
			return "", false
		}
		b.WriteRune(rune(n))
	}
	return b.String(), true
}
