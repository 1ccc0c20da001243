package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"switchboard"
	"switchboard/csml"
	"switchboard/livechat"
)

// CSATWindow is how long after it was asked a survey takes an answer.
const CSATWindow = 24 * time.Hour

// maxCSATComment bounds a survey's comment, in characters.
const maxCSATComment = 2000

// CSATMetrics is implemented by a Metrics that counts surveys (package
// metrics does); its methods are called after the commit.
type CSATMetrics interface {
	CSATAsked(botID string)
	CSATRated(botID, team, agentID string, rating int)
}

// askSurvey sends the bot's satisfaction survey after a session an agent
// answered ended by the user or the agent, when the bot has one: after the
// bot's own replies, as part of the reply to requestID when there is one.
func (t *turn) askSurvey(s *switchboard.Session, requestID string, reply *Reply) error {
	if s.FirstReplyAt == nil || (s.EndReason != switchboard.EndUser && s.EndReason != switchboard.EndAgent) {
		return nil
	}
	cfg, err := readSettings(t, s.Client.BotID)
	if err != nil || cfg.CSAT == nil {
		return err
	}
	a := &switchboard.CSATAnswer{SessionID: s.ID, Client: s.Client, Platform: s.Platform, AgentID: s.AgentID, Team: s.Routing.Team,
		AgentName: s.AgentName, State: switchboard.CSATAsked, AskedAt: t.now}
	if err := t.tx.PutCSAT(t.ctx, a); err != nil {
		return fmt.Errorf("ask survey: %w", err)
	}
	if m, ok := t.e.metrics.(CSATMetrics); ok {
		bot := s.Client.BotID
		t.fx.after = append(t.fx.after, func() { m.CSATAsked(bot) })
	}
	return t.say(cfg.CSAT.SurveyQuestion(), requestID, reply)
}

// say stores a message of switchboard's own for the user, in the reply to
// requestID when there is one.
func (t *turn) say(p switchboard.Payload, requestID string, reply *Reply) error {
	if err := t.openConversation(); err != nil {
		return err
	}
	m := &switchboard.Message{Direction: switchboard.DirectionSend, Sender: switchboard.Sender{Kind: switchboard.SenderSystem}, Payload: p, RequestID: requestID}
	if err := t.addMessage(m); err != nil {
		return err
	}
	if reply != nil && requestID != "" {
		reply.Messages = append(reply.Messages, *m)
	}
	return nil
}

// survey is the client's survey that can take the event ev, or nil: a
// rating or skip button of a survey asked within CSATWindow, or the text of
// a comment a rated survey waits for. Any other event closes a rated
// survey: the user moved on.
func (t *turn) survey(ev csml.Event) (*switchboard.CSATAnswer, error) {
	isButton := ev.ContentType == "payload" && strings.HasPrefix(ev.ContentValue, livechat.PayloadCSATPrefix)
	a, err := t.tx.FindOpenCSAT(t.ctx, t.key)
	if err != nil {
		return nil, fmt.Errorf("find survey: %w", err)
	}
	if a == nil || t.now.Sub(a.AskedAt) >= CSATWindow {
		if isButton {
			return &switchboard.CSATAnswer{State: switchboard.CSATDone}, nil // too late: taken, ignored
		}
		return nil, nil
	}
	if isButton || (a.State == switchboard.CSATRated && ev.ContentType == "text") {
		return a, nil
	}
	if a.State == switchboard.CSATRated {
		a.State = switchboard.CSATDone
		if err := t.tx.PutCSAT(t.ctx, a); err != nil {
			return nil, fmt.Errorf("close survey: %w", err)
		}
	}
	return nil, nil
}

// answerSurvey takes a rating, a skip or a comment: the user's event is
// stored, the bot does not run, and the user gets the comment prompt or
// the thanks.
func (t *turn) answerSurvey(a *switchboard.CSATAnswer, req Request, ev csml.Event, reply *Reply) error {
	if err := t.openConversation(); err != nil {
		return err
	}
	recv := &switchboard.Message{Direction: switchboard.DirectionReceive, Sender: switchboard.Sender{Kind: switchboard.SenderUser}, Payload: req.Payload, RequestID: req.RequestID}
	if err := t.addMessage(recv); err != nil {
		return err
	}
	reply.Received = recv
	if a.State == switchboard.CSATDone {
		return nil // a button of a survey that no longer takes answers
	}
	cfg, err := readSettings(t, t.key.BotID)
	if err != nil {
		return err
	}
	survey := cfg.CSAT
	if survey == nil {
		survey = &livechat.CSAT{} // turned off since it was asked: finish with the defaults
	}
	now := t.now
	var answer switchboard.Payload
	switch rating := livechat.Rating(ev.ContentValue); {
	case rating > 0:
		a.Rating, a.AnsweredAt, a.State = rating, &now, switchboard.CSATDone
		answer = livechat.TextPayload(survey.ThanksText())
		if survey.Comment {
			a.State, answer = switchboard.CSATRated, survey.CommentPrompt()
		}
		if m, ok := t.e.metrics.(CSATMetrics); ok {
			bot, team, agent := a.Client.BotID, a.Team, a.AgentID
			t.fx.after = append(t.fx.after, func() { m.CSATRated(bot, team, agent, rating) })
		}
	case a.State != switchboard.CSATRated:
		return nil // skip or text before any rating: nothing to take
	case ev.ContentType == "text":
		a.Comment = livechat.Cut(strings.TrimSpace(ev.ContentValue), maxCSATComment)
		a.State, answer = switchboard.CSATDone, livechat.TextPayload(survey.ThanksText())
	default: // skip
		a.State, answer = switchboard.CSATDone, livechat.TextPayload(survey.ThanksText())
	}
	if err := t.tx.PutCSAT(t.ctx, a); err != nil {
		return fmt.Errorf("answer survey: %w", err)
	}
	return t.say(answer, req.RequestID, reply)
}

// CSAT lists surveys and their counts per bot, agent and team, for the
// dashboard.
func (e *Engine) CSAT(ctx context.Context, f switchboard.CSATFilter) (sums []switchboard.CSATSummary, answers []switchboard.CSATAnswer, err error) {
	err = e.store.View(ctx, func(tx switchboard.Tx) error {
		if sums, err = tx.CSATSummaries(ctx, f); err != nil {
			return err
		}
		answers, err = tx.ListCSAT(ctx, f)
		return err
	})
	return sums, answers, err
}
