/* test_html: the HTML writer and helpers: structure, escaping, autolinks, public mode. */
#include "test.h"

#include <ctype.h>
#include <stdbool.h>
#include <time.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "format/format.h"
#include "format/html.h"

#define R "\xef\xbf\xbd" /* U+FFFD */
#define R3 R R R
#define R4 R R R R

/* --- helpers ------------------------------------------------------------------------------ */

static char *render(const struct case_doc *c, int flags)
{
    struct buf b = BUF_INIT;
    fmt_write_html.write(c, flags, &b);
    return buf_detach(&b);
}

/* The public page as fmt_write would make it: the writer only ever gets the public view. */
static char *render_public(const struct case_doc *c)
{
    struct case_doc *v = case_view(c, AUDIENCE_PUBLIC);
    char *s = render(v, FMT_PUBLIC);
    case_free(v);
    return s;
}

/* Plain loops rather than strstr: sanitizers make each libc call walk the whole page, and
 * the 10,000-item page would turn that quadratic. */
static bool match_at(const char *p, const char *needle, bool fold)
{
    for (; *needle; p++, needle++) {
        char a = *p, b = *needle;
        if (fold) {
            a = (char)tolower((unsigned char)a);
            b = (char)tolower((unsigned char)b);
        }
        if (a != b)
            return false;
    }
    return true;
}

static bool contains_ci(const char *hay, const char *needle)
{
    for (; *hay; hay++)
        if (match_at(hay, needle, true))
            return true;
    return false;
}

static int occurrences(const char *hay, const char *needle)
{
    int k = 0;
    for (; *hay; hay++)
        k += match_at(hay, needle, false);
    return k;
}

/* What the page holds, as libxml2's HTML parser sees it. */
struct scan {
    int errors; /* parser errors and warnings */
    int h1, h2, h3;
    int th, th_col; /* all <th>, those with scope="col" */
    int captions;
    int scripts;   /* <script> elements */
    int on_attrs;  /* attributes named on* (event handlers) */
    int links;     /* <a href> */
    int bad_links; /* hrefs with a scheme other than http, https, mailto */
    char lang[8];
    struct buf headings; /* h2 texts joined with "|" */
};

static int xml_errors;

/* libxml2's parser predates HTML5 and calls its elements unknown; those few are expected. */
static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    static const char *const html5[] = {"main", "section", "time", NULL};
    (void)ctx;
    if (e->code == XML_HTML_UNKNOWN_TAG && e->str1)
        for (int i = 0; html5[i]; i++)
            if (strcmp(e->str1, html5[i]) == 0)
                return;
    xml_errors++;
    fprintf(stderr, "libxml2: line %d: %s", e->line, e->message);
}

static bool safe_href(const char *h)
{
    return strncmp(h, "https://", 8) == 0 || strncmp(h, "http://", 7) == 0 ||
           strncmp(h, "mailto:", 7) == 0 || h[0] == '#';
}

static void walk(xmlNode *n, struct scan *s)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        s->h1 += strcmp(name, "h1") == 0;
        s->h3 += strcmp(name, "h3") == 0;
        s->captions += strcmp(name, "caption") == 0;
        s->scripts += strcasecmp(name, "script") == 0;
        if (strcmp(name, "h2") == 0) {
            xmlChar *t = xmlNodeGetContent(n);
            if (s->h2++)
                buf_putc(&s->headings, '|');
            buf_puts(&s->headings, (const char *)t);
            xmlFree(t);
        }
        for (xmlAttr *a = n->properties; a; a = a->next) {
            const char *an = (const char *)a->name;
            xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
            const char *val = v ? (const char *)v : "";
            if (tolower((unsigned char)an[0]) == 'o' && tolower((unsigned char)an[1]) == 'n')
                s->on_attrs++;
            if (strcmp(name, "html") == 0 && strcmp(an, "lang") == 0)
                snprintf(s->lang, sizeof s->lang, "%s", val);
            if (strcmp(name, "th") == 0 && strcmp(an, "scope") == 0 && strcmp(val, "col") == 0)
                s->th_col++;
            if (strcmp(an, "href") == 0) {
                s->links++;
                s->bad_links += !safe_href(val);
            }
            xmlFree(v);
        }
        s->th += strcmp(name, "th") == 0;
        walk(n->children, s);
    }
}

