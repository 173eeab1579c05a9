/// The error `body` throws, if it is an `E`; nil when it throws nothing or another kind.
/// Lets a table test compare the exact refusal: `#expect(thrown(DeskError.self) { … } == .notFound("…"))`.
public func thrown<E: Error>(_ type: E.Type, _ body: () throws -> Void) -> E? {
    do {
        try body()
        return nil
    } catch let error as E {
        return error
    } catch {
        return nil
    }
}
