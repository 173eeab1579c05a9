import DeskgateCLI
import Foundation
import Testing

/// Drives the CLI in-process, as an operator would type it, against a fresh database.
final class CLIWorkspace {
    let directory: String
    var database: String { directory + "/var/deskgate.sqlite" }

    init() {
        directory = NSTemporaryDirectory() + "deskgate-cli-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    struct Outcome {
        let status: Int32
        let out: String
        let err: String
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(out.utf8)) }
    }

    func run(_ arguments: String..., stdin: [String] = []) -> Outcome {
        let terminal = Terminal.capturing(stdin: stdin)
        let status = CLI.run(arguments: ["--database", database, "--keys", directory + "/keys"] + arguments,
                             environment: [:], terminal: terminal)
        return Outcome(status: status, out: terminal.capturedOutput, err: terminal.capturedErrors)
    }
}

@Suite("Operator CLI")
struct CLITests {
    @Test func initCreatesDatabaseAndPrivateKeyOnce() throws {
        let workspace = CLIWorkspace()
        let first = workspace.run("--json", "init")
        #expect(first.status == 0)
        let created = try #require(first.json as? [String: Any])
        #expect(created["key_created"] as? Bool == true)
        let keyFile = try #require(created["key_file"] as? String)
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let second = try #require(workspace.run("--json", "init").json as? [String: Any])
        #expect(second["key_created"] as? Bool == false)
        #expect(second["key_id"] as? String == created["key_id"] as? String)
        let keys = try #require(workspace.run("--json", "keys", "list").json as? [[String: Any]])
        #expect(keys.map { $0["kid"] as? String } == [created["key_id"] as? String])
    }

    @Test func commandsOtherThanInitRefuseAMissingDatabase() {
        let outcome = CLIWorkspace().run("tenant", "list")
        #expect(outcome.status == 1)
        #expect(outcome.err.contains("run 'deskgate init' first"))
    }

    @Test func tenantLifecycle() throws {
        let workspace = CLIWorkspace()
        #expect(workspace.run("init").status == 0)
        #expect(workspace.run("tenant", "create", "globex", "--name", "Globex Corp").status == 0)
        let duplicate = workspace.run("tenant", "create", "globex", "--name", "Again")
        #expect(duplicate.status == 1)
        #expect(duplicate.err.contains("already exists"))
        let badSlug = workspace.run("tenant", "create", "Not A Slug", "--name", "x")
        #expect(badSlug.status == 1)
        #expect(badSlug.err.contains("slug"))
        #expect(workspace.run("tenant", "suspend", "globex").status == 0)
        let list = try #require(workspace.run("--json", "tenant", "list").json as? [[String: Any]])
        #expect(list.count == 1)
        #expect(list[0]["status"] as? String == "suspended")
        #expect(workspace.run("tenant", "resume", "globex").status == 0)
        #expect(workspace.run("tenant", "suspend", "nobody").status == 1)
    }

