import DeskgateJSON
import Testing

@Suite("Objects")
struct ObjectTests {
    @Test func subscriptSetReplacesInPlaceAppendsAndRemoves() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = "one"
        object["c"] = 3
        #expect(object.keys == ["a", "b", "c"])
        #expect(object["a"] == "one")
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object.count == 2)
        #expect(object["b"] == nil)
        object["missing"] = nil
        #expect(object.count == 2)
    }

    @Test func initFromPairsLetsLaterValuesWin() {
        let object = JSONObject([("x", 1), ("y", 2), ("x", 3)])
        #expect(object.keys == ["x", "y"])
        #expect(object["x"] == 3)
        #expect(JSONObject().isEmpty)
    }

    @Test func equalityAndHashIgnoreOrder() {
        let a: JSONObject = ["x": 1, "y": [true]]
        let b: JSONObject = ["y": [true], "x": 1]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != ["x": 1, "y": [false]])
        #expect(a != ["x": 1])
        #expect(a != ["x": 1, "z": [true]])
        #expect(Set<JSONValue>([.object(a), .object(b)]).count == 1)
    }

    @Test func iterationFollowsInsertionOrder() {
        let object: JSONObject = ["b": 1, "a": 2]
        #expect(object.map(\.key) == ["b", "a"])
        #expect(object.map(\.value) == [1, 2])
    }

    /// Past the index threshold lookups go through a hash index; it must stay right across edits.
    @Test(arguments: [5, 16, 17, 200])
    func largeObjects(size: Int) throws {
        var object = JSONObject((0..<size).map { ("k\($0)", .number(JSONNumber($0))) })
        #expect(object.count == size)
        for i in 0..<size { #expect(object["k\(i)"]?.intValue == i) }
        object["k0"] = nil
        object["new"] = true
        #expect(object["k0"] == nil)
        #expect(object["k\(size - 1)"]?.intValue == size - 1)
        #expect(object["new"] == true)
        #expect(object.keys.last == "new")

        let text = "{" + (0..<size).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}"
        #expect(try JSONParser.parse(text).objectValue?.count == size)
        let duplicated = "{" + (0..<size).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + ",\"k\(size / 2)\":0}"
        #expect(parseError(duplicated)?.reason == "duplicate key 'k\(size / 2)'")
    }
}