/* Parses html with libxml2 (errors reported, not suppressed) and fills s. */
static void scan(const char *html, struct scan *s)
{
    memset(s, 0, sizeof *s);
    xml_errors = 0;
    xmlSetStructuredErrorFunc(NULL, on_xml_error);
    htmlDocPtr doc =
        htmlReadMemory(html, (int)strlen(html), "case.html", "UTF-8", HTML_PARSE_NONET);
    xmlSetStructuredErrorFunc(NULL, NULL);
    s->errors = xml_errors;
    if (!doc) {
        s->errors++;
        return;
    }
    walk(xmlDocGetRootElement(doc), s);
    xmlFreeDoc(doc);
}

/* Every page: a valid, script-free HTML5 document in Danish with one h1. */
static void check_page(const char *html, struct scan *s)
{
    scan(html, s);
    CHECK_INT(s->errors, 0);
    static const char head[] = "<!DOCTYPE html>\n<html lang=\"da\">\n";
    CHECK(strncmp(html, head, sizeof head - 1) == 0);
    CHECK_STR(s->lang, "da");
    CHECK(strstr(html, "<meta charset=\"utf-8\">") != NULL);
    CHECK(strstr(html, "<meta name=\"viewport\"") != NULL);
    CHECK_INT(s->h1, 1);
    CHECK_INT(s->scripts, 0);
    CHECK_INT(s->on_attrs, 0);
    CHECK_INT(s->bad_links, 0);
    CHECK(!contains_ci(html, "<script"));
}

static char *dup(const char *s)
{
    return xstrdup(s);
}

/* A case shaped like seed 000 (meeting of 20-12-2023), shortened. */
static struct case_doc *seed_case(void)
{
    struct case_doc *c = case_new();
    c->title = dup("Punkter til behandling");
    c->public = true;
    *case_add_route(c) = dup("DIR");
    c->presentation = dup("I Økonomiaftalen mellem regeringen og KL for 2019 understreges "
                          "kommunernes rolle.\n\nDirektionen arbejder med FN's 17 verdensmål.");
    c->intro = dup("Direktionen har følgende øvrige punkter til behandling:");
    c->has_table = true;
    struct subitem *s = case_add_subitem(c);
    s->time = dup("10.30");
    s->title = dup("Den nye tværgående digitaliseringsorganisation.");
    s->text = dup("Den 30. august 2023 drøftede direktionen den nuværende model.");
    struct guest *g = subitem_add_guest(s);
    g->name = dup("Tonny Olsen");
    g->role = dup("Chef for Borgerservice, IT og Digitalisering");
    s = case_add_subitem(c);
    s->time = dup("11.00");
    s->title = dup("Nytårskure 2024");
    g = subitem_add_guest(s);
    g->name = dup("Vicki Nygaard Svendsen");
    g->role = dup("Udviklingskonsulent");
    g = subitem_add_guest(s);
    g->name = dup("Marc Kromann Rasmussen");
    c->recommendation = dup("Det indstilles, at punkterne behandles.");
    struct decision *d = case_add_decision(c);
    d->body = dup("Direktionen");
    d->date = dup("2023-12-20");
    d->text = dup("Direktionen havde følgende øvrige punkter til behandling:");
    struct entry *e = decision_add_entry(d);
    e->title = dup("KB seminar");
    e->subitem = 2;
    e->text = dup("Der afholdes KB-seminar d. 22.-23. januar 2024.\n\n"
                  "Ledelsessekretariatet og Økonomichef Bettina Andersen følger op.");
    struct followup *f = entry_add_followup(e);
    f->owner = dup("Ledelsessekretariatet");
    f->text = dup("Ledelsessekretariatet og Økonomichef Bettina Andersen følger op.");
    f = entry_add_followup(e);
    f->owner = dup("Bettina Andersen");
    f->role = dup("Økonomichef");
    f->due = dup("2024-01-22");
    struct dateref *r = entry_add_date(e);
    r->text = dup("d. 22.-23. januar 2024");
    r->start = dup("2024-01-22");
    r->end = dup("2024-01-23");
    c->has_attachments = true;
    struct attachment *a = case_add_attachment(c);
    a->number = 1;
    a->public = true;
    a->title = dup("Norddjurs Kommunes tværgående digitaliseringsorganisation version 3.0.");
    a->journal = dup("122962/23");
    a->flag = dup("H");
    a->document = dup("3553435");
    a = case_add_attachment(c);
    a->number = 2;
    a->public = false;
    a->title = dup("Drejebog Norddjurs Kommunes nytårskur 2024");
    a->journal = dup("0");
    a->flag = dup("");
    return c;
}

