/* secret: random identifiers (see secret.h). */
#include "secret.h"

#include <sodium.h>
#include <stdio.h>

void secret_random(const char *prefix, char *out, size_t outlen)
{
    unsigned char raw[32];
    char enc[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(enc, sizeof enc, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(out, outlen, "%s%s", prefix ? prefix : "", enc);
    sodium_memzero(raw, sizeof raw);
    sodium_memzero(enc, sizeof enc);
}
