/// A 2xx answer counts only when it is the document the action returns: a captive portal, a
/// web server at a wrong URL or a load balancer's page also answer 200, and taking their HTML
/// for an empty result would report success for work that was never done.
public enum ServiceDocument {
    /// The parsed body when its root element is `root` (namespace prefix ignored); otherwise a `ResponseFormatError` naming the status, the content type
    /// and what was expected.
    public static func parse(_ response: HTTPResponse, root: String, host: String) throws(ResponseFormatError) -> XML.Element {
        let document: XML.Element
        do {
            document = try XML.parse(response.body)
        } catch {
            throw mismatch(response, root: root, host: host, found: nil)
        }
        let name = document.name.split(separator: ":").last.map(String.init) ?? document.name
        guard name == root else { throw mismatch(response, root: root, host: host, found: name) }
        return document
    }

    static func mismatch(_ response: HTTPResponse, root: String, host: String, found: String?) -> ResponseFormatError {
        let type = response.headers["Content-Type"].map { $0.split(separator: ";").first.map(String.init) ?? $0 } ?? "no content type"
        let what = found.map { "a <\($0)> document" } ?? (response.body.isEmpty ? "an empty body" : "no XML document")
        return ResponseFormatError(host: host, problem: "HTTP \(response.status) (\(type)) carried \(what), not a \(root) document")
    }
}
