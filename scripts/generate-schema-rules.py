#!/usr/bin/env python3
"""Generates Sources/OCPP/SchemaRules.generated.swift from the official OCPP JSON schemas.

Usage:
    python3 scripts/generate-schema-rules.py SCHEMA_DIR > Sources/OCPP/SchemaRules.generated.swift
    python3 scripts/generate-schema-rules.py SCHEMA_DIR --out Sources/OCPP/SchemaRules.generated.swift

SCHEMA_DIR holds one folder per version, one file per message, as the Open
Charge Alliance publishes them:

    v16/Action.json         v16/ActionResponse.json        (OCPP 1.6, draft-04; the
                                                            security extension's files are draft-06)
    v201/ActionRequest.json v201/ActionResponse.json       (OCPP 2.0.1, draft-06)
    v21/ActionRequest.json  v21/ActionResponse.json        (OCPP 2.1, draft-06)

Why a generator and a text encoding: the tool must validate payloads with no
schema files at run time, so the rules are compiled into the binary. A Swift
array literal of nested enum values for ~300 messages takes the type checker
minutes in a debug build; one raw string literal per version costs nothing to
compile, and the validator parses the few lines an action needs on its first
use (Sources/OCPP/SchemaRules.swift).

The encoding (format 1), one raw string per version, one record per line:

    E v1|v2|...          an enumeration; the k-th E line is enumeration k
    N <type> <tok>...    a rule node; the k-th N line is node k. Children
                         always come before their parents, so ids are acyclic.
    A <action> <req> <res>  the root node of the CALL and CALLRESULT payloads
                         ("-" when the version has no such message)

A node's first token is its set of JSON types, one letter each: s string,
i integer, n number, b boolean, o object, a array, z null; "*" for any.
Then, in any order:

    L<n>        string maxLength (in Unicode code points)
    E<k>        value must be in enumeration k
    D           string format date-time (RFC 3339)
    m<x> M<x>   numeric minimum / maximum (inclusive)
    C           object is closed: additionalProperties false
    !name=<k>   required member with rule node k ("!name" alone: required, unconstrained)
    .name=<k>   optional member with rule node k
    I<k>        array items follow node k
    k<n> K<n>   array minItems / maxItems

Names and enumeration values are percent-encoded where they hold a byte
outside [A-Za-z0-9._-] (none of the official schemas need it today).
Identical nodes and enumerations are shared across all the actions of a
version, so the output stays small.

Keywords that carry no rule the validator checks (descriptions, javaType,
default, ...) are dropped; multipleOf and formats other than date-time are
counted and reported on standard error, as is any keyword this script does
not know, so a new schema feature is never ignored silently.

Python 3 standard library only. The output is deterministic: the same
schemas give the same bytes (no timestamps), so a diff shows real changes.
"""

import argparse
import collections
import hashlib
import json
import os
import re
import sys

FORMAT_VERSION = 1

# (folder, version string used by the tool, request file suffix)
VERSIONS = [
    ("v16", "1.6", ""),
    ("v201", "2.0.1", "Request"),
    ("v21", "2.1", "Request"),
]

TYPE_LETTERS = {
    "string": "s", "integer": "i", "number": "n", "boolean": "b",
    "object": "o", "array": "a", "null": "z",
}
TYPE_ORDER = "sinboaz"

# Keywords that hold no rule for a payload validator.
IGNORED = {"$schema", "$id", "id", "title", "description", "comment", "javaType", "default",
           "definitions", "additionalItems", "$comment", "examples"}
# additionalItems is meaningless when `items` is one schema (as in every OCPP schema).
HANDLED = {"type", "properties", "required", "additionalProperties", "enum", "maxLength",
           "minimum", "maximum", "items", "minItems", "maxItems", "format", "$ref"}
NOT_ENFORCED = {"multipleOf", "minLength", "pattern", "exclusiveMinimum", "exclusiveMaximum",
                "uniqueItems", "minProperties", "maxProperties", "oneOf", "anyOf", "allOf", "not",
                "const", "dependencies", "patternProperties"}

SAFE = re.compile(r"^[A-Za-z0-9._-]+$")


def encode_name(s):
    if SAFE.match(s):
        return s
    out = []
    for ch in s:
        if re.match(r"[A-Za-z0-9._-]", ch):
            out.append(ch)
        else:
            out.extend("%%%02X" % b for b in ch.encode("utf-8"))
    return "".join(out)


def fmt_number(x):
    if isinstance(x, bool):
        raise ValueError("boolean where a number was expected")
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return repr(x)


class VersionBuilder:
    """Interns nodes and enumerations of one version."""

    def __init__(self, version):
        self.version = version
        self.enum_ids = {}
        self.enum_lines = []
        self.node_ids = {}
        self.node_lines = []
        self.actions = collections.OrderedDict()  # action -> [req, res]
        self.stats = collections.Counter()

    def enum_id(self, values):
        line = "|".join(encode_name(str(v)) for v in values)
        if line not in self.enum_ids:
            self.enum_ids[line] = len(self.enum_lines)
            self.enum_lines.append(line)
        return self.enum_ids[line]

    def node_id(self, line):
        if line not in self.node_ids:
            self.node_ids[line] = len(self.node_lines)
            self.node_lines.append(line)
        self.stats["node references"] += 1
        return self.node_ids[line]