/* A case with marker in every field except the title (and a closed attachment). */
static struct case_doc *marked_case(const char *title, bool public, const char *m)
{
    struct case_doc *c = case_new();
    c->title = dup(title);
    c->public = public;
    *case_add_route(c) = dup(m);
    c->presentation = dup(m);
    c->intro = dup(m);
    c->has_table = true;
    struct subitem *s = case_add_subitem(c);
    s->time = dup(m);
    s->title = dup(m);
    s->text = dup(m);
    struct guest *g = subitem_add_guest(s);
    g->name = dup(m);
    g->role = dup(m);
    c->recommendation = dup(m);
    struct decision *d = case_add_decision(c);
    d->body = dup(m);
    d->date = dup(m);
    d->text = dup(m);
    struct entry *e = decision_add_entry(d);
    e->title = dup(m);
    e->subitem = 1;
    e->text = dup(m);
    struct followup *f = entry_add_followup(e);
    f->owner = dup(m);
    f->role = dup(m);
    f->text = dup(m);
    f->due = dup(m);
    struct dateref *r = entry_add_date(e);
    r->text = dup(m);
    r->start = dup(m);
    r->end = dup(m);
    c->has_attachments = true;
    for (unsigned i = 1; i <= 2; i++) {
        struct attachment *a = case_add_attachment(c);
        a->number = i;
        a->public = i == 1;
        a->title = dup(m);
        a->journal = dup(m);
        a->flag = dup(m);
        a->document = dup(m);
    }
    return c;
}

/* --- the page ----------------------------------------------------------------------------- */

