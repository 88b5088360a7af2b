package discover

import (
	"bytes"
	"context"
	"net/http"

	"mailsetup/mailcfg"
)

// fetchConfig GETs a config-v1.1.xml document and parses it for addr.
func fetchConfig(ctx context.Context, client *http.Client, url string, addr mailcfg.Address) (*ClientConfig, string, error) {
	data, final, err := fetch(ctx, client, http.MethodGet, url, nil, "")
	if err != nil {
		return nil, final, err
	}
	cfg, err := ParseClientConfig(bytes.NewReader(data), addr)
	if err != nil {
		return nil, final, &DocumentError{URL: final, Err: err}
	}
	return cfg, final, nil
}

// emitConfig emits every server of cfg in document order, incoming first.
func emitConfig(cfg *ClientConfig, proto Candidate, emit func(Candidate)) {
	for _, s := range cfg.Servers() {
		c := proto
		c.Server = s.Server
		c.Auth = s.Auth
		emit(c)
	}
}
