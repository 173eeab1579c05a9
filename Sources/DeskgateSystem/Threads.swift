import CSys
#if canImport(Glibc)
import Glibc
#endif

/// Starts a detached OS thread running `body`.
///
/// State the thread owns is created inside `body`, so it never needs to be Sendable;
/// this box through `pthread_create` is the one place where that hand-off is unsafe.
public func spawnThread(name: String, _ body: @escaping @Sendable () -> Void) {
    final class Box: Sendable {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) { self.name = name; self.body = body }
    }
    let box = Unmanaged.passRetained(Box(name: name, body: body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { raw in
        let box = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! Box
        // Linux limits thread names to 15 bytes.
        _ = csys_set_thread_name(String(box.name.prefix(15)))
        box.body()
        return nil
    }, box)
    precondition(rc == 0, "pthread_create failed: \(rc)")
    pthread_detach(thread)
}

/// Number of CPUs this process may run on (honours affinity masks and cgroups' cpusets).
public var availableCores: Int { max(1, Int(csys_cpu_count())) }

/// Lowers the calling thread's CPU priority to `nice` (0 normal, 19 lowest): for background
/// upkeep that must not take a core from the threads that answer requests. Best effort.
public func lowerThreadPriority(nice: Int32) {
    _ = csys_lower_thread_priority(nice)
}
