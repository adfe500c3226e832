import Foundation

/// Expands the paths a user gives into the files to read: files as given,
/// folders recursively (in name order, hidden files skipped).
public enum InputFiles {
    public static func expand(_ paths: [String]) throws -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else {
                throw IngestError.unreadable(p, "no such file or folder")
            }
            if !isDir.boolValue { out.append(p); continue }
            guard let e = fm.enumerator(atPath: p) else { throw IngestError.unreadable(p, "cannot list folder") }
            var found: [String] = []
            while let rel = e.nextObject() as? String {
                if rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                let full = (p as NSString).appendingPathComponent(rel)
                var sub: ObjCBool = false
                if fm.fileExists(atPath: full, isDirectory: &sub), !sub.boolValue { found.append(full) }
            }
            out.append(contentsOf: found.sorted())
        }
        return out
    }
}