def resolve_ref(root, ref, where):
    if not ref.startswith("#"):
        raise SystemExit("%s: external $ref %r is not supported" % (where, ref))
    node = root
    for part in ref[1:].split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            raise SystemExit("%s: $ref %r does not resolve" % (where, ref))
        node = node[part]
    return node


def compile_node(vb, root, schema, where, stack):
    """Returns the id of the node for `schema`, compiling its children first."""
    if not isinstance(schema, dict):
        raise SystemExit("%s: a schema must be an object, found %r" % (where, schema))
    if "$ref" in schema:
        ref = schema["$ref"]
        extra = set(schema) - {"$ref", "description", "$comment", "comment"}
        if extra:
            vb.stats["$ref siblings ignored"] += 1
        if ref in stack:
            raise SystemExit("%s: recursive $ref %r; the encoding needs acyclic rules" % (where, ref))
        return compile_node(vb, root, resolve_ref(root, ref, where), where, stack + (ref,))

    for k in schema:
        if k in IGNORED or k in HANDLED:
            continue
        if k in NOT_ENFORCED:
            vb.stats["not enforced: %s" % k] += 1
        else:
            vb.stats["unknown keyword: %s" % k] += 1
            print("warning: %s: unknown keyword %r is not enforced" % (where, k), file=sys.stderr)

    t = schema.get("type")
    if t is None:
        types = "*"
    else:
        tl = t if isinstance(t, list) else [t]
        letters = set()
        for x in tl:
            if x not in TYPE_LETTERS:
                raise SystemExit("%s: unknown type %r" % (where, x))
            letters.add(TYPE_LETTERS[x])
        if isinstance(t, list):
            vb.stats["type lists"] += 1
        types = "".join(c for c in TYPE_ORDER if c in letters)
    toks = [types]
    is_obj = t is None or "o" in types
    is_arr = t is None or "a" in types
    is_str = t is None or "s" in types
    is_num = t is None or "i" in types or "n" in types

    if "maxLength" in schema and is_str:
        toks.append("L%d" % schema["maxLength"])
    if "enum" in schema:
        toks.append("E%d" % vb.enum_id(schema["enum"]))
        if any(not isinstance(v, str) for v in schema["enum"]):
            raise SystemExit("%s: only string enumerations are supported" % where)
    fmt = schema.get("format")
    if fmt == "date-time" and is_str:
        toks.append("D")
    elif fmt is not None:
        vb.stats["not enforced: format %s" % fmt] += 1
    if "minimum" in schema and is_num:
        toks.append("m" + fmt_number(schema["minimum"]))
    if "maximum" in schema and is_num:
        toks.append("M" + fmt_number(schema["maximum"]))

    if is_obj:
        ap = schema.get("additionalProperties", True)
        if ap is False:
            toks.append("C")
        elif ap is not True:
            vb.stats["not enforced: additionalProperties schema"] += 1
        props = schema.get("properties", {})
        required = list(schema.get("required", []))
        if len(required) > 64:
            # The validator tracks the required members it saw in one 64-bit mask.
            raise SystemExit("%s: more than 64 required members" % where)
        # Required members first, in the schema's `required` order (the order
        # a missing member is reported in), then the optional ones.
        child = {name: compile_node(vb, root, sub, where + "/" + name, stack) for name, sub in props.items()}
        for name in required:
            if name in child:
                toks.append("!%s=%d" % (encode_name(name), child[name]))
            else:
                vb.stats["required without property"] += 1
                toks.append("!" + encode_name(name))
        for name in props:
            if name not in required:
                toks.append(".%s=%d" % (encode_name(name), child[name]))
    elif "additionalProperties" in schema:
        # 1.6 and 2.x put additionalProperties on string enumerations: no effect.
        vb.stats["additionalProperties on non-object"] += 1

    if is_arr:
        if "items" in schema:
            items = schema["items"]
            if isinstance(items, list):
                raise SystemExit("%s: tuple-form items are not supported" % where)
            toks.append("I%d" % compile_node(vb, root, items, where + "/[]", stack))
        if "minItems" in schema:
            toks.append("k%d" % schema["minItems"])
        if "maxItems" in schema:
            toks.append("K%d" % schema["maxItems"])
    return vb.node_id(" ".join(toks))


def load(path):
    # utf-8-sig: some published OCPP schema files start with a byte order mark.
    with open(path, encoding="utf-8-sig") as f:
        return json.load(f)


