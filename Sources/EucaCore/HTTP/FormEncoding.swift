/// `application/x-www-form-urlencoded` bodies as the EC2 Query API takes them: the AWS
/// percent-encoding, except that a space is `+` as HTML forms (and botocore) send it. SigV4
/// hashes the body as sent, so either spelling is valid for AWS, but some servers re-encode
/// the parsed form before checking the signature (moto does, with `+`) and would reject
/// `%20`. SigV2 signs the parameters in its own canonical form, unaffected by this.
public enum FormEncoding {
    public static func encode(_ items: [QueryItem]) -> String {
        items.map { component($0.name) + "=" + component($0.value) }.joined(separator: "&")
    }

    static func component(_ text: String) -> String {
        PercentEncoding.encode(text, spaceAsPlus: true)
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
