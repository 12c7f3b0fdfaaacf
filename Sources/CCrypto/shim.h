#ifndef SMITHLOG_CCRYPTO_SHIM_H
#define SMITHLOG_CCRYPTO_SHIM_H
#include <openssl/sha.h>
#endif
