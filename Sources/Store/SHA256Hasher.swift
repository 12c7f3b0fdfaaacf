import CCrypto

/// Incremental SHA-256, for hashing a value assembled from several parts without copying them together.
///
/// Uses OpenSSL's EVP interface (the `SHA256_*` functions are deprecated since OpenSSL 3). Each hasher owns one
/// `EVP_MD_CTX`, freed when the hasher ends; the algorithm itself is fetched once per process.
public struct SHA256Hasher: ~Copyable {
    private let context: OpaquePointer

    public init() {
        context = LibCrypto.check(EVP_MD_CTX_new(), "EVP_MD_CTX_new")
        LibCrypto.check(EVP_DigestInit_ex(context, LibCrypto.sha256, nil), "EVP_DigestInit_ex")
    }

    deinit { EVP_MD_CTX_free(context) }

    public mutating func update(_ data: UnsafeRawBufferPointer) {
        guard data.count > 0 else { return }
        LibCrypto.check(EVP_DigestUpdate(context, data.baseAddress, data.count), "EVP_DigestUpdate")
    }

    public mutating func update(_ data: [UInt8]) {
        data.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ string: String) {
        var s = string
        s.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    public consuming func finalize() -> Digest {
        var out: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &out) {
            LibCrypto.check(
                EVP_DigestFinal_ex(context, $0.baseAddress!.assumingMemoryBound(to: UInt8.self), nil),
                "EVP_DigestFinal_ex")
        }
        return withUnsafeBytes(of: out) { Digest(raw: $0) }
    }
}

/// The OpenSSL calls the store makes, with their results checked in one place.
enum LibCrypto {
    /// SHA-256, fetched from the default provider once: passing `EVP_sha256()` to every `EVP_DigestInit_ex` makes
    /// OpenSSL 3 look the implementation up again (locks, allocations), which tripled the cost of hashing an event.
    /// A fetched algorithm is immutable and may be shared by threads.
    nonisolated(unsafe) static let sha256: OpaquePointer = check(EVP_MD_fetch(nil, "SHA256", nil), "EVP_MD_fetch")

    /// Checks an EVP call's return code (1 is success).
    ///
    /// A failure stops the process: these calls fail only when memory runs out or libcrypto is broken, no caller
    /// can do anything else with a digest it cannot compute, and going on would record a wrong identity in an
    /// append-only log.
    static func check(_ returnCode: Int32, _ call: StaticString) {
        if returnCode != 1 { failed(call) }
    }

    /// Checks a call that returns an object (nil is failure), as `check(_:_:)` does a return code.
    static func check(_ object: OpaquePointer?, _ call: StaticString) -> OpaquePointer {
        guard let object else { failed(call) }
        return object
    }

    private static func failed(_ call: StaticString) -> Never {
        var text = [UInt8](repeating: 0, count: 256)
        text.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { ERR_error_string_n(ERR_get_error(), $0.baseAddress, $0.count) }
        }
        let reason = String(decoding: text.prefix { $0 != 0 }, as: UTF8.self)
        fatalError("OpenSSL \(call) failed: \(reason)")
    }
}
