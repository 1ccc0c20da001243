package livechat

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"switchboard"
)

// The payloads of the satisfaction survey's buttons: LIVECHAT_CSAT_1 to
// LIVECHAT_CSAT_5 rate, LIVECHAT_CSAT_SKIP skips the comment. switchboard
// answers them itself; the bot never receives them.
const (
	PayloadCSATPrefix = "LIVECHAT_CSAT_"
	PayloadCSATSkip   = PayloadCSATPrefix + "SKIP"
)

// Defaults of the survey's texts.
const (
	DefaultCSATQuestion        = "How would you rate your conversation with our team? (1 = poor, 5 = excellent)"
	DefaultCSATCommentQuestion = "Thank you! Anything you would like to add? Type it below, or skip."
	DefaultCSATSkipLabel       = "Skip"
	DefaultCSATThanks          = "Thank you for your feedback!"
)

// CSAT is the satisfaction survey a user gets after a session an agent
// answered: a question with five buttons (1 to 5), then, with Comment, a
// question inviting a comment. Empty texts take the defaults.
type CSAT struct {
	Question string `json:"question,omitempty"`
	// Labels are the titles of the five buttons, "1" to "5" by default.
	Labels          []string `json:"labels,omitempty"`
	Comment         bool     `json:"comment,omitempty"`
	CommentQuestion string   `json:"comment_question,omitempty"`
	SkipLabel       string   `json:"skip_label,omitempty"`
	Thanks          string   `json:"thanks,omitempty"`
}

func (c *CSAT) validate() error {
	if len(c.Labels) != 0 && len(c.Labels) != 5 {
		return switchboard.Errorf(switchboard.EINVALID, "livechat csat.labels has %d labels: give five (for 1 to 5) or none", len(c.Labels))
	}
	texts := map[string]string{"question": c.Question, "comment_question": c.CommentQuestion, "skip_label": c.SkipLabel, "thanks": c.Thanks}
	for i, l := range c.Labels {
		if strings.TrimSpace(l) == "" {
			return switchboard.Errorf(switchboard.EINVALID, "livechat csat.labels[%d] is empty", i)
		}
		texts[fmt.Sprintf("labels[%d]", i)] = l
	}
	for field, v := range texts {
		if len(v) > maxTextSetting {
			return switchboard.Errorf(switchboard.EINVALID, "livechat csat.%s is %d bytes long: keep it under %d", field, len(v), maxTextSetting)
		}
	}
	return nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// SurveyQuestion is the question with the five rating buttons.
func (c *CSAT) SurveyQuestion() switchboard.Payload {
	buttons := make([]Button, 5)
	for i := range buttons {
		label := strconv.Itoa(i + 1)
		if len(c.Labels) == 5 {
			label = c.Labels[i]
		}
		buttons[i] = Button{Title: label, Payload: PayloadCSATPrefix + strconv.Itoa(i+1)}
	}
	return Question(orDefault(c.Question, DefaultCSATQuestion), buttons...)
}

// CommentPrompt is the question inviting a comment, with a skip button.
func (c *CSAT) CommentPrompt() switchboard.Payload {
	return Question(orDefault(c.CommentQuestion, DefaultCSATCommentQuestion),
		Button{Title: orDefault(c.SkipLabel, DefaultCSATSkipLabel), Payload: PayloadCSATSkip})
}

// ThanksText is said once the survey is answered.
func (c *CSAT) ThanksText() string { return orDefault(c.Thanks, DefaultCSATThanks) }

// Rating reads a rating button's payload: 1 to 5, or 0 when it is not one.
func Rating(payload string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(payload, PayloadCSATPrefix))
	if !strings.HasPrefix(payload, PayloadCSATPrefix) || err != nil || n < 1 || n > 5 {
		return 0
	}
	return n
}

// Button is one button of a Question.
type Button struct {
	Title   string
	Payload string
}

// Question is a CSML Question component with buttons; its JSON is exactly
// what CSML's Question and Button components produce.
func Question(title string, buttons ...Button) switchboard.Payload {
	type button struct {
		Title   string   `json:"title"`
		Payload string   `json:"payload"`
		Accepts []string `json:"accepts"`
	}
	type wrapped struct {
		Content     button `json:"content"`
		ContentType string `json:"content_type"`
	}
	out := make([]wrapped, len(buttons))
	for i, b := range buttons {
		out[i] = wrapped{Content: button{Title: b.Title, Payload: b.Payload, Accepts: []string{b.Title, b.Payload}}, ContentType: "button"}
	}
	content, _ := json.Marshal(struct {
		Title   string    `json:"title"`
		Buttons []wrapped `json:"buttons"`
	}{Title: title, Buttons: out})
	return switchboard.Payload{ContentType: "question", Content: content}
}
