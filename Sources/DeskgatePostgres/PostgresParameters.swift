import DeskgateSQL

/// A statement's bound values as libpq takes them: per parameter a type, a format and bytes.
///
/// Each value states its type (`SQLValue.integer` is int8, `.real` float8, `.text` text, `.blob`
/// bytea, NULL unspecified): the store's SQL was written for SQLite, where a value's type comes
/// from the value, so PostgreSQL must not guess it from context (`?1 + 1` would otherwise be
/// integer, and `pg_typeof(?1)` unknown). Blobs go in binary format, as their bytes; everything
/// else in text format, which for text is the UTF-8 itself.
struct PostgresParameters {
    /// Type OIDs, one per parameter; 0 lets the server infer it (NULL has no type of its own).
    private(set) var types: [UInt32] = []
    private var formats: [Int32] = []
    private var lengths: [Int32] = []
    /// Where each value starts in `bytes`; nil is SQL NULL.
    private var offsets: [Int?] = []
    /// Every value back to back, text ones NUL-terminated as libpq reads them.
    private var bytes: [UInt8] = []

    static let int8: UInt32 = 20
    static let float8: UInt32 = 701
    static let text: UInt32 = 25
    static let bytea: UInt32 = 17

    init(_ bindings: [any SQLBindable]) throws {
        types.reserveCapacity(bindings.count)
        for (index, binding) in bindings.enumerated() {
            switch binding.sqlValue {
            case .null:
                append(type: 0, format: 0, value: nil)
            case .integer(let value):
                append(type: Self.int8, format: 0, value: Array(String(value).utf8))
            case .real(let value):
                append(type: Self.float8, format: 0, value: Array(Self.float8Text(value).utf8))
            case .text(let value):
                // Text format ends at the first NUL, and PostgreSQL text cannot hold one anyway:
                // refuse rather than store a silently shortened value.
                guard !value.utf8.contains(0) else {
                    throw StoreError.invalidInput("text parameter ?\(index + 1) contains a NUL character, which PostgreSQL text cannot store")
                }
                append(type: Self.text, format: 0, value: Array(value.utf8))
            case .blob(let value):
                append(type: Self.bytea, format: 1, value: value)
            }
        }
        // Keeps every offset inside the buffer, even that of an empty last value.
        bytes.append(0)
    }

    var count: Int { types.count }

    /// float8's input spelling: Swift writes the shortest text that reads back exactly, except
    /// for the special values, which PostgreSQL spells its own way.
    static func float8Text(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return value.description
    }

    private mutating func append(type: UInt32, format: Int32, value: [UInt8]?) {
        types.append(type)
        formats.append(format)
        lengths.append(Int32(value?.count ?? 0))
        offsets.append(value.map { _ in bytes.count })
        if let value {
            bytes.append(contentsOf: value)
            // libpq reads text-format values up to a NUL; binary ones by length (an empty blob
            // must still be a non-NULL pointer, or it would be SQL NULL).
            if format == 0 { bytes.append(0) }
        }
    }

    /// Calls `body` with libpq's parallel arrays: values (NULL pointer for SQL NULL), lengths,
    /// formats. They are valid only during the call.
    func withLibpqArrays<T>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> T) -> T {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                let base = characters.baseAddress!
                let values: [UnsafePointer<CChar>?] = offsets.map { $0.map { base + $0 } }
                return values.withUnsafeBufferPointer { values in
                    lengths.withUnsafeBufferPointer { lengths in
                        formats.withUnsafeBufferPointer { formats in
                            body(values.baseAddress, lengths.baseAddress, formats.baseAddress)
                        }
                    }
                }
            }
        }
    }
}
