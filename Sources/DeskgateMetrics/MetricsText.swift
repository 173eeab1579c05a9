/// Writes the Prometheus text format: HELP and TYPE lines, then `name{label="value"} number`.
public struct MetricsText: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() { bytes.reserveCapacity(16 * 1024) }

    mutating func header(name: String, help: String, type: MetricType) {
        append("# HELP ")
        append(name)
        bytes.append(UInt8(ascii: " "))
        for byte in help.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            default: bytes.append(byte)
            }
        }
        append("\n# TYPE ")
        append(name)
        bytes.append(UInt8(ascii: " "))
        append(type.rawValue)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// One sample line. `labels` pairs names with values; `extra` is one more pair (a
    /// histogram's `le`) written last.
    public mutating func sample(_ name: String, suffix: String = "", labels: Labels = Labels(),
                                extra: (name: String, value: String)? = nil, value: Double) {
        append(name)
        append(suffix)
        if !labels.pairs.isEmpty || extra != nil {
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (label, labelValue) in labels.pairs {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                appendLabel(label, labelValue)
            }
            if let extra {
                if !first { bytes.append(UInt8(ascii: ",")) }
                appendLabel(extra.name, extra.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
        append(Self.format(value))
        bytes.append(UInt8(ascii: "\n"))
    }

    private mutating func appendLabel(_ name: String, _ value: String) {
        append(name)
        append("=\"")
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\n"): append("\\n")
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Integers without a fraction (counts are the common case), others as Swift prints them
    /// (shortest round-trip form, which Go's and Python's float parsers read back exactly).
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }
}

/// Label names and values of one series, in the order they are written.
public struct Labels: Sendable, Equatable {
    public var pairs: [(String, String)]

    public init(_ pairs: [(String, String)] = []) { self.pairs = pairs }

    public static func == (lhs: Labels, rhs: Labels) -> Bool {
        lhs.pairs.count == rhs.pairs.count && zip(lhs.pairs, rhs.pairs).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}
