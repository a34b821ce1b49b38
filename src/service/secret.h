/* Secret codes handed to citizens: an appeal's access code, a reception booking's
 * confirmation. Random Crockford base32 from libsodium's generator; only SHA-256 of
 * "salt:code" is stored, salted by what the code belongs to. */
#ifndef OT_SERVICE_SECRET_H
#define OT_SERVICE_SECRET_H

#include <stddef.h>

/* n characters (5 bits each) and a NUL into out. */
void secret_code(char *out, size_t n);

/* Lower-case hex SHA-256 of salt ":" code into out (65 bytes). */
void secret_hash(const char *salt, const char *code, char out[65]);

#endif
