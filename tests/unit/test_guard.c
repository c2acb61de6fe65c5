/* test_guard: the release guard: CPR numbers (dates that exist, with and without the dash, not
 * inside longer numbers) and template help texts, found where the public would read them. */
#include "test.h"
#include "model/case.h"
#include "model/guard.h"

static bool found(const char *text, size_t *off, size_t *len)
{
    return guard_cpr_find(text, strlen(text), off, len);
}

static void test_cpr_shapes(void)
{
    size_t off = 99, len = 0;
    CHECK(found("CPR 010203-1234 her", &off, &len));
    CHECK_INT(off, 4);
    CHECK_INT(len, 11);
    CHECK(found("0102031234", &off, &len));
    CHECK_INT(off, 0);
    CHECK_INT(len, 10);
    CHECK(found("(311299-4321)", &off, &len));
    CHECK_INT(off, 1);
    /* Inside a longer run of digits it is another number: a phone number, an account. */
    CHECK(!found("01020312345", &off, &len));
    CHECK(!found("90102031234", &off, &len));
    CHECK(!found("Konto 4010203123456", &off, &len));
    CHECK(!found("010203-12345", &off, &len));
    CHECK(!found("1010203-1234", &off, &len));
    /* Other shapes are not CPR numbers. */
    CHECK(!found("010203 1234", &off, &len));
    CHECK(!found("01-02-03-1234", &off, &len));
    CHECK(!found("010203-123", &off, &len));
    CHECK(!found("", &off, &len));
    /* Journal numbers and dates of the reference cases. */
    CHECK(!found("Sagsnr. 00.01.00-A00-1-24, dok. 123456/24, den 20-12-2023", &off, &len));
}

static void test_cpr_dates(void)
{
    size_t off, len;
    /* Days that do not exist. */
    CHECK(!found("320103-1234", &off, &len));
    CHECK(!found("001203-1234", &off, &len));
    CHECK(!found("011303-1234", &off, &len));
    CHECK(!found("010003-1234", &off, &len));
    CHECK(!found("310403-1234", &off, &len));
    CHECK(found("3004031234", &off, &len));
    /* 29 February: the century comes from the serial number's first digit. 2000 was a leap
     * year, 1900 was not: 290200 with serial 4xxx is 2000, with 0xxx-3xxx 1900. */
    CHECK(found("290200-4123", &off, &len));
    CHECK(!found("290200-1123", &off, &len));
    CHECK(found("290296-1123", &off, &len));
    CHECK(!found("290297-1123", &off, &len));
    CHECK(!found("2902971123", &off, &len));
    CHECK(found("2902961123", &off, &len));
    /* 5xxx-8xxx: 2000-2057 or 1858-1899 (1900 is no leap year, 1896 is). */
    CHECK(found("290296-5123", &off, &len));
    CHECK(found("290204-5123", &off, &len));
    CHECK(!found("290205-5123", &off, &len));
    /* A later valid number after an impossible one is still found. */
    CHECK(found("320103-1234 og 010203-1234", &off, &len));
    CHECK_INT(off, 15);
}

/* The guard finds help text by the library's rule (library_holds_help), the one the store
 * keeps the library's texts by: any line of a help text of 10 characters or more, white space
 * compared loosely, at the line and column where it starts. */
static void test_help_text(void)
{
    struct case_doc *c = case_new();
    c->title = strdup("Budget 2025");
    c->public = true;
    const char *help[] = {"Kort.\nBeskriv sagens baggrund.\nAngiv økonomien her."};
    struct guard_hit hit;
    /* One line of a help of several, pasted with other line breaks, on line 2. */
    c->presentation = strdup("Indledning.\nSe her: Angiv  økonomien\nher. Slut.");
    CHECK(guard_case(c, help, 1, &hit));
    CHECK_STR(hit.rule, "skabelonens hjælpetekst");
    CHECK_STR(hit.field, "Sagsfremstilling");
    CHECK_INT(hit.line, 2);
    CHECK_INT(hit.col, 9);
    /* A line shorter than 10 characters ("Kort.") occurs in prose and is not looked for;
     * neither are the words of a line that differ. */
    free(c->presentation);
    c->presentation = strdup("Kort. Beskriv sagens baggrunde grundigt.");
    CHECK(!guard_case(c, help, 1, &hit));
    /* A one-line help of 12 characters is looked for (the guard's old rule skipped help
     * texts under 16 characters, the store's did not). */
    const char *short_help[] = {"Skriv beløb."};
    free(c->presentation);
    c->presentation = strdup("Husk: Skriv beløb.");
    CHECK(guard_case(c, short_help, 1, &hit));
    CHECK_INT(hit.col, 7);
    case_free(c);
}

static void test_case(void)
{
    struct case_doc *c = case_new();
    c->title = strdup("Budget 2025");
    c->public = true;
    c->presentation = strdup("Første linje.\nBorgeren med cpr 1502851234 har klaget.");
    struct guard_hit hit;
    CHECK(guard_case(c, NULL, 0, &hit));
    CHECK_STR(hit.rule, "et CPR-nummer");
    CHECK_STR(hit.field, "Sagsfremstilling");
    CHECK_INT(hit.line, 2);
    CHECK_INT(hit.col, 18);
    free(c->presentation);
    c->presentation = strdup("Ingen personnumre her, kun tlf. 12345678.");
    CHECK(!guard_case(c, NULL, 0, &hit));
    struct subitem *s = case_add_subitem(c);
    s->title = strdup("Orientering");
    s->text = strdup("Beskriv her kort, hvad punktet handler om.");
    const char *help[] = {"Fx:", "Beskriv her kort, hvad punktet handler om."};
    CHECK(guard_case(c, help, 2, &hit));
    CHECK_STR(hit.rule, "skabelonens hjælpetekst");
    CHECK_STR(hit.field, "Punkt 1, tekst");
    /* A short help text is not looked for: it would be found anywhere. */
    CHECK(!guard_case(c, help, 1, &hit));
    struct attachment *a = case_add_attachment(c);
    a->number = 3;
    a->public = true;
    a->title = strdup("Klage fra 010203-1234");
    CHECK(guard_case(c, NULL, 0, &hit));
    CHECK_STR(hit.field, "Bilag 3, titel");
    case_free(c);

    /* A closed case: its public view holds the public title, which is checked. */
    c = case_new();
    c->title = strdup("Personsag");
    c->public = false;
    c->public_title = strdup("Sag om 010203-1234");
    c->presentation = strdup("Lukket tekst med 010203-1234");
    struct case_doc *pub = case_view(c, AUDIENCE_PUBLIC);
    CHECK(guard_case(pub, NULL, 0, &hit));
    CHECK_STR(hit.field, "Offentlig titel");
    case_free(pub);
    /* The closed text itself is never published, so it is not refused. */
    free(c->public_title);
    c->public_title = strdup("Personsag");
    pub = case_view(c, AUDIENCE_PUBLIC);
    CHECK(!guard_case(pub, NULL, 0, &hit));
    case_free(pub);
    case_free(c);
}

int main(void)
{
    RUN(test_cpr_shapes);
    RUN(test_cpr_dates);
    RUN(test_help_text);
    RUN(test_case);
    return TEST_REPORT();
}
