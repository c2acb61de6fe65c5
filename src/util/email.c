/* email: the plausibility check of an e-mail address (see email.h). */
#include "email.h"

#include <string.h>

#include "utf8.h"

bool email_ok(const char *v)
{
    size_t n = v ? strlen(v) : 0;
    if (n == 0 || n > 254 || utf8_invalid_at(v, n) != n)
        return false;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p <= 0x20 || *p == 0x7f)
            return false;
    const char *at = strchr(v, '@');
    if (!at || at == v || strchr(at + 1, '@') || strpbrk(v, ",;<>\"()[]\\"))
        return false;
    const char *dot = strrchr(at + 1, '.');
    return dot && dot > at + 1 && dot[1];
}
