#ifndef SMITHLOG_CCRYPTO_SHIM_H
#define SMITHLOG_CCRYPTO_SHIM_H
// SHA-256 through the EVP interface: the SHA256_* functions are deprecated since OpenSSL 3.
#include <openssl/err.h>
#include <openssl/evp.h>
#endif
