// The reference Argon2 library (Debian's libargon2-dev): argon2id password hashing for Store's accounts.
#include <argon2.h>
