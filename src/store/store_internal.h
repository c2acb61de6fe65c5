/* store_internal: what the backends share (key and body-code rules, hashing, times). */
#ifndef REFERAT_STORE_INTERNAL_H
#define REFERAT_STORE_INTERNAL_H

#include <stddef.h>

/* The case key of a source name: its file name without directories and last extension.
 * Returns a heap string. */
char *store_key(const char *name);

/* The short code of a body named in a decision heading when a fixed rule knows it
 * ("Direktionen" -> "DIR"), else NULL. */
const char *store_known_code(const char *name);

/* Hex BLAKE2b-256 of the bytes into out (65 bytes). */
void store_hash(const void *p, size_t n, char out[65]);

/* The current UTC time as "2024-01-05T10:22:31Z" into out (21 bytes). */
void store_now(char out[21]);

#endif
