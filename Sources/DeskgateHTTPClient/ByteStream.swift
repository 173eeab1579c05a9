/// What an HTTP exchange reads from and writes to: a plain TCP connection or TLS over one.
public protocol ByteStream: AnyObject {
    func write(_ bytes: [UInt8], deadline: FetchDeadline) throws(HTTPClientError)
    /// Up to `maxCount` bytes; an empty array means the peer closed the stream cleanly.
    func read(maxCount: Int, deadline: FetchDeadline) throws(HTTPClientError) -> [UInt8]
}
