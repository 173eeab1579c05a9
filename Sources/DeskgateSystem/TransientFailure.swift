/// An error after which nothing was done and the same request may simply be sent again
/// shortly: the database restarted, was unreachable or too busy. The HTTP layer answers it
/// with 503 and `Retry-After` instead of a 500, whichever handler it escaped from.
public protocol TransientFailure: Error {
    var isTransient: Bool { get }
}