    @Test func usersAndDepartments() throws {
        let workspace = CLIWorkspace()
        #expect(workspace.run("init").status == 0)
        #expect(workspace.run("tenant", "create", "acme", "--name", "Acme").status == 0)
        #expect(workspace.run("department", "create", "--tenant", "acme", "Support").status == 0)
        let created = workspace.run("--json", "user", "create", "--tenant", "acme", "--email", "Dana@Acme.Test", "--name", "Dana",
                                    "--role", "agent", "--department", "Support", "--password-stdin",
                                    stdin: ["correct horse battery"])
        #expect(created.status == 0)
        let user = try #require(created.json as? [String: Any])
        #expect(user["email"] as? String == "dana@acme.test")
        #expect(user["has_password"] as? Bool == true)
        #expect(user["departments"] as? [String] == ["Support"])

        let unknownDepartment = workspace.run("user", "create", "--tenant", "acme", "--email", "x@acme.test", "--name", "X",
                                              "--role", "agent", "--department", "Nope")
        #expect(unknownDepartment.status == 1)
        #expect(unknownDepartment.err.contains("no department named 'Nope'"))
        let badRole = workspace.run("user", "create", "--tenant", "acme", "--email", "x@acme.test", "--name", "X", "--role", "boss")
        #expect(badRole.status == 2)
        let shortPassword = workspace.run("user", "create", "--tenant", "acme", "--email", "y@acme.test", "--name", "Y",
                                          "--role", "viewer", "--password-stdin", stdin: ["short"])
        #expect(shortPassword.status == 1)
        #expect(shortPassword.err.contains("password"))

        // The profile: given parts change, "" clears one, absent ones stay; a bad part changes nothing.
        let updated = workspace.run("--json", "user", "update", "--tenant", "acme", "--email", "dana@acme.test",
                                    "--alias", "Danny", "--lang", "en", "--phone", "+1 555 0100")
        #expect(updated.status == 0)
        let profile = try #require(updated.json as? [String: Any])
        #expect(profile["alias"] as? String == "Danny" && profile["lang"] as? String == "en" && profile["phone"] as? String == "+1 555 0100")
        let cleared = try #require(workspace.run("--json", "user", "update", "--tenant", "acme", "--email", "dana@acme.test",
                                                 "--alias", "").json as? [String: Any])
        #expect(cleared["alias"] is NSNull && cleared["lang"] as? String == "en")
        let badLang = workspace.run("user", "update", "--tenant", "acme", "--email", "dana@acme.test", "--lang", "klingon!")
        #expect(badLang.status == 1 && badLang.err.contains("lang"))
        #expect(workspace.run("user", "update", "--tenant", "acme", "--email", "dana@acme.test").status == 2)
        #expect(workspace.run("user", "update", "--tenant", "acme", "--email", "nobody@acme.test", "--alias", "x").status == 1)

        let users = try #require(workspace.run("--json", "user", "list", "--tenant", "acme").json as? [[String: Any]])
        #expect(users.map { $0["email"] as? String } == ["dana@acme.test"])
        #expect(workspace.run("user", "list", "--tenant", "other").status == 1)
    }

    @Test func demoTenantHasEveryStatusAndALogin() throws {
        let workspace = CLIWorkspace()
        let outcome = workspace.run("--json", "demo", "--tickets", "300")
        #expect(outcome.status == 0)
        let summary = try #require(outcome.json as? [String: Any])
        #expect(summary["tickets"] as? Int == 300)
        #expect(summary["agents"] as? Int == 6)
        let login = try #require(summary["login"] as? [String: String])
        #expect(login["email"] == "admin@acme.test")
        let users = try #require(workspace.run("--json", "user", "list", "--tenant", "acme").json as? [[String: Any]])
        #expect(Set(users.compactMap { $0["role"] as? String }) == ["admin", "agent", "viewer"])
        #expect(Set(users.flatMap { $0["departments"] as? [String] ?? [] }) == ["Support", "Billing", "IT"])
        #expect(workspace.run("demo").status == 1)
    }

    @Test func usageErrorsExitWithTwo() {
        let workspace = CLIWorkspace()
        #expect(workspace.run("frobnicate").status == 2)
        #expect(workspace.run("tenant", "create", "x1", "--bogus", "y").status == 2)
        #expect(workspace.run("--json", "help").status == 0)
    }
}

import DeskgateSystem

@Suite("Timestamps")
struct TimestampTests {
    @Test(arguments: [
        (0 as Int64, "1970-01-01T00:00:00.000Z"), (1_793_525_400_250, "2026-11-01T09:30:00.250Z"),
        (-1, "1969-12-31T23:59:59.999Z"), (951_782_400_000, "2000-02-29T00:00:00.000Z"),
    ])
    func milliseconds(_ value: Int64, _ expected: String) {
        #expect(Timestamp.iso8601(milliseconds: value) == expected)
    }

    @Test func seconds() {
        #expect(Timestamp.iso8601(seconds: 1_793_525_400) == "2026-11-01T09:30:00Z")
    }

