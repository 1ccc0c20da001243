package chatwoot

import (
	"bytes"
	"mime/multipart"
	"net/textproto"
	"strconv"

	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// fileMessage is a user's file as the contact's incoming message, with no
// text of its own: agents see the file, named, in the conversation.
func fileMessage(r livechat.SendRequest) newMessage {
	return newMessage{MessageType: string(Incoming), SourceID: refMessage + strconv.FormatInt(r.Message.ID, 10), file: r.Attachment, data: r.File}
}

// multipartMessage encodes a message with its file as Chatwoot takes
// files: multipart/form-data, the message's fields as form fields and the
// file in attachments[] with its name and content type.
func multipartMessage(m newMessage) driverkit.Encoded {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range [][2]string{{"content", m.Content}, {"message_type", m.MessageType},
		{"private", strconv.FormatBool(m.Private)}, {"content_type", m.ContentType}, {"source_id", m.SourceID}} {
		_ = w.WriteField(f[0], f[1]) // writes to a buffer: no error
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", multipart.FileContentDisposition("attachments[]", m.file.Name))
	h.Set("Content-Type", m.file.ContentType)
	part, _ := w.CreatePart(h)
	_, _ = part.Write(m.data)
	_ = w.Close()
	return driverkit.Encoded{ContentType: w.FormDataContentType(), Data: buf.Bytes()}
}
