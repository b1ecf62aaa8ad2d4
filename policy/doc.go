// Package policy holds the after-sales service standard as data and rules:
// categories and products, the warranty decision with its exclusions, the
// return and exchange windows, and the working-day calendar that every
// deadline is computed on.
//
// A Policy is loaded from configuration, given its defaults with
// ApplyDefaults, and checked with Validate before use; after that it is
// read-only and safe for concurrent use.
package policy
