import DeskgateModel
import DeskgateJSON
import Testing
@testable import DeskgateDesk
@testable import DeskgateMCP

/// ticket_detail's form in Loonflow's shape: `form_schema.component_info_list` holds row
/// components whose children are the fields, each with key, type, permission and props.
@Suite("Workflow results")
struct WorkflowResultTests {
    static func detail(fields: [FlowFieldView]) -> FlowTicketDetail {
        FlowTicketDetail(
            ticketID: 88, number: 12, subject: "VPN", actState: .onGoing, creator: nil, workflowID: 3,
            workflowName: "IT access request", workflowDescription: "Access", version: 2, positions: [],
            baseNodeKey: "it_approval", fields: fields, actions: [], adminActions: [], createdAt: 1, updatedAt: 2,
            parent: nil, children: [])
    }

    static let fields = [
        FlowFieldView(key: "system", label: "System", type: .select, options: ["VPN", "GitHub"], value: "VPN", access: .readonly),
        FlowFieldView(key: "approver_note", label: "Approver's note", type: .richText, options: [], value: nil, access: .optional),
        FlowFieldView(key: "provisioned", label: "Provisioned", type: .boolean, options: [], value: .bool(false), access: .required),
    ]

    @Test func theFormIsOneRowOfComponentsWithTheirPermission() throws {
        let result = WorkflowResults.detail(Self.detail(fields: Self.fields), prepare: false)
        let form = try #require(result["form_schema"]?.objectValue)
        #expect(form.keys.sorted() == ["component_info_list", "workflow_metadata"])
        let rows = try #require(form["component_info_list"]?.arrayValue)
        #expect(rows.count == 1)
        let row = try #require(rows[0].objectValue)
        #expect(row["type"] == "row")
        let children = try #require(row["children"]?.arrayValue).compactMap(\.objectValue)
        #expect(children.map { $0["component_key"] } == ["system", "approver_note", "provisioned"])
        #expect(children.map { $0["type"] } == ["select", "rich_text", "boolean"])
        #expect(children.map { $0["component_permission"] } == ["readonly", "optional", "required"])
        let props = children.compactMap { $0["props"]?.objectValue }
        #expect(props.map { $0["label"] } == ["System", "Approver's note", "Provisioned"])
        #expect(props.map { $0["value"] } == ["VPN", .null, .bool(false)])
        #expect(props[0]["options"] == .array(["VPN", "GitHub"]))
        #expect(props[1]["options"] == nil)
        // Permissions agree with the flat lists Loonflow also returns.
        #expect(result["required_fields"] == .array(["provisioned"]))
        #expect(result["field_permissions"]?.objectValue?["approver_note"] == "optional")
    }

    @Test func aFormWithoutFieldsHasNoRow() throws {
        let result = WorkflowResults.detail(Self.detail(fields: []), prepare: true)
        #expect(result["form_schema"]?.objectValue?["component_info_list"] == .array([]))
        #expect(result["form_schema"]?.objectValue?["workflow_metadata"]?.objectValue?["name"] == "IT access request")
    }
}

/// `user_list`'s dept_id: Loonflow's "no filter" values (0, the all-zero UUID) mean every
/// department; anything else must be one department id.
@Suite("user_list dept_id")
struct DepartmentArgumentTests {
    static let cases: [(JSONValue?, Int64?, Bool)] = [
        (nil, nil, false), (.null, nil, false), ("", nil, false), ("0", nil, false), (.number(JSONNumber(0)), nil, false),
        ("00000000-0000-0000-0000-000000000000", nil, false), (" 0 ", nil, false),
        ("7", 7, false), (.number(JSONNumber(12)), 12, false), ("#3", 3, false),
        ("00000000-0000-0000-0000-000000000001", nil, true), ("billing", nil, true), ("1,2", nil, true), ("-5", nil, true),
    ]

    @Test(arguments: cases.indices)
    func departmentFilter(_ index: Int) throws {
        let (value, expected, fails) = Self.cases[index]
        let arguments = try ToolArguments(value.map { JSONObject([("dept_id", $0)]) } ?? JSONObject(), allowed: ["dept_id"])
        do {
            let department = try WorkflowTools.department(arguments)
            #expect(!fails && department == expected, "\(String(describing: value))")
        } catch let error as ToolArgumentError {
            #expect(fails && error.argument == "dept_id", "\(String(describing: value))")
        }
    }
}
