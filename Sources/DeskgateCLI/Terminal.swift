import DeskgateSystem
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Where a command writes: stdout for results, stderr for errors and progress.
/// Tests substitute buffers; the real program writes straight to the descriptors.
public final class Terminal: Sendable {
    private struct Capture {
        var out: [String] = []
        var err: [String] = []
        var input: [String] = []
    }

    /// Nil for the real terminal; tests capture everything here.
    private let capture: Mutex<Capture?>
    public let interactive: Bool

    /// The process's own stdout, stderr and stdin.
    public static func standard() -> Terminal {
        Terminal(capture: nil, interactive: StandardIO.isTerminal(2))
    }

    /// Captures output in memory (tests), with `stdin` lines to read.
    public static func capturing(stdin: [String] = []) -> Terminal {
        Terminal(capture: Capture(input: stdin), interactive: false)
    }

    private init(capture: Capture?, interactive: Bool) {
        self.capture = Mutex(capture)
        self.interactive = interactive
    }

    public var capturedOutput: String { capture.withLock { $0?.out.joined() ?? "" } }
    public var capturedErrors: String { capture.withLock { $0?.err.joined() ?? "" } }

    public func print(_ line: String) { write(line + "\n", to: 1) }
    public func error(_ line: String) { write(line + "\n", to: 2) }

    /// Progress on a terminal: rewrites one line in place.
    public func progress(_ text: String) {
        guard interactive else { return }
        write("\r\u{1B}[2K" + text, to: 2)
    }

    public func readLine() -> String? {
        let captured = capture.withLock { capture -> (Bool, String?) in
            guard capture != nil else { return (false, nil) }
            return (true, capture!.input.isEmpty ? nil : capture!.input.removeFirst())
        }
        return captured.0 ? captured.1 : Swift.readLine(strippingNewline: true)
    }

    private func write(_ text: String, to fd: Int32) {
        let captured = capture.withLock { capture -> Bool in
            guard capture != nil else { return false }
            if fd == 1 { capture!.out.append(text) } else { capture!.err.append(text) }
            return true
        }
        if captured { return }
        Log.writeAll(Array(text.utf8), to: fd)
    }

    /// A JSON document on stdout, keys sorted so output is stable for scripts and tests.
    func printJSON(_ value: Any) {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            error("deskgate: could not encode output as JSON")
            return
        }
        print(String(decoding: data, as: UTF8.self))
    }

    /// A plain table with a header row, columns padded to fit.
    func printTable(_ header: [String], _ rows: [[String]]) {
        let widths = header.indices.map { column in
            ([header[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        print(line(header))
        for row in rows { print(line(row)) }
    }
}
