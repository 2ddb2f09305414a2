import Foundation

/// The AWS Query API that EC2, IAM, STS, ELB, Auto Scaling, CloudWatch and CloudFormation all
/// speak: form-encoded POSTs of `Action`, `Version` and parameters, signed with SigV4 (or SigV2
/// for old Eucalyptus clouds), answered with an `<ActionResponse>` XML document. The services
/// differ only in data (`ServiceDefinition`).
public struct QueryClient: Sendable {
    /// A describe that keeps returning tokens is a server bug, not a reason to loop forever.
    static let maximumPages = 1000

    let client: ServiceClient
    public let service: Service
    public let endpoint: URL
    /// The region requests are signed for.
    public let region: String
    let credentials: Credentials
    let signatureVersion: SignatureVersion

    init(client: ServiceClient, service: Service, endpoint: URL, region: String,
         credentials: Credentials, signatureVersion: SignatureVersion) {
        precondition(service.definition.queryAPIVersion != nil, "\(service) has no Query API")
        self.client = client
        self.service = service
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
        self.signatureVersion = signatureVersion
    }

    /// The same client sending to another endpoint (euca-bundle-and-upload-image's --ec2-url).
    func at(_ endpoint: URL) -> QueryClient {
        QueryClient(client: client, service: service, endpoint: endpoint, region: region,
                    credentials: credentials, signatureVersion: signatureVersion)
    }

    public func call(_ action: String, _ parameters: [QueryItem]) async throws -> XML.Element {
        let request = makeRequest(action, parameters)
        let host = request.hostHeader
        let sign: @Sendable (HTTPRequest, Date) -> HTTPRequest = { [self] request, date in
            self.sign(request, date: date)
        }
        return try await client.send(request, sign: sign) { response throws(ResponseFormatError) in
            try ServiceDocument.parse(response, root: action + "Response", host: host)
        }
    }

    /// Calls a describe/list action and follows the service's page token until the last page.
    public func callAllPages(_ action: String, _ parameters: [QueryItem]) async throws -> [XML.Element] {
        guard let pagination = service.definition.pagination else {
            return [try await call(action, parameters)]
        }
        var pages: [XML.Element] = []
        var token: String?
        var seen: Set<String> = []
        repeat {
            let page = try await call(action, parameters + (token.map { [QueryItem(pagination.parameter, $0)] } ?? []))
            pages.append(page)
            token = QueryClient.nextToken(page, action: action, pagination)
            if let next = token {
                guard seen.insert(next).inserted, pages.count < QueryClient.maximumPages else {
                    throw ResponseFormatError(host: endpoint.host ?? "", problem: "the service keeps returning the same \(pagination.element)")
                }
            }
        } while token != nil
        return pages
    }

    /// EC2 puts the token at the top of the response, the other services inside
    /// `<ActionResult>`.
    static func nextToken(_ page: XML.Element, action: String, _ pagination: Pagination) -> String? {
        page.value(pagination.element) ?? page.value(action + "Result", pagination.element)
    }

    func makeRequest(_ action: String, _ parameters: [QueryItem]) -> HTTPRequest {
        let items = [QueryItem("Action", action), QueryItem("Version", service.definition.queryAPIVersion!)] + parameters
        var request = HTTPRequest(method: "POST", scheme: endpoint.scheme?.lowercased() ?? "https",
                                  host: endpoint.host ?? "", port: endpoint.port,
                                  path: endpoint.path.isEmpty ? "/" : endpoint.path)
        request.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        request.body = .bytes(Data(FormEncoding.encode(items).utf8))
        return request
    }

    func sign(_ request: HTTPRequest, date: Date) -> HTTPRequest {
        switch signatureVersion {
        case .v4:
            return SigV4Signer(credentials: credentials, region: region, service: service.signingName)
                .sign(request, date: date)
        case .v2:
            var signed = request
            let items = FormEncoding.decode(String(decoding: request.body.inMemory, as: UTF8.self))
            let signedItems = SigV2QuerySigner(credentials: credentials)
                .sign(items, for: request, date: date)
            signed.body = .bytes(Data(FormEncoding.encode(signedItems).utf8))
            return signed
        }
    }
}
