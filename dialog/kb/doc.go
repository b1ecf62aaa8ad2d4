// Package kb is the knowledge base the dialog answers product and policy
// questions from (the consultation journey): FAQ entries, each with several
// example phrasings in Chinese and English and an answer in both; the remote
// troubleshooting steps offered before a repair is booked, per product
// category or per model (a model's steps replace its category's), each
// for every fault or, with "when", for the symptoms it names (StepsFor);
// and synonyms.
//
// The knowledge base is a YAML file that operators edit without recompiling
// (LoadFile); Default is the embedded file for the demo company (DefaultYAML
// returns the file, `supportd config default --knowledge` prints it). Loading is strict: unknown keys, missing translations, empty
// phrasings, phrasings with no searchable words, duplicate ids, two entries
// with a phrasing of the same words, and chained synonyms are all reported at
// once, each with its key path and line ("faq[3].answer.en: required
// (kb.yaml:41)"), in an *Error that matches ErrInvalid.
//
// Retrieval is offline and hand-written. Text is width-folded
// (policy.FoldWidth), lower-cased, stripped of punctuation and of fillers
// ("请问", "can you tell me"), and rewritten with the synonyms (product names
// map to one word in both languages: 洗衣机 and "washing machine" become
// "washer"). Chinese then gives character bigrams and, at a low weight,
// unigrams; English gives words without stop words, lightly stemmed, with
// unknown words of four letters or more corrected to a known word one edit
// away. Every phrasing is a TF-IDF vector; an entry scores the cosine
// similarity of its closest phrasing with the question (see Search). The
// index is built once by Load; a search takes a few microseconds.
//
// Search ranks. Answer commits to one entry only when it is confident (see
// Answer for the rule) and never answers a request or a fault report ("我要
// 退货", "my TV is broken"), which the dialog's intents handle; otherwise the
// dialog asks with the top choices of Search or hands off. A question is
// searched against the phrasings of both languages whatever its lang, so a
// customer may ask in English in a Chinese conversation, or mix the two
// ("洗衣机warranty几年").
//
// Answers and troubleshooting steps state the policy's numbers and the
// catalog's lists with placeholders ({exchange_days}, {sla_repair},
// {onsite:shanghai}, {warranty_periods}, {onsite_products}, {consumables},
// ...), checked at Load (any other braced text is a
// problem with its line) and filled by ForPolicy from the policy the gateway
// runs on, once at start: the FAQ then says what the return flow, the
// warranty decision, the deadlines and the catalog (which products are
// repaired or installed on site, their consumables) apply. Embedded is the embedded file
// as written; Default is it filled with the demo policy. CheckTroubleshooting
// checks the troubleshooting keys against the policy the gateway runs on:
// each must be one of its category ids or a model of its catalog.
//
// A *KB is immutable once Load returns it and safe for concurrent use. The
// entries it returns are shared and must not be modified.
package kb
