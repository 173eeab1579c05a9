import Glibc

/// Private key files: created 0600 regardless of umask, published atomically, and
/// refused on load when group or others can read them.
enum KeyFile {
    static func write(_ contents: String, to path: String, overwrite: Bool) throws(KeyError) {
        // Write a temporary sibling, fsync it, then link/rename into place, so a crash
        // never leaves a truncated key under the real name.
        let temporary = path + ".tmp-" + Hex.encode(SecureRandom.bytes(6))
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode_t(0o600))
        guard fd >= 0 else { throw .fileSystem(path: path, errno: errno) }
        // After a rename the temporary name is gone; after a link (or a failure) it must go.
        var renamed = false
        defer {
            if !renamed { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            // The mode given to open is masked by the umask; fchmod is not.
            guard fchmod(fd, 0o600) == 0 else { throw KeyError.fileSystem(path: path, errno: errno) }
            try writeAll(Array(contents.utf8), to: fd, path: path)
            guard fsync(fd) == 0 else { throw KeyError.fileSystem(path: path, errno: errno) }
        }
        if overwrite {
            guard rename(temporary, path) == 0 else { throw .fileSystem(path: path, errno: errno) }
            renamed = true
        } else {
            // link fails with EEXIST atomically, unlike a check-then-rename.
            guard link(temporary, path) == 0 else {
                let code = errno
                throw code == EEXIST ? .fileExists(path: path) : .fileSystem(path: path, errno: code)
            }
        }
        syncDirectory(of: path)
    }

    static func read(_ path: String, requirePrivateMode: Bool) throws(KeyError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .fileSystem(path: path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .fileSystem(path: path, errno: errno) }
        // Checked on the open descriptor, so the file cannot be swapped between check and read.
        if requirePrivateMode, info.st_mode & 0o077 != 0 {
            throw .insecureFilePermissions(path: path, mode: UInt32(info.st_mode & 0o7777))
        }
        guard info.st_size <= 1 << 20 else { throw .invalidPEM }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = Glibc.read(fd, &chunk, chunk.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw .fileSystem(path: path, errno: errno)
            }
            if n == 0 { break }
            contents += chunk.prefix(n)
            guard contents.count <= 1 << 20 else { throw .invalidPEM }
        }
        return String(decoding: contents, as: UTF8.self)
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(KeyError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .fileSystem(path: path, errno: errno)
            }
            offset += n
        }
    }

    /// Makes the new directory entry durable; best effort, as some filesystems refuse it.
    private static func syncDirectory(of path: String) {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
