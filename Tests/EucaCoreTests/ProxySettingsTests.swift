import Testing
@testable import EucaCore

@Suite struct ProxySettingsTests {
    @Test func environmentSpellingsAndNoProxy() throws {
        let settings = try ProxySettings.from(environment: [
            "HTTPS_PROXY": "http://user:p%40ss@proxy.example:3128/", "http_proxy": "proxy2:8080",
            "no_proxy": "localhost, .internal.example,10.0.0.1:8773",
        ])
        #expect(settings.https == .init(host: "proxy.example", port: 3128, credentials: "user:p@ss"))
        #expect(settings.http == .init(host: "proxy2", port: 8080, credentials: nil))
        #expect(settings.proxy(scheme: "https", host: "ec2.us-east-1.amazonaws.com", port: 443) == settings.https)
        #expect(settings.proxy(scheme: "https", host: "localhost", port: 443) == nil)
        #expect(settings.proxy(scheme: "https", host: "s3.internal.example", port: 443) == nil)
        #expect(settings.proxy(scheme: "http", host: "internal.example", port: 80) == nil)
        #expect(settings.proxy(scheme: "http", host: "10.0.0.1", port: 8773) == nil)
        #expect(settings.proxy(scheme: "http", host: "10.0.0.1", port: 8774) == settings.http)
        #expect(settings.proxy(scheme: "http", host: "notinternal.example", port: 80) == settings.http)
    }

    @Test func starBypassesEverything() throws {
        let settings = try ProxySettings.from(environment: ["https_proxy": "p:1", "NO_PROXY": "*"])
        #expect(settings.proxy(scheme: "https", host: "anything", port: 443) == nil)
    }

    @Test func badProxyIsAConfigError() {
        #expect(throws: ConfigError.self) { try ProxySettings.from(environment: ["https_proxy": "socks5://p:1"]) }
        #expect(throws: ConfigError.self) { try ProxySettings.from(environment: ["https_proxy": "p:notaport"]) }
    }
}
