// Package driverkit holds what the REST drivers of livechat platforms share
// and that is no part of the livechat contract itself: one JSON call of a
// REST API with the errors it can meet, a bounded cache of look-ups, reading
// Retry-After, and turning error answers and network failures into short
// texts an operator can read.
package driverkit
