import Foundation

/// The EC2 Query API: form-encoded POSTs of `Action`, `Version` and parameters, signed with
/// SigV4 (or SigV2 for old Eucalyptus clouds), answered with XML.
public struct EC2Client: Sendable {
    /// The newest EC2 API version; Eucalyptus accepts it for the actions it implements.
    public static let apiVersion = "2016-11-15"
    /// A describe that keeps returning tokens is a server bug, not a reason to loop forever.
    static let maximumPages = 1000

    let client: ServiceClient
    public let endpoint: URL
    public let region: String
    let credentials: Credentials
    let signatureVersion: SignatureVersion

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

    /// Calls a describe action and follows `nextToken` until the last page.
    public func callAllPages(_ action: String, _ parameters: [QueryItem]) async throws -> [XML.Element] {
        var pages: [XML.Element] = []
        var token: String?
        var seen: Set<String> = []
        repeat {
            let page = try await call(action, parameters + (token.map { [QueryItem("NextToken", $0)] } ?? []))
            pages.append(page)
            token = page.value("nextToken")
            if let next = token {
                guard seen.insert(next).inserted, pages.count < EC2Client.maximumPages else {
                    throw ResponseFormatError(host: endpoint.host ?? "", problem: "the service keeps returning the same nextToken")
                }
            }
        } while token != nil
        return pages
    }

    func makeRequest(_ action: String, _ parameters: [QueryItem]) -> HTTPRequest {
        let items = [QueryItem("Action", action), QueryItem("Version", EC2Client.apiVersion)] + parameters
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
            return SigV4Signer(credentials: credentials, region: region, service: "ec2")
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
