/* read_meeting_html: whole-meeting documents as published web pages: libxml2's HTML parser
 * builds the tree, the page's frame (scripts, forms, navigation, cookie banners) is dropped,
 * and each block of text becomes a line for the meeting grammar. Nothing of the page is
 * executed or kept as markup. */
#include "format.h"
#include "mtext.h"
#include "../util/utf8.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* Nested deeper than this, the rest of a subtree is read as flat text (no recursion). */
enum { MAXDEPTH = 200 };

struct walk {
    struct mtext *out;
    struct buf line;
    unsigned lineno;
    size_t bold;  /* bytes of the line inside <b>/<strong> */
    bool heading; /* inside <h1>..<h6> */
    bool cells;   /* the line holds table cells */
};

static bool named(const xmlNode *n, const char *name)
{
    return n->name && strcasecmp((const char *)n->name, name) == 0;
}

static bool any_of(const xmlNode *n, const char *const *names)
{
    for (; *names; names++)
        if (named(n, *names))
            return true;
    return false;
}

/* The page's frame and everything active: never content. */
static bool frame(const xmlNode *n)
{
    static const char *const drop[] = {"script", "style", "noscript", "template", "form",
                                       "input", "button", "select", "textarea", "nav",
                                       "header", "footer", "aside", "iframe", "object",
                                       "embed", "svg", "canvas", "head", "dialog", "menu",
                                       "video", "audio", "map", NULL};
    if (any_of(n, drop))
        return true;
    if (xmlHasProp((xmlNode *)n, (const xmlChar *)"hidden"))
        return true;
    static const char *const attrs[] = {"class", "id", "role", "aria-hidden", NULL};
    static const char *const words[] = {"cookie", "consent", "breadcrumb", "skip", "share",
                                        "navigation", "banner", "contentinfo", "search",
                                        "true", "print", "subscribe", "abonn", NULL};
    for (const char *const *a = attrs; *a; a++) {
        xmlChar *v = xmlGetProp((xmlNode *)n, (const xmlChar *)*a);
        bool hit = false;
        for (const char *const *w = words; v && *w && !hit; w++)
            hit = strcasestr((const char *)v, *w) != NULL;
        xmlFree(v);
        if (hit)
            return true;
    }
    return false;
}

static bool block(const xmlNode *n)
{
    static const char *const blocks[] = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5",
                                         "h6", "table", "ul", "ol", "section", "article", "dt",
                                         "dd", "dl", "blockquote", "pre", "address", "main",
                                         "body", "hr", "caption", "thead", "tbody", NULL};
    return any_of(n, blocks);
}

static void flush(struct walk *w)
{
    /* Blanks collapse as HTML renders them. */
    struct buf t = BUF_INIT;
    const char *s = buf_cstr(&w->line);
    bool space = false;
    for (size_t i = 0; i < w->line.len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\f') {
            space = t.len > 0;
            continue;
        }
        if (c == '\t') {
            buf_putc(&t, '\t');
            space = false;
            continue;
        }
        if (space && t.ptr[t.len - 1] != '\t')
            buf_putc(&t, ' ');
        space = false;
        buf_putc(&t, (char)c);
    }
    while (t.len && t.ptr[t.len - 1] == '\t')
        t.len--;
    /* libxml2 promises UTF-8, but its recovery from an encoding error mid-page can leave a
     * broken sequence behind: the model only ever holds UTF-8. */
    if (utf8_invalid_at(t.ptr ? t.ptr : "", t.len) < t.len) {
        struct buf r = BUF_INIT;
        utf8_put_repaired(&r, t.ptr, t.len);
        buf_free(&t);
        t = r;
    }
    if (t.len) {
        unsigned flags = (w->heading || (w->bold * 10 >= t.len * 8)) ? ML_HEADING : 0;
        if (w->cells)
            flags |= ML_CELLS;
        mtext_add(w->out, t.ptr, t.len, w->lineno, 0, flags);
    }
    buf_free(&t);
    buf_truncate(&w->line, 0);
    w->bold = 0;
    w->cells = false;
    w->lineno = 0;
}

static void blank(struct walk *w)
{
    flush(w);
    if (w->out->n && w->out->v[w->out->n - 1].len)
        mtext_add(w->out, "", 0, 0, 0, 0);
}

static void walk(struct walk *w, xmlNode *n, int depth, bool bold)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (!n->content)
                continue;
            size_t before = w->line.len;
            buf_puts(&w->line, (const char *)n->content);
            if (bold)
                w->bold += w->line.len - before;
            if (!w->lineno)
                w->lineno = (unsigned)xmlGetLineNo(n);
            continue;
        }
        if (n->type != XML_ELEMENT_NODE || frame(n))
            continue;
        if (named(n, "br")) {
            flush(w);
            continue;
        }
        bool b = block(n), h = n->name && n->name[0] == 'h' && n->name[1] >= '1' &&
                                n->name[1] <= '6' && !n->name[2];
        bool cell = named(n, "td") || named(n, "th");
        if (b)
            (named(n, "p") || h || named(n, "table")) ? blank(w) : flush(w);
        if (cell && w->line.len) {
            buf_putc(&w->line, '\t');
            w->cells = true;
        }
        if (named(n, "li"))
            buf_puts(&w->line, "\xE2\x80\xA2 ");
        bool was = w->heading;
        w->heading |= h;
        bool in_bold = bold || named(n, "b") || named(n, "strong");
        if (depth < MAXDEPTH)
            walk(w, n->children, depth + 1, in_bold);
        else if (n->children) {
            xmlChar *all = xmlNodeGetContent(n);
            if (all)
                buf_puts(&w->line, (const char *)all);
            xmlFree(all);
        }
        if (b)
            (named(n, "p") || h || named(n, "table")) ? blank(w) : flush(w);
        w->heading = was;
    }
}

static int lines(const char *p, size_t n, int flags, struct mtext *out, struct err *e,
                 struct warnings *wn)
{
    (void)flags, (void)wn;
    if (n > INT_MAX) {
        err_set(e, ERR_LIMIT, 1, 1, "expected a smaller web page");
        return ERR_LIMIT;
    }
    htmlDocPtr doc = htmlReadMemory(p, (int)n, NULL, NULL,
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        xmlFreeDoc(doc);
        err_set(e, ERR_SYNTAX, 1, 1, "expected a web page (HTML), found no content to read");
        return ERR_SYNTAX;
    }
    struct walk w = {.out = out};
    walk(&w, root, 0, false);
    flush(&w);
    buf_free(&w.line);
    xmlFreeDoc(doc);
    return 0;
}

static int sniff(const char *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
        i++;
    if (i >= n || p[i] != '<')
        return 0;
    size_t m = n - i < 2048 ? n - i : 2048;
    static const char *const tags[] = {"<!DOCTYPE html", "<!doctype html", "<html", "<HTML",
                                       "<body", "<BODY", "<head", "<div", "<p>", "<h1", NULL};
    for (const char *const *t = tags; *t; t++)
        if (memmem(p + i, m, *t, strlen(*t)))
            return 90;
    return 0;
}

const struct fmt_meeting_reader fmt_read_meeting_html = {"meeting-html", sniff, lines, 0};
