/// `application/x-www-form-urlencoded` bodies as the EC2 Query API takes them. Encoded with
/// the AWS percent-encoding (space as `%20`), which every Query endpoint accepts and which is
/// what SigV2 signs.
public enum FormEncoding {
    public static func encode(_ items: [QueryItem]) -> String {
        items.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }
            .joined(separator: "&")
    }

    public static func decode(_ body: String) -> [QueryItem] {
        body.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.decode(String(parts[0]), plusIsSpace: true)
            let value = parts.count > 1 ? PercentEncoding.decode(String(parts[1]), plusIsSpace: true) : ""
            return QueryItem(name, value)
        }
    }
}
