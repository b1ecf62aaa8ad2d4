package config

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"net/mail"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// validate adds a problem for every invalid setting.
func (c *Config) validate(l *loader) {
	validateAddr(l, "server.addr", c.Server.Addr)
	if c.Server.ShutdownTimeout < 0 {
		l.add("server.shutdown_timeout", "must be positive")
	}
	if c.Server.PublicURL != "" {
		if u, err := url.Parse(c.Server.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			l.add("server.public_url", fmt.Sprintf("%q is not an http(s) URL", c.Server.PublicURL))
		}
	}
	switch c.Storage.Driver {
	case "sqlite":
	case "postgres":
		l.add("storage.driver", `"postgres" is not supported yet; use "sqlite"`)
	default:
		l.add("storage.driver", fmt.Sprintf("unknown driver %q (want sqlite)", c.Storage.Driver))
	}
	oneOf(l, "log.level", c.Log.Level, "debug", "info", "warn", "error")
	oneOf(l, "log.format", c.Log.Format, "text", "json")

	if c.Dialog.TimerInterval < time.Second {
		l.add("dialog.timer_interval", "must be at least 1s")
	}
	c.validateOwner(l)
	c.validateRoutes(l)
	for _, key := range []struct{ path, file string }{{"dialog.texts", c.Dialog.Texts}, {"dialog.knowledge", c.Dialog.Knowledge}} {
		if key.file == "" {
			continue
		}
		if _, err := os.Stat(key.file); err != nil {
			l.add(key.path, fmt.Sprintf("cannot read %q: %v", key.file, errors.Unwrap(err)))
		}
	}
	if len(c.Policy.Categories) == 0 {
		l.add("policy.categories", "the policy has no product categories, so the bot would recognise no product: "+
			"a policy section replaces the whole demo policy; start from the complete one that `supportd config default` prints, "+
			"or leave the policy section out to run on the demo policy")
	} else if len(c.Policy.Products) == 0 {
		l.add("policy.products", "the catalog has no products, so the bot would recognise no model: "+
			"list them (see the products in `supportd config default`)")
	}
	for _, fe := range c.Policy.Validate() {
		l.add("policy."+fe.Path, fe.Msg)
	}
	c.Channels.validate(l)
	c.validateWebhooks(l)
}

