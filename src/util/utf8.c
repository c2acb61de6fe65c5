/* utf8: validation via libxml2, plus line/column arithmetic for error messages. */
#include "utf8.h"
#include "buf.h"

#include <libxml/xmlstring.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <string.h>

size_t utf8_invalid_at(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
#ifdef __SSE2__
        /* Sixteen bytes at a time while they are ASCII without NUL, or hold only whole
         * two-byte sequences (C2..DF and a continuation byte: æ, ø, å), the bulk of Danish
         * text; a block with anything else is left to the byte steps below. */
        const __m128i zero = _mm_setzero_si128(), lead_lo = _mm_set1_epi8((char)0xC1),
                      lead_hi = _mm_set1_epi8((char)0xE0), cont_hi = _mm_set1_epi8((char)0xC0);
        while (n - i >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            unsigned high = (unsigned)_mm_movemask_epi8(v);
            if ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero)))
                break;
            if (high) {
                /* As signed bytes: C2..DF lie in (C1, E0), 80..BF below C0. */
                unsigned lead = (unsigned)_mm_movemask_epi8(
                    _mm_and_si128(_mm_cmpgt_epi8(v, lead_lo), _mm_cmplt_epi8(v, lead_hi)));
                unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, cont_hi));
                if ((lead | cont) != high || (lead << 1 & 0xFFFF) != cont || (lead & 0x8000))
                    break;
            }
            i += 16;
        }
#endif
        /* Eight ASCII bytes without NUL at a time: the bulk of Danish text. */
        while (n - i >= 8) {
            uint64_t v;
            memcpy(&v, p + i, 8);
            uint64_t stop = (v & 0x8080808080808080ull) |
                            ((v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull);
            if (stop) {
                /* Skip the ASCII bytes before the first high or NUL byte in one step. The
                 * NUL test can also flag a byte above a NUL (a borrow), but never one below
                 * the first flagged byte, so the lowest flag is exact. Little-endian only:
                 * elsewhere the bytes are taken one at a time below. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                i += (size_t)__builtin_ctzll(stop) >> 3;
#endif
                break;
            }
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x01 && c < 0x80) { /* the common case stays out of the library call */
            i++;
            continue;
        }
        if (c == 0)
            return i;
        /* Two-byte sequences (æ, ø, å) are most of the rest: checked here, as the library
         * would (C2..DF cannot be overlong, and a continuation byte must follow). */
        if (c >= 0xC2 && c <= 0xDF && n - i >= 2 && ((unsigned char)p[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        int len = (int)(n - i > 4 ? 4 : n - i);
        int cp = xmlGetUTF8Char((const xmlChar *)p + i, &len);
        /* libxml2 decodes leniently: it takes any byte with the high bit as a lead byte and
         * accepts surrogates and some overlong forms. UTF-8 allows none of these. */
        if (cp < 0 || len <= 0 || (len == 1) || (len == 2 && (c & 0xE0) != 0xC0) ||
            (len == 3 && (c & 0xF0) != 0xE0) || (len == 4 && (c & 0xF8) != 0xF0) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF ||
            (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
            return i;
        i += (size_t)len;
    }
    return n;
}

size_t utf8_chars(const char *p, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)p[i] & 0xC0) != 0x80;
    return k;
}

void utf8_position(const char *p, size_t off, unsigned *line, unsigned *col)
{
    unsigned l = 1;
    size_t start = 0;
    for (size_t i = 0; i < off; i++)
        if (p[i] == '\n') {
            l++;
            start = i + 1;
        }
    *line = l;
    *col = (unsigned)utf8_chars(p + start, off - start) + 1;
}

void utf8_put_repaired(struct buf *b, const char *p, size_t n)
{
    while (n) {
        size_t ok = utf8_invalid_at(p, n);
        buf_put(b, p, ok);
        if (ok == n)
            break;
        buf_puts(b, "\xEF\xBF\xBD");
        p += ok + 1;
        n -= ok + 1;
    }
}