def build_version(schema_dir, folder, version, req_suffix, digest):
    vdir = os.path.join(schema_dir, folder)
    if not os.path.isdir(vdir):
        raise SystemExit("no folder %s" % vdir)
    vb = VersionBuilder(version)
    files = sorted(f for f in os.listdir(vdir) if f.endswith(".json"))
    if not files:
        raise SystemExit("no .json files in %s" % vdir)
    for fname in files:
        full = os.path.join(vdir, fname)
        with open(full, "rb") as f:
            data = f.read()
        digest.update(("%s/%s\0" % (folder, fname)).encode())
        digest.update(data)
        stem = fname[:-5]
        if stem.endswith("Response"):
            action, slot = stem[:-len("Response")], 1
        elif req_suffix and stem.endswith(req_suffix):
            action, slot = stem[:-len(req_suffix)], 0
        elif not req_suffix:
            action, slot = stem, 0
        else:
            # A 2.x file named without the Request suffix (2.1 has
            # NotifyPeriodicEventStream.json, a SEND message): a request.
            action, slot = stem, 0
            vb.stats["request file without %s suffix: %s" % (req_suffix, fname)] += 1
        schema = load(full)
        if schema.get("type") != "object":
            raise SystemExit("%s: the root of a payload schema must be an object" % full)
        entry = vb.actions.setdefault(action, [None, None])
        if entry[slot] is not None:
            raise SystemExit("%s: a second %s schema for %s" % (full, "request" if slot == 0 else "response", action))
        entry[slot] = compile_node(vb, schema, schema, "%s/%s" % (folder, fname), ())
    return vb, len(files)


def swift_raw_literal(lines, indent):
    body = "\n".join(indent + l for l in lines)
    if '"#' in body:
        raise SystemExit("generated text contains '\"#', which would end the raw string")
    return '#"""\n' + body + "\n" + indent + '"""#'


def generate(schema_dir):
    schema_dir = schema_dir.rstrip("/")
    digest = hashlib.sha256()
    builders = []
    for folder, version, suffix in VERSIONS:
        vb, nfiles = build_version(schema_dir, folder, version, suffix, digest)
        builders.append((folder, vb, nfiles))

    out = []
    w = out.append
    w("// GENERATED FILE — do not edit. Made by scripts/generate-schema-rules.py from the official")
    w("// OCPP JSON schemas, with:")
    w("//")
    w("//     python3 scripts/generate-schema-rules.py %s > Sources/OCPP/SchemaRules.generated.swift" % schema_dir)
    w("//")
    w("// Input: %s (SHA-256 over the file names and bytes: %s)" % (schema_dir, digest.hexdigest()))
    for folder, vb, nfiles in builders:
        nreq = sum(1 for a in vb.actions.values() if a[0] is not None)
        nres = sum(1 for a in vb.actions.values() if a[1] is not None)
        w("//   %s/ %d files -> OCPP %s: %d actions (%d requests, %d responses), %d rule nodes, %d enumerations"
          % (folder, nfiles, vb.version, len(vb.actions), nreq, nres, len(vb.node_lines), len(vb.enum_lines)))
    w("//")
    w("// Why text and not Swift values: a nested literal of this size takes the type checker")
    w("// minutes; raw strings compile instantly and SchemaRules parses an action's lines on its")
    w("// first use. The line format is documented at the top of the generator (format %d)." % FORMAT_VERSION)
    w("// Nothing here reads schema files at run time.")
    w("")
    w("enum SchemaRulesData {")
    w("    /// The line format of the texts below; SchemaRules refuses any other.")
    w("    static let format = %d" % FORMAT_VERSION)
    w("")
    w("    /// The OCPP versions with rules, as the tool names them.")
    w("    static let versions = [%s]" % ", ".join('"%s"' % vb.version for _, vb, _ in builders))
    w("")
    w("    /// The rule text of one version, or nil.")
    w("    static func text(version: String) -> String? {")
    w("        switch version {")
    for folder, vb, _ in builders:
        w('        case "%s": return %s' % (vb.version, folder))
    w("        default: return nil")
    w("        }")
    w("    }")
    for folder, vb, _ in builders:
        lines = ["E " + l for l in vb.enum_lines]
        lines += ["N " + l for l in vb.node_lines]
        for action, (req, res) in sorted(vb.actions.items()):
            lines.append("A %s %s %s" % (encode_name(action), "-" if req is None else req, "-" if res is None else res))
        w("")
        w("    /// OCPP %s, from %s/." % (vb.version, folder))
        w("    private static let %s = %s" % (folder, swift_raw_literal(lines, "        ")))
    w("}")

    for folder, vb, _ in builders:
        print("%s (%s): %d actions, %d nodes, %d enumerations, %d node references"
              % (vb.version, folder, len(vb.actions), len(vb.node_lines), len(vb.enum_lines),
                 vb.stats["node references"]), file=sys.stderr)
        for k, v in sorted(vb.stats.items()):
            if k != "node references":
                print("    %s: %d" % (k, v), file=sys.stderr)
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description="Generate Swift payload rules from the OCPP JSON schemas.")
    ap.add_argument("schema_dir", help="folder with v16/, v201/ and v21/ of OCPP JSON schemas")
    ap.add_argument("--out", help="write here instead of standard output")
    args = ap.parse_args()
    text = generate(args.schema_dir)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
