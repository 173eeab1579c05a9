import Foundation
import Testing
@testable import DeskgateConfig

@Suite("Client metadata settings")
struct ClientMetadataSettingsTests {
    @Test func developmentFlagIsOffByDefault() throws {
        let (configuration, _) = try ConfigurationLoader.load(program: .auth, arguments: [], environment: [:])
        #expect(configuration.clientMetadata.devAllowHTTP == false)
        #expect(configuration.clientMetadata.caFile == nil)
        #expect(configuration.environment["DESKGATE_DEV_ALLOW_HTTP_CLIENT_METADATA"] == nil)
    }

    @Test func environmentAndFileSetThem() throws {
        let environment = ["DESKGATE_DEV_ALLOW_HTTP_CLIENT_METADATA": "true", "DESKGATE_CLIENT_METADATA_CA_FILE": "/tmp/ca.pem"]
        let (configuration, _) = try ConfigurationLoader.load(program: .auth, arguments: [], environment: environment)
        #expect(configuration.clientMetadata.devAllowHTTP)
        #expect(configuration.clientMetadata.caFile == "/tmp/ca.pem")
        // `deskgate up` hands the resolved settings to its children.
        #expect(configuration.environment["DESKGATE_DEV_ALLOW_HTTP_CLIENT_METADATA"] == "true")
        #expect(configuration.environment["DESKGATE_CLIENT_METADATA_CA_FILE"] == "/tmp/ca.pem")

        let path = NSTemporaryDirectory() + "deskgate-config-\(UUID().uuidString).json"
        try #"{"dev_allow_http_client_metadata": true}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let (fromFile, _) = try ConfigurationLoader.load(program: .auth, arguments: ["--config", path], environment: [:])
        #expect(fromFile.clientMetadata.devAllowHTTP)
    }

    @Test func flagValueMustBeBoolean() {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(program: .auth, arguments: [], environment: ["DESKGATE_DEV_ALLOW_HTTP_CLIENT_METADATA": "maybe"])
        }
    }
}
