/// A command's arguments split into positionals, options with values, and switches.
struct Arguments {
    var positional: [String] = []
    private var values: [String: [String]] = [:]
    private var switches: Set<String> = []

    /// `valueOptions` take a value (`--name N` or `--name=N`, repeatable); `switchOptions` do not.
    init(_ arguments: [String], valueOptions: Set<String> = [], switchOptions: Set<String> = []) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                positional += arguments[index...]
                break
            }
            guard argument.hasPrefix("--"), argument.count > 2 else {
                positional.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var inline: String?
            if let equals = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if switchOptions.contains(name) {
                guard inline == nil else { throw UsageError("--\(name) does not take a value") }
                switches.insert(name)
            } else if valueOptions.contains(name) {
                if let inline {
                    values[name, default: []].append(inline)
                } else if index < arguments.count {
                    values[name, default: []].append(arguments[index])
                    index += 1
                } else {
                    throw UsageError("--\(name) needs a value")
                }
            } else {
                throw UsageError("unknown option --\(name)")
            }
        }
    }

    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func has(_ name: String) -> Bool { switches.contains(name) }

    func required(_ name: String) throws -> String {
        guard let value = value(name) else { throw UsageError("--\(name) is required") }
        return value
    }

    func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = value(name) else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw UsageError("--\(name) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    /// Exactly `count` positionals, named for the error message.
    func positionals(_ names: String...) throws -> [String] {
        guard positional.count == names.count else {
            if positional.count < names.count { throw UsageError("missing \(names[positional.count])") }
            throw UsageError("unexpected argument '\(positional[names.count])'")
        }
        return positional
    }
}

/// Wrong command-line usage: exit status 2 with the message and a pointer to help.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
