import DeskgateDesk
/// The two documented workflows (docs/workflows/*.json; a test keeps these texts equal to
/// those files), which every demo tenant gets, with tickets in every workflow state.
enum DemoWorkflows {
    static let itAccessRequest = #"""
{
  "name": "IT access request",
  "description": "An employee asks for access to an internal system. The IT team approves it; sensitive systems also need a security review by an admin before IT provisions the access.",
  "fields": [
    {"key": "system", "label": "System", "type": "select", "options": ["VPN", "GitHub", "Payroll", "Production database"]},
    {"key": "justification", "label": "Why is the access needed?", "type": "text"},
    {"key": "access_until", "label": "Access needed until", "type": "date"},
    {"key": "approver_note", "label": "Approver's note", "type": "rich_text"},
    {"key": "provisioned", "label": "Access provisioned", "type": "boolean"}
  ],
  "nodes": [
    {"key": "request", "name": "Request", "type": "start",
     "fields": {"system": "required", "justification": "required", "access_until": "optional", "approver_note": "hidden", "provisioned": "hidden"}},
    {"key": "it_approval", "name": "IT approval", "type": "normal",
     "participant": {"type": "department", "value": "IT"}, "allow_withdraw": true,
     "fields": {"approver_note": "optional", "provisioned": "hidden"}},
    {"key": "sensitivity", "name": "Sensitive system?", "type": "exclusive_gateway"},
    {"key": "security_review", "name": "Security review", "type": "normal",
     "participant": {"type": "role", "value": "admin"},
     "fields": {"approver_note": "required", "provisioned": "hidden"}},
    {"key": "provisioning", "name": "Provision access", "type": "normal",
     "participant": {"type": "person", "value": "lee@acme.test"},
     "fields": {"provisioned": "required"}},
    {"key": "done", "name": "Done", "type": "end"}
  ],
  "transitions": [
    {"key": "submit", "name": "Submit", "type": "agree", "from": "request", "to": "it_approval"},
    {"key": "approve", "name": "Approve", "type": "agree", "from": "it_approval", "to": "sensitivity"},
    {"key": "send_back", "name": "Send back", "type": "reject", "from": "it_approval", "to": "request"},
    {"key": "needs_review", "name": "Sensitive system", "type": "condition", "from": "sensitivity", "to": "security_review",
     "condition_groups": [
       [{"field": "system", "operator": "==", "value": "Payroll"}],
       [{"field": "system", "operator": "==", "value": "Production database"}]
     ]},
    {"key": "routine", "name": "Routine system", "type": "condition", "from": "sensitivity", "to": "provisioning"},
    {"key": "clear", "name": "Clear", "type": "agree", "from": "security_review", "to": "provisioning",
     "open_child": {"workflow": "IT access request", "subject": "Review the sensitive access in 90 days"}},
    {"key": "deny", "name": "Deny", "type": "reject", "from": "security_review", "to": "done"},
    {"key": "provisioned", "name": "Mark provisioned", "type": "agree", "from": "provisioning", "to": "done"}
  ],
  "permissions": [
    {"permission": "view", "department": "IT"},
    {"permission": "intervene", "user": "sam@acme.test"},
    {"permission": "admin", "user": "admin@acme.test"}
  ]
}
"""#

    static let refundApproval = #"""
{
  "name": "Refund approval",
  "description": "A support agent files a refund for a customer. Finance and the support lead review it in parallel; refunds over 500 also go to an admin before Billing pays out.",
  "fields": [
    {"key": "customer_email", "label": "Customer email", "type": "text"},
    {"key": "amount", "label": "Amount (EUR)", "type": "number"},
    {"key": "reason", "label": "Reason", "type": "select", "options": ["Duplicate charge", "Unused seats", "Service outage", "Other"]},
    {"key": "finance_ok", "label": "Finance agrees", "type": "boolean"},
    {"key": "lead_note", "label": "Support lead's note", "type": "text"},
    {"key": "payout_reference", "label": "Payout reference", "type": "text"}
  ],
  "nodes": [
    {"key": "draft", "name": "Draft", "type": "start",
     "fields": {"customer_email": "required", "amount": "required", "reason": "required", "finance_ok": "hidden", "payout_reference": "hidden"}},
    {"key": "split", "name": "Parallel review", "type": "parallel_gateway"},
    {"key": "finance_review", "name": "Finance review", "type": "normal",
     "participant": {"type": "department", "value": "Billing"},
     "fields": {"finance_ok": "required", "payout_reference": "hidden"}},
    {"key": "lead_review", "name": "Support lead review", "type": "normal",
     "participant": {"type": "person", "value": "dana@acme.test"},
     "fields": {"lead_note": "optional", "finance_ok": "hidden", "payout_reference": "hidden"}},
    {"key": "join", "name": "Reviews done", "type": "parallel_gateway"},
    {"key": "size", "name": "Large refund?", "type": "exclusive_gateway"},
    {"key": "admin_approval", "name": "Admin approval", "type": "normal",
     "participant": {"type": "role", "value": "admin"}, "distribution": "voluntary",
     "fields": {"payout_reference": "hidden"}},
    {"key": "payout", "name": "Pay out", "type": "normal",
     "participant": {"type": "department", "value": "Billing"},
     "fields": {"payout_reference": "required"}},
    {"key": "refunded", "name": "Refunded", "type": "end"},
    {"key": "declined", "name": "Declined", "type": "end"}
  ],
  "transitions": [
    {"key": "submit", "name": "Submit for review", "type": "agree", "from": "draft", "to": "split"},
    {"key": "to_finance", "name": "To finance", "type": "other", "from": "split", "to": "finance_review"},
    {"key": "to_lead", "name": "To support lead", "type": "other", "from": "split", "to": "lead_review"},
    {"key": "finance_done", "name": "Reviewed", "type": "agree", "from": "finance_review", "to": "join"},
    {"key": "finance_decline", "name": "Decline", "type": "reject", "from": "finance_review", "to": "declined"},
    {"key": "lead_done", "name": "Reviewed", "type": "agree", "from": "lead_review", "to": "join"},
    {"key": "lead_decline", "name": "Decline", "type": "reject", "from": "lead_review", "to": "declined"},
    {"key": "reviewed", "name": "Both reviews in", "type": "other", "from": "join", "to": "size"},
    {"key": "large", "name": "Over 500", "type": "condition", "from": "size", "to": "admin_approval",
     "condition_groups": [[{"field": "amount", "operator": ">", "value": 500}]]},
    {"key": "small", "name": "Up to 500", "type": "condition", "from": "size", "to": "payout"},
    {"key": "approve", "name": "Approve", "type": "agree", "from": "admin_approval", "to": "payout"},
    {"key": "reject", "name": "Reject", "type": "reject", "from": "admin_approval", "to": "declined"},
    {"key": "paid", "name": "Mark paid", "type": "agree", "from": "payout", "to": "refunded"}
  ],
  "permissions": [
    {"permission": "view", "department": "Billing"},
    {"permission": "view", "department": "Support"},
    {"permission": "admin", "user": "priya@acme.test"}
  ]
}
"""#

    static let documents = [itAccessRequest, refundApproval]
}
