/**
 * Every public contract field is documented, as pulumi-eks documents its Args: each property of
 * an exported `...Args` interface (and of the other contracts layers hand each other: `Result`,
 * `Layer`, `Published`, `Facts`, `Target`, `Settings`) carries a JSDoc line saying what it is
 * for. Fields of object types written inline in such a contract count too. Parsing uses the
 * TypeScript compiler API: `ts.getJSDocCommentsAndTags` and `ts.getTextOfJSDocComment`
 * (typescript src/services/types.ts, src/compiler/utilitiesPublic.ts @v5.9.3).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const root = path.join(__dirname, "..");

/** Name endings of the contracts whose fields must be documented. */
const contractSuffixes = ["Args", "Result", "Layer", "Published", "Facts", "Target", "Settings"];

/** Fewest words a field's doc must have to say what it is for. */
const minWords = 2;

export interface FieldDoc {
    /** 1-based line of the property in its file. */
    readonly line: number;
    /** `Interface.field`, or `Interface.field.inner` for a field of an inline object type. */
    readonly name: string;
    /** Whether the property carries a JSDoc comment with at least `minWords` words. */
    readonly documented: boolean;
}

const isExported = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

const isContractName = (name: string): boolean => contractSuffixes.some((s) => name.endsWith(s));

/** The words of a node's JSDoc: its comment text and the text of its tags. */
function docWords(node: ts.Node): string[] {
    const text = ts
        .getJSDocCommentsAndTags(node)
        .map((doc) =>
            ts.isJSDoc(doc)
                ? [
                      ts.getTextOfJSDocComment(doc.comment) ?? "",
                      ...(doc.tags ?? []).map((t) => ts.getTextOfJSDocComment(t.comment) ?? ""),
                  ].join(" ")
                : (ts.getTextOfJSDocComment(doc.comment) ?? ""),
        )
        .join(" ");
    return text.split(/\s+/).filter((w) => /\w/.test(w));
}

/** The property signatures of every object type literal written inside a type node. */
function nestedLiterals(type: ts.Node, out: ts.TypeLiteralNode[]): void {
    if (ts.isTypeLiteralNode(type)) {
        out.push(type);
        return;
    }
    ts.forEachChild(type, (child) => nestedLiterals(child, out));
}

/** Every field of the file's exported contracts, documented or not. */
export function contractFields(fileName: string, source: string): FieldDoc[] {
    const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true);
    const fields: FieldDoc[] = [];
    const visitMembers = (owner: string, members: ts.NodeArray<ts.TypeElement>): void => {
        for (const member of members) {
            if (!ts.isPropertySignature(member) && !ts.isMethodSignature(member)) continue;
            const name = `${owner}.${member.name.getText(file)}`;
            fields.push({
                line: file.getLineAndCharacterOfPosition(member.name.getStart(file)).line + 1,
                name,
                documented: docWords(member).length >= minWords,
            });
            const inner: ts.TypeLiteralNode[] = [];
            if (member.type) nestedLiterals(member.type, inner);
            for (const literal of inner) visitMembers(name, literal.members);
        }
    };
    for (const statement of file.statements) {
        if (!isExported(statement)) continue;
        if (ts.isInterfaceDeclaration(statement) && isContractName(statement.name.text)) {
            visitMembers(statement.name.text, statement.members);
        } else if (ts.isTypeAliasDeclaration(statement) && isContractName(statement.name.text)) {
            // `type XArgs = { ... }` or `type XArgs = Base & { ... }`: the literal parts.
            const literals: ts.TypeLiteralNode[] = [];
            if (ts.isTypeLiteralNode(statement.type)) literals.push(statement.type);
            else if (ts.isIntersectionTypeNode(statement.type))
                literals.push(...statement.type.types.filter(ts.isTypeLiteralNode));
            for (const literal of literals) visitMembers(statement.name.text, literal.members);
        }
    }
    return fields;
}

function tsFiles(dir: string): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) =>
            e.isDirectory()
                ? tsFiles(path.join(dir, e.name))
                : e.name.endsWith(".ts")
                  ? [path.join(dir, e.name)]
                  : [],
        )
        .sort();
}

describe("contract fields are documented", function () {
    it("the detector reports an undocumented, a too-short and an inline field", function () {
        const fields = contractFields(
            "x.ts",
            [
                "export interface FooArgs {",
                "    /** Replicas of the controller. */",
                "    readonly replicas: number;",
                "    readonly bare: string;",
                "    /** Size. */",
                "    readonly size: number;",
                "    /** Where the thing is stored. */",
                "    readonly store: {",
                "        /** Bucket name to write to. */",
                "        bucket: string;",
                "        region: string;",
                "    };",
                "}",
                "interface HiddenArgs { bare: string }",
                "export interface Helper { bare: string }",
                "export type BarResult = { bare: string };",
            ].join("\n"),
        );
        assert.deepStrictEqual(
            fields.filter((f) => !f.documented).map((f) => `${f.line} ${f.name}`),
            ["4 FooArgs.bare", "6 FooArgs.size", "11 FooArgs.store.region", "16 BarResult.bare"],
        );
        assert.strictEqual(fields.filter((f) => f.documented).length, 3);
    });

    it("every field of an exported Args/Result/Layer/Published/Facts/Target/Settings type under components/ has a JSDoc line", function () {
        const missing: string[] = [];
        let total = 0;
        for (const file of tsFiles(path.join(root, "components"))) {
            const rel = path.relative(root, file);
            for (const field of contractFields(rel, fs.readFileSync(file, "utf8"))) {
                total++;
                if (!field.documented) missing.push(`${rel}:${field.line} ${field.name}`);
            }
        }
        assert.ok(total > 100, `found only ${total} contract fields: is the scan broken?`);
        assert.deepStrictEqual(
            missing,
            [],
            `${missing.length} of ${total} contract fields have no JSDoc line:\n${missing.join("\n")}`,
        );
    });
});
