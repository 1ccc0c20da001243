package wsserver

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Opcode is a frame's type (RFC 6455 §5.2).
type Opcode byte

// The opcodes of RFC 6455: continuation, the two data messages and the
// three control frames.
const (
	OpContinuation Opcode = 0x0
	OpText         Opcode = 0x1
	OpBinary       Opcode = 0x2
	OpClose        Opcode = 0x8
	OpPing         Opcode = 0x9
	OpPong         Opcode = 0xA
)

// isControl reports whether op is a control frame's.
func (op Opcode) isControl() bool { return op&0x8 != 0 }

// StatusCode is a close frame's status (RFC 6455 §7.4).
type StatusCode uint16

// The status codes this package sends, or reads from a peer.
const (
	StatusNormalClosure  StatusCode = 1000
	StatusGoingAway      StatusCode = 1001
	StatusProtocolError  StatusCode = 1002
	StatusNoStatus       StatusCode = 1005 // never sent: a close frame without a status
	StatusInvalidPayload StatusCode = 1007
	StatusMessageTooBig  StatusCode = 1009
)

// CloseError is how a connection ended by a close frame: the peer's, or the
// one this side sent when the peer broke the protocol.
type CloseError struct {
	Code   StatusCode
	Reason string
}

func (e *CloseError) Error() string {
	return fmt.Sprintf("websocket closed with status %d: %q", e.Code, e.Reason)
}

// CloseStatus is the status of a connection ended by a close frame, or -1
// when err is not such an end.
func CloseStatus(err error) int {
	var ce *CloseError
	if errors.As(err, &ce) {
		return int(ce.Code)
	}
	return -1
}

// header is a frame's header as read from a client.
type header struct {
	fin    bool
	op     Opcode
	length int64
	mask   [4]byte
}

// maxControl is the largest payload of a control frame.
const maxControl = 125

// readHeader reads a client frame's header, refusing what RFC 6455 forbids
// of it: reserved bits (no extension is negotiated), unknown opcodes, a
// fragmented or long control frame, a length with its top bit set, and an
// unmasked frame.
func readHeader(r io.Reader) (header, error) {
	var b [8]byte
	if _, err := io.ReadFull(r, b[:2]); err != nil {
		return header{}, err
	}
	h := header{fin: b[0]&0x80 != 0, op: Opcode(b[0] & 0x0F)}
	if b[0]&0x70 != 0 {
		return h, protocolError("a frame has reserved bits set, and no extension was agreed")
	}
	switch h.op {
	case OpContinuation, OpText, OpBinary, OpClose, OpPing, OpPong:
	default:
		return h, protocolError(fmt.Sprintf("opcode %#x is not defined", byte(h.op)))
	}
	if b[1]&0x80 == 0 {
		return h, protocolError("a client's frames must be masked")
	}
	switch n := b[1] & 0x7F; n {
	case 126:
		if _, err := io.ReadFull(r, b[:2]); err != nil {
			return h, unexpected(err)
		}
		h.length = int64(binary.BigEndian.Uint16(b[:2]))
	case 127:
		if _, err := io.ReadFull(r, b[:8]); err != nil {
			return h, unexpected(err)
		}
		u := binary.BigEndian.Uint64(b[:8])
		if u>>63 != 0 {
			return h, protocolError("a frame's length has its most significant bit set")
		}
		h.length = int64(u)
	default:
		h.length = int64(n)
	}
	if h.op.isControl() && (!h.fin || h.length > maxControl) {
		return h, protocolError("a control frame must be whole and hold 125 bytes at most")
	}
	if _, err := io.ReadFull(r, h.mask[:]); err != nil {
		return h, unexpected(err)
	}
	return h, nil
}

// unexpected turns the end of the stream in the middle of a frame into an
// error that says so.
func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// unmask applies the frame's mask to p, the payload bytes from offset off.
func unmask(p []byte, mask [4]byte, off int64) {
	for i := range p {
		p[i] ^= mask[(off+int64(i))&3]
	}
}

// appendHeader appends the header of a server frame (never masked), final,
// of opcode op and a payload of n bytes.
func appendHeader(dst []byte, op Opcode, n int) []byte {
	dst = append(dst, 0x80|byte(op))
	switch {
	case n <= 125:
		return append(dst, byte(n))
	case n <= 0xFFFF:
		return binary.BigEndian.AppendUint16(append(dst, 126), uint16(n))
	default:
		return binary.BigEndian.AppendUint64(append(dst, 127), uint64(n))
	}
}

// closePayload is the payload of a close frame with code and reason, the
// reason cut to fit a control frame on a character boundary.
func closePayload(code StatusCode, reason string) []byte {
	if len(reason) > maxControl-2 {
		reason = reason[:maxControl-2]
		for len(reason) > 0 && !utf8.ValidString(reason) {
			reason = reason[:len(reason)-1]
		}
	}
	return append(binary.BigEndian.AppendUint16(nil, uint16(code)), reason...)
}

// parseClose reads a peer's close frame payload: empty (no status), or a
// status a peer may send and a UTF-8 reason.
func parseClose(p []byte) (*CloseError, error) {
	switch {
	case len(p) == 0:
		return &CloseError{Code: StatusNoStatus}, nil
	case len(p) == 1:
		return nil, protocolError("a close frame's status is two bytes")
	}
	ce := &CloseError{Code: StatusCode(binary.BigEndian.Uint16(p)), Reason: string(p[2:])}
	if !validStatus(ce.Code) {
		return nil, protocolError(fmt.Sprintf("close status %d may not be sent", ce.Code))
	}
	if !utf8.ValidString(ce.Reason) {
		return nil, &closeFailure{code: StatusInvalidPayload, reason: "a close frame's reason must be UTF-8", now: true}
	}
	return ce, nil
}

// validStatus reports whether a peer may send code in a close frame (RFC
// 6455 §7.4: the defined codes but those reserved for local use, and the
// ranges left to libraries and applications).
func validStatus(code StatusCode) bool {
	switch {
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1011:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}

// closeFailure is a breach of the protocol by the peer: the connection is
// closed with code and reason; at once (now) when what follows is not worth
// reading.
type closeFailure struct {
	code   StatusCode
	reason string
	now    bool
}

func (e *closeFailure) Error() string { return e.reason }

// protocolError is a closeFailure with status 1002.
// The connection is failed at once (RFC 6455 §7.1.7): after a breach,
// what follows cannot be trusted to be frames.
func protocolError(reason string) error {
	return &closeFailure{code: StatusProtocolError, reason: reason, now: true}
}
