import DeskgateJSON
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
    /// Text on stdout as it is (an export's lines carry their own line ends).
    public func output(_ text: String) { write(text, to: 1) }

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
        guard let document = Self.jsonValue(value) else {
            error("deskgate: could not encode output as JSON")
            return
        }
        print(document.text)
    }

    /// The commands describe their output as plain Swift values (dictionaries, arrays, strings,
    /// numbers, optionals, NSNull); this turns them into a document with sorted keys.
    static func jsonValue(_ value: Any) -> JSONValue? {
        switch value {
        case is NSNull: return .null
        case let text as String: return .string(text)
        case let flag as Bool: return .bool(flag)
        case let number as Int: return .number(JSONNumber(number))
        case let number as Int64: return .number(JSONNumber(Int(number)))
        case let number as Int32: return .number(JSONNumber(Int(number)))
        case let number as Double: return number.isFinite ? .number(JSONNumber(number)) : nil
        case let items as [Any]:
            var array: [JSONValue] = []
            for item in items {
                guard let element = jsonValue(item) else { return nil }
                array.append(element)
            }
            return .array(array)
        case let members as [String: Any]:
            var object = JSONObject()
            for key in members.keys.sorted() {
                guard let member = jsonValue(members[key]!) else { return nil }
                object[key] = member
            }
            return .object(object)
        default:
            // An optional boxed in `Any` (`value as Any`): nil is null, otherwise its content.
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .optional else { return nil }
            guard let wrapped = mirror.children.first?.value else { return .null }
            return jsonValue(wrapped)
        }
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
