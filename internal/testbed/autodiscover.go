package testbed

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// AutodiscoverGETPath is where Outlook's plain-HTTP route asks (a GET
// whose redirect is followed), capitalised as Outlook sends it.
const AutodiscoverGETPath = "/Autodiscover/Autodiscover.xml"

// AutodiscoverRedirectAddrXML is a POX answer sending the client to
// another address (Action redirectAddr).
func AutodiscoverRedirectAddrXML(addr string) string {
	return autodiscoverAction("redirectAddr", "RedirectAddr", addr)
}

// AutodiscoverRedirectURLXML is a POX answer sending the client to
// another Autodiscover URL (Action redirectUrl).
func AutodiscoverRedirectURLXML(url string) string {
	return autodiscoverAction("redirectUrl", "RedirectUrl", url)
}

func autodiscoverAction(action, elem, value string) string {
	return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account>
      <AccountType>email</AccountType>
      <Action>` + action + `</Action>
      <` + elem + `>` + xmlEscape(value) + `</` + elem + `>
    </Account>
  </Response>
</Autodiscover>
`
}

// AutodiscoverByAddress answers POSTs to AutodiscoverPath (in any case)
// with the document for the request's EMailAddress (compared without
// case), %EMAILADDRESS% filled in; an address it does not know gets 404,
// other methods 405, other paths 404. It serves redirect chains and loops
// from one server.
func AutodiscoverByAddress(docs map[string]string) http.Handler {
	byAddr := map[string]string{}
	for a, d := range docs {
		byAddr[strings.ToLower(a)] = d
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr, ok := autodiscoverRequestAddress(w, r)
		if !ok {
			return
		}
		doc, found := byAddr[strings.ToLower(addr)]
		if !found {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		io.WriteString(w, strings.ReplaceAll(doc, EmailAddressPlaceholder, xmlEscape(addr)))
	})
}

// autodiscoverRequestAddress checks that r is a POX POST to
// AutodiscoverPath and returns the address it asks about; otherwise it
// answers r itself and returns false.
func autodiscoverRequestAddress(w http.ResponseWriter, r *http.Request) (string, bool) {
	if !strings.EqualFold(r.URL.Path, AutodiscoverPath) {
		http.NotFound(w, r)
		return "", false
	}
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return "", false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return "", false
	}
	m := requestedAddress.FindSubmatch(body)
	if m == nil {
		http.Error(w, "no EMailAddress in request", http.StatusBadRequest)
		return "", false
	}
	return string(m[1]), true
}

// AutodiscoverRedirectHandler is the plain-HTTP route of a domain: a GET
// of AutodiscoverGETPath (in any case) is answered 302 with location;
// everything else gets 404 (other paths) or 405 (other methods).
func AutodiscoverRedirectHandler(location string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(r.URL.Path, AutodiscoverGETPath) {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		http.Redirect(w, r, location, http.StatusFound)
	})
}

// AutodiscoverFault is a way an Autodiscover server misbehaves.
type AutodiscoverFault int

const (
	// ADOversized streams a document far over any sane size (2 MiB),
	// without a Content-Length.
	ADOversized AutodiscoverFault = iota
	// ADSlow sends its headers, then one byte of the body a second.
	ADSlow
	// ADWrongContentType serves the document as text/html.
	ADWrongContentType
	// ADPlainDocument answers a GET with the document itself and no
	// redirect: nothing of it may be used.
	ADPlainDocument
	// ADLoginRequired answers 401 with a Basic challenge.
	ADLoginRequired
)

func (f AutodiscoverFault) String() string {
	switch f {
	case ADOversized:
		return "oversized"
	case ADSlow:
		return "slow"
	case ADWrongContentType:
		return "wrong-content-type"
	case ADPlainDocument:
		return "plain-document"
	case ADLoginRequired:
		return "login-required"
	}
	return fmt.Sprintf("AutodiscoverFault(%d)", int(f))
}

// AutodiscoverFaultHandler answers every request (any method, any path)
// as fault says; doc is the document it serves, where it serves one.
func AutodiscoverFaultHandler(fault AutodiscoverFault, doc string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, io.LimitReader(r.Body, 64<<10))
		switch fault {
		case ADOversized:
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			io.WriteString(w, `<?xml version="1.0" encoding="utf-8"?><Autodiscover>`)
			chunk := "<!-- " + strings.Repeat("x", 64<<10) + " -->"
			for range 32 {
				if _, err := io.WriteString(w, chunk); err != nil {
					return
				}
			}
			io.WriteString(w, "</Autodiscover>")
		case ADSlow:
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			rc := http.NewResponseController(w)
			for i := 0; ; i++ {
				if _, err := io.WriteString(w, doc[i%len(doc):i%len(doc)+1]); err != nil {
					return
				}
				rc.Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(time.Second):
				}
			}
		case ADWrongContentType:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, doc)
		case ADPlainDocument:
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			io.WriteString(w, doc)
		case ADLoginRequired:
			w.Header().Set("WWW-Authenticate", `Basic realm="autodiscover"`)
			http.Error(w, "401 Unauthorized", http.StatusUnauthorized)
		}
	})
}