func (ch *Channels) validate(l *loader) {
	ch.Webchat.validate(l)

	e := &ch.Email
	for name, ep := range map[string]*Endpoint{"imap": &e.IMAP, "smtp": &e.SMTP} {
		p := "channels.email." + name
		if ep.Port != 0 && (ep.Port < 1 || ep.Port > 65535) {
			l.add(p+".port", "must be 1-65535")
		}
		oneOf(l, p+".tls", ep.TLS, "starttls", "implicit", "none")
		if e.Enabled && ep.Host == "" {
			l.add(p+".host", "required when the email channel is enabled")
		}
	}
	if e.Enabled && e.Address == "" {
		l.add("channels.email.address", "required when the email channel is enabled: the support address customers write to")
	} else if e.Enabled || e.Address != "" {
		if _, err := mail.ParseAddress(e.Address); err != nil {
			l.add("channels.email.address", fmt.Sprintf("%q is not an email address", e.Address))
		}
	}
	seen := map[string]bool{}
	for i, mb := range e.Mailboxes {
		p := fmt.Sprintf("channels.email.mailboxes[%d]", i)
		if strings.TrimSpace(mb.Name) == "" {
			l.add(p+".name", "required")
		} else if seen[mb.Name] {
			l.add(p+".name", fmt.Sprintf("duplicate mailbox %q", mb.Name))
		}
		seen[mb.Name] = true
		if mb.Kind != "" && !isTicketKind(mb.Kind) {
			l.add(p+".kind", fmt.Sprintf("unknown ticket kind %q (want %s)", mb.Kind, strings.Join(ticketKinds, ", ")))
		}
	}
	e.validateLimits(l)

	s := &ch.Slack
	if s.Enabled {
		if !strings.HasPrefix(s.BotToken, "xoxb-") {
			l.add("channels.slack.bot_token", "required when Slack is enabled: a bot token starting with xoxb-")
		}
		if s.SocketMode && !strings.HasPrefix(s.AppToken, "xapp-") {
			l.add("channels.slack.app_token", "required with socket_mode: an app-level token starting with xapp-")
		}
		if !s.SocketMode && s.SigningSecret == "" {
			l.add("channels.slack.signing_secret", "required when Slack is enabled without socket_mode")
		}
		if s.DefaultChannel == "" {
			l.add("channels.slack.default_channel", "required when Slack is enabled: the channel escalations go to")
		}
	}
	for key, channel := range s.Channels {
		kind, _, _ := strings.Cut(key, "/")
		if !isTicketKind(kind) {
			l.add("channels.slack.channels."+key, fmt.Sprintf("unknown ticket kind %q (want %s, or KIND/CATEGORY)", kind, strings.Join(ticketKinds, ", ")))
		}
		if strings.TrimSpace(channel) == "" {
			l.add("channels.slack.channels."+key, "the channel is required (its id, e.g. C0123456789)")
		}
	}
	names := map[string]string{}
	for email, name := range s.Agents {
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
			l.add("channels.slack.agents."+email, fmt.Sprintf("%q is not an email address", email))
		}
		if strings.TrimSpace(name) == "" {
			l.add("channels.slack.agents."+email, "the name customers see is required")
		} else if other, dup := names[name]; dup {
			l.add("channels.slack.agents."+email, fmt.Sprintf("name %q is also %s's: names must be unique", name, other))
		}
		names[name] = email
	}
	if s.SLAInterval < time.Second {
		l.add("channels.slack.sla_interval", "must be at least 1s")
	}
	oneOf(l, "channels.slack.thread_replies", s.ThreadReplies, ThreadRepliesCustomer, ThreadRepliesInternal)
	s.validateSavedReplies(l)
}

// minSecret is the shortest web chat secret accepted: 32 characters.
const minSecret = 32

func (w *Webchat) validate(l *loader) {
	const p = "channels.webchat."
	for i, o := range w.AllowedOrigins {
		if o == "*" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			l.add(fmt.Sprintf(p+"allowed_origins[%d]", i), fmt.Sprintf("%q is not an origin like https://www.example.com", o))
		}
	}
	if w.Secret != "" && len(w.Secret) < minSecret {
		l.add(p+"secret", fmt.Sprintf("must be at least %d characters (or empty for a generated key)", minSecret))
	}
	if w.MaxFrameBytes < MinFrameBytes || w.MaxFrameBytes > 1<<20 {
		l.add(p+"max_frame_bytes", fmt.Sprintf("must be %d to 1048576 (a message of 4000 characters must fit)", MinFrameBytes))
	}
	if w.PingInterval < 10*time.Millisecond {
		l.add(p+"ping_interval", "must be at least 10ms")
	}
	if w.PongWait <= w.PingInterval {
		l.add(p+"pong_wait", fmt.Sprintf("must be longer than ping_interval (%s)", w.PingInterval))
	}
	if w.WriteTimeout < 10*time.Millisecond {
		l.add(p+"write_timeout", "must be at least 10ms")
	}
	if w.SendQueue < 1 || w.SendQueue > 100000 {
		l.add(p+"send_queue", "must be 1 to 100000 frames")
	}
	for name, r := range map[string]Rate{"connection": w.Rate.Connection, "address": w.Rate.Address} {
		if r.PerSecond < 0 {
			l.add(p+"rate."+name+".per_second", "must be positive")
		}
		if r.Burst < 1 {
			l.add(p+"rate."+name+".burst", "must be at least 1")
		}
	}
	if w.MaxConnectionsPerAddress < 1 {
		l.add(p+"max_connections_per_address", "must be at least 1")
	}
	if w.ClientIPHeader != "" && !validHeaderName(w.ClientIPHeader) {
		l.add(p+"client_ip_header", fmt.Sprintf("%q is not a header name", w.ClientIPHeader))
	}
	if w.UploadMaxBytes < 1024 || w.UploadMaxBytes > 100<<20 {
		l.add(p+"upload_max_bytes", "must be 1024 to 104857600")
	}
	if w.SweepInterval < 10*time.Millisecond {
		l.add(p+"sweep_interval", "must be at least 10ms")
	}
	if w.TypingDelay < 0 || w.TypingDelay > 10*time.Second {
		l.add(p+"typing_delay", "must be 0 to 10s")
	}
}

