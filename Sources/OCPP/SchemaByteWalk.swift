/// The schema check of `SchemaValidator.validate(…payloadText:)`: the rule
/// tree walked over the payload's JSON text, with no parsed value built.
///
/// Why: ingest validates every message, and parsing each payload into a
/// `JSONValue` first (its objects, arrays and strings allocated, then
/// walked and released) was two thirds of the validation's cost: 424 M
/// instructions of the 10 MB benchmark ingest's OCPP-J thread, which shares
/// the two cores with the packets and the SQLite writer. Here names and
/// enumeration values are compared where they lie, numbers are judged from
/// their text, and a String is made only for a string with escapes or for
/// the text of a violation.
///
/// It finds what the walk over the parsed value finds, in the same order and
/// to the same limit (a test holds the two side by side): document order,
/// an array's item-count findings before its items', an object's missing
/// members after its other findings. The count of an array is known only
/// at its end here, so its findings are put in at the place they belong
/// and the list is cut to the limit again; once the list is full, values
/// are skipped, not checked (nothing more can be added, except the counts
/// of arrays already open, which still end before their items).
struct SchemaByteWalk {
    private let text: UnsafeRawBufferPointer
    private let base: UnsafeRawPointer
    private let n: Int
    private var i = 0
    private let limit: Int
    private var found: [SchemaViolation] = []
    /// Set when the text is not the valid JSON it should be: the answer is nil.
    private var broken = false

    init(_ text: UnsafeRawBufferPointer, limit: Int) {
        self.text = text
        // An empty text has no base address; any address will do, nothing is read.
        base = text.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        n = text.count
        self.limit = limit
    }

    private var full: Bool { found.count >= limit }

    mutating func run(_ root: SchemaNode) -> [SchemaViolation]? {
        i = JSONSkip.space(base, n, 0)
        guard i < n else { return nil }
        if limit > 0 { check(root, at: nil) } else { skipValue() }
        if broken { return nil }
        // One value and nothing after it but whitespace.
        guard JSONSkip.space(base, n, i) == n else { return nil }
        return found
    }

    // MARK: Values

    @inline(__always) private func byte(_ k: Int) -> UInt8 { base.load(fromByteOffset: k, as: UInt8.self) }

    private mutating func check(_ node: SchemaNode, at path: UnsafePointer<ByteLink>?) {
        i = JSONSkip.space(base, n, i)
        guard i < n else { broken = true; return }
        switch byte(i) {
        case UInt8(ascii: "{"):
            guard node.types.contains(.object) else { return wrongType(node, .object([]), at: path) }
            checkObject(node, at: path)
        case UInt8(ascii: "["):
            guard node.types.contains(.array) else { return wrongType(node, .array([]), at: path) }
            checkArray(node, at: path)
        case UInt8(ascii: "\""):
            checkString(node, at: path)
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            let value = byte(i) == UInt8(ascii: "t")
            guard literal(value ? "true" : "false") else { return }
            if !node.types.contains(.boolean) { add(.wrongType, "expected \(node.types.name), found \(SchemaText.describe(.bool(value)))", at: path) }
        case UInt8(ascii: "n"):
            guard literal("null") else { return }
            if !node.types.contains(.null) { add(.wrongType, "expected \(node.types.name), found null", at: path) }
        default:
            checkNumber(node, at: path)
        }
    }

    /// Steps over `word` at the position; false (and broken) when it is not there.
    private mutating func literal(_ word: StaticString) -> Bool {
        let m = word.utf8CodeUnitCount
        guard i + m <= n else { broken = true; return false }
        for k in 0..<m where byte(i + k) != word.utf8Start[k] {
            broken = true
            return false
        }
        i += m
        return true
    }

    /// A value of the wrong type: the finding, and the value stepped over.
    private mutating func wrongType(_ node: SchemaNode, _ shape: JSONValue, at path: UnsafePointer<ByteLink>?) {
        let start = i
        skipValue()
        guard !broken else { return }
        var described = shape
        switch byte(start) {
        case UInt8(ascii: "\""): described = .string(stringValue(start..<i))
        case UInt8(ascii: "{"), UInt8(ascii: "["): break
        default: described = .number(String(decoding: UnsafeRawBufferPointer(rebasing: text[start..<i]), as: UTF8.self))
        }
        add(.wrongType, "expected \(node.types.name), found \(SchemaText.describe(described))", at: path)
    }

