/* Search text (issue 17, docs/search.md): the words of a text, folded and stemmed, the same
 * for the index and for a query, and the fragment of a hit with its matched words marked.
 *
 * - Words: runs of letters and digits (ASCII, Latin-1, Cyrillic U+0400-U+04FF including the
 *   Kazakh letters ә ғ қ ң ө ұ ү һ і); everything else separates. Each word is case folded
 *   (ё -> е) and cut to OT_WORD_MAX - 1 bytes at a character boundary.
 * - Stems: Russian words by Snowball's Russian stemmer (libstemmer: pure computation, no
 *   I/O; it needs a stemmer object per thread, held by ot_analyzer_t), Kazakh words by a
 *   suffix stripper whose suffix list is data (data/lang/kk/suffixes.txt, parsed by
 *   ot_kk_stemmer_parse). Words with digits or Latin letters are kept whole.
 * - Language: an indexed text has one (the appeal's, "kk" or "ru"); a word that holds a
 *   letter only Kazakh has is stemmed as Kazakh whatever the text's language. A query has
 *   none: each of its words stands for its Russian and its Kazakh stem (one when they
 *   agree), so a query in either language finds both.
 * Pure: no I/O, no globals; an analyzer is used by one thread at a time. */
#ifndef OT_DOMAIN_SEARCH_TEXT_H
#define OT_DOMAIN_SEARCH_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define OT_WORD_MAX 128

typedef struct ot_kk_stemmer ot_kk_stemmer_t;

/* Parses a suffix list (the format of data/lang/kk/suffixes.txt). Returns NULL on a bad
 * line or no memory, with a message in msg (n bytes). */
ot_kk_stemmer_t *ot_kk_stemmer_parse(const char *text, char *msg, size_t n);
void ot_kk_stemmer_free(ot_kk_stemmer_t *k);
/* The list shipped in data/lang/kk/suffixes.txt, compiled in by the Makefile
 * (scripts/embed.sh): the index and the queries of every program use the same list. */
extern const char ot_data_kk_suffixes[];
/* The Kazakh stem of a folded word w[0..len) into out (OT_WORD_MAX bytes, of which it
 * fills at most OT_WORD_MAX - 1); its length. */
size_t ot_kk_stem(const ot_kk_stemmer_t *k, const char *w, size_t len, char *out);

/* One word of a text: its byte range in the text and its folded form. */
typedef struct ot_word {
    size_t start, end;
    char folded[OT_WORD_MAX];
    size_t len;
} ot_word_t;

/* The next word of text[0..n) at or after *pos; 0 at the end. Invalid UTF-8 separates. */
int ot_next_word(const char *text, size_t n, size_t *pos, ot_word_t *w);
/* The case folding of one code point. */
uint32_t ot_fold_cp(uint32_t cp);
/* Whether a folded word holds a letter only Kazakh has (ә ғ қ ң ө ұ ү һ і). */
int ot_word_is_kk(const char *w, size_t len);

typedef struct ot_analyzer ot_analyzer_t;
/* kk is borrowed (it must outlive the analyzer); NULL when out of memory or when libstemmer
 * has no Russian stemmer. */
ot_analyzer_t *ot_analyzer_new(const ot_kk_stemmer_t *kk);
void ot_analyzer_free(ot_analyzer_t *a);

enum { OT_LANG_ANY = 0, OT_LANG_RU = 1, OT_LANG_KK = 2 };
/* "kk" -> OT_LANG_KK, "ru" -> OT_LANG_RU, anything else OT_LANG_ANY. */
int ot_lang_of(const char *code);

/* The stems a folded word stands for: one in a text of a known language, two (the Russian,
 * then the Kazakh) for OT_LANG_ANY. Returns how many (1 or 2). A Kazakh stem starts with
 * OT_KK_MARK: the two stemmers' stems are apart, a Kazakh stem matches only a Kazakh stem. */
#define OT_KK_MARK "#"
int ot_stems(ot_analyzer_t *a, int lang, const ot_word_t *w, char out[2][OT_WORD_MAX],
             size_t len[2]);

/* The query: the distinct stems of its words (at most OT_QUERY_WORDS words). */
#define OT_QUERY_WORDS 16
typedef struct ot_query {
    int n_words;
    char word[OT_QUERY_WORDS][OT_WORD_MAX]; /* folded, as typed */
    int n_stems;
    char stem[2 * OT_QUERY_WORDS][OT_WORD_MAX];
} ot_query_t;
/* Fills q from text. Returns the number of words (0: nothing to look for); words past
 * OT_QUERY_WORDS are left out. */
int ot_query_parse(ot_analyzer_t *a, const char *text, size_t n, ot_query_t *q);

/* The fragment of text around its matched words: about `words` words from a little before
 * the first match, cut at word boundaries. fn is called with consecutive pieces of the
 * fragment (byte ranges of text), hit = 1 for a matched word; "…" marks a cut as a piece of
 * its own (not part of text). Returns the number of matched words in the fragment. */
int ot_fragment(ot_analyzer_t *a, int lang, const char *text, size_t n, const ot_query_t *q,
                int words, void (*fn)(const char *s, size_t len, int hit, void *arg), void *arg);

#endif
