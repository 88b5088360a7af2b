package export

import "strings"

// windowsPath tells an absolute Windows path (C:\… or \\server\share\…),
// the only kind Outlook's instructions can name, from anything else.
func windowsPath(p string) bool {
	if strings.ContainsAny(p, "\"\r\n") {
		return false // it goes between quotes, in a comment
	}
	if strings.HasPrefix(p, `\\`) && len(p) > 2 {
		return true
	}
	return len(p) > 3 && p[1] == ':' && p[2] == '\\' &&
		(('A' <= p[0] && p[0] <= 'Z') || ('a' <= p[0] && p[0] <= 'z'))
}
