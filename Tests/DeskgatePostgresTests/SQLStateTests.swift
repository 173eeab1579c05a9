import DeskgateSQL
import Testing
@testable import DeskgatePostgres

/// SQLSTATEs packed into StoreError's Int32 code and back, and which StoreError each becomes.
@Suite struct SQLStateTests {
    static let packed: [(text: String, code: Int32)] = [
        ("00000", 0),
        ("00001", 1),
        ("0000Z", 35),
        ("00010", 36),
        ("23505", 3_505_685),  // 2·36⁴ + 3·36³ + 5·36² + 0·36 + 5
        ("ZZZZZ", 60_466_175),  // 36⁵ - 1, the largest
    ]

    @Test(arguments: packed)
    func packsInBase36(_ example: (text: String, code: Int32)) throws {
        let state = try #require(SQLState(example.text))
        #expect(state.code == example.code)
        #expect(SQLState(code: example.code) == state)
    }

    @Test func everyStateTheConnectionMapsRoundTrips() throws {
        for text in ["23505", "23503", "40001", "40P01", "55P03", "08006", "57P01", "22P02", "0A000", "26000", "25P02", "42601", "XX000"] {
            let state = try #require(SQLState(text))
            #expect(SQLState(code: state.code)?.text == text)
            #expect(state.errorClass == text.prefix(2))
        }
    }

    @Test func refusesWhatIsNoSQLState() {
        for text in ["", "2350", "235050", "2350a", "23 05", "2350É"] { #expect(SQLState(text) == nil) }
        for code: Int32 in [SQLState.noStateCode, -5, 60_466_176, .max] { #expect(SQLState(code: code) == nil) }
    }

    enum Kind: Equatable { case constraint, busy, unavailable, invalidInput, engine }

    static let classified: [(state: String?, connectionLost: Bool, kind: Kind)] = [
        ("23505", false, .constraint), ("23503", false, .constraint), ("23502", false, .constraint), ("23514", false, .constraint),
        ("40001", false, .busy), ("40P01", false, .busy), ("55P03", false, .busy),
        ("08006", false, .unavailable), ("08001", false, .unavailable), ("57P01", false, .unavailable),
        ("22P02", false, .invalidInput), ("22003", false, .invalidInput), ("22012", false, .invalidInput),
        ("42601", false, .engine), ("0A000", false, .engine), ("25P02", false, .engine), ("XX000", false, .engine),
        (nil, false, .engine),
        // A lost connection wins over whatever the last message said.
        ("42601", true, .unavailable), ("23505", true, .unavailable), (nil, true, .unavailable),
    ]

    @Test(arguments: classified)
    func classifiesByState(_ example: (state: String?, connectionLost: Bool, kind: Kind)) {
        let state = example.state.flatMap(SQLState.init)
        let error = StoreError.postgres(state: state, message: "m", connectionLost: example.connectionLost)
        let expectedCode = state?.code ?? SQLState.noStateCode
        switch error {
        case let .constraintViolation(code, message):
            #expect(example.kind == .constraint && code == expectedCode && message == "m")
        case let .busy(code, _):
            #expect(example.kind == .busy && code == expectedCode)
        case let .unavailable(message):
            #expect(example.kind == .unavailable && message.hasPrefix("m"))
        case let .invalidInput(message):
            #expect(example.kind == .invalidInput && message == "m (SQLSTATE \(example.state ?? ""))")
        case let .engine(code, message):
            #expect(example.kind == .engine && code == expectedCode && message == "m")
        default:
            Issue.record("unexpected \(error)")
        }
    }

    static let dataExceptions: [(message: String, summary: String)] = [
        ("invalid input syntax for type bigint: \"s3cret\"", "invalid input syntax for type bigint"),
        ("value \"12345678901\" is out of range for type integer", "value \"…\" is out of range for type integer"),
        ("invalid byte sequence for encoding \"UTF8\": 0xc3 0x28", "invalid byte sequence for encoding \"…\""),
        ("value too long for type character varying(3)", "value too long for type character varying(3)"),
        ("division by zero", "division by zero"),
        ("unterminated \"quote", "unterminated \"…\""),
    ]

    @Test(arguments: dataExceptions)
    func dataExceptionsLoseTheValueTheyQuote(_ example: (message: String, summary: String)) {
        #expect(StoreError.dataExceptionSummary(example.message) == example.summary)
    }
}
