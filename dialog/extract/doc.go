// Package extract pulls slot values out of one customer message, in Chinese
// or English free text: dates (absolute, relative and partial, with their
// precision), product model numbers (exact and near misses against a
// catalog), numbers, satisfaction ratings, amounts of money, order numbers,
// phone numbers and e-mail addresses.
//
// Every extractor is a pure function of its input (Dates also of the date it
// is given as today): no I/O, no clocks, no global state that changes, so all
// of them are safe for concurrent use. They are rule based and run offline;
// none of them decides on its own what the customer meant when the text is
// ambiguous. Partial dates keep their precision, near-miss models are marked
// Exact=false, and ambiguous forms such as "3/5" are not matched at all, so
// that the dialog can confirm with the customer.
//
// Offsets (Start, End) are byte offsets into the text as given, and
// text[Start:End] is always the matched Text. Full-width forms (３月５日,
// ＴＶ－５５Ｘ) are understood wherever their ASCII forms are; see FoldWidth.
//
// The extractors are written to allocate little: typically only the returned
// slice.
package extract
