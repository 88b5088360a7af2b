package gui

import (
	"context"

	"mailsetup/assistant"
)

func (e realEngine) DiscoverAndCheck(ctx context.Context, req DiscoverRequest, q assistant.LoginRequest, onEvent func(assistant.Event)) (*assistant.Report, error) {
	eng, err := e.discoverer(req, onEvent)
	if err != nil {
		return nil, err
	}
	return eng.DiscoverAndCheck(ctx, req.Email, q)
}

func (e realEngine) SignIn(ctx context.Context, rep *assistant.Report, q assistant.SignInRequest, s Settings) (*assistant.OAuthSession, error) {
	eng, err := e.engine(s, rep.Protocol, nil)
	if err != nil {
		return nil, err
	}
	return eng.SignIn(ctx, rep, q)
}
