#ifndef EUCA_CLIBSSL_SHIM_H
#define EUCA_CLIBSSL_SHIM_H
// The OpenSSL 3 API only, as for CLibCrypto.
#define OPENSSL_API_COMPAT 30000
#define OPENSSL_NO_DEPRECATED 1

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

// These are macros over SSL_ctrl/SSL_CTX_ctrl in OpenSSL's headers, which Swift cannot call.
static inline int euca_ssl_set_sni(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}
static inline int euca_ssl_ctx_set_min_tls12(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}
#endif