    /// The calendar arithmetic against libc's `gmtime_r` (what the formatter used before), from
    /// year 1 to 9999 and past it, leap days and the turns of centuries included.
    @Test func agreesWithGmtime() {
        func reference(_ milliseconds: Int64) -> String {
            var seconds = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
            let millis = Int(milliseconds - Int64(seconds) * 1000)
            var parts = tm()
            gmtime_r(&seconds, &parts)
            return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900,
                          Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min),
                          Int(parts.tm_sec), millis)
        }
        let day: Int64 = 86_400_000
        var samples: [Int64] = [0, -1, 1, day - 1, -day, -62_135_596_800_000, 253_402_300_799_999,
                                951_782_400_000 - 1, 951_782_400_000, 4_107_542_400_000, 4_107_542_400_000 - 1]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 { samples.append(Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &generator)) }
        // Every day of one 400-year cycle, at noon and a millisecond before midnight.
        for d in stride(from: Int64(-146_097), to: 146_097, by: 1) where d % 7 == 0 || abs(d) < 800 {
            samples.append(d * day + day / 2)
            samples.append(d * day + day - 1)
        }
        for value in samples where Timestamp.iso8601(milliseconds: value) != reference(value) {
            Issue.record("\(value): \(Timestamp.iso8601(milliseconds: value)) != \(reference(value))")
            return
        }
    }

    @Test(arguments: [
        ("2026-12-06T22:52:00.000Z", 2, "2028-12-06T22:52:00.000Z"),   // 731 days: 2028-02-29 between
        ("2028-03-01T00:00:00.000Z", 2, "2030-03-01T00:00:00.000Z"),   // 730 days: no 29 February between
        ("2028-02-29T12:00:00.500Z", 2, "2030-02-28T12:00:00.500Z"),   // a leap day lands on the 28th
        ("2028-02-29T12:00:00.000Z", 4, "2032-02-29T12:00:00.000Z"),
        ("1999-12-31T23:59:59.999Z", 1, "2000-12-31T23:59:59.999Z"),
        ("1969-07-20T20:17:40.000Z", 2, "1971-07-20T20:17:40.000Z"),
    ])
    func calendarYears(_ start: String, _ years: Int, _ expected: String) throws {
        let milliseconds = try #require(Self.milliseconds(start))
        #expect(Timestamp.iso8601(milliseconds: Timestamp.addingCalendarYears(years, to: milliseconds)) == expected)
    }

    /// Against libc: `gmtime_r`, the year moved, 29 February clamped, `timegm` back.
    @Test func calendarYearsAgreeWithTimegm() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let milliseconds = Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &generator)
            var seconds = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
            let millis = milliseconds - Int64(seconds) * 1000
            var parts = tm()
            gmtime_r(&seconds, &parts)
            parts.tm_year += 2
            let year = Int(parts.tm_year) + 1900
            if parts.tm_mon == 1 && parts.tm_mday == 29 && !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) {
                parts.tm_mday = 28
            }
            let expected = Int64(timegm(&parts)) * 1000 + millis
            guard Timestamp.addingCalendarYears(2, to: milliseconds) == expected else {
                Issue.record("\(milliseconds): \(Timestamp.addingCalendarYears(2, to: milliseconds)) != \(expected)")
                return
            }
        }
    }

    /// Reads this file's own `YYYY-MM-DDTHH:MM:SS.mmmZ` by position, and `timegm` turns it into time.
    static func milliseconds(_ text: String) -> Int64? {
        let characters = Array(text)
        func number(_ start: Int, _ count: Int) -> Int32? { Int32(String(characters[start..<start + count])) }
        guard characters.count == 24, let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              let millis = number(20, 3) else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Int64(timegm(&parts)) * 1000 + Int64(millis)
    }

    @Test func inlineTextHasTheStringsBytes() {
        let text = ISO8601Text(milliseconds: 1_793_525_400_250)
        #expect(text.withBytes { Array($0) } == Array("2026-11-01T09:30:00.250Z".utf8))
        #expect(ISO8601Text(milliseconds: 1_793_525_400_250, withMilliseconds: false).string == "2026-11-01T09:30:00Z")
    }
}

@Suite("Operator CLI: tenant hosts")
struct TenantHostCommandTests {
    @Test func addListRemoveAndErrors() throws {
        let workspace = CLIWorkspace()
        #expect(workspace.run("init").status == 0)
        #expect(workspace.run("tenant", "create", "acme", "--name", "Acme").status == 0)
        #expect(workspace.run("tenant", "create", "globex", "--name", "Globex").status == 0)

        let added = try #require(workspace.run("--json", "tenant", "host", "add", "acme", "Help.Acme.Example").json as? [String: Any])
        #expect(added["host"] as? String == "help.acme.example")
        #expect(added["tenant"] as? String == "acme")
        #expect(workspace.run("tenant", "host", "add", "globex", "support.globex.example").status == 0)

        let all = try #require(workspace.run("--json", "tenant", "host", "list").json as? [[String: Any]])
        #expect(all.map { $0["host"] as? String } == ["help.acme.example", "support.globex.example"])
        let acme = try #require(workspace.run("--json", "tenant", "host", "list", "acme").json as? [[String: Any]])
        #expect(acme.map { $0["host"] as? String } == ["help.acme.example"])
        #expect(workspace.run("tenant", "host", "list").out.contains("support.globex.example"))

        let taken = workspace.run("tenant", "host", "add", "globex", "help.acme.example")
        #expect(taken.status == 1)
        #expect(taken.err.contains("already belongs to tenant 'acme'"))
        let bad = workspace.run("tenant", "host", "add", "acme", "127.0.0.1")
        #expect(bad.status == 1)
        #expect(bad.err.contains("host: must not be an IP address"))
        let port = workspace.run("tenant", "host", "add", "acme", "help.acme.example:8443")
        #expect(port.status == 1 && port.err.contains("port"))
        let unknown = workspace.run("tenant", "host", "add", "nobody", "x.example")
        #expect(unknown.status == 1)
        #expect(unknown.err.contains("tenant 'nobody' not found"))
        #expect(workspace.run("tenant", "host", "list", "nobody").status == 1)
        let notHeld = workspace.run("tenant", "host", "remove", "globex", "help.acme.example")
        #expect(notHeld.status == 1 && notHeld.err.contains("not found"))

        #expect(workspace.run("tenant", "host", "add", "acme").status == 2)
        #expect(workspace.run("tenant", "host", "frob").status == 2)

        let removed = try #require(workspace.run("--json", "tenant", "host", "remove", "acme", "HELP.acme.example").json
                                   as? [String: Any])
        #expect(removed["removed"] as? Bool == true)
        let after = try #require(workspace.run("--json", "tenant", "host", "list", "acme").json as? [[String: Any]])
        #expect(after.isEmpty)
    }
}
