/// Bounds the parser enforces so a hostile request cannot exhaust the stack or memory.
public struct JSONLimits: Sendable {
    /// Arrays and objects nested deeper than this are rejected (`[[1]]` has depth 2).
    /// The parser recurses once per level, so this also bounds its stack use.
    public var maxDepth = 64
    /// Longest string (or key) after unescaping, in UTF-8 bytes.
    public var maxStringBytes = 1 << 20
    /// Longest number literal, in characters; stops "1e" followed by megabytes of digits.
    public var maxNumberLength = 100

    public init() {}
}
