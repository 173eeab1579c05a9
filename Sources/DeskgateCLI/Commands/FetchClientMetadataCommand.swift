@_spi(ClientMetadataTesting) import DeskgateAuth

/// `deskgate debug fetch-client-metadata URL`: runs the authorization server's client metadata
/// fetch once and prints the validated document (or the error a client would see).
///
/// `--resolve HOST=IP[,IP]` and `--trust-address IP` exist for the interop tests, whose TLS
/// server can only listen on loopback; they are command-line only, never configuration.
enum FetchClientMetadataCommand {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        let parsed = try Arguments(arguments, valueOptions: ["ca-file", "timeout-ms", "max-bytes", "resolve", "trust-address"],
                                   switchOptions: ["allow-insecure-loopback"])
        let url = try parsed.positionals("URL")[0]
        var fetcher = ClientMetadataFetcher(
            allowInsecureLoopback: parsed.has("allow-insecure-loopback") || context.configuration.clientMetadata.devAllowHTTP,
            timeoutMilliseconds: try parsed.integer("timeout-ms", default: 5000, range: 1...60_000),
            maxBytes: try parsed.integer("max-bytes", default: 5120, range: 1...(1 << 20)),
            caFile: parsed.value("ca-file") ?? context.configuration.clientMetadata.caFile)
        var resolve: [String: [String]] = [:]
        for entry in parsed.all("resolve") {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw UsageError("--resolve takes HOST=IP[,IP...]") }
            resolve[String(parts[0]), default: []] += parts[1].split(separator: ",").map(String.init)
        }
        let trusted = parsed.all("trust-address")
        if !resolve.isEmpty || !trusted.isEmpty {
            guard let overrides = ClientMetadataFetcher.TestingOverrides(resolve: resolve, trustedAddresses: trusted) else {
                throw UsageError("--resolve and --trust-address take IP addresses")
            }
            fetcher = fetcher.withTestingOverrides(overrides)
        }
        let document: ClientMetadataDocument
        do {
            document = try fetcher.fetch(url)
        } catch {
            throw FetchFailure(error: error)
        }
        var output: [String: Any] = [
            "client_id": document.clientID,
            "redirect_uris": document.redirectURIs,
            "grant_types": document.grantTypes,
            "response_types": document.responseTypes,
            "token_endpoint_auth_method": document.tokenEndpointAuthMethod,
            "max_age_seconds": document.maxAgeSeconds,
        ]
        if let name = document.clientName { output["client_name"] = name }
        if let scope = document.scope { output["scope"] = scope }
        if let uri = document.clientURI { output["client_uri"] = uri }
        if let uri = document.logoURI { output["logo_uri"] = uri }
        context.terminal.printJSON(output)
    }

    struct FetchFailure: Error, CustomStringConvertible {
        let error: ClientMetadataError
        var description: String { error.description }
    }
}