func validHeaderName(s string) bool {
	for _, r := range s {
		if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func validateAddr(l *loader, path, addr string) {
	if err := CheckAddr(addr); err != nil {
		l.add(path, err.Error())
	}
}

// CheckAddr reports whether addr is a listen address HOST:PORT (the host may
// be empty; port 0 picks a free port).
func CheckAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q must be 0-65535", port)
	}
	return nil
}

func oneOf(l *loader, path, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	l.add(path, fmt.Sprintf("%q is not one of %s", v, strings.Join(allowed, ", ")))
}

// validateLimits checks the email channel's timers, limits and names.
func (e *Email) validateLimits(l *loader) {
	const p = "channels.email."
	if e.IdleRestart < 10*time.Millisecond || e.IdleRestart >= 29*time.Minute {
		l.add(p+"idle_restart", "must be at least 10ms and under 29m (servers end IDLE after 30 minutes)")
	}
	if e.PollInterval < 10*time.Millisecond {
		l.add(p+"poll_interval", "must be at least 10ms")
	}
	if e.Watchdog < 10*time.Millisecond || e.Watchdog > 5*time.Minute {
		l.add(p+"watchdog", "must be 10ms to 5m")
	}
	oneOf(l, p+"after", e.After, "seen", "move")
	if e.After == "move" && strings.TrimSpace(e.MoveTo) == "" {
		l.add(p+"move_to", `required when after is "move": the folder handled mail goes to`)
	}
	if e.MaxAttachmentBytes < 1024 || e.MaxAttachmentBytes > 100<<20 {
		l.add(p+"max_attachment_bytes", "must be 1024 to 104857600")
	}
	if e.MaxMessageBytes < e.MaxAttachmentBytes || e.MaxMessageBytes > 200<<20 {
		l.add(p+"max_message_bytes", fmt.Sprintf("must be at least max_attachment_bytes (%d) and at most 209715200", e.MaxAttachmentBytes))
	}
	if e.MaxAttempts < 1 || e.MaxAttempts > 100 {
		l.add(p+"max_attempts", "must be 1 to 100")
	}
	if e.MaxAutoRepliesPerDay < 1 || e.MaxAutoRepliesPerDay > 1000 {
		l.add(p+"max_auto_replies_per_day", "must be 1 to 1000")
	}
	if e.FetchBatch < 1 || e.FetchBatch > 1000 {
		l.add(p+"fetch_batch", "must be 1 to 1000")
	}
	if e.ContinueChatsAfter < 10*time.Millisecond || e.ContinueChatsAfter > 7*24*time.Hour {
		l.add(p+"continue_chats_after", "must be 10ms to 168h")
	}
	if strings.ContainsFunc(e.FromName, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		l.add(p+"from_name", "must not contain control characters")
	}
	// An empty domain was not given and could not be taken from the
	// address: the address's own problem says why.
	if (e.Enabled || e.Address != "") && e.MessageIDDomain != "" && !validDomain(e.MessageIDDomain) {
		l.add(p+"message_id_domain", fmt.Sprintf("%q is not a domain name", e.MessageIDDomain))
	}
}

// validDomain reports whether s looks like a domain name: labels of
// letters, digits and hyphens joined by dots.
func validDomain(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
		for _, r := range label {
			if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return false
			}
		}
	}
	return true
}

