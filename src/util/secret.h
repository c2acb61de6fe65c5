/* secret: random identifiers for sessions, tokens and cookies (libsodium). */
#ifndef REFERAT_SECRET_H
#define REFERAT_SECRET_H

#include <stddef.h>

/* 32 random bytes as 43 characters of unpadded base64url, with prefix before them, into out
 * (truncated to outlen; give at least strlen(prefix) + 44). */
void secret_random(const char *prefix, char *out, size_t outlen);

#endif
