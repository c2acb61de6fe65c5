/* case: the model of one case (sag) from a board's agenda or minutes. No I/O here. */
#ifndef REFERAT_CASE_H
#define REFERAT_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h> /* issue 10, sdg */

/* Ownership: every char * below is a heap-allocated, NUL-terminated UTF-8 string owned by the
 * struct that holds it, or NULL where the source had nothing. Arrays are owned likewise, with
 * their counts beside them. case_free() releases everything. Multi-paragraph text separates
 * paragraphs with "\n\n". Dates are ISO 8601 ("2023-12-20"). */

struct guest {
    char *name;  /* "Tonny Olsen" */
    char *role;  /* "Chef for Borgerservice, IT og Digitalisering", or NULL */
    char *unit;  /* "Borgerservice", or NULL (cases written in referat) */
    char *email; /* where the invitation goes, or NULL (cases written in referat) */
};

struct subitem {
    char *time;  /* "10.30", or NULL when the table has no time for it */
    unsigned duration; /* minutes the slot is planned for; 0 when not given (see timetable.h) */
    char *title; /* the first paragraph of the cell */
    char *text;  /* the rest of the cell, or NULL */
    struct guest *guests;
    size_t nguests;
    /* ---- issue 9, live: when the slot actually began and ended ("HH:MM", local time),
     * stamped in the live meeting view; NULL until stamped. ---- */
    char *actual_start;
    char *actual_end;
    /* ---- issue 10, sdg: the verdensmål the sub-item serves, a set (model/sdg.h: bit g is
     * goal g, 1-17); JSON `sdg`, a list of goal numbers. ---- */
    uint32_t sdg;
};

struct followup {
    char *owner; /* a unit ("Ledelsessekretariatet") or a person's name */
    char *role;  /* the person's role, or NULL */
    char *text;  /* the sentence that names the follow-up */
    char *due;   /* ISO date, or NULL */
};

struct dateref {
    char *text;  /* as written: "d. 22.-23. januar 2024" */
    char *start; /* ISO date */
    char *end;   /* ISO date; equal to start for a single day */
};

struct entry {
    char *title;    /* the "- Title" bullet */
    size_t subitem; /* 1-based index into subitems, 0 when no sub-item matches */
    char *text;     /* the paragraphs under the bullet, or NULL */
    struct followup *followups;
    size_t nfollowups;
    struct dateref *dates;
    size_t ndates;
};

struct decision {
    char *body; /* "Direktionen" */
    char *date; /* ISO date of the meeting */
    char *text; /* the opening text before the first entry, or NULL */
    struct entry *entries;
    size_t nentries;
    /* ---- issue 10, flat follow-ups: the follow-ups of a decision without entries, read
     * from its text as an entry's are from its paragraphs (empty when it has entries). ---- */
    struct followup *followups;
    size_t nfollowups;
};

/* ---- issue 9, publication: what the public reads of a case or a bilag ----
 * PUB_AUTO follows Åben/Lukket: an open case in full, a closed one by its title (and, once
 * written, its public decision: case_publication_level). "fuld", "beslutning" (title and
 * decision only), "titel", "ingen" (not public at all) in JSON and in the database. A closed
 * case or bilag is never published in full, whatever its level says. */
enum case_publication { PUB_AUTO, PUB_FULL, PUB_DECISION, PUB_TITLE, PUB_NONE };
/* ---- end issue 9, publication ---- */

struct attachment {
    unsigned number;
    bool public;
    char *title;
    /* The three metadata cells keep what the source wrote: NULL when absent, "" for "()",
     * "0" for a bare 0, otherwise the value inside the parentheses ("122962/23", "H"). */
    char *journal;
    char *flag;
    char *document; /* "3553435" from the line below, or NULL */
    enum case_publication publication; /* issue 9, publication */
};

/* A line patch from the canonical rendering of this model in one format to the exact bytes
 * of the source it was read from. It applies only while the canonical rendering still hashes
 * to base, i.e. while the content is unchanged; see format/layout.c. */
struct hunk {
    size_t at;  /* line index in the canonical rendering */
    size_t del; /* canonical lines dropped there */
    char **ins; /* source lines put in their place */
    size_t nins;
};

/* A section of a meeting document's item that the case model has no field for ("Økonomi",
 * "Lovgrundlag", "Høring", a second presentation-like "Løsning"), kept under its heading as
 * written, in the order the sections came. */
struct section {
    char *name; /* the heading as written, without a trailing ':' */
    char *text; /* paragraphs separated by "\n\n", or NULL */
};

/* A case number an item carries: kind is "sagsnr", "doknr", "kle" or "sagsid"; value as
 * written ("330-2018-3619", "85.02.02-G01-1-17", "20/33839"). */
struct ref {
    char *kind;
    char *value;
};

/* ---- issue 9, minutes: a tillæg ---- */
/* A correction of approved minutes, which may only be corrected by addition (RULES-DK.md):
 * dated (the server's day it was added), with the reason and the text of the correction. */
struct addition {
    char *date;   /* ISO date */
    char *reason; /* one paragraph */
    char *text;   /* paragraphs separated by "\n\n" */
};
/* ---- end issue 9, minutes ---- */

struct layout {
    char *format; /* "md" or "txt"; NULL when the model has no layout */
    char *base;   /* hex hash of the canonical rendering */
    struct hunk *hunks;
    size_t nhunks;
};

