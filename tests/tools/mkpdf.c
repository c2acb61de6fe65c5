/* mkpdf: our own PDF writer for the test documents: lays out a .pdfsrc text on A4 pages
 * with cairo, with a running header and footer on every page, so that the PDF reader meets
 * what published minutes have. Made at build time; no generated PDF is committed without it.
 *
 * usage: mkpdf IN.pdfsrc OUT.pdf [--declare N] [--images] [--pad MB]
 *   --declare N  the footers say "af N" whatever the real page count (a cut-off document)
 *   --images     draw every line as a grey box instead of text (an image-only PDF)
 *   --pad MB     add MB megabytes of page content that draws nothing (a huge document)
 *
 * The source: "#header TEXT" and "#footer TEXT" ("%p" the page, "%n" the count) set the
 * running lines; "#newpage" breaks the page; "**text**" is a bold line; a blank line is a
 * paragraph break; other lines are wrapped, and "~" in a word marks where it may be broken
 * with a hyphen at the end of a line (elsewhere it is left out). */
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { W = 595, H = 842, LEFT = 60, RIGHT = 535, TOP = 90, BOTTOM = 760 };
#define SIZE 10.5
#define LEAD 14.0

struct opts {
    int declare;
    bool images;
    long pad_mb;
};

static char header[512], footer[512];
static int page, npages;

static void running(cairo_t *cr, const struct opts *o, bool draw)
{
    if (!draw)
        return;
    char buf[600];
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 8);
    if (header[0]) {
        cairo_move_to(cr, LEFT, 40);
        cairo_show_text(cr, header);
    }
    if (footer[0]) {
        size_t k = 0;
        for (const char *p = footer; *p && k < sizeof buf - 12; p++) {
            if (p[0] == '%' && (p[1] == 'p' || p[1] == 'n')) {
                k += (size_t)snprintf(buf + k, sizeof buf - k, "%d",
                                      p[1] == 'p' ? page : (o->declare ? o->declare : npages));
                p++;
            } else {
                buf[k++] = *p;
            }
        }
        buf[k] = '\0';
        cairo_move_to(cr, LEFT, 815);
        cairo_show_text(cr, buf);
    }
}

static double y;

static void new_page(cairo_t *cr, const struct opts *o, bool draw)
{
    if (page)
        cairo_show_page(cr);
    page++;
    running(cr, o, draw);
    y = TOP;
}

static void text_line(cairo_t *cr, const char *s, bool bold, const struct opts *o, bool draw)
{
    if (y > BOTTOM)
        new_page(cr, o, draw);
    if (draw) {
        if (o->images) {
            cairo_text_extents_t ex;
            cairo_text_extents(cr, s, &ex);
            cairo_rectangle(cr, LEFT, y - SIZE, ex.x_advance, SIZE);
            cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0, 0, 0);
        } else {
            cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                                   bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
            cairo_set_font_size(cr, SIZE);
            cairo_move_to(cr, LEFT, y);
            cairo_show_text(cr, s);
        }
    }
    y += LEAD;
}

static double width(cairo_t *cr, const char *s)
{
    cairo_text_extents_t ex;
    cairo_text_extents(cr, s, &ex);
    return ex.x_advance;
}