static void test_structure(void)
{
    struct case_doc *c = seed_case();
    char *html = render(c, 0);
    struct scan s;
    check_page(html, &s);
    CHECK_STR(buf_cstr(&s.headings), "Sagsgang|Sagsfremstilling|Indstilling|"
                                     "Beslutning i Direktionen den 20-12-2023|Bilag");
    CHECK_INT(s.h3, 1);
    CHECK_INT(s.captions, 1);
    CHECK_INT(s.th, 2);
    CHECK_INT(s.th_col, 2);
    CHECK(strstr(html, "<title>Punkter til behandling</title>") != NULL);
    CHECK(strstr(html, "<h1>Punkter til behandling</h1>") != NULL);
    CHECK(strstr(html, "<tr><th scope=\"col\">Tid</th><th scope=\"col\">Punkt</th></tr>"));
    CHECK(strstr(html, "<h2>Beslutning i Direktionen den "
                       "<time datetime=\"2023-12-20\">20-12-2023</time></h2>"));
    CHECK(strstr(html, "<tr class=\"subitem\" id=\"punkt-1\">\n<td class=\"time\">10.30</td>"));
    CHECK(strstr(html, "<p class=\"title\">Nytårskure 2024</p>"));
    CHECK(strstr(html, "<p class=\"guests\">Deltagere: <span class=\"guest\">Tonny Olsen "
                       "(Chef for Borgerservice, IT og Digitalisering)</span></p>"));
    CHECK(strstr(html, "Deltagere: <span class=\"guest\">Vicki Nygaard Svendsen "
                       "(Udviklingskonsulent)</span>, <span class=\"guest\">Marc Kromann "
                       "Rasmussen</span></p>"));
    CHECK(strstr(html, "<section class=\"entry\">\n<h3>KB seminar</h3>\n"
                       "<p>Der afholdes KB-seminar d. 22.-23. januar 2024.</p>\n<p>"));
    CHECK(strstr(html, "<li class=\"followup\">Opfølgning: Ledelsessekretariatet</li>"));
    CHECK(strstr(html, "<li class=\"followup\">Opfølgning: Bettina Andersen (Økonomichef) — "
                       "frist <time datetime=\"2024-01-22\">22-01-2024</time></li>"));
    CHECK(strstr(html, "<li class=\"attachment\" value=\"1\"><span class=\"access\">Åben</span>"
                       " <span class=\"title\">Norddjurs Kommunes tværgående "
                       "digitaliseringsorganisation version 3.0.</span> · <span class=\"journal\">"
                       "Journalnr. 122962/23</span> · <span class=\"flag\">Markering H</span>"
                       " · <span class=\"document\">Dokument 3553435</span></li>"));
    /* Staff see closed attachments, marked; metadata written "0" or "()" shows nothing. */
    CHECK(strstr(html, "<li class=\"attachment closed\" value=\"2\"><span class=\"access\">"
                       "Lukket</span> <span class=\"title\">Drejebog Norddjurs Kommunes "
                       "nytårskur 2024</span></li>"));
    CHECK(strstr(html, "<p class=\"status\">Åben sag</p>"));
    CHECK(strstr(html, "</main>\n</body>\n</html>\n"));
    free(html);
    buf_free(&s.headings);
    case_free(c);
}

static void test_deterministic(void)
{
    struct case_doc *c = seed_case();
    char *a = render(c, 0), *b = render(c, 0);
    CHECK_STR(a, b);
    free(a);
    free(b);
    case_free(c);
}

static void test_empty_case(void)
{
    struct case_doc *c = case_new();
    c->public = true;
    char *html = render(c, 0);
    struct scan s;
    check_page(html, &s);
    CHECK_INT(s.h2, 0);
    CHECK(strstr(html, "<title>(uden titel)</title>") != NULL);
    CHECK(strstr(html, "<h1>(uden titel)</h1>") != NULL);
    free(html);
    buf_free(&s.headings);

    /* Headings present in the source but nothing under them. */
    c->has_table = true;
    c->has_attachments = true;
    case_add_decision(c);
    html = render(c, 0);
    check_page(html, &s);
    CHECK_STR(buf_cstr(&s.headings), "Sagsfremstilling|Beslutning|Bilag");
    CHECK(strstr(html, "<tr><td colspan=\"2\">Ingen punkter.</td></tr>") != NULL);
    CHECK(strstr(html, "<p>Ingen bilag.</p>") != NULL);
    free(html);
    buf_free(&s.headings);
    case_free(c);
}

/* --- hostile input ------------------------------------------------------------------------ */

static const char *const hostile[] = {
    "<script>alert(1)</script>\"onmouseover=alert(1) x=\"",
    "Klik javascript:alert(1) eller <a href=\"javascript:alert(1)\">her</a>",
    "JaVaScRiPt:alert(2) data:text/html,<svg/onload=alert(3)> ' onfocus='x'",
    "<img src=x onerror=alert(4)></textarea></title><style>*{}</style><!-- -->",
    "https://ok.dk/\"onmouseover=\"alert(5)",
    "\x01\x7f\xff\xc2\x80\xed\xa0\x80 &amp; &lt;",
};

