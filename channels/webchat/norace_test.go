//go:build !race

package webchat

const raceEnabled = false
