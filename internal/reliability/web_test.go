package reliability

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
)

type (
	netConn     = net.Conn
	httpHandler = http.Handler
)

// redirectLoop redirects every request to the same path, forever.
func redirectLoop() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("loop"))
		http.Redirect(w, r, fmt.Sprintf("%s?loop=%d", r.URL.Path, n+1), http.StatusFound)
	})
}

// bigBody answers with size bytes of XML-looking filler, written as it
// goes so that the server itself holds little; withLength announces the
// size up front, without it the body is chunked.
func bigBody(size int, withLength bool) http.Handler {
	chunk := bytes.Repeat([]byte("<a>filler</a>\n"), 32<<10/14)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		if withLength {
			w.Header().Set("Content-Length", strconv.Itoa(size))
		}
		w.Write([]byte("<clientConfig>"))
		for sent := 14; sent < size; {
			n := min(len(chunk), size-sent)
			if _, err := w.Write(chunk[:n]); err != nil {
				return
			}
			sent += n
		}
	})
}

// fixedBody answers every request with body.
func fixedBody(body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Write([]byte(body))
	})
}

const malformedConfig = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="malformed.rel.test">
    <incomingServer type="imap">
      <hostname>mail.malformed.rel.test</hostname>
      <port>993</port>
    </incomingServer>
  <!-- the document ends here, without closing its elements`

const malformedAutodiscover = `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover><Response><Account><Protocol><Type>IMAP</Type><Server>mail.malformed.rel.test</Server>
</Account></Protocol></Response></Autodiscover>`

// entityBomb is the "billion laughs": ten levels of ten references.
var entityBomb = func() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n<!DOCTYPE clientConfig [\n")
	b.WriteString(`  <!ENTITY lol0 "lol">` + "\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&b, "  <!ENTITY lol%d \"%s\">\n", i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
	}
	b.WriteString("]>\n<clientConfig><emailProvider id=\"&lol9;\"/></clientConfig>\n")
	return b.String()
}()

// redirectAddrDoc is an Autodiscover answer sending the client to addr.
func redirectAddrDoc(addr string) string {
	return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account><Action>redirectAddr</Action><RedirectAddr>` + addr + `</RedirectAddr></Account>
  </Response>
</Autodiscover>`
}
