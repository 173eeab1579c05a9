import DeskgateMetrics

/// What the MCP server counts: `tools/call` by tool, era and outcome, and every presented
/// token's check by kind and result; token-cache hit rates are read when scraped.
///
/// Tool names come from the registry, outcomes and results from the small enums below: no
/// tenant, token or argument ever becomes a label.
final class MCPMetrics: Sendable {
    enum CallOutcome: Int, CaseIterable {
        /// The tool ran and answered.
        case ok
        /// An `isError` result: the tool refused (bad arguments, not found, no permission, a
        /// refused per-call token).
        case toolError
        /// A JSON-RPC error: unknown tool, malformed params, cancelled, database unavailable.
        case rpcError
        /// The token lacks the tool's scope: a step-up challenge, nothing ran.
        case scopeRequired
        /// A write now waiting for a person's approval (its eventual result is not counted).
        case awaitingApproval

        var label: String {
            switch self {
            case .ok: "ok"
            case .toolError: "tool_error"
            case .rpcError: "rpc_error"
            case .scopeRequired: "scope_required"
            case .awaitingApproval: "awaiting_approval"
            }
        }
    }

    enum TokenKind: Int, CaseIterable {
        case personalAccessToken, oauthAccessToken
        var label: String { self == .personalAccessToken ? "pat" : "oauth_access_token" }
    }

    enum TokenResult: Int, CaseIterable {
        case accepted, invalid, tenantSuspended, unavailable
        var label: String {
            switch self {
            case .accepted: "accepted"
            case .invalid: "invalid"
            case .tenantSuspended: "tenant_suspended"
            case .unavailable: "unavailable"
            }
        }
    }

    static let eras = ["handshake", "modern"]

    let calls: CounterFamily
    let tokenChecks: CounterFamily
    /// The slot for a name that is no tool of the registry.
    let unknownTool: Int

    init(toolNames: [String], registry: MetricsRegistry = Metrics.registry) {
        let names = toolNames + ["unknown"]
        unknownTool = toolNames.count
        let outcomes = CallOutcome.allCases.count
        calls = CounterFamily("deskgate_mcp_tool_calls_total", help: "MCP tools/call requests, by tool, protocol era and outcome.",
                              capacity: names.count * Self.eras.count * outcomes, omitZeros: true) { index in
            Labels([("tool", names[index / (Self.eras.count * outcomes)]),
                    ("era", Self.eras[index / outcomes % Self.eras.count]),
                    ("outcome", CallOutcome.allCases[index % outcomes].label)])
        }
        let results = TokenResult.allCases.count
        tokenChecks = CounterFamily("deskgate_mcp_token_checks_total",
                                    help: "Presented tokens checked (headers, per-call arguments, stream re-checks), by kind and result.",
                                    capacity: TokenKind.allCases.count * results) { index in
            Labels([("kind", TokenKind.allCases[index / results].label), ("result", TokenResult.allCases[index % results].label)])
        }
        registry.register(calls)
        registry.register(tokenChecks)
    }

    @inline(__always)
    func countCall(tool: Int, modernEra: Bool, outcome: CallOutcome) {
        calls.add((tool * Self.eras.count + (modernEra ? 1 : 0)) * CallOutcome.allCases.count + outcome.rawValue)
    }

    @inline(__always)
    func countTokenCheck(_ kind: TokenKind, _ result: TokenResult) {
        tokenChecks.add(kind.rawValue * TokenResult.allCases.count + result.rawValue)
    }

    /// The token caches' lookups, read when scraped.
    func registerCaches(of service: MCPService, registry: MetricsRegistry = Metrics.registry) {
        let authenticator = service.authenticator, accessTokens = service.accessTokens
        registry.register(SampledFamily("deskgate_mcp_token_cache_lookups_total",
                                        help: "Lookups of the verified-token caches, by cache and result (hit rate = hit / all).",
                                        type: .counter) {
            let pats = authenticator.cacheLookups
            let (principals, signatures) = accessTokens.cacheLookups
            var samples: [(Labels, Double)] = []
            for (cache, lookups) in [("pat", pats), ("oauth_principal", principals), ("oauth_signature", signatures)] {
                samples.append((Labels([("cache", cache), ("result", "hit")]), Double(lookups.hits)))
                samples.append((Labels([("cache", cache), ("result", "miss")]), Double(lookups.misses)))
            }
            return samples
        })
    }
}