// validateOwner checks dialog.complaint_owner against the Slack agent list.
// validateRoutes checks the categories of channels.slack.channels' keys
// "KIND/CATEGORY": each must be a policy category id.
func (c *Config) validateRoutes(l *loader) {
	for key := range c.Channels.Slack.Channels {
		_, cat, ok := strings.Cut(key, "/")
		if !ok {
			continue
		}
		var ids []string
		for _, pc := range c.Policy.Categories {
			if pc.ID == cat {
				ids = nil
				break
			}
			ids = append(ids, pc.ID)
		}
		if ids != nil || len(c.Policy.Categories) == 0 {
			l.add("channels.slack.channels."+key, fmt.Sprintf("unknown product category %q: a key is a ticket kind, or KIND/CATEGORY with a category id of the policy (%s)", cat, strings.Join(ids, ", ")))
		}
	}
}

func (c *Config) validateOwner(l *loader) {
	o, s := c.Dialog.ComplaintOwner, c.Channels.Slack
	if (o.Agent == "") != (o.Name == "") {
		l.add("dialog.complaint_owner", "needs both agent (how they act: their Slack email or --agent name) and name (what customers are told)")
		return
	}
	if o.Agent == "" || !s.Enabled || len(s.Agents) == 0 {
		return
	}
	emails := slices.Sorted(maps.Keys(s.Agents))
	i := slices.IndexFunc(emails, func(a string) bool { return strings.EqualFold(a, o.Agent) })
	if i < 0 {
		// Only listed agents act in Slack: every complaint would be
		// assigned to someone who cannot, and nobody else may.
		l.add("dialog.complaint_owner.agent", fmt.Sprintf("%s is not in channels.slack.agents, so nobody could act on complaints in Slack: add them there (with the name customers see)", o.Agent))
		return
	}
	if email, name := emails[i], s.Agents[emails[i]]; name != o.Name {
		// One person, one name: the customer is told the owner's name when
		// the complaint is filed, and reads the list's on their replies.
		l.add("dialog.complaint_owner.name", fmt.Sprintf("%q is not the name channels.slack.agents gives %s (%q): customers would read both for one person; give the same name in both", o.Name, email, name))
	}
}

// validateWebhooks checks the outgoing webhooks: a unique name, an http(s)
// URL, known events, a timeout in range, and no secret that came out empty
// (a variable set to nothing would send every delivery unsigned).
func (c *Config) validateWebhooks(l *loader) {
	names := map[string]int{}
	for i, w := range c.Webhooks {
		p := fmt.Sprintf("webhooks[%d]", i)
		switch {
		case w.Name == "":
			l.add(p+".name", "required: names the webhook in logs and metrics and keeps its place in the event feed")
		case !validWebhookName(w.Name):
			l.add(p+".name", fmt.Sprintf("%q: use letters, digits, '-', '_' and '.' only", w.Name))
		default:
			if j, dup := names[w.Name]; dup {
				l.add(p+".name", fmt.Sprintf("duplicate webhook name %q (also webhooks[%d])", w.Name, j))
			} else {
				names[w.Name] = i
			}
		}
		if w.URL == "" {
			l.add(p+".url", "required: the http(s) URL that receives the deliveries")
		} else if u, err := url.Parse(w.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			l.add(p+".url", fmt.Sprintf("%q is not an http(s) URL", w.URL))
		}
		if _, given := l.lines[p+".secret"]; given && w.Secret == "" {
			l.add(p+".secret", "empty (is its environment variable set to nothing?): give the signing key, or leave the key out to send unsigned deliveries")
		}
		if _, given := l.lines[p+".events"]; given && len(w.Events) == 0 {
			l.add(p+".events", "empty list: leave the key out for every event")
		}
		for j, ev := range w.Events {
			if !slices.Contains(WebhookEvents, ev) {
				l.add(fmt.Sprintf("%s.events[%d]", p, j), fmt.Sprintf("unknown event %q (want %s)", ev, strings.Join(WebhookEvents, ", ")))
			}
		}
		if w.Timeout < 100*time.Millisecond || w.Timeout > 5*time.Minute {
			l.add(p+".timeout", "must be 100ms to 5m")
		}
	}
}

func validWebhookName(s string) bool {
	for _, r := range s {
		if !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return len(s) <= 64
}
