// Package wsserver is the server side of the WebSocket protocol (RFC 6455)
// for connections that stay open and idle for hours: a chat page waiting
// for its next message.
//
// What sets it apart from a general WebSocket library is that reading needs
// no goroutine of its own. A connection with nothing to read can be parked
// (Conn.Park): on Linux one goroutine for the whole process waits on an
// epoll instance and calls back when a parked connection becomes readable or
// is closed. An idle page then costs a few hundred bytes of heap instead of
// a blocked reader's stack, its buffers and its library state. Elsewhere
// Park reports that it cannot park and the caller keeps reading.
//
// It speaks what pages need: text and binary messages (fragmented or not),
// ping, pong and the close handshake; no extension is negotiated and no
// subprotocol chosen. Client frames must be masked, as the RFC requires.
package wsserver
