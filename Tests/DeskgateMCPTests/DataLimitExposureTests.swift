import DeskgateDesk
import Testing
@testable import DeskgateMCP

/// The data limit rides on the one settings read a call makes (`ToolExposure`).
@Suite("Data limit exposure")
struct DataLimitExposureTests {
    @Test func theLimitComesWithTheExposure() {
        var settings = MCPSettings()
        #expect(ToolExposure(settings).dataLimit == nil)
        settings.dataLimit = MCPDataLimit(departmentIDs: [4], allowsWrites: false)
        let exposure = ToolExposure(MCPSettings(settingsJSON: settings.merged(into: "{}")))
        #expect(exposure.dataLimit == MCPDataLimit(departmentIDs: [4], allowsWrites: false))
        // The limit narrows data, not the tool list: write tools stay listed (refused per ticket).
        #expect(exposure.allowsWrites)
        #expect(ToolExposure.everything.dataLimit == nil)
    }
}
