import Foundation
@testable import DeskgateStore

/// A fresh directory per test, so tests run in parallel without sharing a database file.
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "deskgate-store-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var databasePath: String { path + "/nested/deskgate.sqlite" }
}
