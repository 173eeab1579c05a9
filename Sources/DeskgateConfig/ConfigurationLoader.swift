import DeskgateJSON
import Foundation

/// Which program is loading: server flags such as `--port` apply to that server's section.
public enum Program: String, Sendable {
    case auth = "deskgate-auth"
    case mcp = "deskgate-mcp"
    case cli = "deskgate"
}

/// A setting that could not be applied, named the way the operator wrote it.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Builds a `DeskgateConfiguration`: defaults < config file < environment < flags.
public enum ConfigurationLoader {
    /// Returns the configuration and the arguments that were not configuration flags
    /// (the CLI's command and its own options).
    public static func load(program: Program, arguments: [String],
                            environment: [String: String]) throws -> (DeskgateConfiguration, [String]) {
        var configuration = DeskgateConfiguration()
        let (flags, rest) = try splitFlags(arguments, program: program)

        if let path = flags["config"] ?? environment["DESKGATE_CONFIG"] {
            for (key, value) in try readFile(path) {
                guard let setting = SettingsTable.byFileKey[key] else {
                    throw ConfigurationError("\(path): unknown setting '\(key)'")
                }
                try setting.apply(&configuration, value, "\(key) in \(path)")
            }
        }
        for setting in SettingsTable.all {
            if let variable = setting.environment, let value = environment[variable] {
                try setting.apply(&configuration, value, variable)
            }
        }
        for (name, value) in flags where name != "config" {
            let key = SettingsTable.fileKey(forFlag: name, program: program)
            guard let key, let setting = SettingsTable.byFileKey[key] else { continue }
            try setting.apply(&configuration, value, "--\(name)")
        }
        try checkTLSPairs(configuration.auth, section: "auth")
        try checkTLSPairs(configuration.mcp, section: "mcp")
        return (configuration, rest)
    }

    /// Certificates and keys come in pairs: the n-th key belongs to the n-th certificate.
    static func checkTLSPairs(_ settings: ServerSettings, section: String) throws {
        let certificates = settings.tlsCertificateFiles.count, keys = settings.tlsKeyFiles.count
        guard certificates != keys else { return }
        throw ConfigurationError("\(section).tls_cert names \(certificates) certificate file(s) and \(section).tls_key "
                                 + "\(keys) key file(s): give them in pairs (--tls-cert FILE --tls-key FILE)")
    }

    /// Pulls out `--name value` / `--name=value` for configuration flags; leaves everything else.
    static let repeatable: Set<String> = ["tls-cert", "tls-key"]

    static func splitFlags(_ arguments: [String], program: Program) throws -> ([String: String], [String]) {
        var flags: [String: String] = [:]
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else {
                rest.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard name == "config" || SettingsTable.fileKey(forFlag: name, program: program) != nil else {
                rest.append(argument)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else if index < arguments.count {
                value = arguments[index]
                index += 1
            } else {
                throw ConfigurationError("--\(name) needs a value")
            }
            // `--tls-cert A --tls-key A.key --tls-cert B --tls-key B.key`: repeated, they add up.
            if repeatable.contains(name), let earlier = flags[name] {
                flags[name] = earlier + "," + value
            } else {
                flags[name] = value
            }
        }
        return (flags, rest)
    }

    /// The config file flattened to dotted keys (`auth.port`), values as text.
    static func readFile(_ path: String) throws -> [(String, String)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("cannot read config file \(path)")
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(Array(data))
        } catch {
            throw ConfigurationError("\(path) is not valid JSON")
        }
        guard case .object(let root) = document else {
            throw ConfigurationError("\(path) must contain a JSON object")
        }
        var pairs: [(String, String)] = []
        func flatten(_ value: JSONValue, prefix: String) throws {
            switch value {
            case .object(let members):
                for (key, inner) in members where !key.hasPrefix("_") {
                    try flatten(inner, prefix: prefix.isEmpty ? key : "\(prefix).\(key)")
                }
            case .null:
                break
            case .bool(let flag):
                pairs.append((prefix, flag ? "true" : "false"))
            case .number(let number):
                pairs.append((prefix, number.text))
            case .string(let text):
                pairs.append((prefix, text))
            case .array:
                throw ConfigurationError("\(path): '\(prefix)' must be a string, number or boolean")
            }
        }
        try flatten(.object(root), prefix: "")
        return pairs.sorted { $0.0 < $1.0 }
    }
}