static void test_escaping(void)
{
    for (size_t h = 0; h < sizeof hostile / sizeof *hostile; h++) {
        struct case_doc *c = marked_case(hostile[h], true, hostile[h]);
        c->attachments[1].public = true;
        char *html = render(c, 0);
        struct scan s;
        check_page(html, &s);
        /* Markup in the source shows as text ("&lt;a href=..."); it never becomes a tag. */
        CHECK(!contains_ci(html, "<a href=\"data"));
        CHECK(!contains_ci(html, "<img"));
        CHECK(!contains_ci(html, "<svg"));
        CHECK(!contains_ci(html, "<a href=\"javascript"));
        CHECK(!contains_ci(html, "<!-- -->"));
        /* The only <style> and </title> are the page's own. */
        CHECK_INT(occurrences(html, "<style>"), 1);
        CHECK_INT(occurrences(html, "</title>"), 1);
        if (h == 0) {
            CHECK(strstr(html, "<h1>&lt;script&gt;alert(1)&lt;/script&gt;\"onmouseover="));
            CHECK(strstr(html, "<title>&lt;script&gt;alert(1)&lt;/script&gt;\"onmouseover="));
        }
        if (h == 4) /* the quote ends the URL: it never reaches the attribute */
            CHECK(strstr(html, "<a href=\"https://ok.dk/\">https://ok.dk/</a>\"onmouseover="));
        if (h == 5)
            CHECK(strstr(html, "<h1>" R4 R3 " &amp;amp; &amp;lt;</h1>"));
        if (h == 0)
            CHECK(s.links == 0);
        free(html);
        buf_free(&s.headings);
        case_free(c);
    }
}

static char *autolink(const char *s)
{
    struct buf b = BUF_INIT;
    html_autolink(&b, s, strlen(s));
    return buf_detach(&b);
}

static void check_autolink(const char *in, const char *want)
{
    char *got = autolink(in);
    CHECK_STR(got, want);
    free(got);
}

static void test_autolink(void)
{
    check_autolink("Se https://norddjurs.dk/politik?a=1&b=2.",
                   "Se <a href=\"https://norddjurs.dk/politik?a=1&amp;b=2\">"
                   "https://norddjurs.dk/politik?a=1&amp;b=2</a>.");
    check_autolink("(skriv til mailto:post@norddjurs.dk)",
                   "(skriv til <a href=\"mailto:post@norddjurs.dk\">mailto:post@norddjurs.dk</a>)");
    check_autolink("HTTP://X.DK/a_(b), ok",
                   "<a href=\"HTTP://X.DK/a_(b)\">HTTP://X.DK/a_(b)</a>, ok");
    check_autolink("(se https://x.dk/a_(b)).", "(se <a href=\"https://x.dk/a_(b)\">"
                                               "https://x.dk/a_(b)</a>).");
    check_autolink("[mailto:a@b.dk].", "[<a href=\"mailto:a@b.dk\">mailto:a@b.dk</a>].");
    check_autolink("a:https://a.dk/x og http://b.dk",
                   "a:<a href=\"https://a.dk/x\">https://a.dk/x</a> og "
                   "<a href=\"http://b.dk\">http://b.dk</a>");
    check_autolink("https://dk.dk/æøå/side og", "<a href=\"https://dk.dk/æøå/side\">"
                                                "https://dk.dk/æøå/side</a> og");
    check_autolink("https://a.dk/'x", "<a href=\"https://a.dk/&#39;x\">https://a.dk/'x</a>");
    check_autolink("a https://a.dk\xc2\xa0og", "a <a href=\"https://a.dk\">https://a.dk</a>"
                                               "\xc2\xa0og");
    /* Never linked: other schemes, a scheme glued to a word, a URL with nothing in it. */
    check_autolink("javascript:alert(1)", "javascript:alert(1)");
    check_autolink("javascript:https://x.dk", "javascript:<a href=\"https://x.dk\">"
                                              "https://x.dk</a>");
    check_autolink("ftp://x.dk data:x vbscript:y", "ftp://x.dk data:x vbscript:y");
    check_autolink("xhttps://a.dk", "xhttps://a.dk");
    check_autolink("https:// og https:///x og http://.", "https:// og https:///x og http://.");
    check_autolink("mailto:x og mailto:@a og mailto:a@", "mailto:x og mailto:@a og mailto:a@");
    check_autolink("<https://a.dk>", "&lt;<a href=\"https://a.dk\">https://a.dk</a>&gt;");
}