    private mutating func skipValue() {
        guard let end = JSONSkip.value(text, from: i, depthLimit: 64) else { broken = true; return }
        i = end
    }

    private mutating func checkObject(_ node: SchemaNode, at path: UnsafePointer<ByteLink>?) {
        i += 1
        var seen: UInt64 = 0
        i = JSONSkip.space(base, n, i)
        if i < n && byte(i) == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                i = JSONSkip.space(base, n, i)
                guard i < n, byte(i) == UInt8(ascii: "\""), let nameEnd = JSONSkip.stringEnd(base, n, i) else { broken = true; return }
                let name = i..<nameEnd
                i = JSONSkip.space(base, n, nameEnd)
                guard i < n, byte(i) == UInt8(ascii: ":") else { broken = true; return }
                i += 1
                let member = lookUp(name, in: node.members)
                if full {
                    skipValue()
                } else if let m = member {
                    if m.requiredBit >= 0 { seen |= UInt64(1) << UInt64(m.requiredBit) }
                    if let child = m.node {
                        withUnsafePointer(to: ByteLink(parent: path, name: name, index: 0)) { check(child, at: $0) }
                    } else {
                        skipValue()
                    }
                } else {
                    skipValue()
                    if node.closed {
                        let key = stringValue(name)
                        withUnsafePointer(to: ByteLink(parent: path, name: name, index: 0)) {
                            add(.unexpectedMember, "\(SchemaText.quoted(key)) is not a member the schema allows", at: $0)
                        }
                    }
                }
                if broken { return }
                i = JSONSkip.space(base, n, i)
                guard i < n else { broken = true; return }
                if byte(i) == UInt8(ascii: ",") { i += 1; continue }
                guard byte(i) == UInt8(ascii: "}") else { broken = true; return }
                i += 1
                break
            }
        }
        guard seen != node.requiredMask, !full else { return }
        for (bit, name) in node.required.enumerated() where seen & (UInt64(1) << UInt64(bit)) == 0 {
            if full { return }
            withUnsafePointer(to: ByteLink(parent: path, name: nil, key: name, index: 0)) {
                add(.missingRequired, "required member \(SchemaText.quoted(name)) is missing", at: $0)
            }
        }
    }

    private mutating func checkArray(_ node: SchemaNode, at path: UnsafePointer<ByteLink>?) {
        i += 1
        let mark = found.count
        var count = 0
        i = JSONSkip.space(base, n, i)
        if i < n && byte(i) == UInt8(ascii: "]") {
            i += 1
        } else {
            while true {
                if full || node.items == nil {
                    skipValue()
                } else {
                    withUnsafePointer(to: ByteLink(parent: path, name: nil, index: count)) { check(node.items!, at: $0) }
                }
                if broken { return }
                count += 1
                i = JSONSkip.space(base, n, i)
                guard i < n else { broken = true; return }
                if byte(i) == UInt8(ascii: ",") { i += 1; continue }
                guard byte(i) == UInt8(ascii: "]") else { broken = true; return }
                i += 1
                break
            }
        }
        var counts: [SchemaViolation] = []
        if let min = node.minItems, count < min {
            counts.append(SchemaViolation(path: pointer(path), kind: .tooFewItems,
                                          message: "\(count) item\(count == 1 ? "" : "s"), at least \(min) required"))
        }
        if let max = node.maxItems, count > max {
            counts.append(SchemaViolation(path: pointer(path), kind: .tooManyItems, message: "\(count) items, at most \(max) allowed"))
        }
        guard !counts.isEmpty, mark < limit else { return }
        found.insert(contentsOf: counts, at: mark)
        if found.count > limit { found.removeLast(found.count - limit) }
    }

    private mutating func checkString(_ node: SchemaNode, at path: UnsafePointer<ByteLink>?) {
        let start = i
        guard let end = JSONSkip.stringEnd(base, n, i) else { broken = true; return }
        i = end
        let inner = UnsafeRawBufferPointer(rebasing: text[(start + 1)..<(end - 1)])
        guard node.types.contains(.string) else {
            let s = stringValue(start..<end)
            add(.wrongType, "expected \(node.types.name), found \(SchemaText.describe(.string(s)))", at: path)
            return
        }
        if !inner.contains(UInt8(ascii: "\\")) {
            // The bytes are the string (invalid UTF-8 matches no enumeration
            // value and no date-time, repaired or not).
            if let e = node.enumeration, e.table[bytes: inner] == nil {
                let s = stringValue(start..<end)
                add(.notInEnum, "\(SchemaText.quoted(s)) is not one of \(SchemaText.list(e.values))", at: path)
            }
            // A string has at most as many characters as bytes: count them only beyond the limit.
            if let max = node.maxLength, inner.count > max {
                let s = stringValue(start..<end)
                if s.utf8.count > max {
                    let c = s.unicodeScalars.count
                    if c > max { add(.tooLong, "\(c) characters, at most \(max) allowed", at: path) }
                }
            }
            if node.dateTime && !SchemaDateTime.isValid(inner.assumingMemoryBound(to: UInt8.self)) {
                let s = stringValue(start..<end)
                add(.badDateTime, "\(SchemaText.quoted(s)) is not an RFC 3339 date-time", at: path)
            }
            return
        }
        // Escapes: as the parsed walk does, on the decoded String.
        for (kind, message) in node.stringFindings(stringValue(start..<end)) { add(kind, message, at: path) }
    }

    private mutating func checkNumber(_ node: SchemaNode, at path: UnsafePointer<ByteLink>?) {
        let start = i
        guard let end = JSONSkip.numberEnd(base, n, i) else { broken = true; return }
        i = end
        let needsType = !node.types.contains(.number)
        guard needsType || node.minimum != nil || node.maximum != nil else { return }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: self.text[start..<end]), as: UTF8.self)
        if needsType {
            guard node.types.contains(.integer), SchemaNumber.isInteger(text) else {
                return add(.wrongType, "expected \(node.types.name), found \(SchemaText.describe(.number(text)))", at: path)
            }
        }
        if node.minimum != nil || node.maximum != nil, let x = SchemaNumber.value(text) {
            if let lo = node.minimum, x < lo {
                add(.outOfRange, "\(text) is below the minimum \(SchemaNumber.text(lo))", at: path)
            } else if let hi = node.maximum, x > hi {
                add(.outOfRange, "\(text) is above the maximum \(SchemaNumber.text(hi))", at: path)
            }
        }
    }

    // MARK: Names and findings

    /// A string of the text (quotes included in `range`), decoded as the parser decodes it.
    private func stringValue(_ range: Range<Int>) -> String {
        JSONScanner.decodeString(UnsafeRawBufferPointer(rebasing: text[range]))
    }

    private func lookUp<V>(_ name: Range<Int>, in table: SchemaNameTable<V>) -> V? {
        let inner = UnsafeRawBufferPointer(rebasing: text[(name.lowerBound + 1)..<(name.upperBound - 1)])
        if !inner.contains(UInt8(ascii: "\\")) { return table[bytes: inner] }
        return table[stringValue(name)]
    }

    private mutating func add(_ kind: SchemaViolation.Kind, _ message: @autoclosure () -> String, at path: UnsafePointer<ByteLink>?) {
        guard !full else { return }
        found.append(SchemaViolation(path: pointer(path), kind: kind, message: message()))
    }

    private func pointer(_ path: UnsafePointer<ByteLink>?) -> String {
        var steps: [String] = []
        var p = path
        while let link = p {
            let l = link.pointee
            if let name = l.name {
                steps.append(SchemaText.pointerStep(stringValue(name)))
            } else if let key = l.key {
                steps.append(SchemaText.pointerStep(key))
            } else {
                steps.append(String(l.index))
            }
            p = l.parent
        }
        return SchemaText.pointer(steps.reversed())
    }
}

/// One step of the path to the value in hand, on the call stack: a member
/// named in the text (its quoted name's range), a member named by the
/// schema (a missing one), or an array element.
private struct ByteLink {
    let parent: UnsafePointer<ByteLink>?
    let name: Range<Int>?
    var key: String? = nil
    let index: Int

    init(parent: UnsafePointer<ByteLink>?, name: Range<Int>?, key: String? = nil, index: Int) {
        self.parent = parent
        self.name = name
        self.key = key
        self.index = index
    }
}
