#ifndef DESKGATE_COPENSSL_SHIM_H
#define DESKGATE_COPENSSL_SHIM_H
// Hide every API deprecated as of OpenSSL 3.0 (EC_KEY_*, SHA256_Init, ...) so nobody uses one by accident.
#define OPENSSL_API_COMPAT 30000
#define OPENSSL_NO_DEPRECATED 1
#include <openssl/opensslv.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/ssl.h>

// Function-like macros and macro constants Swift cannot import.
static inline long shim_BIO_get_mem_data(BIO *b, char **pp) { return BIO_get_mem_data(b, pp); }
static const int shim_EVP_PKEY_PUBLIC_KEY = EVP_PKEY_PUBLIC_KEY;
static const int shim_EVP_PKEY_KEYPAIR = EVP_PKEY_KEYPAIR;
static const unsigned long shim_OPENSSL_VERSION_NUMBER = OPENSSL_VERSION_NUMBER;

// TLS server: macros over SSL_CTX_ctrl / SSL_CTX_callback_ctrl, and SSL_OP_* (SSL_OP_BIT(n)).
static inline int shim_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int v) { return (int)SSL_CTX_set_min_proto_version(ctx, v); }
static inline int shim_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int v) { return (int)SSL_CTX_set_max_proto_version(ctx, v); }
static inline long shim_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
static inline long shim_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_session_cache_mode(ctx, mode); }
static inline long shim_SSL_CTX_sess_set_cache_size(SSL_CTX *ctx, long size) { return SSL_CTX_sess_set_cache_size(ctx, size); }
static inline long shim_SSL_CTX_set_tlsext_servername_callback(SSL_CTX *ctx, int (*cb)(SSL *, int *, void *)) {
    return SSL_CTX_set_tlsext_servername_callback(ctx, cb);
}
static inline long shim_SSL_CTX_set_tlsext_servername_arg(SSL_CTX *ctx, void *arg) { return SSL_CTX_set_tlsext_servername_arg(ctx, arg); }
static inline long shim_SSL_CTX_set_read_ahead(SSL_CTX *ctx, long yes) { return SSL_CTX_set_read_ahead(ctx, yes); }
static inline int shim_SSL_session_reused(const SSL *s) { return (int)SSL_session_reused(s); }
static const uint64_t shim_SSL_OP_NO_COMPRESSION = SSL_OP_NO_COMPRESSION;
static const uint64_t shim_SSL_OP_NO_RENEGOTIATION = SSL_OP_NO_RENEGOTIATION;
static const uint64_t shim_SSL_OP_IGNORE_UNEXPECTED_EOF = SSL_OP_IGNORE_UNEXPECTED_EOF;
static const uint64_t shim_SSL_OP_CIPHER_SERVER_PREFERENCE = SSL_OP_CIPHER_SERVER_PREFERENCE;
static const uint64_t shim_SSL_OP_NO_TLSv1_3 = SSL_OP_NO_TLSv1_3;
// Certificates (deskgate up --tls): stack macros of GENERAL_NAMES.
static inline int shim_sk_GENERAL_NAME_num(const GENERAL_NAMES *names) { return sk_GENERAL_NAME_num(names); }
static inline GENERAL_NAME *shim_sk_GENERAL_NAME_value(const GENERAL_NAMES *names, int i) { return sk_GENERAL_NAME_value(names, i); }
static inline const unsigned char *shim_GENERAL_NAME_dns(const GENERAL_NAME *name, int *length) {
    if (name->type != GEN_DNS) return NULL;
    *length = ASN1_STRING_length(name->d.dNSName);
    return ASN1_STRING_get0_data(name->d.dNSName);
}
#endif