static char *paragraphs(const char *s, const char *cls)
{
    struct buf b = BUF_INIT;
    html_paragraphs(&b, s, cls);
    return buf_detach(&b);
}

static void test_paragraphs(void)
{
    char *p = paragraphs("a\n\nb\nc\n\n\n\nd <e>", NULL);
    CHECK_STR(p, "<p>a</p>\n<p>b<br>\nc</p>\n<p>d &lt;e&gt;</p>\n");
    free(p);
    p = paragraphs("\n\n  \n\nx https://a.dk\n\n", "intro");
    CHECK_STR(p, "<p class=\"intro\">x <a href=\"https://a.dk\">https://a.dk</a></p>\n");
    free(p);
    p = paragraphs("", NULL);
    CHECK_STR(p, "");
    free(p);
    p = paragraphs(NULL, NULL);
    CHECK_STR(p, "");
    free(p);
}

#define CHECK_TEXT(lit, want) check_text(lit, sizeof lit - 1, want)

static void check_text(const char *in, size_t n, const char *want)
{
    struct buf b = BUF_INIT;
    html_textn(&b, in, n);
    CHECK_STR(buf_cstr(&b), want);
    buf_free(&b);
}

static void test_sanitize(void)
{
    CHECK_TEXT("æøå €😀 \t\r\n", "æøå €😀 \t\r\n");
    CHECK_TEXT("a\001b\177c", "a" R "b" R "c");
    CHECK_TEXT("a\0b", "a" R "b");
    CHECK_TEXT("\xc2\x80 \xef\xbf\xbe \xef\xb7\x90", R " " R " " R);
    /* One U+FFFD per broken sequence (its maximal prefix), as browsers decode it. */
    CHECK_TEXT("\xe2\x82x \xf0\x9f\x98", R "x " R);
    CHECK_TEXT("\xed\xa0\x80 \xc0\xaf", R3 " " R R);
    struct buf b = BUF_INIT;
    html_attr(&b, "\"'<>&\xff");
    CHECK_STR(buf_cstr(&b), "&quot;&#39;&lt;&gt;&amp;\xef\xbf\xbd");
    buf_free(&b);
}

static void check_date(const char *in, const char *want)
{
    struct buf b = BUF_INIT;
    html_date(&b, in);
    CHECK_STR(buf_cstr(&b), want);
    buf_free(&b);
}

static void test_date(void)
{
    check_date("2023-12-20", "<time datetime=\"2023-12-20\">20-12-2023</time>");
    check_date("2024-02-29", "<time datetime=\"2024-02-29\">29-02-2024</time>");
    check_date("2023-02-29", "2023-02-29");
    check_date("2023-13-01", "2023-13-01");
    check_date("20-12-2023", "20-12-2023");
    check_date("2023-12-20\"x", "2023-12-20\"x");
    check_date("<b>", "&lt;b&gt;");
}

/* Inputs built to make a careless scanner quadratic; 1 MB each must take well under the
 * limit, which only a quadratic scan (about 10^12 steps) would reach. */
static void test_pathological(void)
{
    static const char *const units[] = {"mailto:.", "https://.", "(https://a.dk", ")",
                                        "\n\n",     "\xff",      "mailto:.@",     "x\n"};
    const size_t mb = 1 << 20;
    clock_t t0 = clock();
    for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
        struct buf in = BUF_INIT, out = BUF_INIT;
        if (u == 3)
            buf_puts(&in, "https://a.dk/");
        while (in.len < mb)
            buf_puts(&in, units[u]);
        html_paragraphs(&out, buf_cstr(&in), NULL);
        CHECK(u == 4 ? out.len == 0 : out.len >= in.len / 2);
        buf_free(&in);
        buf_free(&out);
    }
    /* A page with 10,000 sub-items and as many attachments stays valid. */
    struct case_doc *c = seed_case();
    for (unsigned i = 0; i < 10000; i++) {
        struct subitem *s = case_add_subitem(c);
        s->title = dup("Punkt");
        struct attachment *a = case_add_attachment(c);
        a->number = i + 3;
        a->public = true;
        a->title = dup("Bilag");
    }
    char *html = render(c, 0);
    struct scan s;
    check_page(html, &s);
    CHECK_INT(occurrences(html, "<tr class=\"subitem\""), 10002);
    CHECK_INT(occurrences(html, "id=\"punkt-10002\""), 1);
    free(html);
    buf_free(&s.headings);
    case_free(c);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(secs < 10.0);
}

