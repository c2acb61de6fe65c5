/* email: whether text is a plausible e-mail address (for guests, accounts and settings). */
#ifndef REFERAT_EMAIL_H
#define REFERAT_EMAIL_H

#include <stdbool.h>

/* local@domain.tld: one '@', a dot in the domain with something after it, no spaces, list
 * separators, quotes or control characters, valid UTF-8, at most 254 bytes (RFC 5321's path
 * limit). Plausible, not verified: only a mail delivered proves an address. */
bool email_ok(const char *s);

#endif