struct case_doc {
    char *title;
    bool public;     /* Åben (true) or Lukket (false) */
    /* What the public reads of a closed case instead of it (written for the public, never
     * derived from the closed text): its title (NULL: the title itself is public, as in
     * published minutes) and a short description (NULL: none). Ignored for an open case. */
    char *public_title;
    char *public_text;
    char **route;    /* Sagsgang: {"FU", "ØK", "KB"} */
    size_t nroute;
    char *presentation; /* Sagsfremstilling free text, or NULL */
    char *intro;        /* the paragraph that introduces the agenda table, or NULL */
    bool has_table;     /* the Tid/Punkt table is present (it may have no rows) */
    struct subitem *subitems;
    size_t nsubitems;
    char *recommendation; /* Indstilling, or NULL */
    struct decision *decisions;
    size_t ndecisions;
    bool has_attachments; /* the Bilag heading is present (the list may be empty) */
    struct attachment *attachments;
    size_t nattachments;
    /* Read from whole-meeting documents (docs/formats.md, "Meeting documents"): the people
     * taking part in a case without a Tid/Punkt table, the item's case numbers, and the
     * sections the model has no field for. The md and txt exports carry none of them. */
    struct guest *guests;
    size_t nguests;
    struct ref *refs;
    size_t nrefs;
    struct section *sections;
    size_t nsections;
    /* ---- issue 9, minutes: tillæg to approved minutes, oldest first ---- */
    struct addition *additions;
    size_t nadditions;
    /* ---- end issue 9, minutes ---- */
    struct layout layout;
    /* ---- issue 10, sdg: the verdensmål of the case itself (as struct subitem's sdg) ---- */
    uint32_t sdg;
    /* ---- issue 9, publication: the case's level, and for a closed case the decision as
     * the public reads it (written for the public, never derived from the closed text;
     * part of the minutes, so public only once they are). ---- */
    enum case_publication publication;
    char *public_decision;
};

/* What one case may hold, for every layer: the readers refuse more (docs/formats.md), so a
 * document that reads is one the archive can store and the portal can serve. The search index
 * numbers a case's sub-items in 11 bits of its rowids (search/search_int.h); attachment
 * numbers are what the portal serves under /sag/ID/bilag/N. Decision entries need no limit of
 * their own: an entry points at a sub-item by its number, which stays within the sub-items. */
#define CASE_MAX_SUBITEMS 2047u
#define CASE_MAX_ATTACHMENT 100000u

struct case_doc *case_new(void);
void case_free(struct case_doc *c);
void guest_fini(struct guest *g);
void layout_fini(struct layout *l);

/* Growing the arrays: each returns a zeroed element owned by the parent. Model arrays are
 * grown only through these (their capacity is implied by the count; see case.c). */
char **case_add_route(struct case_doc *c);
struct subitem *case_add_subitem(struct case_doc *c);
struct decision *case_add_decision(struct case_doc *c);
struct attachment *case_add_attachment(struct case_doc *c);
struct guest *subitem_add_guest(struct subitem *s);
struct entry *decision_add_entry(struct decision *d);
struct followup *entry_add_followup(struct entry *e);
struct followup *decision_add_followup(struct decision *d); /* issue 10, flat follow-ups */
struct dateref *entry_add_date(struct entry *e);
struct hunk *layout_add_hunk(struct layout *l);
struct guest *case_add_guest(struct case_doc *c);
struct ref *case_add_ref(struct case_doc *c);
struct section *case_add_section(struct case_doc *c);
struct addition *case_add_addition(struct case_doc *c); /* issue 9, minutes */

/* Who reads. The one place that decides what may be shown. */
enum audience { AUDIENCE_STAFF, AUDIENCE_PUBLIC };

/* A deep copy holding only what audience may see: for the public a closed case is its public
 * title (its title when none was written), its public description and public=false, nothing
 * else; a closed attachment keeps number, title and public=false; a guest keeps no e-mail. The
 * public copy never has a layout (the patch could carry closed bytes). */
struct case_doc *case_view(const struct case_doc *c, enum audience a);
/* True when c holds nothing the public may not see (what public writers assert). */
bool case_is_redacted(const struct case_doc *c);
/* Deep equality of two models, layout included when with_layout. */
bool case_equal(const struct case_doc *a, const struct case_doc *b, bool with_layout);
struct case_doc *case_dup(const struct case_doc *c);

/* ---- issue 9, publication: the minutes reach the public only once published ---- */
/* Removes what the minutes add to a case (its decisions, their entries and follow-ups, a
 * closed case's public decision, the tillæg) from c, in place: what the public reads of a case written in referat until its meeting's
 * minutes are offentliggjort (the store decides when; see docs/workflow.md, "Publication"). */
void case_hide_minutes(struct case_doc *c);
/* The level that applies: PUB_AUTO resolved (open: PUB_FULL; closed: PUB_DECISION when it
 * has a public decision, else PUB_TITLE), and a closed case never PUB_FULL. The public view
 * of a closed case at PUB_DECISION stays closed (public false: its public title and text)
 * and carries public_decision, the one decision text the public reads of it. */
enum case_publication case_publication_level(const struct case_doc *c);
enum case_publication attachment_publication_level(const struct attachment *a);
/* "fuld", "beslutning", "titel", "ingen" (NULL for PUB_AUTO), and back (false: unknown). */
const char *case_publication_name(enum case_publication p);
bool case_publication_parse(const char *name, enum case_publication *out);
/* ---- end issue 9, publication ---- */

#endif