/* --- public mode -------------------------------------------------------------------------- */

static void test_public_closed_case(void)
{
    struct case_doc *c = marked_case("Hemmelig sag om <b>", false, "ZQXMARK");
    char *html = render_public(c);
    struct scan s;
    check_page(html, &s);
    CHECK(strstr(html, "<h1>Hemmelig sag om &lt;b&gt;</h1>") != NULL);
    CHECK(strstr(html, "<p class=\"status\">Lukket sag</p>") != NULL);
    CHECK(strstr(html, "ZQXMARK") == NULL);
    CHECK_INT(s.h2, 0);
    free(html);
    buf_free(&s.headings);

    /* The same through fmt_write, which makes the view itself. */
    struct buf b = BUF_INIT;
    fmt_write(&fmt_write_html, c, FMT_PUBLIC, &b);
    CHECK(strstr(buf_cstr(&b), "Lukket sag") != NULL);
    CHECK(strstr(buf_cstr(&b), "ZQXMARK") == NULL);
    buf_free(&b);

    /* Staff see everything, with the case marked closed. */
    html = render(c, 0);
    check_page(html, &s);
    CHECK(strstr(html, "<main class=\"case closed\">\n") != NULL);
    CHECK(strstr(html, "<p class=\"status\">Lukket sag</p>") != NULL);
    CHECK(strstr(html, "ZQXMARK") != NULL);
    CHECK_INT(s.h2, 5);
    free(html);
    buf_free(&s.headings);
    case_free(c);
}

static void test_public_closed_attachment(void)
{
    struct case_doc *c = seed_case();
    struct attachment *a = &c->attachments[1];
    free(a->journal);
    free(a->flag);
    a->journal = dup("ZQXJOURNAL");
    a->flag = dup("ZQXFLAG");
    a->document = dup("ZQXDOC");
    char *html = render_public(c);
    struct scan s;
    check_page(html, &s);
    CHECK(strstr(html, "<li class=\"attachment closed\" value=\"2\"><span class=\"access\">"
                       "Lukket</span> <span class=\"title\">Drejebog Norddjurs Kommunes "
                       "nytårskur 2024</span></li>"));
    CHECK(strstr(html, "ZQX") == NULL);
    /* The open attachment keeps its metadata. */
    CHECK(strstr(html, "Journalnr. 122962/23") != NULL);
    CHECK(strstr(html, "Dokument 3553435") != NULL);
    free(html);
    buf_free(&s.headings);

    html = render(c, 0);
    CHECK(strstr(html, "<span class=\"journal\">Journalnr. ZQXJOURNAL</span>") != NULL);
    CHECK(strstr(html, "<span class=\"flag\">Markering ZQXFLAG</span>") != NULL);
    CHECK(strstr(html, "<span class=\"document\">Dokument ZQXDOC</span>") != NULL);
    free(html);
    case_free(c);
}

static void test_codec_entry(void)
{
    const struct fmt_writer *w = fmt_writer_find("html");
    CHECK(w == &fmt_write_html);
    CHECK_STR(fmt_write_html.name, "html");
    CHECK_STR(fmt_write_html.mime, "text/html; charset=utf-8");
}

int main(void)
{
    RUN(test_structure);
    RUN(test_deterministic);
    RUN(test_empty_case);
    RUN(test_escaping);
    RUN(test_autolink);
    RUN(test_paragraphs);
    RUN(test_sanitize);
    RUN(test_date);
    RUN(test_pathological);
    RUN(test_public_closed_case);
    RUN(test_public_closed_attachment);
    RUN(test_codec_entry);
    return TEST_REPORT();
}
