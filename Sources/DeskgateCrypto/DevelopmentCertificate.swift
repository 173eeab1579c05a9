import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// A self-signed certificate for HTTPS on a developer's machine (`deskgate up --tls`): an EC
/// P-256 key, valid for localhost, 127.0.0.1 and ::1, for 90 days. Built with OpenSSL's X509
/// API; clients trust it by being pointed at the certificate file. Never for production.
public enum DevelopmentCertificate {
    public static let validityDays = 90
    static let subjectAltName = "DNS:localhost,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1"
    /// `MBSTRING_ASC` is `MBSTRING_FLAG | 1`, an expression Swift does not import.
    private static let mbstringASCII: Int32 = 0x1001

    /// Keeps the pair at these paths when it is still good (parses, the key matches, covers
    /// localhost, valid for at least another day), else writes a new one. Returns true when it wrote one.
    @discardableResult
    public static func ensure(certificatePath: String, keyPath: String) throws(KeyError) -> Bool {
        if isUsable(certificatePath: certificatePath, keyPath: keyPath) { return false }
        try generate(certificatePath: certificatePath, keyPath: keyPath)
        return true
    }

    public static func isUsable(certificatePath: String, keyPath: String) -> Bool {
        defer { OpenSSL.clearErrors() }
        guard let bio = BIO_new_file(certificatePath, "r") else { return false }
        defer { BIO_free(bio) }
        guard let certificate = PEM_read_bio_X509(bio, nil, nil, nil) else { return false }
        defer { X509_free(certificate) }
        var tomorrow = time(nil) + 86_400
        guard X509_cmp_time(X509_get0_notAfter(certificate), &tomorrow) > 0,
              X509_check_host(certificate, "localhost", 9, 0, nil) == 1,
              let pem = try? KeyFile.read(keyPath, requirePrivateMode: true),
              let key = try? EVPKey.fromPEM(pem, kind: .privateKey) else { return false }
        return X509_check_private_key(certificate, key.pointer) == 1
    }

    /// Writes a new key (mode 0600) and certificate, replacing what is there.
    public static func generate(certificatePath: String, keyPath: String) throws(KeyError) {
        let key = try EVPKey.generateP256()
        let pem = try certificatePEM(key: key)
        try KeyFile.write(key.pem(.privateKey), to: keyPath, overwrite: true)
        try KeyFile.write(pem, to: certificatePath, overwrite: true)
    }

    static func certificatePEM(key: EVPKey) throws(KeyError) -> String {
        defer { OpenSSL.clearErrors() }
        guard let certificate = X509_new() else { throw .generationFailed }
        defer { X509_free(certificate) }
        var serial = SecureRandom.bytes(16)
        serial[0] &= 0x7F
        guard X509_set_version(certificate, 2) == 1,
              let number = BN_bin2bn(serial, Int32(serial.count), nil) else { throw .generationFailed }
        defer { BN_free(number) }
        guard BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate)) != nil,
              // Five minutes back, for clocks a little behind.
              X509_gmtime_adj(X509_getm_notBefore(certificate), -300) != nil,
              X509_gmtime_adj(X509_getm_notAfter(certificate), validityDays * 86_400) != nil,
              X509_set_pubkey(certificate, key.pointer) == 1,
              let name = X509_get_subject_name(certificate),
              X509_NAME_add_entry_by_txt(name, "O", mbstringASCII, "Deskgate development", -1, -1, 0) == 1,
              X509_NAME_add_entry_by_txt(name, "CN", mbstringASCII, "localhost", -1, -1, 0) == 1,
              X509_set_issuer_name(certificate, name) == 1 else { throw .generationFailed }
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, certificate, certificate, nil, nil, 0)
        // The subject key identifier must exist before the authority key identifier points at it.
        let extensions: [(Int32, String)] = [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, "critical,digitalSignature"),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_key_identifier, "hash"),
            (NID_authority_key_identifier, "keyid:always"),
            (NID_subject_alt_name, subjectAltName),
        ]
        for (nid, value) in extensions {
            guard let made = X509V3_EXT_conf_nid(nil, &context, nid, value) else { throw .generationFailed }
            defer { X509_EXTENSION_free(made) }
            guard X509_add_ext(certificate, made, -1) == 1 else { throw .generationFailed }
        }
        guard X509_sign(certificate, key.pointer, OpenSSL.sha256) > 0,
              let bio = BIO_new(BIO_s_mem()) else { throw .generationFailed }
        defer { BIO_free(bio) }
        guard PEM_write_bio_X509(bio, certificate) == 1 else { throw .generationFailed }
        var data: UnsafeMutablePointer<CChar>?
        let length = shim_BIO_get_mem_data(bio, &data)
        guard let data, length > 0 else { throw .generationFailed }
        return UnsafeRawBufferPointer(start: data, count: length).withMemoryRebound(to: UInt8.self) {
            String(decoding: $0, as: UTF8.self)
        }
    }
}