/* A paragraph line, wrapped at the right margin; "~" marks hyphenation points. */
static void para(cairo_t *cr, const char *s, const struct opts *o, bool draw)
{
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, SIZE);
    char line[2048] = "";
    const char *p = s;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        char word[512];
        size_t wn = (size_t)(e - p) < sizeof word - 1 ? (size_t)(e - p) : sizeof word - 1;
        memcpy(word, p, wn);
        word[wn] = '\0';
        char plain[512];
        size_t k = 0;
        for (size_t i = 0; i < wn; i++)
            if (word[i] != '~')
                plain[k++] = word[i];
        plain[k] = '\0';
        char tryl[2600];
        snprintf(tryl, sizeof tryl, "%s%s%s", line, line[0] ? " " : "", plain);
        if (width(cr, tryl) <= RIGHT - LEFT || !line[0]) {
            snprintf(line, sizeof line, "%s", tryl);
            p = e;
            continue;
        }
        /* The word does not fit: break it at its last "~" that does. */
        const char *cut = NULL;
        for (const char *t = word; (t = strchr(t, '~')); t++) {
            char head[512];
            size_t hn = 0;
            for (const char *u = word; u < t; u++)
                if (*u != '~')
                    head[hn++] = *u;
            head[hn] = '\0';
            snprintf(tryl, sizeof tryl, "%s %s-", line, head);
            if (width(cr, tryl) <= RIGHT - LEFT)
                cut = t;
        }
        if (cut) {
            char head[512];
            size_t hn = 0;
            for (const char *u = word; u < cut; u++)
                if (*u != '~')
                    head[hn++] = *u;
            head[hn] = '\0';
            snprintf(tryl, sizeof tryl, "%s %s-", line, head);
            text_line(cr, tryl, false, o, draw);
            line[0] = '\0';
            p = p + (cut - word) + 1;
            continue;
        }
        text_line(cr, line, false, o, draw);
        line[0] = '\0';
    }
    if (line[0])
        text_line(cr, line, false, o, draw);
}

static int render(cairo_t *cr, FILE *in, const struct opts *o, bool draw)
{
    char buf[4096];
    page = 0;
    header[0] = footer[0] = '\0';
    rewind(in);
    bool started = false;
    while (fgets(buf, sizeof buf, in)) {
        buf[strcspn(buf, "\n")] = '\0';
        if (strncmp(buf, "#header ", 8) == 0) {
            snprintf(header, sizeof header, "%s", buf + 8);
            continue;
        }
        if (strncmp(buf, "#footer ", 8) == 0) {
            snprintf(footer, sizeof footer, "%s", buf + 8);
            continue;
        }
        if (!started) {
            new_page(cr, o, draw);
            started = true;
        }
        if (strcmp(buf, "#newpage") == 0) {
            new_page(cr, o, draw);
            continue;
        }
        size_t n = strlen(buf);
        if (n == 0) {
            y += LEAD * 0.9;
            continue;
        }
        if (n > 4 && strncmp(buf, "**", 2) == 0 && strcmp(buf + n - 2, "**") == 0) {
            buf[n - 2] = '\0';
            text_line(cr, buf + 2, true, o, draw);
            continue;
        }
        para(cr, buf, o, draw);
    }
    if (!started)
        new_page(cr, o, draw);
    return page;
}

int main(int argc, char **argv)
{
    struct opts o = {0};
    if (argc < 3) {
        fputs("usage: mkpdf IN.pdfsrc OUT.pdf [--declare N] [--images] [--pad MB]\n", stderr);
        return 2;
    }
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--declare") == 0 && i + 1 < argc)
            o.declare = atoi(argv[++i]);
        else if (strcmp(argv[i], "--images") == 0)
            o.images = true;
        else if (strcmp(argv[i], "--pad") == 0 && i + 1 < argc)
            o.pad_mb = atol(argv[++i]);
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    /* A first pass counts the pages the footers name. */
    cairo_surface_t *count = cairo_pdf_surface_create(NULL, W, H);
    cairo_t *cc = cairo_create(count);
    npages = render(cc, in, &o, false);
    cairo_destroy(cc);
    cairo_surface_destroy(count);
    cairo_surface_t *s = cairo_pdf_surface_create(argv[2], W, H);
    cairo_t *cr = cairo_create(s);
    render(cr, in, &o, true);
    /* Padding: many invisible strokes on the last page, which poppler must skip past. */
    for (long k = 0; k < o.pad_mb * 20000; k++) {
        cairo_move_to(cr, 1, 1);
        cairo_line_to(cr, 1.5, 1.5);
        cairo_set_source_rgba(cr, 1, 1, 1, 0);
        cairo_stroke(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    int rc = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS ? 0 : 1;
    cairo_surface_destroy(s);
    fclose(in);
    if (rc)
        fprintf(stderr, "mkpdf: cairo could not write %s\n", argv[2]);
    return rc;
}
