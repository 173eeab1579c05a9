public import DeskgateConfig

extension ClientMetadataFetcher {
    /// The fetcher the authorization server uses: default limits, the configured trust store
    /// and development flag.
    public init(configuration: DeskgateConfiguration) {
        self.init(allowInsecureLoopback: configuration.clientMetadata.devAllowHTTP,
                  caFile: configuration.clientMetadata.caFile)
    }
}
