import Foundation

/// One run of a command: what was typed, the environment, the resolved settings, and the
/// shared machinery (HTTP client, debug log) that actions use.
public struct Invocation: Sendable {
    /// The name the program was started under (`euca-add-group` for an alias).
    public let programName: String
    public let command: Command
    public let arguments: ParsedArguments
    public let environment: [String: String]
    /// Resolved settings; nil only for commands without a service.
    public let settings: Settings?
    public let log: DebugLog
    let client: ServiceClient?
    private let tlsWarning = OnceFlag()

    init(programName: String, command: Command, arguments: ParsedArguments,
         environment: [String: String], settings: Settings?, log: DebugLog) {
        self.programName = programName
        self.command = command
        self.arguments = arguments
        self.environment = environment
        self.settings = settings
        self.log = log
        client = settings.map { settings in
            ServiceClient(
                transport: HTTPTransport(options: .init(connectTimeout: settings.connectTimeout.value,
                                                        readTimeout: settings.readTimeout.value,
                                                        tls: settings.tls, proxies: settings.proxies)),
                policy: RetryPolicy(maxAttempts: settings.maxAttempts.value, mode: settings.retryMode.value),
                log: log)
        }
    }

    public var showEmptyFields: Bool { arguments.flag("show-empty-fields") }

    /// The API parameters bound from the command line by the command's declaration.
    public var boundParameters: [QueryItem] { ArgumentParser.parameters(for: command, arguments) }

    /// `--output json` was asked for.
    public var printsJSON: Bool { arguments.string("output") == "json" }

    /// Prints what the command made of the service's responses: the records, one per line,
    /// or with `--output json` the response documents themselves (`pageToken`: the element
    /// to drop when pages are merged).
    public func output(_ records: [Record], from documents: [XML.Element], pageToken: String? = nil) {
        if printsJSON { return outputJSON(documents, pageToken: pageToken) }
        guard !records.isEmpty else { return }
        StandardStream.output.write(records.map { $0.formatted(showEmptyFields: showEmptyFields) + "\n" }.joined())
    }

    /// The same for a command whose output is not made of records (a table, decoded user data).
    public func output(bytes: Data, from documents: [XML.Element], pageToken: String? = nil) {
        if printsJSON { return outputJSON(documents, pageToken: pageToken) }
        StandardStream.output.write(bytes: bytes)
    }

    func outputJSON(_ documents: [XML.Element], pageToken: String?) {
        StandardStream.output.write(ResponseJSON.merge(documents, pageToken: pageToken).serialized() + "\n")
    }

    /// `PROG: warning: …` on stderr.
    public func warn(_ message: String) {
        StandardStream.error.writeLine("\(programName): warning: \(message)")
    }

    /// Checks the TLS settings for `endpoint`; the warning that verification is off is printed
    /// once per run, however many clients the command makes.
    func checkTLS(_ endpoint: URL) throws(ConfigError) {
        guard let settings else { return }
        try TLSPolicy.check(settings, endpoint: endpoint) { message in
            if tlsWarning.firstTime() { warn(message) }
        }
    }

    /// An EC2 client for this invocation's endpoint and credentials.
    public func ec2() throws -> QueryClient { try query(.ec2) }

    /// A Query API client for one of the services (EC2, IAM, STS, ELB, Auto Scaling,
    /// CloudWatch, CloudFormation) with this invocation's endpoint and credentials.
    public func query(_ service: Service) throws -> QueryClient {
        guard let settings, let client else { throw CommandFailure("this command has no service") }
        let endpoint = settings.endpoints[service]!
        try checkTLS(endpoint.url.value)
        let credentials = try settings.requireCredentials()
        log.addSecret(credentials.secretAccessKey)
        if let token = credentials.sessionToken { log.addSecret(token) }
        return QueryClient(client: client, service: service, endpoint: endpoint.url.value,
                           region: endpoint.signingRegion.value, credentials: credentials,
                           signatureVersion: settings.signatureVersion(service).value)
    }

    /// An S3 client for this invocation's object storage endpoint and credentials.
    public func s3() throws -> S3Client {
        guard let settings else { throw CommandFailure("this command has no service") }
        let credentials = try settings.requireCredentials()
        log.addSecret(credentials.secretAccessKey)
        if let token = credentials.sessionToken { log.addSecret(token) }
        return try s3(credentials: credentials)
    }

    /// An S3 client signing with `credentials` (an upload policy's client has only a key ID:
    /// its POSTs are authorized by the policy, not signed).
    func s3(credentials: Credentials) throws -> S3Client {
        guard let settings, let client else { throw CommandFailure("this command has no service") }
        let endpoint = settings.endpoints[.s3]!
        try checkTLS(endpoint.url.value)
        return try S3Client(client: client, endpoint: endpoint.url.value,
                        region: endpoint.signingRegion.value, credentials: credentials,
                        signatureVersion: settings.signatureVersion(.s3).value,
                        addressingStyle: try settings.s3AddressingStyle.get().value)
    }
}

/// True the first time it is asked, false ever after.
final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func firstTime() -> Bool {
        lock.withLock {
            defer { done = true }
            return !done
        }
    }
}

/// A failure while running a command that is neither a service nor a transport error: a file
/// that cannot be written, a key that does not decrypt. Printed as `PROG: error: MESSAGE`, exit 1.
public struct CommandFailure: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
