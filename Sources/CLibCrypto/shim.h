#ifndef EUCA_CLIBCRYPTO_SHIM_H
#define EUCA_CLIBCRYPTO_SHIM_H
// Only the OpenSSL 3 API may compile: anything deprecated in 3.0 is hidden, so a wrapper
// cannot quietly fall back to the legacy RSA_*/HMAC_CTX_* interfaces.
#define OPENSSL_API_COMPAT 30000
#define OPENSSL_NO_DEPRECATED 1

#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rsa.h>
#include <openssl/crypto.h>

#endif
