/// What the HTTP exchange reads from and writes to: a plain TCP connection (development
/// loopback documents) or TLS over one.
protocol ByteStream: AnyObject {
    func write(_ bytes: [UInt8], deadline: FetchDeadline) throws(ClientMetadataError)
    /// Up to `maxCount` bytes; an empty array means the peer closed the stream cleanly.
    func read(maxCount: Int, deadline: FetchDeadline) throws(ClientMetadataError) -> [UInt8]
}
