/* sdg: the UN's 17 Sustainable Development Goals (verdensmål) as data, a set of goals as bits,
 * and suggestions from a text by a Danish word list per goal (sdg_words.inc). No I/O. */
#ifndef REFERAT_SDG_H
#define REFERAT_SDG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SDG_COUNT 17u

/* A set of goals: bit g is goal g (1-17); bit 0 and bits above 17 are never set. */
typedef uint32_t sdg_set;
#define SDG_BIT(g) ((sdg_set)1u << (g))
#define SDG_ALL ((sdg_set)0x3fffeu)

struct sdg_goal {
    unsigned number;    /* 1-17 */
    const char *name;   /* the Danish name: "Klimaindsats" */
    const char *colour; /* the UN's official colour, "#3F7E44" */
};

/* Goal n, or NULL when n is not 1-17. */
const struct sdg_goal *sdg_goal(unsigned n);

/* How many goals the set holds. */
unsigned sdg_count(sdg_set s);

/* Parses a list of goal numbers separated by commas and/or spaces ("7, 13", "" is the empty
 * set) into *out. Returns 0, or -1 with a message in why (static text: "expected goal numbers
 * from 1 to 17") for anything else, duplicates included. */
int sdg_parse(const char *s, sdg_set *out, const char **why);

/* Writes the set as "7,13" (ascending; "" for the empty set) into out, which holds at least
 * SDG_LIST_MAX bytes. */
#define SDG_LIST_MAX 48
void sdg_format(sdg_set s, char *out);

/* The word list's score of each goal for a text (score[g], g 1-17; score[0] unused): each
 * word-list entry that occurs in the text counts its weight once. */
void sdg_score(const char *text, unsigned score[SDG_COUNT + 1]);

/* The goals the word list suggests for a text: those that score at least SDG_THRESHOLD, at
 * most SDG_MAX_SUGGEST of them (the highest scores; ties to the lower goal number). */
#define SDG_THRESHOLD 2u
#define SDG_MAX_SUGGEST 3u
sdg_set sdg_suggest(const char *text);

/* The same for a sub-item or case: its title and text together (either may be NULL). */
sdg_set sdg_suggest2(const char *title, const char *text);

#endif
