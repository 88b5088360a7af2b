package export

import (
	"crypto/rand"
	"crypto/sha1"
	"fmt"
)

// uuidNamespace is a fixed namespace for mailsetup's name-based UUIDs.
var uuidNamespace = [16]byte{0x6d, 0x61, 0x69, 0x6c, 0x73, 0x65, 0x74, 0x75, 0x70, 0x2d, 0x65, 0x78, 0x70, 0x6f, 0x72, 0x74}

// newUUID returns an upper-case UUID, as Apple's tools write them: a
// version 5 UUID of seed, email and purpose when a seed is given (stable
// golden files), a random version 4 UUID otherwise.
func newUUID(seed, email, purpose string) string {
	var u [16]byte
	if seed != "" {
		h := sha1.New()
		h.Write(uuidNamespace[:])
		h.Write([]byte(seed + "\x00" + email + "\x00" + purpose))
		copy(u[:], h.Sum(nil))
		u[6] = u[6]&0x0f | 0x50
	} else {
		_, _ = rand.Read(u[:]) // crypto/rand.Read never fails (Go 1.24+)
		u[6] = u[6]&0x0f | 0x40
	}
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%X-%X-%X-%X-%X", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
