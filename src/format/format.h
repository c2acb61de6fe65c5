/* format: the table of codecs (readers and writers of cases) and the calls that use it. */
#ifndef REFERAT_FORMAT_H
#define REFERAT_FORMAT_H

#include <stddef.h>

#include "../model/case.h"
#include "../util/buf.h"
#include "../util/err.h"

enum {
    FMT_PUBLIC = 1 << 0,   /* write only what the public may see (see case_view) */
    FMT_LENIENT = 1 << 1,  /* read what can be read, turning errors into warnings (no layout) */
    FMT_NOLAYOUT = 1 << 2, /* do not record (reader) or apply (writer) the source layout */
    FMT_NOEXTRACT = 1 << 3 /* do not extract guests, follow-ups and dates (reader) */
};

/* The value of the first key ("format") of every JSON document; versions the interchange. */
#define FMT_JSON_MARKER "referat-case/1"

/* A reader scores bytes (0..100) for auto-detection and parses them into a fresh model. On
 * error parse returns a negative ERR_* code, fills e (line, col, message) and sets *out to
 * NULL. The bytes are valid UTF-8 and NUL-free by the time parse sees them (fmt_read checks). */
struct fmt_reader {
    const char *name;
    int (*sniff)(const char *p, size_t n);
    int (*parse)(const char *p, size_t n, int flags, struct case_doc **out, struct err *e,
                 struct warnings *w);
    /* An export of published text: fmt_read extracts guests, follow-ups and dates from it and
     * keeps its layout against the writer of the same name. A model format (JSON) carries
     * both itself. */
    int is_export;
};

/* A writer appends the rendering of c to out. Writers never see closed content in public
 * mode: fmt_write hands them the public view, and they assert it (case_is_redacted). */
struct fmt_writer {
    const char *name;
    const char *mime;
    void (*write)(const struct case_doc *c, int flags, struct buf *out);
};

const struct fmt_reader *fmt_reader_find(const char *name);
const struct fmt_writer *fmt_writer_find(const char *name);
/* The reader that scores highest for these bytes, or NULL when none scores above 0. */
const struct fmt_reader *fmt_detect(const char *p, size_t n);
/* The names of all readers / writers, NULL-terminated, for help texts. */
const char *const *fmt_reader_names(void);
const char *const *fmt_writer_names(void);

/* Check UTF-8 (and reject NUL), parse, extract guests, follow-ups and dates, and record the
 * layout of line formats so that fmt_write gives the source back byte for byte. */
int fmt_read(const struct fmt_reader *r, const char *p, size_t n, int flags,
             struct case_doc **out, struct err *e, struct warnings *w);
/* Render c (its public view when flags has FMT_PUBLIC) and, when the model still holds the
 * content it was read with, apply its layout. */
void fmt_write(const struct fmt_writer *wr, const struct case_doc *c, int flags, struct buf *out);

/* The individual codecs (one file each). */
extern const struct fmt_reader fmt_read_md, fmt_read_txt, fmt_read_json;
extern const struct fmt_writer fmt_write_md, fmt_write_txt, fmt_write_json, fmt_write_html;
/* ---- issue 10, pdf: one case as PDF (write_pdf.c; a whole meeting: pdf.h) ---- */
extern const struct fmt_writer fmt_write_pdf;

/* --- whole-meeting documents (docs/formats.md, "Meeting documents") ----------------------
 * A meeting reader turns a published document (a web page, a PDF, a text flattening) into
 * lines of text with hints (struct mtext, format/mtext.h); one grammar (meeting.c, with its
 * words in vocabulary.inc) reads those lines into a meeting and one case per item. */
struct meeting_doc;
struct mtext;
struct fmt_meeting_reader {
    const char *name; /* "meeting-html", "meeting-pdf", "meeting-txt" */
    int (*sniff)(const char *p, size_t n);
    /* The document's text as lines; ERR_SYNTAX with e set when there is none to read. */
    int (*lines)(const char *p, size_t n, int flags, struct mtext *out, struct err *e,
                 struct warnings *w);
    int binary; /* the bytes need not be UTF-8 (PDF) */
};
extern const struct fmt_meeting_reader fmt_read_meeting_html, fmt_read_meeting_pdf,
    fmt_read_meeting_txt;
const struct fmt_meeting_reader *fmt_meeting_reader_find(const char *name);
/* The meeting reader that scores highest for these bytes (detection by content), or NULL when
 * none scores above 0. A case export scores 0 with every meeting reader. */
const struct fmt_meeting_reader *fmt_detect_meeting(const char *p, size_t n);
/* The largest document a meeting reader takes (bounded time and memory). */
#define FMT_MEETING_MAX (64u << 20)
/* Reads a whole-meeting document: its lines, the meeting grammar, then extraction of guests,
 * follow-ups and dates in every item. On error *out is NULL and e has the position. Strict
 * mode refuses a cut-off document, one without items, date or body, and one that mixes two
 * meetings; lenient mode (FMT_LENIENT) warns and keeps what it read. */
int fmt_read_meeting(const struct fmt_meeting_reader *r, const char *p, size_t n, int flags,
                     struct meeting_doc **out, struct err *e, struct warnings *w);

/* layout.c: capture the line patch from canon to src into c->layout, and apply it. */
void layout_capture(struct case_doc *c, const char *format, const char *canon, size_t ncanon,
                    const char *src, size_t nsrc);
/* Replaces out's contents (the canonical rendering) with the patched bytes when c's layout
 * is for this format and its base hash matches; otherwise leaves out as it is. */
void layout_apply(const struct case_doc *c, const char *format, struct buf *out, size_t from);

#endif
