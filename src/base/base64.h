/*
 * base64.h -- Base64 (RFC 4648, standard alphabet, with padding), for the
 * data: URIs of the HTML report.
 */
#ifndef ENT_BASE64_H
#define ENT_BASE64_H

#include "base/util.h"

/* Base64 of data[0..len) appended to b. */
ENT_LOCAL void ent_base64_append(ent_strbuf *b, const unsigned char *data,
                                 size_t len);

#endif /* ENT_BASE64_H */
