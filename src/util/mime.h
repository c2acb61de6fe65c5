/* mime: what a file is, decided from its content with libmagic (never from its name or what
 * a browser claims), and whether the archive takes it as a bilag. */
#ifndef REFERAT_MIME_H
#define REFERAT_MIME_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* The MIME type of data[0..len) into type (cap bytes): "application/pdf". An Office Open XML
 * document, which libmagic may report as a plain zip archive, is named by its own type when
 * the zip holds its content-types part and main folder (word/, xl/, ppt/). ERR_IO when
 * libmagic cannot be loaded. */
int mime_sniff(const void *data, size_t len, char *type, size_t cap, struct err *e);
/* True for what a bilag may be: PDF, Office documents (Microsoft's old and OOXML formats,
 * OpenDocument), and images (PNG, JPEG, GIF, TIFF, WebP). Never HTML, SVG or scripts. */
bool mime_allowed(const char *type);

#endif
