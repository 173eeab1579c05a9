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
#endif
