/* clock: now, from the system or from a test's clock file (see clock.h). */
#include "clock.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_bool warned;

static int parse(const char *s, time_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end != s && (*end == '\0' || *end == '\n')) {
        *out = (time_t)v;
        return 0;
    }
    struct tm tm = {0};
    end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!end || (*end && *end != '\n'))
        return -1;
    *out = timegm(&tm);
    return 0;
}

time_t clock_now(void)
{
    const char *path = getenv("REFERAT_CLOCK_FILE");
    if (path && *path) {
        char text[64] = "";
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
        if (f)
            fclose(f);
        text[n] = '\0';
        time_t t;
        if (n && parse(text, &t) == 0)
            return t;
        if (!atomic_exchange(&warned, true))
            fprintf(stderr, "referat: REFERAT_CLOCK_FILE %s: expected seconds or "
                            "YYYY-MM-DDTHH:MM:SSZ; using the system clock\n", path);
    }
    return time(NULL);
}

void clock_format(time_t t, char out[21])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void clock_iso(char out[21])
{
    clock_format(clock_now(), out);
}

void clock_today(char out[11])
{
    time_t t = clock_now();
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}
