/* Registration numbers as people and programs type them. A number is PREFIX-YYYY-NNNNNN, the
 * prefix a Cyrillic letter index from the jurisdiction's terms.txt ("З", "Ж", "ЗП"...). It
 * also has an ASCII form (the prefix transliterated: "Z-2026-000165"), unique and
 * reversible, for URLs and Open311 clients; and what a person types is folded to one key:
 * Latin look-alikes (3 or Z for З, C or S for С, 0 or O for О), any case, spaces or dashes,
 * missing leading zeros. Pure. */
#ifndef OT_DOMAIN_NUMBER_H
#define OT_DOMAIN_NUMBER_H

#include <stddef.h>

/* The ASCII form of num (every Cyrillic letter of the prefix transliterated). 0 on
 * success, -1 when out (n bytes) is too small or num holds a letter with no form. */
int number_ascii(const char *num, char *out, size_t n);

/* The folded key of a prefix as a person may type it ("3", "z", "З" -> "Z"; "Zh", "Ж" ->
 * "ZH"); "" when it holds anything else. out: n bytes. */
void number_prefix_key(const char *prefix, char *out, size_t n);

/* Splits typed text into its prefix key (number_prefix_key), year and sequence number:
 * "З-2026-000165", "3-2026-165", "z 2026 165", "Z2026000165". 0 on success, -1 when it
 * is not a number at all. */
int number_parse(const char *in, char *key, size_t kn, int *year, long long *seq);

#endif
