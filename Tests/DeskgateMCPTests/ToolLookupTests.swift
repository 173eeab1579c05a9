import Testing
@testable import DeskgateMCP

/// tools/call finds its tool by a scan over the names and checks its family by bits: the same
/// answers the dictionary and the set gave.
@Suite struct ToolLookupTests {
    @Test func everyToolIsFoundByItsNameAndNothingElse() {
        let registry = HelpDeskTools.registry
        #expect(!registry.tools.isEmpty)
        for tool in registry.tools {
            #expect(registry[tool.name] === tool)
            // The same text in another String object (not the registry's own).
            #expect(registry[String(decoding: Array(tool.name.utf8), as: UTF8.self)] === tool)
            #expect(registry[String(tool.name.dropLast())] == nil && registry[tool.name + "s"] == nil)
            #expect(registry[tool.name.uppercased()] == nil)
        }
        #expect(registry[""] == nil && registry["no_such_tool"] == nil)
    }

    @Test func familyBitsAgreeWithTheSet() {
        let all: [ToolFamily] = [.helpDesk, .workflow]
        for families in [Set<ToolFamily>(), [.helpDesk], [.workflow], Set(all)] {
            let exposure = ToolExposure(families: families, allowsWrites: true)
            for family in all { #expect(exposure.includes(family) == families.contains(family)) }
        }
    }
}
