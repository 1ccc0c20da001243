package twilio

import "strings"

// gsm7 are the characters of the GSM 03.38 default alphabet; gsm7Ext are
// those of its extension table, which cost two septets.
const (
	gsm7    = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsm7Ext = "^{}\\[~]|€\f"
)

// Segments counts the SMS segments a text takes, as carriers bill them:
// GSM-7 when every character is in the GSM alphabet (160 septets in one
// segment, 153 each when concatenated, an extension character costing
// two), else UCS-2 (70 UTF-16 units in one, 67 each; an emoji is two).
func Segments(text string) (encoding string, segments int) {
	units, gsm := 0, true
	for _, r := range text {
		switch {
		case strings.ContainsRune(gsm7, r):
			units++
		case strings.ContainsRune(gsm7Ext, r):
			units += 2
		default:
			gsm = false
		}
	}
	single, multi := 160, 153
	encoding = "GSM-7"
	if !gsm {
		encoding, single, multi, units = "UCS-2", 70, 67, 0
		for _, r := range text {
			units++
			if r > 0xFFFF {
				units++
			}
		}
	}
	if units <= single {
		return encoding, 1
	}
	return encoding, (units + multi - 1) / multi
}
