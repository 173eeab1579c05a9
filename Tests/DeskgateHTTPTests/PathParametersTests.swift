import Testing
import DeskgateHTTP

/// Path parameters behave like the dictionary they replaced: one value per name, lookups by
/// exact name, equality regardless of order.
@Suite struct PathParametersTests {
    @Test func behavesLikeADictionary() {
        var parameters = PathParameters()
        #expect(parameters.isEmpty && parameters["tenant"] == nil)
        parameters["tenant"] = "acme"
        parameters["id"] = "7"
        parameters["tenant"] = "globex"
        #expect(parameters.count == 2 && parameters["tenant"] == "globex" && parameters["id"] == "7")
        #expect(parameters["Tenant"] == nil)
        #expect(parameters == ["id": "7", "tenant": "globex"])
        #expect(parameters != ["id": "7", "tenant": "acme"] && parameters != ["id": "7"])
        parameters["id"] = nil
        #expect(parameters == ["tenant": "globex"])
    }

    @Test func requestReadsItsParameters() {
        var request = Request(method: "GET", target: "/t/acme/mcp")
        request.pathParameters = ["tenant": "acme"]
        #expect(request.parameter("tenant") == "acme" && request.parameter("other") == "")
    }
}
