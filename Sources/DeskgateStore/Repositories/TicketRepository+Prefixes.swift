import DeskgateSQL

extension TicketRepository {
    /// A prefix of more words than this is searched as a prefix: each word is one more doclist
    /// to seek for every ticket a walk probes.
    static let prefixExpansionLimit = 8

    /// SQLite: each prefix word of ASCII letters and digits with the words of the search
    /// documents it starts (migration 23's `ticket_words_terms`), when there are at most
    /// `prefixExpansionLimit`; nil when a prefix starts no word, so nothing can match.
    /// ASCII only: the index folds ASCII exactly as `lowercased()` does, and other letters as
    /// unicode61 does, which this code does not repeat; those stay prefixes, as do words of
    /// every tenant's documents (the index holds no tenant) beyond the limit.
    func expandingPrefixes(_ words: [SearchWord], on db: any SQLConnection) throws -> [SearchWord]? {
        guard db.dialect == .sqlite else { return words }
        var expanded = words
        for (index, word) in words.enumerated() where word.isPrefix {
            guard let stem = word.tokens?.first, let next = Self.asciiSuccessor(of: stem) else { continue }
            let found = try db.queryAll("""
                SELECT term FROM ticket_words_terms WHERE term >= ?1 AND term < ?2 ORDER BY term LIMIT ?3
                """, stem.lowercased(), next, Self.prefixExpansionLimit + 1) { $0.string(0) }
            if found.isEmpty { return nil }
            if found.count <= Self.prefixExpansionLimit { expanded[index].expansion = found }
        }
        return expanded
    }

    /// The first text after every word that starts with `stem` (lowercased): its last character
    /// moved up by one. Nil unless `stem` is ASCII letters and digits.
    static func asciiSuccessor(of stem: String) -> String? {
        var bytes = Array(stem.lowercased().utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }) else { return nil }
        bytes[bytes.count - 1] += 1
        return String(decoding: bytes, as: UTF8.self)
    }
}
