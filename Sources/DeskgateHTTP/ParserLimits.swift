/// Bounds on what one request may occupy; each has its own status when crossed.
public struct ParserLimits: Sendable, Equatable {
    /// Request line, including the target (414 beyond).
    public var maxRequestLineBytes: Int = 8192
    /// All header lines together, and separately the trailers of a chunked body (431 beyond).
    public var maxHeaderBytes: Int = 16384
    /// Header fields in one request (431 beyond).
    public var maxHeaderCount: Int = 100
    /// Decoded body (413 beyond).
    public var maxBodyBytes: Int = 1 << 20
    /// One chunk-size line with its extensions (400 beyond).
    public var maxChunkLineBytes: Int = 1024

    public init() {}

    public init(maxRequestLineBytes: Int = 8192, maxHeaderBytes: Int = 16384, maxHeaderCount: Int = 100,
                maxBodyBytes: Int = 1 << 20) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }
}
