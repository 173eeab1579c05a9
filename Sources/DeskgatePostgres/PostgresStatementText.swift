import DeskgateSQL

/// The store's SQL as PostgreSQL reads it: the store writes parameters SQLite's way, `?1`, `?2`,
/// … or a bare `?`, and PostgreSQL numbers them `$1`, `$2`, ….
///
/// Numbering follows SQLite, so one text means the same on both engines: `?N` is parameter N,
/// and a bare `?` takes the number after the largest so far (`?2, ?, ?1` is `$2, $3, $1`). A `?`
/// inside a string, a quoted identifier, a dollar quote or a comment is text and stays. There is
/// no escape for a literal `?` in code (`??` is two parameters), so PostgreSQL's `?` operators
/// (jsonb) are out of reach: call their functions instead (`jsonb_exists`).
struct PostgresStatementText: Sendable, Equatable {
    /// The statement with `$N` parameters.
    let text: String
    /// How many values it takes: the largest parameter number.
    let parameterCount: Int

    /// PostgreSQL's limit on a statement's parameters (the protocol counts them in 16 bits).
    static let maximumParameterNumber = 65_535

    init(rewriting sql: String) throws {
        let bytes = Array(sql.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 8)
        var copied = 0
        var largest = 0
        for range in SQLCode.ranges(in: bytes) {
            var i = range.lowerBound
            while i < range.upperBound {
                guard bytes[i] == UInt8(ascii: "?") else {
                    i += 1
                    continue
                }
                var end = i + 1
                var number = 0
                while end < range.upperBound && SQLCode.isDigit(bytes[end]) {
                    // Stop accumulating past the limit (no overflow); the check below refuses it.
                    if number <= Self.maximumParameterNumber { number = number * 10 + Int(bytes[end] - UInt8(ascii: "0")) }
                    end += 1
                }
                if end == i + 1 { number = largest + 1 }
                guard number >= 1 && number <= Self.maximumParameterNumber else {
                    let written = String(decoding: bytes[i..<end], as: UTF8.self)
                    throw StoreError.invalidInput("parameter \(written) is not between ?1 and ?\(Self.maximumParameterNumber) in: \(sql)")
                }
                largest = max(largest, number)
                output.append(contentsOf: bytes[copied..<i])
                // `a?1` is `a` then a parameter to SQLite, but `a$1` is one identifier to PostgreSQL.
                if i > 0 && SQLCode.isIdentifierByte(bytes[i - 1]) { output.append(UInt8(ascii: " ")) }
                output.append(UInt8(ascii: "$"))
                output.append(contentsOf: String(number).utf8)
                copied = end
                i = end
            }
        }
        output.append(contentsOf: bytes[copied...])
        text = String(decoding: output, as: UTF8.self)
        parameterCount = largest
    }
}
